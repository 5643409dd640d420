"""System checks of the documents (issue 7): every document language file is well formed and,
when complete, has every key of the reference (nb.yaml) with the same placeholders (a translator
adds a file); WeasyPrint finds HarfBuzz's subsetting library (without it every PDF takes about
four times longer: docs/performance.md)."""

from __future__ import annotations

import ctypes.util
from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.checks import Warning as CheckWarning

from vern.documents.texts import check_texts


@register()
def check_document_texts(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(problem, hint="See docs/documents.md: adding a language.", id="documents.E001")
        for problem in check_texts()
    ]


@register()
def check_harfbuzz_subset(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if ctypes.util.find_library("harfbuzz-subset") is not None:
        return []
    return [
        CheckWarning(
            "HarfBuzz's subsetting library (libharfbuzz-subset) is missing: WeasyPrint falls "
            "back to fontTools and every PDF takes about four times longer.",
            hint="Install it: scripts/system-deps.sh runtime (Debian: libharfbuzz-subset0).",
            id="documents.W001",
        )
    ]
