"""Details hold short codes, numbers and flags: never free text, names or case content."""

from __future__ import annotations

import pytest

from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record, validate_details


def test_codes_numbers_flags_and_null_are_accepted() -> None:
    details: dict[str, object] = {
        "format": "pdf",
        "count": 12,
        "step_up": True,
        "previous": None,
        "rule": "straffeloven-196:a",
    }

    assert validate_details(details) == details


@pytest.mark.parametrize(
    "details",
    [
        {"format": "Hun sa at han slo henne"},  # free text (spaces)
        {"format": "x" * 65},  # too long for a code
        {"format": "linje1\nlinje2"},
        {"Format": "pdf"},  # keys are lowercase identifiers
        {"the format": "pdf"},
        {"format": 1.5},  # floats are not canonical across databases
        {"format": ["pdf"]},  # no nesting
        {"format": {"kind": "pdf"}},
        {"name": "ola"},  # keys that invite personal data are refused
        {"note": "ok"},
        {"count": 2**63},
        {f"k{n}": n for n in range(17)},  # too many keys
    ],
)
def test_free_text_and_structures_are_refused(details: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="audit detail"):
        validate_details(details)


def test_audit_record_refuses_free_text_and_writes_nothing(db: None) -> None:
    with pytest.raises(ValueError, match="never free text"):
        audit_record(action=AuditAction.EXPORT, details={"format": "Kari Nordmann, Storgata 1"})

    assert not AuditEvent.objects.exists()
