"""Shared helpers for the consent tests: cases, information, consents, a private MEDIA_ROOT."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from vern.accounts.models import User
from vern.assessments.services import assessment_record, risk_mapping_record
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent import services
from vern.consent.models import Consent, InformationKind, InformationRecord


@pytest.fixture(autouse=True)
def _private_media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploads go to a fresh directory per test (so 'nothing stored' can be checked)."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    return media


@pytest.fixture
def media_root(_private_media_root: Path) -> Path:
    return _private_media_root


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="S-1")


def inform(
    user: User,
    case: Case,
    *,
    kind: str = InformationKind.PUBLIC_PROSECUTION,
    given_at: dt.datetime | None = None,
    language: str = "nb",
) -> InformationRecord:
    return services.information_record(
        acting_user=user, case=case, kind=kind, language=language, given_at=given_at
    )


def police_consent(user: User, case: Case, **overrides: Any) -> Consent:
    """A written, on-screen signed consent to the police (the information must exist)."""
    kwargs: dict[str, Any] = {
        "recipient_kind": "police",
        "police_district": "oslo",
        "recipient_unit": "Familievoldskoordinator",
        "purpose": "Vurdere sikkerhetstiltak",
        "categories": ["identity", "violence"],
        "form": "written",
        "written_method": "on_screen",
        "signed_by_name": "Kari",
        "signature_confirmed": True,
    }
    kwargs.update(overrides)
    return services.consent_create(acting_user=user, case=case, **kwargs)


def verbal_consent(user: User, case: Case, **overrides: Any) -> Consent:
    kwargs: dict[str, Any] = {
        "form": "verbal",
        "written_method": "",
        "signed_by_name": "",
        "signature_confirmed": False,
        "verbal_witness": "Kollega Hansen",
        "verbal_reason": "Brukeren var på telefon",
    }
    kwargs.update(overrides)
    return police_consent(user, case, **kwargs)


def assess(user: User, case: Case, *, offences: Sequence[str] = ()) -> None:
    """A joint assessment with suspected offences, through the assessment services."""
    mapping = risk_mapping_record(
        acting_user=user, case=case, method="sara", result="yes", reasoning="Trusler"
    )
    assessment_record(
        acting_user=user,
        case=case,
        risk_mapping=mapping,
        factors={},
        user_participated=True,
        suspected_offences=list(offences),
    )


def local_input(moment: dt.datetime) -> str:
    """A moment as a person types it into <input type="datetime-local"> (local time)."""
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def withdraw_data(**overrides: str) -> dict[str, str]:
    """The withdrawal form as staff fill it in (C1): now, by phone, confirmed."""
    from vern.core import clock

    data = {"withdrawn_at": local_input(clock.now()), "manner": "phone", "confirmed": "on"}
    data.update(overrides)
    return data
