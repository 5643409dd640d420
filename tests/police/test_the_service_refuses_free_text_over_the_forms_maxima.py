"""Free text of a police contact has the same maxima on every path (web form, API, service):
the service refuses a longer text with an error on the field, and saves nothing (the web form
shows it first; API clients get it from the schema, and the service is the last guard)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.police.conftest import REPRISAL, hours_ago, record
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.police import services
from vern.police.models import PoliceContact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"police_unit": "x" * 201}, "police_unit"),
        ({"outcome_note": "x" * 4001}, "outcome_note"),
        (
            {"legal_ground": "duty_to_avert", "duty_to_avert_why": "x" * 4001},
            "duty_to_avert_why",
        ),
        ({"reprisal_check": REPRISAL | {"note": "x" * 4001}}, "reprisal_note"),
        ({"reprisal_check": REPRISAL | {"routes_other": "x" * 301}}, "reprisal_routes_other"),
        (
            {"reprisal_check": REPRISAL | {"protections_other": "x" * 301}},
            "reprisal_protections_other",
        ),
    ],
)
def test_recording_refuses_a_text_over_the_maximum_on_its_field(
    ansatt: User, case: Case, valid_consent: Consent, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        record(ansatt, case, consent=valid_consent, **overrides)
    assert field in info.value.message_dict
    assert "høyst" in info.value.message_dict[field][0]
    assert not PoliceContact.objects.exists()


def test_a_text_at_the_maximum_is_taken(ansatt: User, case: Case, valid_consent: Consent) -> None:
    contact = record(
        ansatt,
        case,
        consent=valid_consent,
        police_unit="x" * 200,
        outcome_note="x" * 4000,
        reprisal_check=REPRISAL | {"note": "x" * 4000, "routes_other": "x" * 300},
    )
    assert len(contact.outcome_note) == 4000


def test_completing_a_plan_refuses_an_outcome_over_the_maximum(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    plan = record(ansatt, case, consent=valid_consent, status="planned", contact_at=hours_ago(1))
    with pytest.raises(ValidationError) as info:
        services.police_contact_complete(acting_user=ansatt, contact=plan, outcome_note="x" * 4001)
    assert "outcome_note" in info.value.message_dict
    plan.refresh_from_db()
    assert plan.status == "planned"
