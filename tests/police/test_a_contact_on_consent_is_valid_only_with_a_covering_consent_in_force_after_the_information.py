"""A contact on the ground of consent (G3, C1, G15): valid only with a consent of this case that
is in force, covers what is shared, and was preceded by the public-prosecution information.
Reality is never refused: an invalid ground is saved and opens a deviation."""

from __future__ import annotations

import pytest

from tests.police.conftest import give_consent, hours_ago, inform, record
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case, CaseEvent
from vern.consent.models import Consent, InformationCategory
from vern.police.models import Deviation, DeviationKind

pytestmark = pytest.mark.django_db


def test_g3_contact_with_a_valid_in_scope_consent_is_valid_and_opens_no_deviation(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, consent=valid_consent)
    assert contact.ground_valid is True
    assert contact.consent_id == valid_consent.pk
    assert not Deviation.objects.filter(case=case).exists()
    event = AuditEvent.objects.get(action="police_contact_recorded", object_id=str(contact.pk))
    assert event.details["ground_valid"] is True
    assert event.details["identifying"] is True
    assert CaseEvent.objects.filter(case=case, kind="police_contact_done").count() == 1


def _only_deviation(case: Case) -> Deviation:
    deviation = Deviation.objects.get(case=case)
    assert deviation.is_open
    return deviation


def test_c1_withdrawn_consent_saves_the_contact_and_opens_a_deviation(
    ansatt: User, case: Case
) -> None:
    inform(case, ansatt, hours_ago(72))
    consent = give_consent(case, ansatt, given_at=hours_ago(48), withdrawn_at=hours_ago(2))
    contact = record(ansatt, case, consent=consent)
    assert contact.ground_valid is False
    deviation = _only_deviation(case)
    assert deviation.kind == DeviationKind.CONTACT_WITHOUT_GROUND
    assert deviation.reasons == ["withdrawn"]
    assert deviation.police_contact_id == contact.pk
    assert AuditEvent.objects.filter(
        action="deviation_opened", object_id=str(deviation.pk)
    ).exists()


def test_expired_consent_saves_the_contact_and_opens_a_deviation(ansatt: User, case: Case) -> None:
    inform(case, ansatt, hours_ago(72))
    consent = give_consent(case, ansatt, given_at=hours_ago(48), expires_at=hours_ago(3))
    contact = record(ansatt, case, consent=consent)
    assert contact.ground_valid is False
    assert _only_deviation(case).reasons == ["expired"]


def test_consent_given_after_the_contact_is_not_a_ground(ansatt: User, case: Case) -> None:
    inform(case, ansatt, hours_ago(72))
    consent = give_consent(case, ansatt, given_at=hours_ago(0.5))
    record(ansatt, case, consent=consent, contact_at=hours_ago(1))
    assert _only_deviation(case).reasons == ["not_yet_given"]


def test_c1_sharing_outside_the_consent_scope_opens_a_shared_outside_consent_deviation(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(
        ansatt,
        case,
        consent=valid_consent,
        shared_categories=[InformationCategory.IDENTITY, InformationCategory.ADDRESS],
    )
    assert contact.ground_valid is False
    deviation = _only_deviation(case)
    assert deviation.kind == DeviationKind.SHARED_OUTSIDE_CONSENT
    assert deviation.reasons == ["out_of_scope"]


def test_g15_information_given_after_the_consent_opens_a_deviation(
    ansatt: User, case: Case
) -> None:
    consent = give_consent(case, ansatt, given_at=hours_ago(48))
    inform(case, ansatt, hours_ago(24))
    contact = record(ansatt, case, consent=consent)
    assert contact.ground_valid is False
    assert _only_deviation(case).reasons == ["information_after_consent"]


def test_g15_no_information_at_all_opens_a_deviation(ansatt: User, case: Case) -> None:
    consent = give_consent(case, ansatt, given_at=hours_ago(48))
    record(ansatt, case, consent=consent)
    assert _only_deviation(case).reasons == ["not_informed"]


def test_consent_ground_without_a_consent_is_saved_with_a_deviation(
    ansatt: User, case: Case
) -> None:
    contact = record(ansatt, case, consent=None)
    assert contact.ground_valid is False
    assert _only_deviation(case).reasons == ["consent_missing"]


def test_c1_consent_to_another_police_district_does_not_cover_the_contact(
    ansatt: User, case: Case
) -> None:
    inform(case, ansatt, hours_ago(72))
    consent = give_consent(case, ansatt, given_at=hours_ago(48), police_district="vest")
    record(ansatt, case, consent=consent, police_district="oslo")
    deviation = _only_deviation(case)
    assert deviation.reasons == ["district_outside_consent"]
    assert deviation.kind == DeviationKind.SHARED_OUTSIDE_CONSENT


def test_consent_of_another_case_is_never_linked_and_the_contact_opens_a_deviation(
    ansatt: User, case: Case, other_staff: User, other_case: Case
) -> None:
    inform(other_case, other_staff, hours_ago(72))
    foreign = give_consent(other_case, other_staff, given_at=hours_ago(48))
    contact = record(ansatt, case, consent=foreign)
    assert contact.consent_id is None
    assert contact.ground_valid is False
    assert _only_deviation(case).reasons == ["consent_other_case"]
