"""Pages of OpenID Connect sign-in (vern.accounts.oidc): start, callback, accepting an
invitation by signing in, step-up at the provider, and the administrator's linking page.

Every page answers 404 while OIDC is off (VERN_OIDC_ISSUER unset)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from vern.accounts import oidc, sessions
from vern.accounts.models import Invitation, OIDCIdentity, User
from vern.accounts.oidc_services import (
    identity_link,
    identity_unlink,
    invitation_accept_with_identity,
)
from vern.accounts.request import request_user
from vern.accounts.services import can_manage, invitation_for_token
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.core import clock
from vern.core.access import public

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
#: Started sign-ins kept per session (several tabs); older ones are dropped.
MAX_INTENTS = 10
#: A step-up at the provider must have authenticated the person this recently.
STEP_UP_MAX_AGE_SECONDS = 120

# What the person is told, by refusal reason (the reason itself is audited).
_MESSAGES: dict[str, Any] = {
    "unlinked": gettext_lazy(
        "Du er logget inn hos kommunen, men denne identiteten er ikke koblet til en konto i "
        "Vern. Be lederen din (eller en administrator) om å koble den til kontoen din, eller "
        "bruk invitasjonslenken du har fått. Oppgi denne identiteten:"
    ),
    "inactive": gettext_lazy("Kontoen din i Vern er deaktivert. Kontakt lederen din."),
    "mfa_missing": gettext_lazy(
        "Kommunen bekreftet ikke at du brukte tofaktorinnlogging. Logg inn hos kommunen med "
        "tofaktor og prøv igjen."
    ),
    "state": gettext_lazy(
        "Innloggingen er allerede brukt, er utløpt eller ble startet i en annen nettleser. "
        "Start innloggingen på nytt."
    ),
    "invitation_closed": gettext_lazy("Invitasjonen er brukt eller utløpt."),
    "already_linked": gettext_lazy(
        "Denne identiteten hos kommunen er allerede koblet til en annen konto i Vern."
    ),
    "step_up_other": gettext_lazy(
        "Du bekreftet med en annen identitet hos kommunen enn den som er koblet til kontoen din."
    ),
    "step_up_stale": gettext_lazy(
        "Kommunen bekreftet ikke en ny innlogging. Prøv igjen, eller bruk en engangskode."
    ),
    "provider_error": gettext_lazy("Kommunen avbrøt innloggingen. Prøv igjen."),
}
_DEFAULT_MESSAGE = gettext_lazy(
    "Innloggingen med kommunen kunne ikke bekreftes. Start innloggingen på nytt. Skjer det "
    "igjen, si fra til den som drifter Vern."
)
_STATUS = {
    "unlinked": 403,
    "inactive": 403,
    "mfa_missing": 403,
    "already_linked": 409,
    "invitation_closed": 410,
    "step_up_other": 403,
    "step_up_stale": 403,
}
# Never a 5xx: the request transaction would roll the refusal's audit event back.


def _config() -> oidc.OIDCConfig:
    cfg = oidc.config()
    if cfg is None:
        raise Http404
    return cfg


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _refuse(
    request: HttpRequest,
    reason: str,
    *,
    log: str = "",
    user: User | None = None,
    subject: str = "",
) -> HttpResponse:
    """The refusal page: a clear message, the audited reason, nothing signed in."""
    audit_record(
        action=AuditAction.STEP_UP_FAILED
        if reason.startswith("step_up")
        else AuditAction.LOGIN_FAILED,
        actor=user,
        centre=user.centre if user is not None else None,
        request=request,
        details={"via": "oidc", "reason": reason},
    )
    if log:
        oidc.logger.warning("OIDC sign-in refused (%s): %s", reason, log)
    return render(
        request,
        "accounts/oidc/refused.html",
        {
            "message": _MESSAGES.get(reason, _DEFAULT_MESSAGE),
            "subject": subject if reason == "unlinked" else "",
            "password_login": oidc.password_login_enabled(),
        },
        status=_STATUS.get(reason, 400),
    )


# --- Starting a sign-in --------------------------------------------------------------------


class _RequestView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """The library's authorization request (state, nonce, PKCE S256 in the session), with the
    endpoints from discovery instead of static settings."""

    def __init__(self, *, library: dict[str, Any], extra: dict[str, str]) -> None:
        self._library = library
        self._extra = extra
        self.OIDC_OP_AUTH_ENDPOINT = library["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = library["OIDC_RP_CLIENT_ID"]

    def get_settings(self, attr: str, *args: Any) -> Any:
        return self._library[attr] if attr in self._library else args[0] if args else None

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return dict(self._extra)


def _start(
    request: HttpRequest, intent: dict[str, Any], *, extra: dict[str, str] | None = None
) -> HttpResponse:
    cfg = _config()
    try:
        metadata = oidc.provider_metadata(cfg)
    except oidc.OIDCRefusedError as exc:
        return _refuse(request, exc.reason, log=str(exc))
    view = _RequestView(library=oidc.library_settings(cfg, metadata), extra=extra or {})
    view.setup(request)
    response: HttpResponse = view.get(request)
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    intents = dict(request.session.get(oidc.INTENTS) or {})
    while len(intents) >= MAX_INTENTS:
        intents.pop(next(iter(intents)))
    intents[state] = intent
    request.session[oidc.INTENTS] = intents
    return response


@public
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """ "Logg inn med kommunen": to the provider's sign-in page."""
    nxt = _safe_next(request, request.GET.get("next", ""))
    return _start(request, {"purpose": "login", "next": nxt})


