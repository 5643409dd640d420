"""G3, C1: a consent belongs to one case and one recipient. A consent of another case of the
*same* centre, or a consent to a new crisis centre (a handover), does not give a police contact
its ground (issue 22: mutants that checked "another case *and* another centre", or that never
added ``consent_not_for_police``, survived the suite)."""

from __future__ import annotations

import pytest

from tests.police.conftest import give_consent, hours_ago, inform, record
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent.models import RecipientKind
from vern.police import ground
from vern.police.models import Deviation

pytestmark = pytest.mark.django_db


def test_a_consent_of_another_case_of_the_same_centre_gives_no_ground(
    ansatt: User, case: Case
) -> None:
    neighbour = case_services.case_create(acting_user=ansatt, reference="P-2")
    inform(neighbour, ansatt, hours_ago(72))
    consent = give_consent(neighbour, ansatt, given_at=hours_ago(48))
    data = ground.ContactInput(
        contact_at=hours_ago(1),
        police_district="oslo",
        contact_role="investigator",
        channel="phone",
        legal_ground="consent",
        shared_categories=["identity"],
        consent=consent,
    )

    assert ground.ground_reasons(case=case, data=data) == ["consent_other_case"]
    assert ground.ground_reasons(case=neighbour, data=data) == []

    contact = record(ansatt, case, consent=consent)
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["consent_other_case"]


def test_a_consent_to_a_new_crisis_centre_gives_no_ground_for_a_police_contact(
    ansatt: User, case: Case
) -> None:
    inform(case, ansatt, hours_ago(72))
    handover = give_consent(
        case, ansatt, given_at=hours_ago(48), recipient_kind=RecipientKind.CRISIS_CENTRE
    )
    data = ground.ContactInput(
        contact_at=hours_ago(1),
        police_district="oslo",
        contact_role="investigator",
        channel="phone",
        legal_ground="consent",
        shared_categories=["identity"],
        consent=handover,
    )

    assert "consent_not_for_police" in ground.ground_reasons(case=case, data=data)
