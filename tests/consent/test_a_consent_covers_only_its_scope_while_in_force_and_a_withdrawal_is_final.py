"""C1: a consent covers only its scope while it is in force; withdrawal is immediate and
final; expiry ends it. The selectors other apps rely on, with their stable reason codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.consent.conftest import inform, police_consent
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case, CaseEvent
from vern.consent import selectors, services
from vern.consent.models import Consent, InformationKind, InformationRecord
from vern.core import clock

pytestmark = pytest.mark.django_db


def test_a_consent_covers_its_own_categories_and_nothing_else(ansatt: User, case: Case) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case, categories=["identity", "violence"])
    now = clock.now()
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=now) == []
    assert selectors.consent_covers(
        consent=consent, categories=["identity", "address"], at=now
    ) == [selectors.OUT_OF_SCOPE]
    assert selectors.uncovered_categories(
        consent=consent, categories=["address", "identity", "children"]
    ) == ["address", "children"]


def test_before_it_was_given_a_consent_covers_nothing(ansatt: User, case: Case) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(days=1))
    consent = police_consent(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    earlier = clock.now() - dt.timedelta(hours=2)
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=earlier) == [
        selectors.NOT_YET_GIVEN
    ]
    assert selectors.valid_police_consent(case=case, at=earlier) is None


def test_withdrawal_takes_effect_at_once_and_covers_what_came_before(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    InformationRecord.objects.filter(case=case).update(given_at=clock.now() - dt.timedelta(hours=2))
    Consent.objects.filter(pk=consent.pk).update(given_at=clock.now() - dt.timedelta(hours=1))
    services.consent_withdraw(acting_user=ansatt, consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    # Contact times are typed to the minute: the withdrawal binds from the start of its minute
    # (issue 14/22), so "before" is the last moment of the minute before.
    before = consent.withdrawn_at.replace(second=0, microsecond=0) - dt.timedelta(seconds=1)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_recorded_by == ansatt
    after = clock.now()
    assert selectors.valid_police_consent(case=case, at=after) is None
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=after) == [
        selectors.WITHDRAWN
    ]
    # A contact made before the withdrawal's minute was covered then; one in it is not.
    assert selectors.valid_police_consent(case=case, at=before + dt.timedelta(seconds=1)) is None
    assert selectors.valid_police_consent(case=case, at=before) == consent
    assert CaseEvent.objects.filter(case=case, kind="consent_withdrawn").count() == 1
    assert (
        AuditEvent.objects.filter(action="consent_withdrawn", object_id=str(consent.pk)).count()
        == 1
    )


def test_withdrawal_is_final_and_a_new_consent_is_a_new_record(ansatt: User, case: Case) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    services.consent_withdraw(acting_user=ansatt, consent=consent)
    with pytest.raises(ValidationError):
        services.consent_withdraw(acting_user=ansatt, consent=consent)
    first_withdrawal = Consent.objects.get(pk=consent.pk).withdrawn_at
    again = police_consent(ansatt, case)
    assert again.pk != consent.pk
    assert Consent.objects.get(pk=consent.pk).withdrawn_at == first_withdrawal
    assert selectors.valid_police_consent(case=case, at=clock.now()) == again


def test_an_expired_consent_is_no_longer_valid(ansatt: User, case: Case) -> None:
    now = clock.now()
    inform(ansatt, case, given_at=now - dt.timedelta(days=10))
    consent = police_consent(
        ansatt, case, given_at=now - dt.timedelta(days=9), expires_at=now - dt.timedelta(days=1)
    )
    assert selectors.valid_police_consent(case=case, at=now) is None
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=now) == [
        selectors.EXPIRED
    ]
    assert selectors.consent_status(consent=consent, at=now) == selectors.EXPIRED
    in_force = now - dt.timedelta(days=2)
    assert selectors.valid_police_consent(case=case, at=in_force) == consent
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=in_force) == []


def test_g15_a_consent_with_information_only_afterwards_is_flagged(
    ansatt: User, case: Case
) -> None:
    """A row written outside the service (import, old data): the order is still checked."""
    now = clock.now()
    consent = Consent.objects.create(
        centre_id=case.centre_id,
        case=case,
        recipient_kind="police",
        police_district="oslo",
        purpose="x",
        categories=["identity"],
        form="written",
        written_method="on_screen",
        given_at=now - dt.timedelta(hours=3),
        recorded_by=ansatt,
    )
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=now) == [
        selectors.NOT_INFORMED
    ]
    InformationRecord.objects.create(
        centre_id=case.centre_id,
        case=case,
        kind=InformationKind.PUBLIC_PROSECUTION,
        given_by=ansatt,
        given_at=now - dt.timedelta(hours=1),
        language="nb",
    )
    assert selectors.consent_covers(consent=consent, categories=["identity"], at=now) == [
        selectors.INFORMATION_AFTER_CONSENT
    ]


def test_every_reason_has_a_text_for_staff() -> None:
    codes = {
        selectors.NOT_YET_GIVEN,
        selectors.WITHDRAWN,
        selectors.EXPIRED,
        selectors.OUT_OF_SCOPE,
        selectors.NOT_INFORMED,
        selectors.INFORMATION_AFTER_CONSENT,
    }
    assert codes == set(selectors.REASON_TEXTS)


def test_valid_police_consent_ignores_consents_to_other_recipients(
    ansatt: User, case: Case
) -> None:
    services.consent_create(
        acting_user=ansatt,
        case=case,
        recipient_kind="crisis_centre",
        recipient_unit="Nytt",
        purpose="Flytting",
        categories=["risk_mapping"],
        form="written",
        written_method="on_screen",
        signed_by_name="Kari",
        signature_confirmed=True,
    )
    assert selectors.valid_police_consent(case=case, at=clock.now()) is None


def test_r3_the_handover_consent_must_cover_the_risk_mapping(ansatt: User, case: Case) -> None:
    common: dict[str, Any] = {
        "acting_user": ansatt,
        "case": case,
        "recipient_kind": "crisis_centre",
        "recipient_unit": "Nytt senter",
        "purpose": "Flytting",
        "form": "written",
        "written_method": "on_screen",
        "signed_by_name": "Kari",
        "signature_confirmed": True,
    }
    services.consent_create(categories=["identity"], **common)
    assert selectors.valid_handover_consent(case=case, at=clock.now()) is None
    covering = services.consent_create(categories=["identity", "risk_mapping"], **common)
    assert selectors.valid_handover_consent(case=case, at=clock.now()) == covering
    services.consent_withdraw(acting_user=ansatt, consent=covering)
    assert selectors.valid_handover_consent(case=case, at=clock.now()) is None


def test_selectors_stay_within_the_case(ansatt: User, case: Case) -> None:
    from vern.cases import services as case_services

    other_case = case_services.case_create(acting_user=ansatt, reference="S-2")
    inform(ansatt, other_case)
    police_consent(ansatt, other_case)
    assert selectors.public_prosecution_information(case=case) is None
    assert selectors.valid_police_consent(case=case, at=clock.now()) is None
