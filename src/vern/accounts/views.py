"""Login, MFA (enrolment, verification, step-up, backup codes), logout, invitations, resets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from vern.accounts import mfa, oidc, sessions
from vern.accounts.forms import CodeForm, LoginForm, SetPasswordForInvitationForm
from vern.accounts.models import User
from vern.accounts.request import request_user
from vern.accounts.services import (
    invitation_accept,
    invitation_for_token,
    password_reset_completed,
)
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.core.access import password_only, public

PENDING_DEVICE = "vern_pending_totp"

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    return request_user(request)


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@public
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.enabled()
        context["password_login"] = oidc.password_login_enabled()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc.password_login_enabled():  # VERN_PASSWORD_LOGIN=off: OIDC only
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        auth_login(self.request, form.get_user())  # rotates the session key
        target = reverse("accounts:mfa")
        nxt = _safe_next(self.request, "")
        if nxt:
            target += "?" + urlencode({"next": nxt})
        return HttpResponseRedirect(target)


@password_only
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not mfa.has_confirmed_totp(user):
        return redirect("accounts:mfa_setup")
    if user.is_verified():  # type: ignore[attr-defined]
        return HttpResponseRedirect(_safe_next(request, reverse("desk:home")))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.match_code(user, form.cleaned_data["code"])
        if device is not None:
            sessions.second_factor_passed(
                request, user=user, action=AuditAction.MFA_VERIFIED, device=device,
                details={"method": device.__class__.__name__},
            )  # fmt: skip
            return HttpResponseRedirect(_safe_next(request, reverse("desk:home")))
        audit_record(action=AuditAction.MFA_FAILED, actor=user, centre=user.centre, request=request)
        form.add_error("code", _("Koden stemmer ikke. Prøv igjen med en ny kode."))
    return render(
        request, "accounts/mfa_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


@password_only
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if mfa.has_confirmed_totp(user):
        return redirect("accounts:mfa")
    device = mfa.pending_totp_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.totp_confirm(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            sessions.cycle_key(request)  # a privilege step: a new session key
            sessions.mark_step_up(request)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "first": True})
        form.add_error("code", _("Koden stemmer ikke. Sjekk at klokken på telefonen er riktig."))
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "qr": mfa.qr_svg_data_uri(device), "secret": mfa.secret_base32(device)},
    )


# The code field of the step-up form shown in place of a POST export: prefixed, so that it
# never collides with a field of the export's own form.
STEP_UP_PREFIX = "vern_step_up"
_NOT_CARRIED = frozenset({"csrfmiddlewaretoken"})


def _step_up_redirect(request: HttpRequest) -> HttpResponse:
    next_url = request.get_full_path() if request.method in {"GET", "HEAD"} else request.path
    target = reverse("accounts:step_up") + "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(target)


def _stepped_up(request: HttpRequest, user: User) -> None:
    """A one-time code was accepted: a new session key, the step-up time, the audit event."""
    sessions.second_factor_passed(request, user=user, action=AuditAction.STEP_UP)


def _step_up_failed(request: HttpRequest, user: User, form: CodeForm) -> None:
    audit_record(action=AuditAction.STEP_UP_FAILED, actor=user, centre=user.centre, request=request)
    form.add_error("code", _("Koden stemmer ikke. Prøv igjen med en ny kode."))


def step_up_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For pages that save ordinary forms (police contacts): a fresh one-time code (within
    VERN_STEP_UP_SECONDS) to open the page (GET); submitting its form (POST) is accepted
    within VERN_STEP_UP_FORM_SECONDS of that code, so a long form is never lost to the step-up.

    Never for a response that carries case data out of Vern: use ``step_up_for_export``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        window = (
            settings.VERN_STEP_UP_FORM_SECONDS
            if request.method == "POST"
            else settings.VERN_STEP_UP_SECONDS
        )
        if not sessions.step_up_fresh(request, within=window):
            return _step_up_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def _carried(request: HttpRequest) -> list[tuple[str, str]]:
    """The fields of the export's own form, to carry through the step-up form unchanged."""
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_CARRIED and not name.startswith(STEP_UP_PREFIX + "-")
        for value in values
    ]


def _oidc_step_up(request: HttpRequest) -> bool:
    """Whether the step-up page offers a new sign-in at the provider: an OIDC session."""
    return oidc.enabled() and bool(request.session.get(oidc.ID_TOKEN))


def _step_up_in_place(request: HttpRequest, form: CodeForm) -> HttpResponse:
    return render(
        request,
        "accounts/step_up.html",
        {
            "form": form,
            "action": request.path,
            "carried": _carried(request),
            "oidc_step_up": _oidc_step_up(request),
        },
    )


