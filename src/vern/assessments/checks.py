"""System checks of the assessment app."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from vern.assessments.sources import consent_reader_registered


@register()
def check_consent_reader(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Factors 7 and 8 cannot be derived without the consent app's reader (docs/adr/0011)."""
    if consent_reader_registered():
        return []
    return [
        Error(
            "No consent reader is registered: assessments cannot derive factors 7 and 8.",
            hint="vern.consent registers it in ConsentConfig.ready(); add vern.consent to "
            "INSTALLED_APPS.",
            id="assessments.E001",
        )
    ]
