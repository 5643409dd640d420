"""System check: every document language file is well formed and, when complete, has every key
of the reference (nb.yaml) with the same placeholders (issue 7: a translator adds a file)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from vern.documents.texts import check_texts


@register()
def check_document_texts(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(problem, hint="See docs/documents.md: adding a language.", id="documents.E001")
        for problem in check_texts()
    ]
