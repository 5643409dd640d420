"""Passkey pages and the JSON endpoints of the WebAuthn ceremonies (issue 18, ADR 0015).

The pages (list, add, remove) work without JavaScript as far as a browser can: without it no
passkey can be made or used (WebAuthn is a JavaScript API), so the pages say so and the TOTP
form stays where it always was. The JSON endpoints answer the vendored django-otp-webauthn
scripts (static/vendor/django-otp-webauthn/): ``{"detail": ...}`` with a 4xx status on refusal.
Every write is a service call in vern.accounts.passkeys (audit in the same transaction)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp_webauthn.models import WebAuthnCredential

from vern.accounts import passkeys
from vern.accounts.request import request_user
from vern.accounts.views import _safe_next, step_up_required
from vern.core.access import password_only


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise passkeys.PasskeyError(_("Svaret fra nettleseren kunne ikke leses.")) from exc
    if not isinstance(data, dict):
        raise passkeys.PasskeyError(_("Svaret fra nettleseren kunne ikke leses."))
    return data


def _refused(error: passkeys.PasskeyError) -> JsonResponse:
    return JsonResponse({"detail": str(error.message), "code": error.code}, status=error.status)


# --- Pages -----------------------------------------------------------------------------------


def passkey_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "accounts/passkeys/list.html",
        {"passkeys": list(passkeys.passkeys_of(user)), "limit": passkeys.PASSKEYS_PER_PERSON},
    )


@step_up_required
@require_http_methods(["GET", "POST"])
def passkey_add(request: HttpRequest) -> HttpResponse:
    """Step 1 (a form, no JavaScript needed): the name. Step 2: the page with the button that
    asks the browser for a new passkey (the vendored register script)."""
    user = request_user(request)
    error = ""
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            name = passkeys.registration_prepare(request=request, user=user, raw_name=name)
        except passkeys.PasskeyError as exc:
            error = str(exc.message)
        else:
            return render(request, "accounts/passkeys/register.html", {"name": name})
    return render(
        request,
        "accounts/passkeys/add.html",
        {"error": error, "name": name, "max_length": passkeys.NAME_MAX_LENGTH},
        status=400 if error else 200,
    )


@step_up_required
@require_http_methods(["GET", "POST"])
def passkey_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (needs a fresh code to open), then the removal."""
    user = request_user(request)
    try:
        device = passkeys.own_passkey(user, pk)
    except WebAuthnCredential.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        passkeys.remove(request=request, user=user, pk=device.pk)
        messages.success(request, _("Passnøkkelen «%(name)s» er fjernet.") % {"name": device.name})
        return HttpResponseRedirect(reverse("passkeys:list"))
    return render(request, "accounts/passkeys/remove.html", {"passkey": device})


# --- The ceremonies (JSON) -------------------------------------------------------------------


@never_cache
@require_POST
def register_begin(request: HttpRequest) -> JsonResponse:
    try:
        return JsonResponse(passkeys.registration_begin(request, request_user(request)))
    except passkeys.PasskeyError as exc:
        return _refused(exc)


@never_cache
@require_POST
def register_complete(request: HttpRequest) -> JsonResponse:
    try:
        device = passkeys.registration_complete(
            request=request, user=request_user(request), data=_json_body(request)
        )
    except passkeys.PasskeyError as exc:
        return _refused(exc)
    messages.success(request, _("Passnøkkelen «%(name)s» er lagt til.") % {"name": device.name})
    return JsonResponse({"id": device.pk, "redirect_url": reverse("passkeys:list")})


@password_only
@never_cache
@require_POST
def authentication_begin(request: HttpRequest) -> JsonResponse:
    """For the MFA page (password only so far) and the step-up page alike."""
    try:
        return JsonResponse(passkeys.authentication_begin(request, request_user(request)))
    except passkeys.PasskeyError as exc:
        return _refused(exc)


@password_only
@never_cache
@require_POST
def login_complete(request: HttpRequest) -> JsonResponse:
    """The second factor at login; answers where to go next (``next`` if it is Vern's own)."""
    user = request_user(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return JsonResponse({"detail": _("Du er allerede logget inn.")}, status=409)
    try:
        device = passkeys.verify_for_login(request=request, user=user, data=_json_body(request))
    except passkeys.PasskeyError as exc:
        return _refused(exc)
    return JsonResponse(
        {"id": device.pk, "redirect_url": _safe_next(request, reverse("desk:home"))}
    )


@never_cache
@require_POST
def step_up_complete(request: HttpRequest) -> JsonResponse:
    """A step-up: with ``next`` the script goes there; without it (the step-up form shown in
    place of an export) Vern's script submits the waiting form again (static/vern/passkeys.js)."""
    try:
        device = passkeys.verify_for_step_up(
            request=request, user=request_user(request), data=_json_body(request)
        )
    except passkeys.PasskeyError as exc:
        return _refused(exc)
    body: dict[str, object] = {"id": device.pk}
    nxt = _safe_next(request, "")
    if nxt:
        body["redirect_url"] = nxt
    return JsonResponse(body)
