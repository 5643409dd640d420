"""A test-only URLconf: Vern's URLs plus a view behind step-up and a view that raises.

Used with ``@pytest.mark.urls("tests.security.urls")``. The error handlers are Vern's own."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from vern.accounts.views import step_up_required
from vern.urls import handler403, handler404, handler500, urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

SENSITIVE_BODY = "sensitive action done"


@step_up_required
def sensitive(request: HttpRequest) -> HttpResponse:
    return HttpResponse(SENSITIVE_BODY)


def boom(request: HttpRequest) -> HttpResponse:
    msg = "a test-only failure"
    raise RuntimeError(msg)


urlpatterns = [
    *urlpatterns,
    path("test-only/step-up/", sensitive, name="test_step_up"),
    path("test-only/boom/", boom, name="test_boom"),
]
