"""Consent (G3, G4, G5, G15, C1): the service enforces the order of steps and the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from tests.consent.conftest import inform, police_consent, verbal_consent
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent
from vern.consent import selectors, services
from vern.consent.models import Consent
from vern.core import clock

pytestmark = pytest.mark.django_db


def test_g15_a_consent_to_the_police_is_refused_before_the_user_is_informed(
    ansatt: User, case: Case
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        police_consent(ansatt, case)
    message = " ".join(excinfo.value.message_dict[NON_FIELD_ERRORS])
    assert "offentlig påtale" in message
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(action="consent_given").exists()


def test_g15_information_given_after_the_consent_time_does_not_count(
    ansatt: User, case: Case
) -> None:
    now = clock.now()
    inform(ansatt, case, given_at=now - dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        police_consent(ansatt, case, given_at=now - dt.timedelta(hours=2))


def test_g15_after_the_information_the_consent_is_recorded_and_linked_to_it(
    ansatt: User, case: Case
) -> None:
    record = inform(ansatt, case)
    consent = police_consent(ansatt, case)
    assert consent.information_record == record
    assert consent.recorded_by == ansatt
    assert consent.centre_id == case.centre_id
    assert CaseEvent.objects.filter(case=case, kind="consent_given").count() == 1
    event = AuditEvent.objects.get(action="consent_given", object_id=str(consent.pk))
    assert event.details["recipient_kind"] == "police"
    assert event.details["categories"] == 2


def test_a_handover_consent_to_a_crisis_centre_needs_no_prosecution_information(
    ansatt: User, case: Case
) -> None:
    consent = services.consent_create(
        acting_user=ansatt,
        case=case,
        recipient_kind="crisis_centre",
        recipient_unit="Krisesenteret i Vestby",
        purpose="Overføre kartleggingen ved flytting",
        categories=["risk_mapping"],
        form="written",
        written_method="on_screen",
        signed_by_name="Kari",
        signature_confirmed=True,
    )
    assert consent.police_district == ""


def test_g4_a_verbal_consent_needs_a_witness_and_the_reason_it_is_not_written(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    with pytest.raises(ValidationError) as excinfo:
        verbal_consent(ansatt, case, verbal_witness="", verbal_reason=" ")
    assert set(excinfo.value.message_dict) >= {"verbal_witness", "verbal_reason"}
    consent = verbal_consent(ansatt, case)
    assert consent.form == "verbal"
    assert consent.written_method == ""
    assert consent.verbal_witness == "Kollega Hansen"


def test_g4_on_screen_signature_needs_her_typed_name_and_the_ticked_box(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    with pytest.raises(ValidationError) as excinfo:
        police_consent(ansatt, case, signed_by_name="", signature_confirmed=False)
    assert set(excinfo.value.message_dict) >= {"signed_by_name", "signature_confirmed"}


def test_g4_written_by_upload_needs_the_file_and_written_needs_a_method(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    with pytest.raises(ValidationError) as excinfo:
        police_consent(ansatt, case, written_method="upload", signed_file=None)
    assert "signed_file" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        police_consent(ansatt, case, written_method="")
    assert "written_method" in excinfo.value.message_dict


def test_c1_scope_is_required_recipient_purpose_and_at_least_one_kind_of_information(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    with pytest.raises(ValidationError) as excinfo:
        police_consent(ansatt, case, police_district="", purpose=" ", categories=[])
    assert set(excinfo.value.message_dict) >= {"police_district", "purpose", "categories"}
    with pytest.raises(ValidationError) as excinfo:
        police_consent(ansatt, case, categories=["identity", "bank_account"])
    assert "categories" in excinfo.value.message_dict


def test_the_expiry_must_be_after_the_consent_and_the_consent_not_in_the_future(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    now = clock.now()
    with pytest.raises(ValidationError) as excinfo:
        police_consent(
            ansatt,
            case,
            given_at=now - dt.timedelta(minutes=1),
            expires_at=now - dt.timedelta(hours=1),
        )
    assert "expires_at" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        police_consent(ansatt, case, given_at=now + dt.timedelta(days=1))
    assert "given_at" in excinfo.value.message_dict


def test_categories_are_stored_once_in_a_stable_order(ansatt: User, case: Case) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case, categories=["violence", "identity", "violence"])
    assert consent.categories == ["identity", "violence"]


def test_closed_case_refuses_consent_and_refusal_but_not_withdrawal(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    with pytest.raises(case_services.CaseClosedError):
        police_consent(ansatt, case)
    # C1: the user may withdraw at any time, also after her stay has ended.
    assert services.consent_withdraw(acting_user=ansatt, consent=consent).withdrawn_at
    with pytest.raises(case_services.CaseClosedError):
        services.consent_refusal_record(
            acting_user=ansatt, case=case, reasons="", information_offered=False
        )


def test_g7_factor_7_follows_the_consent_on_the_assessment(ansatt: User, case: Case) -> None:
    from tests.consent.conftest import assess
    from vern.assessments.models import Assessment

    assess(ansatt, case, offences=["straffeloven-271"])
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    newest = Assessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()
    assert newest is not None
    assert newest.factors["user_consents"] is True
    services.consent_withdraw(acting_user=ansatt, consent=consent)
    newest = Assessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()
    assert newest is not None
    assert newest.factors["user_consents"] is False
    assert newest.cause == "consent_withdrawn"
    assert selectors.valid_police_consent(case=case, at=clock.now()) is None
