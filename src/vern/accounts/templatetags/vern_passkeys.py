"""``{% passkey_verification "login" %}`` / ``"step_up"``: the passkey button on the MFA and
step-up pages, offered first where the browser has WebAuthn (the vendored script's own feature
detection swaps the placeholder for the button); nothing for a person without a passkey, and
nothing visible without JavaScript (the TOTP form below works as before).

``{% passkey_registration %}``: the scripts and settings of the page that makes a passkey."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.middleware import csrf
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from vern.accounts import passkey_texts, passkeys
from vern.accounts.models import User

register = template.Library()

_COMPLETE = {"login": "passkeys:login_complete", "step_up": "passkeys:step_up_complete"}


def _data_blocks(request: HttpRequest, configuration: dict[str, Any]) -> SafeString:
    """The scripts' settings and texts as JSON data blocks (``json_script``'s escaping), each
    with the page's CSP nonce like every other ``<script>`` of Vern."""
    nonce = str(getattr(request, "csp_nonce", ""))
    blocks = [
        json_script(passkey_texts.texts(), "vern-passkey-texts"),
        json_script(configuration, "otp_webauthn_config"),
    ]
    tagged = "\n".join(b.replace("<script ", f'<script nonce="{nonce}" ', 1) for b in blocks)
    return mark_safe(tagged)  # noqa: S308  (json_script's own escaped output)


def _base_configuration(request: HttpRequest) -> dict[str, Any]:
    return {
        # Never passwordless: no autofill of passkeys into the username field.
        "autocompleteLoginFieldSelector": None,
        # The page's own ``next`` (the header's language form carries one too).
        "nextFieldSelector": "main input[name='next']",
        "csrfToken": csrf.get_token(request),
    }


@register.inclusion_tag("accounts/passkeys/_verification.html", takes_context=True)
def passkey_verification(context: template.Context, purpose: str) -> dict[str, Any]:
    request: HttpRequest = context["request"]
    user = request.user
    offered = isinstance(user, User) and user.is_active and passkeys.has_passkey(user)
    if purpose not in _COMPLETE:
        msg = f"passkey_verification: purpose must be one of {sorted(_COMPLETE)}, not {purpose!r}"
        raise template.TemplateSyntaxError(msg)
    configuration = _base_configuration(request)
    configuration.update(
        {
            "beginAuthenticationUrl": reverse("passkeys:auth_begin"),
            "completeAuthenticationUrl": reverse(_COMPLETE[purpose]),
        }
    )
    return {
        "offered": offered,
        "data": _data_blocks(request, configuration) if offered else "",
        "request": request,
        "in_place": bool(context.get("action")),
    }


@register.inclusion_tag("accounts/passkeys/_registration_scripts.html", takes_context=True)
def passkey_registration(context: template.Context) -> dict[str, Any]:
    request: HttpRequest = context["request"]
    configuration = _base_configuration(request)
    configuration.update(
        {
            "beginRegistrationUrl": reverse("passkeys:register_begin"),
            "completeRegistrationUrl": reverse("passkeys:register_complete"),
        }
    )
    return {"data": _data_blocks(request, configuration), "request": request}
