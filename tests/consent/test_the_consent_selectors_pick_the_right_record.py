"""The consent selectors other apps rely on pick the right record (issue 22: mutants of
``vern.consent.selectors`` that survived the suite, each now killed by a test here).

* The newest consent in force is the one given last (ties: the one recorded last), for the
  police and for a handover alike, and only a consent of *this* case and to *that* recipient.
* A consent covers from the very moment it was given.
* G15 (the user is told about public prosecution before she consents) counts only information
  about public prosecution, of this case, given at or before the consent - also when the
  consent points to a record of another kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent import selectors
from vern.consent.models import Consent, InformationRecord
from vern.core import clock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def _info(user: User, case: Case, *, at: dt.datetime, kind: str = "public_prosecution") -> Any:
    return InformationRecord.objects.create(
        centre=case.centre, case=case, kind=kind, given_by=user, given_at=at, language="nb"
    )


def _consent(user: User, case: Case, *, given_at: dt.datetime, **fields: Any) -> Consent:
    values: dict[str, Any] = {
        "recipient_kind": "police",
        "police_district": "oslo",
        "recipient_unit": "Enhet",
        "purpose": "Formål",
        "categories": ["identity", "risk_mapping"],
        "form": "verbal",
        "verbal_witness": "Vitne",
        "verbal_reason": "Grunn",
    }
    values.update(fields)
    return Consent.objects.create(
        centre=case.centre, case=case, given_at=given_at, recorded_by=user, **values
    )


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="VALG-1")


@pytest.fixture
def other_case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="VALG-2")


@pytest.mark.parametrize("kind", ["police", "crisis_centre"])
def test_the_consent_in_force_is_the_one_given_last_not_the_one_recorded_last(
    ansatt: User, case: Case, kind: str
) -> None:
    later = _consent(ansatt, case, given_at=NOW - dt.timedelta(hours=1), recipient_kind=kind)
    _consent(ansatt, case, given_at=NOW - dt.timedelta(hours=2), recipient_kind=kind)

    pick = selectors.valid_police_consent if kind == "police" else selectors.valid_handover_consent
    assert pick(case=case, at=NOW) == later


@pytest.mark.parametrize("kind", ["police", "crisis_centre"])
def test_of_two_consents_given_at_the_same_moment_the_one_recorded_last_is_in_force(
    ansatt: User, case: Case, kind: str
) -> None:
    moment = NOW - dt.timedelta(hours=1)
    _consent(ansatt, case, given_at=moment, recipient_kind=kind, purpose="Først")
    second = _consent(ansatt, case, given_at=moment, recipient_kind=kind, purpose="Sist")

    pick = selectors.valid_police_consent if kind == "police" else selectors.valid_handover_consent
    assert pick(case=case, at=NOW) == second


def test_a_handover_consent_of_another_case_is_not_this_cases(
    ansatt: User, case: Case, other_case: Case
) -> None:
    _consent(
        ansatt, other_case, given_at=NOW - dt.timedelta(hours=1), recipient_kind="crisis_centre"
    )

    assert selectors.valid_handover_consent(case=case, at=NOW) is None


def test_a_consent_to_the_police_is_no_handover_consent(ansatt: User, case: Case) -> None:
    # Informed first, so the police consent covers the risk mapping in every other respect.
    _info(ansatt, case, at=NOW - dt.timedelta(days=1))
    _consent(ansatt, case, given_at=NOW - dt.timedelta(hours=1), recipient_kind="police")

    assert selectors.valid_handover_consent(case=case, at=NOW) is None


def test_a_consent_covers_from_the_very_moment_it_was_given(ansatt: User, case: Case) -> None:
    _info(ansatt, case, at=NOW - dt.timedelta(days=1))
    consent = _consent(ansatt, case, given_at=NOW)

    assert selectors.consent_covers(consent=consent, categories=["identity"], at=NOW) == []
    assert selectors.consent_status(consent=consent, at=NOW) == selectors.ACTIVE
    assert selectors.valid_police_consent(case=case, at=NOW) == consent
    second_before = NOW - dt.timedelta(seconds=1)
    assert selectors.consent_status(consent=consent, at=second_before) == selectors.NOT_YET_GIVEN


def test_g15_information_given_at_the_same_moment_as_the_consent_came_first(
    ansatt: User, case: Case
) -> None:
    info = _info(ansatt, case, at=NOW)
    linked = _consent(ansatt, case, given_at=NOW, information_record=info)
    unlinked = _consent(ansatt, case, given_at=NOW)

    for consent in (linked, unlinked):
        assert selectors.consent_covers(consent=consent, categories=["identity"], at=NOW) == []


def test_g15_a_consent_pointing_to_other_information_needs_public_prosecution_information(
    ansatt: User, case: Case
) -> None:
    help_info = _info(ansatt, case, at=NOW - dt.timedelta(days=1), kind="police_help_and_measures")
    consent = _consent(ansatt, case, given_at=NOW, information_record=help_info)

    assert selectors.consent_covers(consent=consent, categories=["identity"], at=NOW) == [
        selectors.NOT_INFORMED
    ]


def test_g15_a_linked_record_given_after_the_consent_is_information_after_consent(
    ansatt: User, case: Case
) -> None:
    after = _info(ansatt, case, at=NOW + dt.timedelta(minutes=5))
    consent = _consent(ansatt, case, given_at=NOW, information_record=after)
    at = NOW + dt.timedelta(hours=1)

    assert selectors.consent_covers(consent=consent, categories=["identity"], at=at) == [
        selectors.INFORMATION_AFTER_CONSENT
    ]


def test_g15_counts_only_public_prosecution_information_of_this_case(
    ansatt: User, case: Case, other_case: Case
) -> None:
    _info(ansatt, other_case, at=NOW - dt.timedelta(days=1))
    _info(ansatt, case, at=NOW - dt.timedelta(days=1), kind="police_help_and_measures")
    consent = _consent(ansatt, case, given_at=NOW)

    assert selectors.consent_covers(consent=consent, categories=["identity"], at=NOW) == [
        selectors.NOT_INFORMED
    ]
    assert clock.now() > NOW  # the fixed moments lie in the past, as recorded consents do
