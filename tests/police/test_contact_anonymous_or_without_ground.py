"""An anonymous consultation shares nothing identifying (G3); a contact without a ground is
recorded all the same, with a deviation for the leader."""

from __future__ import annotations

import pytest

from tests.police.conftest import record
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent.models import InformationCategory
from vern.police.models import Deviation, DeviationKind

pytestmark = pytest.mark.django_db


def test_g3_anonymous_consultation_without_identifying_information_is_valid(
    ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="anonymous",
        shared_categories=[InformationCategory.VIOLENCE, InformationCategory.RISK_MAPPING],
    )
    assert contact.ground_valid is True
    assert not Deviation.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    "category",
    [InformationCategory.IDENTITY, InformationCategory.ADDRESS, InformationCategory.STAY],
)
def test_g3_anonymous_consultation_sharing_identifying_information_opens_a_deviation(
    ansatt: User, case: Case, category: str
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="anonymous",
        shared_categories=[InformationCategory.VIOLENCE, category],
    )
    assert contact.ground_valid is False
    deviation = Deviation.objects.get(case=case)
    assert deviation.kind == DeviationKind.CONTACT_WITHOUT_GROUND
    assert deviation.reasons == ["identifying_shared"]


def test_a_done_contact_without_ground_is_recorded_and_opens_a_deviation(
    ansatt: User, case: Case
) -> None:
    contact = record(ansatt, case, legal_ground="none")
    assert contact.pk is not None
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["no_ground"]
