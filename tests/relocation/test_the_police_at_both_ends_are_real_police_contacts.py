"""Issue 14 point 4: "police involved at both ends" are real police contacts, checked like any
other (ground, what was shared, G9), or a recorded reason why not, which opens a deviation for
the leader. The bare moments recorded before are kept, read-only, and no longer count."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.relocation.conftest import (
    contact_at_end,
    hours_ago,
    plan,
    police_at_both_ends,
    police_consent,
)
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent import services as consent_services
from vern.police import services as police_services
from vern.police import withdrawal
from vern.police.ground import DeviationNeedsConfirmation
from vern.police.models import Deviation, DeviationKind, PoliceContact
from vern.relocation import selectors, services
from vern.relocation.models import Handover, PoliceEnd, Relocation, RelocationStatus
from vern.relocation.panels import police_ends

pytestmark = pytest.mark.django_db


def _complete(user: User, relocation: Relocation) -> Relocation:
    return services.relocation_complete(
        acting_user=user,
        relocation=relocation,
        handover=Handover.POLICE_BRIEF,
        completed_at=hours_ago(1),
    )


def test_after_the_only_police_consent_is_withdrawn_police_at_both_ends_is_not_accepted_as_valid(
    ansatt: User, relocation: Relocation
) -> None:
    consent = police_consent(ansatt, relocation.case)
    consent_services.consent_withdraw(
        acting_user=ansatt, consent=consent, withdrawn_at=hours_ago(10)
    )
    for end in PoliceEnd:
        with pytest.raises(DeviationNeedsConfirmation) as refused:
            contact_at_end(ansatt, relocation, end, at=hours_ago(5), consent=consent)
        assert "withdrawn" in refused.value.reasons
    relocation.refresh_from_db()
    assert relocation.departure_contact is None
    assert relocation.destination_contact is None
    assert not PoliceContact.objects.exists()
    with pytest.raises(ValidationError):
        _complete(ansatt, relocation)


def test_a_confirmed_contact_on_a_withdrawn_consent_is_linked_without_ground_with_a_deviation(
    ansatt: User, relocation: Relocation
) -> None:
    consent = police_consent(ansatt, relocation.case)
    consent_services.consent_withdraw(
        acting_user=ansatt, consent=consent, withdrawn_at=hours_ago(10)
    )
    contact = contact_at_end(
        ansatt,
        relocation,
        PoliceEnd.DEPARTURE,
        at=hours_ago(5),
        consent=consent,
        confirm_deviation=True,
    )
    relocation.refresh_from_db()
    assert relocation.departure_contact == contact
    assert contact.ground_valid is False
    assert Deviation.objects.filter(police_contact=contact).exists()
    departure = police_ends(relocation)[0]
    assert departure.contact == contact
    assert departure.ground_valid is False


def test_a_consent_withdrawn_afterwards_with_an_earlier_moment_shows_the_contact_without_ground(
    ansatt: User, relocation: Relocation
) -> None:
    consent = police_consent(ansatt, relocation.case)
    contact = contact_at_end(
        ansatt, relocation, PoliceEnd.DESTINATION, at=hours_ago(5), consent=consent
    )
    assert contact.ground_valid is True
    relocation.refresh_from_db()
    assert police_ends(relocation)[1].ground_valid is True
    withdrawal.consent_withdraw_with_contacts(
        acting_user=ansatt, consent=consent, withdrawn_at=hours_ago(6)
    )
    relocation.refresh_from_db()
    assert police_ends(relocation)[1].ground_valid is False


def test_a_planned_contact_does_not_count_as_the_police_involved(
    ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    contact_at_end(ansatt, relocation, PoliceEnd.DESTINATION, at=hours_ago(-2), status="planned")
    with pytest.raises(ValidationError, match="bare planlagt"):
        _complete(ansatt, relocation)
    assert selectors.relocation_missing(relocation) == ["police_destination"]


def test_a_reason_why_the_police_were_not_contacted_opens_a_deviation_and_lets_the_move_complete(
    ansatt: User, relocation: Relocation
) -> None:
    contact_at_end(ansatt, relocation, PoliceEnd.DEPARTURE, at=hours_ago(5))
    with pytest.raises(ValidationError, match="hvorfor politiet ikke ble kontaktet"):
        services.relocation_police_not_involved(
            acting_user=ansatt, relocation=relocation, end=PoliceEnd.DESTINATION, reason="  "
        )
    assert not Deviation.objects.exists()
    services.relocation_police_not_involved(
        acting_user=ansatt,
        relocation=relocation,
        end=PoliceEnd.DESTINATION,
        reason="Politiet på stedet svarte ikke før avreise.",
    )
    deviation = Deviation.objects.get(case=relocation.case)
    assert deviation.kind == DeviationKind.RELOCATION_WITHOUT_POLICE
    assert deviation.reasons == ["relocation_no_police_destination"]
    assert deviation.description == "Politiet på stedet svarte ikke før avreise."
    assert "R2" in police_services.reason_label("relocation_no_police_destination")
    done = _complete(ansatt, relocation)
    assert done.status == RelocationStatus.COMPLETED
    # The reason is never in the audit log.
    for event in AuditEvent.objects.all():
        assert "svarte ikke" not in str(event.details)


def test_the_moments_recorded_before_issue_14_are_kept_and_no_longer_count(
    ansatt: User, relocation: Relocation
) -> None:
    legacy = hours_ago(30)
    Relocation.objects.filter(pk=relocation.pk).update(
        police_current_involved_at=legacy, police_destination_involved_at=legacy
    )
    relocation.refresh_from_db()
    with pytest.raises(ValidationError, match="ikke registrert som involvert"):
        _complete(ansatt, relocation)
    ends = police_ends(relocation)
    assert [end.legacy_at for end in ends] == [legacy, legacy]
    assert not any(end.done for end in ends)
    police_at_both_ends(ansatt, relocation)
    relocation.refresh_from_db()
    assert relocation.police_current_involved_at == legacy
    assert _complete(ansatt, relocation).status == RelocationStatus.COMPLETED


def test_a_contact_already_recorded_in_the_case_can_be_linked_but_not_one_of_another_case(
    ansatt: User, case: Case, relocation: Relocation
) -> None:
    consent = police_consent(ansatt, case)
    contact = police_services.police_contact_record(
        acting_user=ansatt,
        case=case,
        data=police_services.ContactInput(
            contact_at=hours_ago(3),
            police_district="oslo",
            contact_role="family_violence_coordinator",
            channel="phone",
            legal_ground="consent",
            consent=consent,
            shared_categories=["identity"],
            reprisal_check={
                "routes": ["police_contacts_him"],
                "risk": "low",
                "protections": ["stays_at_shelter"],
            },
        ),
    )
    services.relocation_police_link(
        acting_user=ansatt, relocation=relocation, end=PoliceEnd.DEPARTURE, contact=contact
    )
    relocation.refresh_from_db()
    assert relocation.departure_contact == contact
    second = case_services.case_create(acting_user=ansatt, reference="R-annen")
    other_move = plan(ansatt, second)
    with pytest.raises(ValidationError):
        services.relocation_police_link(
            acting_user=ansatt, relocation=other_move, end=PoliceEnd.DEPARTURE, contact=contact
        )


def test_an_unknown_end_is_refused_naming_the_field(ansatt: User, relocation: Relocation) -> None:
    with pytest.raises(ValidationError) as refused:
        services.relocation_police_not_involved(
            acting_user=ansatt, relocation=relocation, end="middle", reason="x"
        )
    assert "end" in refused.value.error_dict


def test_pending_relocation_is_the_planned_one_with_what_it_lacks(ansatt: User, case: Case) -> None:
    assert selectors.pending_relocation(case=case) is None
    relocation = plan(ansatt, case, chosen_with_user=False)
    assert selectors.pending_relocation(case=case) == relocation
    assert selectors.relocation_missing(relocation) == [
        "chosen_with_user",
        "police_departure",
        "police_destination",
    ]
    services.relocation_cancel(acting_user=ansatt, relocation=relocation, reason="Blir.")
    assert selectors.pending_relocation(case=case) is None
