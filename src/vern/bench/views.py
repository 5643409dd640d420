"""The framework floor of the load benchmark (issue 9).

A minimal view behind exactly the same middleware as every page (session, CSRF, login + MFA
policy, the request transaction with the tenant scope, the access audit middleware, CSP): the
cost of a request that does no work of its own. Routed only when ``settings.VERN_BENCH_ENDPOINTS``
is true (``VERN_BENCH_ENDPOINTS=1``); it reads and writes nothing, so it writes no audit event.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def floor(request: HttpRequest) -> HttpResponse:
    """``ok`` for a logged-in, MFA-verified user (deny by default: no access mark)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
