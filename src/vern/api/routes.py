"""The API's URL patterns for ``src/vern/urls.py``: ``path("api/v1/", api_urls())``.

The deny-by-default middleware (vern.core.access) sends every unmarked view without a session
login to the login page. The API authenticates with bearer tokens instead (every operation,
globally: ``NinjaAPI(auth=TokenAuth())``), so its views are marked ``public`` at the session
level here; the OpenAPI document (GET /api/v1/openapi.json) is the one operation without a
token. There is no interactive docs page (it would load scripts from a CDN, against the CSP).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from vern.api.endpoints import api
from vern.core.access import public


def _mark(patterns: list[URLPattern | URLResolver]) -> None:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _mark(entry.url_patterns)
        else:
            public(entry.callback)


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    _mark(patterns)
    return patterns, app_name, namespace
