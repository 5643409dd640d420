from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def vern(request: HttpRequest) -> dict[str, object]:
    return {
        "VERN_QUICK_EXIT_URL": settings.VERN_QUICK_EXIT_URL,
        "VERN_ENV": settings.VERN_ENV,
        # OpenID Connect sign-in is configured (issue 18): the staff lists link to its page.
        "VERN_OIDC": bool(getattr(settings, "VERN_OIDC_ISSUER", "")),
    }