@public
@require_GET
def start_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accepting an invitation by signing in at the provider (links the identity)."""
    _config()
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Http404
    return _start(request, {"purpose": "invitation", "invitation": invitation.pk, "next": ""})


@require_GET
def start_step_up(request: HttpRequest) -> HttpResponse:
    """A step-up at the provider: a new sign-in there (prompt=login, max_age=0) with MFA."""
    user = request_user(request)
    nxt = _safe_next(request, request.GET.get("next", ""))
    return _start(
        request,
        {"purpose": "step_up", "user": user.pk, "next": nxt},
        extra={"prompt": "login", "max_age": "0"},
    )


# --- The callback --------------------------------------------------------------------------

#: The query parameter of the second, same-site arrival at the callback (see ``_bounce``).
BOUNCED = "vern_same_site"


def _bounce(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back by a cross-site redirect, and Vern's session cookie
    is SameSite=Strict: the browser does not send it with that request. This page continues to
    the same callback from Vern's own page (a meta refresh, no script; a link as well), which is
    a same-site navigation that carries the cookie. Nothing is read or used here."""
    query = request.GET.copy()
    query[BOUNCED] = "1"
    return render(
        request, "accounts/oidc/continue.html", {"url": f"{request.path}?{query.urlencode()}"}
    )


