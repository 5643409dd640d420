"""The client's address behind a known number of reverse proxies (issue 15 point 8).

Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) so that a lockout is keyed on the person's
address, not on the proxy's. With ``VERN_TRUSTED_PROXIES = N`` every one of the N proxies
appends the address it received the request from to ``X-Forwarded-For``; the N-th entry from
the right is then the address the outermost trusted proxy saw, which no client can forge.
Entries further left were sent by the client and are never trusted. ``N = 0`` (the default)
ignores the header and uses ``REMOTE_ADDR``.

django-axes 8 would do the same through django-ipware (``AXES_IPWARE_PROXY_COUNT``), but
django-ipware is not among Vern's locked dependencies; this function is the whole of it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The real client address; REMOTE_ADDR when there are no (or too few) proxy entries."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "VERN_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part
    ]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request did not come through all of them (or a
        # proxy is misconfigured). The nearest address is the only one known to be real.
        return remote
    return _address(forwarded[-proxies]) or remote
