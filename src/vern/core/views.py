from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.i18n import set_language as django_set_language

from vern.core.access import public


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, with no data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@public
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (POST, CSRF-protected), allowed before login."""
    return django_set_language(request)


@public
def error_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


@public
def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


@public
def error_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


@public
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (CSRF) in Vern's own page, with the quick exit, not Django's bare one."""
    return render(request, "403_csrf.html", status=403)
