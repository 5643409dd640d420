"""Issue 14 point 4, R3: the destination is one of the centres Vern knows (or a name typed in
for a centre outside), and when it uses this Vern, the consented handover creates the case there
with only what the consent covers, with an audit event at both centres and a receipt. The
sending centre cannot read the case it handed over (tenant isolation)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from tests.factories import login_verified
from tests.relocation.conftest import handover_consent, hours_ago, plan
from vern.accounts.models import User
from vern.assessments.models import RiskMapping
from vern.audit.models import AuditEvent
from vern.cases import selectors as case_selectors
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild, CaseEvent
from vern.centres.models import Centre
from vern.consent import services as consent_services
from vern.consent.models import InformationCategory
from vern.relocation import handover, selectors, services
from vern.relocation.models import Relocation

pytestmark = pytest.mark.django_db


def _mapping(user: User, case: Case, child: CaseChild | None = None) -> RiskMapping:
    return RiskMapping.objects.create(
        centre_id=case.centre_id,
        case=case,
        child=child,
        mapped_by=user,
        mapped_at=hours_ago(48),
        method="guidance_questions",
        answers={"q1": "KANARI-svar"},
        result="yes",
        reasoning="KANARI-begrunnelse",
    )


@pytest.fixture
def full_case(ansatt: User) -> Case:
    case = case_services.case_create(acting_user=ansatt, reference="R-full", name="KANARI Navnesen")
    child = case_services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=2018)
    _mapping(ansatt, case)
    _mapping(ansatt, case, child)
    return case


@pytest.fixture
def move(ansatt: User, full_case: Case, other_centre: Centre) -> Relocation:
    return plan(ansatt, full_case, destination_name="", destination_centre=other_centre)


def _consent(user: User, case: Case, centre: Centre, categories: list[str], **kw: Any) -> None:
    handover_consent(user, case, categories=categories, recipient_unit=centre.name, **kw)


def test_the_destination_is_a_centre_in_vern_never_the_own_centre_or_free_text(
    ansatt: User, case: Case, centre: Centre, other_centre: Centre
) -> None:
    assert list(selectors.destination_centres(user=ansatt)) == [other_centre]
    with pytest.raises(ValidationError) as own:
        plan(ansatt, case, destination_name="", destination_centre=centre)
    assert "destination_centre" in own.value.error_dict
    other_centre.is_active = False
    other_centre.save()
    with pytest.raises(ValidationError):
        plan(ansatt, case, destination_name="", destination_centre=other_centre)
    other_centre.is_active = True
    other_centre.save()
    in_vern = plan(
        ansatt,
        case,
        destination_name="",
        destination_police_district="",
        destination_centre=other_centre,
    )
    assert in_vern.destination_name == other_centre.name
    assert in_vern.destination_police_district == other_centre.police_district
    services.relocation_cancel(acting_user=ansatt, relocation=in_vern, reason="Ny plan.")
    outside = plan(ansatt, case, destination_name="Senter utenfor Vern")
    assert outside.destination_centre is None
    assert handover.handover_problem(outside, at=hours_ago(0)) == "outside_vern"
    services.relocation_cancel(acting_user=ansatt, relocation=outside, reason="Ny plan.")
    with pytest.raises(ValidationError) as neither:
        plan(ansatt, case, destination_name="")
    assert "destination_name" in neither.value.error_dict


def test_the_handover_copies_only_what_the_consent_covers(
    ansatt: User, full_case: Case, move: Relocation, other_centre: Centre
) -> None:
    # Only the risk mapping: no name, no children (and so no child mapping).
    _consent(ansatt, full_case, other_centre, [InformationCategory.RISK_MAPPING])
    receipt = handover.relocation_hand_over(acting_user=ansatt, relocation=move, reference="")
    received = Case.objects.get(centre=other_centre)
    assert received.name == ""
    assert received.reference.startswith("OVF-")
    assert not CaseChild.objects.filter(case=received).exists()
    mappings = list(RiskMapping.objects.filter(case=received))
    assert len(mappings) == 1
    assert mappings[0].child is None
    assert mappings[0].answers == {"q1": "KANARI-svar"}
    assert receipt.kinds == ["risk_mapping"]
    assert receipt.children == 0
    assert receipt.mappings == 1
    # Nothing else of the case: no consents, police contacts, assessments, relocation.
    assert received.consents.count() == 0
    assert received.police_contacts.count() == 0
    assert received.assessments.count() == 0
    assert received.relocations.count() == 0
    assert list(CaseEvent.objects.filter(case=received).values_list("kind", flat=True)) == [
        "case_received"
    ]
    move.refresh_from_db()
    assert move.handed_over_at is not None
    assert move.handed_over_categories == ["risk_mapping"]


def test_name_and_children_follow_only_when_the_consent_covers_them(
    ansatt: User, full_case: Case, move: Relocation, other_centre: Centre
) -> None:
    _consent(
        ansatt,
        full_case,
        other_centre,
        [
            InformationCategory.IDENTITY,
            InformationCategory.CHILDREN,
            InformationCategory.VIOLENCE,
        ],
    )
    receipt = handover.relocation_hand_over(
        acting_user=ansatt, relocation=move, reference="Fra Senter A"
    )
    received = Case.objects.get(centre=other_centre)
    assert received.reference == "Fra Senter A"
    assert received.name == "KANARI Navnesen"
    assert list(CaseChild.objects.filter(case=received).values_list("label", "birth_year")) == [
        ("Barn 1", 2018)
    ]
    # The mapping is not covered: neither the user's nor the child's follows.
    assert not RiskMapping.objects.filter(case=received).exists()
    assert receipt.kinds == ["identity", "children"]


def test_the_handover_is_audited_at_both_centres_without_personal_data(
    ansatt: User, full_case: Case, move: Relocation, other_centre: Centre
) -> None:
    _consent(ansatt, full_case, other_centre, [InformationCategory.IDENTITY])
    handover.relocation_hand_over(acting_user=ansatt, relocation=move)
    received = Case.objects.get(centre=other_centre)
    sent = AuditEvent.objects.get(reason="handed_over")
    assert sent.centre_id == full_case.centre_id
    assert sent.object_id == str(move.pk)
    got = AuditEvent.objects.get(reason="received_by_handover")
    assert got.centre_id == other_centre.pk
    assert got.action == "case_created"
    assert got.object_id == str(received.pk)
    for event in (sent, got):
        assert "KANARI" not in str(event.details)
        assert other_centre.name not in str(event.details)
    assert CaseEvent.objects.filter(case=full_case, kind="relocation_handed_over").exists()


def test_the_receiving_centre_sees_the_case_and_the_sending_centre_cannot(
    ansatt: User,
    other_staff: User,
    full_case: Case,
    move: Relocation,
    other_centre: Centre,
) -> None:
    _consent(ansatt, full_case, other_centre, [InformationCategory.RISK_MAPPING])
    handover.relocation_hand_over(acting_user=ansatt, relocation=move)
    received = Case.objects.get(centre=other_centre)
    assert received in Case.objects.for_user(other_staff)
    assert received not in Case.objects.for_user(ansatt)
    with pytest.raises(Http404):
        case_selectors.case_get(user=ansatt, pk=received.pk)
    sender = Client()
    login_verified(sender, ansatt)
    assert sender.get(f"/saker/{received.pk}/").status_code == 404
    receiver = Client()
    login_verified(receiver, other_staff)
    assert receiver.get(f"/saker/{received.pk}/").status_code == 200
    listing = receiver.get("/saker/").content.decode()
    assert received.reference in listing


def test_no_handover_without_a_valid_consent_to_that_centre(
    ansatt: User, full_case: Case, move: Relocation, other_centre: Centre
) -> None:
    # A consent naming another recipient does not cover this centre.
    handover_consent(
        ansatt,
        full_case,
        categories=[InformationCategory.RISK_MAPPING],
        recipient_unit="Et helt annet senter",
    )
    with pytest.raises(ValidationError, match="gyldig samtykke"):
        handover.relocation_hand_over(acting_user=ansatt, relocation=move)
    handover_consent(
        ansatt,
        full_case,
        categories=[InformationCategory.RISK_MAPPING],
        recipient_unit=f"  {other_centre.name.upper()} ",
        withdrawn_at=hours_ago(1),
    )
    with pytest.raises(ValidationError, match="gyldig samtykke"):
        handover.relocation_hand_over(acting_user=ansatt, relocation=move)
    assert not Case.objects.filter(centre=other_centre).exists()
    move.refresh_from_db()
    assert move.handed_over_at is None


def test_a_case_is_handed_over_once_and_a_withdrawn_consent_stops_it(
    ansatt: User, full_case: Case, move: Relocation, other_centre: Centre
) -> None:
    _consent(ansatt, full_case, other_centre, [InformationCategory.RISK_MAPPING])
    consent = handover.handover_consent_for(relocation=move, at=hours_ago(0))
    assert consent is not None
    consent_services.consent_withdraw(acting_user=ansatt, consent=consent)
    with pytest.raises(ValidationError):
        handover.relocation_hand_over(acting_user=ansatt, relocation=move)
    _consent(ansatt, full_case, other_centre, [InformationCategory.RISK_MAPPING])
    handover.relocation_hand_over(acting_user=ansatt, relocation=move)
    with pytest.raises(ValidationError, match="allerede overlevert"):
        handover.relocation_hand_over(acting_user=ansatt, relocation=move)
    assert Case.objects.filter(centre=other_centre).count() == 1


def test_a_reference_already_in_use_at_the_receiving_centre_is_refused_naming_the_field(
    ansatt: User, other_staff: User, full_case: Case, move: Relocation, other_centre: Centre
) -> None:
    case_services.case_create(acting_user=other_staff, reference="B-1")
    _consent(ansatt, full_case, other_centre, [InformationCategory.RISK_MAPPING])
    with pytest.raises(ValidationError) as refused:
        handover.relocation_hand_over(acting_user=ansatt, relocation=move, reference="b-1")
    assert "reference" in refused.value.error_dict
    assert Case.objects.filter(centre=other_centre).count() == 1


def test_cancelling_asks_for_a_reason_which_is_stored_but_never_audited(
    ansatt: User, relocation: Relocation
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.relocation_cancel(acting_user=ansatt, relocation=relocation, reason=" ")
    assert "reason" in refused.value.error_dict
    relocation.refresh_from_db()
    assert relocation.is_planned
    services.relocation_cancel(
        acting_user=ansatt, relocation=relocation, reason="KANARI brukeren blir"
    )
    relocation.refresh_from_db()
    assert relocation.cancel_reason == "KANARI brukeren blir"
    event = AuditEvent.objects.get(reason="cancelled")
    assert event.details == {"step": "cancelled", "has_reason": True}
