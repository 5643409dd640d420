"""Issue 15 point 1, the guard: every view of the project whose code sends a file (a PDF, a
CSV, an attachment) is wrapped in ``step_up_for_export``, so a new download cannot be added
with the long form window or with no step-up at all."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# What the source of a view that sends a file contains (the documents' helpers, the CSV helper,
# any attachment header).
FILE_MARKERS = (
    "_document_pdf(",
    "_audited_pdf(",
    "_csv(",
    "Content-Disposition",
    "content_disposition_header",
    "as_attachment",
    "FileResponse",
)


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            yield from _patterns(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item.callback


def _sends_a_file(view: Any) -> bool:
    function = inspect.unwrap(view)
    if getattr(function, "view_class", None) is not None or function.__module__.startswith(
        ("ninja", "django.")
    ):
        return False
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return any(marker in source for marker in FILE_MARKERS)


def test_the_scan_finds_the_known_downloads() -> None:
    found = {route for route, view in _patterns(get_resolver()) if _sends_a_file(view)}

    for route in ("informasjon.pdf", "innsyn.pdf", "sammendrag/", "csv/", "signert-skjema/"):
        assert any(route in path for path in found), route


def test_every_view_that_sends_a_file_needs_a_fresh_code_when_it_is_made() -> None:
    unguarded = sorted(
        route
        for route, view in _patterns(get_resolver())
        if _sends_a_file(view) and not getattr(view, "vern_step_up_for_export", False)
    )

    assert unguarded == [], f"downloads without step_up_for_export: {unguarded}"
