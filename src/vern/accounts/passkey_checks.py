"""Deploy checks of the passkey settings (issue 18): a relying party id or origin with which no
passkey can work is reported by `vern check --deploy`, not found out by staff at login."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@register(Tags.security, deploy=True)
def check_passkey_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    rp_id = str(getattr(settings, "OTP_WEBAUTHN_RP_ID", "") or "")
    origins = list(getattr(settings, "OTP_WEBAUTHN_ALLOWED_ORIGINS", []) or [])
    found: list[CheckMessage] = []
    if not rp_id or _is_ip(rp_id) or "/" in rp_id or ":" in rp_id:
        found.append(
            Error(
                f"VERN_WEBAUTHN_RP_ID {rp_id!r} is not a host name: no passkey can be made "
                "or used.",
                hint="Set VERN_WEBAUTHN_RP_ID to the host name Vern is served under, "
                "e.g. vern.example.no (no scheme, port or IP address).",
                id="accounts.E111",
            )
        )
        return found
    if not origins:
        found.append(
            Error(
                "VERN_WEBAUTHN_ORIGINS is empty: every passkey answer would be refused.",
                hint=f"Set VERN_WEBAUTHN_ORIGINS=https://{rp_id}",
                id="accounts.E112",
            )
        )
    for origin in origins:
        parts = urlsplit(origin)
        host = parts.hostname or ""
        if parts.path not in {"", "/"} or not host:
            found.append(
                Error(
                    f"VERN_WEBAUTHN_ORIGINS entry {origin!r} is not an origin "
                    "(scheme://host[:port]).",
                    id="accounts.E113",
                )
            )
        elif host != rp_id and not host.endswith("." + rp_id):
            found.append(
                Error(
                    f"VERN_WEBAUTHN_ORIGINS entry {origin!r} is not {rp_id} or a subdomain "
                    "of it: browsers refuse passkeys there.",
                    hint="Make VERN_WEBAUTHN_RP_ID the host name (or a parent domain) of "
                    "every origin.",
                    id="accounts.E114",
                )
            )
        elif parts.scheme != "https":
            found.append(
                CheckWarning(
                    f"VERN_WEBAUTHN_ORIGINS entry {origin!r} is not HTTPS.",
                    hint="Serve Vern over HTTPS and name only https:// origins.",
                    id="accounts.W115",
                )
            )
    return found
