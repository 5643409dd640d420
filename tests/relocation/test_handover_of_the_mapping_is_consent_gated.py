"""R3: the mapping follows the user to the new centre only with a consent that covers it;
without one, the police brief each other (or nothing is handed over)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.relocation.conftest import handover_consent, hours_ago, police_at_both_ends
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent.models import InformationCategory, RecipientKind
from vern.relocation import services
from vern.relocation.models import Handover, Relocation, RelocationStatus

pytestmark = pytest.mark.django_db


def _complete_with_consent(user: User, relocation: Relocation) -> Relocation:
    return services.relocation_complete(
        acting_user=user,
        relocation=relocation,
        handover=Handover.CONSENT,
        completed_at=hours_ago(1),
    )


def test_r3_handover_with_consent_is_refused_without_any_consent(
    ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    with pytest.raises(ValidationError) as error:
        _complete_with_consent(ansatt, relocation)
    assert "handover" in error.value.message_dict
    relocation.refresh_from_db()
    assert relocation.status == RelocationStatus.PLANNED


def test_r3_handover_with_consent_is_refused_when_the_consent_does_not_cover_the_mapping(
    ansatt: User, case: Case, relocation: Relocation
) -> None:
    handover_consent(ansatt, case, categories=[InformationCategory.STAY])
    police_at_both_ends(ansatt, relocation)
    with pytest.raises(ValidationError):
        _complete_with_consent(ansatt, relocation)


def test_r3_a_consent_to_the_police_does_not_cover_handover_to_the_new_centre(
    ansatt: User, case: Case, relocation: Relocation
) -> None:
    handover_consent(ansatt, case, recipient_kind=RecipientKind.POLICE)
    police_at_both_ends(ansatt, relocation)
    with pytest.raises(ValidationError):
        _complete_with_consent(ansatt, relocation)


def test_r3_a_withdrawn_consent_does_not_cover_the_handover(
    ansatt: User, case: Case, relocation: Relocation
) -> None:
    handover_consent(ansatt, case, given_at=hours_ago(48), withdrawn_at=hours_ago(6))
    police_at_both_ends(ansatt, relocation)
    with pytest.raises(ValidationError):
        _complete_with_consent(ansatt, relocation)


def test_r3_a_consent_given_after_the_move_does_not_cover_it(
    ansatt: User, case: Case, relocation: Relocation
) -> None:
    handover_consent(ansatt, case, given_at=hours_ago(0.5))
    police_at_both_ends(ansatt, relocation)
    with pytest.raises(ValidationError):
        _complete_with_consent(ansatt, relocation)


def test_r3_handover_with_a_valid_covering_consent_is_recorded_with_that_consent(
    ansatt: User, case: Case, relocation: Relocation
) -> None:
    consent = handover_consent(ansatt, case)
    police_at_both_ends(ansatt, relocation)
    done = _complete_with_consent(ansatt, relocation)
    done.refresh_from_db()
    assert done.status == RelocationStatus.COMPLETED
    assert done.handover == Handover.CONSENT
    assert done.handover_consent_id == consent.pk


def test_r3_without_consent_the_police_brief_each_other(
    ansatt: User, relocation: Relocation
) -> None:
    police_at_both_ends(ansatt, relocation)
    done = services.relocation_complete(
        acting_user=ansatt,
        relocation=relocation,
        handover=Handover.POLICE_BRIEF,
        completed_at=hours_ago(1),
    )
    assert done.handover == Handover.POLICE_BRIEF
    assert done.handover_consent is None


def test_an_unknown_handover_choice_is_refused(ansatt: User, relocation: Relocation) -> None:
    police_at_both_ends(ansatt, relocation)
    with pytest.raises(ValidationError):
        services.relocation_complete(
            acting_user=ansatt,
            relocation=relocation,
            handover="email_it",
            completed_at=hours_ago(1),
        )