@public
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with ``code`` and ``state``. The state is
    used once: it is removed from the session before anything else is checked."""
    cfg = _config()
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and request.GET.get(BOUNCED) != "1":
        return _bounce(request)
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states")
    entry = states.pop(state, None) if isinstance(states, dict) and state else None
    intents = dict(request.session.get(oidc.INTENTS) or {})
    intent = intents.pop(state, None) if state else None
    if entry is not None:
        request.session["oidc_states"] = states
    request.session[oidc.INTENTS] = intents
    if entry is None or intent is None:
        return _refuse(request, "state")
    if request.GET.get("error"):
        return _refuse(
            request, "provider_error", log=f"error={request.GET.get('error', '')[:100]!r}"
        )
    code = request.GET.get("code", "")
    if not code:
        return _refuse(request, "state")
    # RFC 9207: a provider that names itself in the response must be the configured one.
    returned_issuer = request.GET.get("iss")
    if returned_issuer is not None and returned_issuer != cfg.issuer:
        return _refuse(request, "wrong_issuer", log=f"iss parameter {returned_issuer[:200]!r}")
    try:
        client = oidc.VernOIDCClient(cfg, oidc.provider_metadata(cfg))
        id_token, claims = client.id_token_claims(
            request=request,
            code=code,
            nonce=str(entry.get("nonce") or ""),
            code_verifier=str(entry.get("code_verifier") or ""),
        )
        subject = oidc.subject_of(cfg, claims)
    except oidc.OIDCRefusedError as exc:
        return _refuse(request, exc.reason, log=str(exc))
    mfa = oidc.mfa_claimed(cfg, claims)
    purpose = intent.get("purpose")
    if purpose == "invitation":
        return _accept_invitation(
            request, cfg=cfg, intent=intent, subject=subject, id_token=id_token, mfa=mfa
        )
    if purpose == "step_up":
        return _step_up(request, cfg=cfg, intent=intent, subject=subject, claims=claims, mfa=mfa)
    identity = oidc.identity_for(cfg, subject)
    if identity is None:
        return _refuse(request, "unlinked", subject=subject)
    if not identity.user.is_active:
        return _refuse(request, "inactive", user=identity.user)
    if not mfa and cfg.require_mfa:
        return _refuse(request, "mfa_missing", user=identity.user)
    return _sign_in(request, identity, id_token, mfa, str(intent.get("next") or ""))


def _sign_in(
    request: HttpRequest, identity: OIDCIdentity, id_token: str, mfa: list[str], nxt: str
) -> HttpResponse:
    user = identity.user
    request.vern_login_via = "oidc"  # type: ignore[attr-defined]  # read by the login signal
    auth_login(request, user, backend=MODEL_BACKEND)  # a new session key; audited as login
    request.session[oidc.ID_TOKEN] = id_token
    home = reverse("desk:home")
    if mfa:
        # The provider says a second factor was used: the session is verified with the
        # identity as its django-otp device (it accepts no code). It counts as the first
        # step-up, as Vern's own code at login does.
        sessions.second_factor_passed(
            request, user=user, action=AuditAction.MFA_VERIFIED, device=identity,
            details={"method": "oidc", "claims": ",".join(mfa)},
        )  # fmt: skip
        return HttpResponseRedirect(nxt or home)
    target = reverse("accounts:mfa")
    if nxt:
        target += "?" + urlencode({"next": nxt})
    return HttpResponseRedirect(target)


def _accept_invitation(
    request: HttpRequest,
    *,
    cfg: oidc.OIDCConfig,
    intent: dict[str, Any],
    subject: str,
    id_token: str,
    mfa: list[str],
) -> HttpResponse:
    invitation = Invitation.objects.filter(pk=int(intent.get("invitation") or 0)).first()
    if invitation is None or not invitation.is_open(clock.now()):
        return _refuse(request, "invitation_closed")
    if oidc.identity_for(cfg, subject) is not None:
        return _refuse(request, "already_linked")
    if not mfa and cfg.require_mfa:
        return _refuse(request, "mfa_missing")
    try:
        _user, identity = invitation_accept_with_identity(
            invitation=invitation, issuer=cfg.issuer, subject=subject
        )
    except ValidationError as exc:
        return _refuse(request, "invitation_closed", log="; ".join(exc.messages))
    if not mfa:
        messages.success(
            request, _("Kontoen er opprettet. Sett opp innlogging med app som andre faktor.")
        )
    return _sign_in(request, identity, id_token, mfa, "")


def _step_up(
    request: HttpRequest,
    *,
    cfg: oidc.OIDCConfig,
    intent: dict[str, Any],
    subject: str,
    claims: dict[str, Any],
    mfa: list[str],
) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or user.pk != intent.get("user"):
        return _refuse(request, "state")
    identity = oidc.identity_for(cfg, subject)
    if identity is None or identity.user_id != user.pk:
        return _refuse(request, "step_up_other", user=user)
    if not mfa:
        return _refuse(request, "mfa_missing", user=user)
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int | float) or (
        clock.now().timestamp() - float(auth_time) > STEP_UP_MAX_AGE_SECONDS
    ):
        return _refuse(request, "step_up_stale", user=user)
    sessions.second_factor_passed(
        request, user=user, action=AuditAction.STEP_UP,
        details={"via": "oidc", "claims": ",".join(mfa)},
    )  # fmt: skip
    return HttpResponseRedirect(str(intent.get("next") or "") or reverse("desk:home"))


# --- Linking an identity (leaders and administrators) --------------------------------------


class LinkForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Identitet hos kommunen"),
        max_length=255,
        help_text=gettext_lazy(
            "Verdien personen får vist når innloggingen med kommunen ikke er koblet ennå, "
            "eller som kommunens IT-avdeling oppgir."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _managed(request: HttpRequest, pk: int) -> tuple[User, User]:
    acting = request_user(request)
    if not (acting.is_leader or acting.is_administrator):
        raise PermissionDenied
    target = User.objects.select_related("centre").filter(pk=pk).first()
    if target is None or not can_manage(acting_user=acting, target=target):
        raise Http404
    return acting, target


@require_http_methods(["GET", "POST"])
def identities(request: HttpRequest, pk: int) -> HttpResponse:
    cfg = _config()
    acting, target = _managed(request, pk)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity_link(
                acting_user=acting,
                user=target,
                issuer=cfg.issuer,
                subject=form.cleaned_data["subject"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict of errors lands on its fields
        else:
            messages.success(request, _("Innloggingen med kommunen er koblet til kontoen."))
            return redirect("oidc:identities", pk=target.pk)
    return render(
        request,
        "accounts/oidc/identities.html",
        {
            "target": target,
            "identities": OIDCIdentity.objects.filter(user=target).order_by("linked_at"),
            "issuer": cfg.issuer,
            "form": form,
            "back": "centres:list" if acting.is_administrator else "centres:staff",
        },
    )


@require_POST
def unlink(request: HttpRequest, pk: int, identity_pk: int) -> HttpResponse:
    _config()
    acting, target = _managed(request, pk)
    identity = get_object_or_404(OIDCIdentity, pk=identity_pk, user=target)
    identity_unlink(acting_user=acting, identity=identity)
    messages.success(request, _("Innloggingen med kommunen er fjernet fra kontoen."))
    return redirect("oidc:identities", pk=target.pk)
