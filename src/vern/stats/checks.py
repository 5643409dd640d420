"""Deploy check: the statistics summary has been built on this database (ADR 0019)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError

from vern.stats.selectors import summary_built


@register(Tags.database)
def check_summary_built(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Without a built summary the statistics pages count every row on each request."""
    if not kwargs.get("databases"):
        return []
    try:
        built = summary_built()
    except DatabaseError:
        return []  # not migrated yet: migrate says so
    if built:
        return []
    return [
        CheckWarning(
            "The statistics summary has not been built on this database: the statistics pages "
            "are counted from the rows on every request (exact, but slow with many cases).",
            hint="Run `vern stats rebuild` once (docs/operations.md, ADR 0019).",
            id="stats.W001",
        )
    ]