def step_up_for_export(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For every response that carries case data out of Vern (a PDF, a CSV, an export, a
    relocation destination, a new API key): a one-time code entered within
    VERN_STEP_UP_SECONDS *when the response is produced*, for GET and POST alike. The form
    window (VERN_STEP_UP_FORM_SECONDS) never counts here.

    GET without a fresh code: to the step-up page, which sends the user back to the same URL.
    POST without a fresh code (the case summary, a new API key): the step-up form is shown in
    place, carrying what the user chose in hidden fields; a right code there completes the
    request with that input at once, a wrong one shows the form again, input kept."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and f"{STEP_UP_PREFIX}-code" in request.POST:
            user = _user(request)
            form = CodeForm(request.POST, prefix=STEP_UP_PREFIX)
            if form.is_valid():
                if mfa.match_code(user, form.cleaned_data["code"]) is not None:
                    _stepped_up(request, user)
                    original = request.POST.copy()
                    for name in list(original):
                        if name.startswith(STEP_UP_PREFIX + "-"):
                            del original[name]
                    request.POST = original  # type: ignore[assignment]
                    return view(request, *args, **kwargs)
                _step_up_failed(request, user, form)
            return _step_up_in_place(request, form)
        if sessions.step_up_fresh(request, within=settings.VERN_STEP_UP_SECONDS):
            return view(request, *args, **kwargs)
        if request.method == "POST":
            return _step_up_in_place(request, CodeForm(prefix=STEP_UP_PREFIX))
        return _step_up_redirect(request)

    wrapper.vern_step_up_for_export = True  # type: ignore[attr-defined]
    return wrapper


def step_up(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.match_code(user, form.cleaned_data["code"]) is not None:
            _stepped_up(request, user)
            return HttpResponseRedirect(_safe_next(request, reverse("desk:home")))
        _step_up_failed(request, user, form)
    return render(
        request,
        "accounts/step_up.html",
        {"form": form, "next": _safe_next(request, ""), "oidc_step_up": _oidc_step_up(request)},
    )


def backup_codes(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        codes = mfa.new_backup_codes(user)
        audit_record(
            action=AuditAction.BACKUP_CODES_REGENERATED,
            actor=user,
            centre=user.centre,
            request=request,
        )
        return render(request, "accounts/backup_codes.html", {"codes": codes, "first": False})
    return render(request, "accounts/backup_codes_confirm.html")


@password_only
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    audit_record(action=AuditAction.LOGOUT, actor=user, centre=user.centre, request=request)
    # An OIDC session: Vern's session ends here; the provider's logout is offered (its own
    # session may be the municipality's single sign-on for other systems too).
    provider_logout = oidc.logout_url(
        request, post_logout_redirect=request.build_absolute_uri(reverse("accounts:login"))
    )
    auth_logout(request)
    response: HttpResponse
    if provider_logout:
        response = render(
            request, "accounts/oidc/logged_out.html", {"provider_logout": provider_logout}
        )
    else:
        response = HttpResponseRedirect(reverse("accounts:login"))
    # Leave nothing behind in the browser (a shared or seized computer).
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """The quick exit (issue 14): end the session on the server, tell the browser to drop
    Vern's cookies and storage, and send the person on to the neutral site.

    A GET, so that the plain link works without JavaScript, and without CSRF: the worst a
    forged request can do is log a staff member out (docs/security.md, "The quick exit")."""
    user = request_user(request) if request.user.is_authenticated else None
    if user is not None:
        try:
            with transaction.atomic():
                audit_record(
                    action=AuditAction.LOGOUT,
                    actor=user,
                    centre=user.centre,
                    request=request,
                    details={"via": "quick_exit"},
                )
        except Exception:  # the exit must never fail: leaving matters more than the log line
            logger.exception("quick exit: the logout event could not be written")
    auth_logout(request)
    response = HttpResponseRedirect(settings.VERN_QUICK_EXIT_URL)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@public
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Http404
    probe = User(
        username=invitation.username, email=invitation.email, full_name=invitation.full_name
    )
    form = SetPasswordForInvitationForm(request.POST or None, user_for_validation=probe)
    password_login = oidc.password_login_enabled()
    if request.method == "POST" and not password_login:
        raise PermissionDenied  # VERN_PASSWORD_LOGIN=off: the invitation is accepted via OIDC
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(invitation=invitation, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Passordet er lagret. Sett opp innlogging med app."))
            return redirect("accounts:mfa_setup")
    return render(
        request,
        "accounts/accept_invitation.html",
        {
            "form": form,
            "invitation": invitation,
            "token": token,
            "oidc_enabled": oidc.enabled(),
            "password_login": password_login,
        },
    )


class _PasswordLoginOnly:
    """Password reset pages answer 404 where password sign-in is off (VERN_PASSWORD_LOGIN)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc.password_login_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


# Password reset by e-mail: neutral wording, no login after it (MFA still applies).
@public
class PasswordResetView(_PasswordLoginOnly, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    from_email = settings.DEFAULT_FROM_EMAIL


@public
class PasswordResetDoneView(_PasswordLoginOnly, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@public
class PasswordResetConfirmView(_PasswordLoginOnly, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_reset_completed(user=form.user, request=self.request)
        return response


@public
class PasswordResetCompleteView(_PasswordLoginOnly, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
