"""An anonymous consultation shares nothing that can identify the user (G3, krisesenterlova § 5:
also anything that can reveal that she has been in contact with the service); a contact without
a ground is recorded all the same, with a deviation for the leader."""

from __future__ import annotations

import pytest

from tests.police.conftest import hours_ago, record
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent.models import InformationCategory
from vern.police import services
from vern.police.models import Deviation, DeviationKind

pytestmark = pytest.mark.django_db

# The decision for every kind of information (G3): only what happened, told in general terms,
# can be discussed without identifying her.
IDENTIFYING = [
    InformationCategory.IDENTITY,  # her name and contact details
    InformationCategory.STAY,  # that she is in contact with the centre (§ 5 itself)
    InformationCategory.ADDRESS,  # where she is
    InformationCategory.PERPETRATOR,  # naming him names his partner
    InformationCategory.CHILDREN,  # the children identify the family
    InformationCategory.RISK_MAPPING,  # the mapping holds all of the above
]
NOT_IDENTIFYING = [InformationCategory.VIOLENCE]


def test_g3_every_kind_of_information_has_an_explicit_decision() -> None:
    assert set(services.CATEGORY_IDENTIFIES) == set(InformationCategory.values)
    assert set(IDENTIFYING) | set(NOT_IDENTIFYING) == set(InformationCategory.values)
    assert frozenset(IDENTIFYING) == services.IDENTIFYING_CATEGORIES


def test_g3_anonymous_consultation_of_what_happened_is_valid(ansatt: User, case: Case) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="anonymous",
        shared_categories=[InformationCategory.VIOLENCE],
        reprisal_check=None,
    )
    assert contact.ground_valid is True
    assert not Deviation.objects.filter(case=case).exists()


@pytest.mark.parametrize("category", IDENTIFYING)
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


@pytest.mark.parametrize("category", NOT_IDENTIFYING)
def test_g3_anonymous_consultation_with_only_non_identifying_information_is_valid(
    ansatt: User, case: Case, category: str
) -> None:
    reasons = services.ground_reasons(
        case=case,
        data=services.ContactInput(
            legal_ground="anonymous",
            contact_at=hours_ago(1),
            police_district="oslo",
            contact_role="other",
            channel="phone",
            shared_categories=[category],
        ),
    )
    assert reasons == []


def test_g3_perpetrator_children_and_mapping_together_are_not_anonymous(
    ansatt: User, case: Case
) -> None:
    """The walk-through: these three were accepted as an anonymous discussion."""
    contact = record(
        ansatt,
        case,
        legal_ground="anonymous",
        shared_categories=[
            InformationCategory.PERPETRATOR,
            InformationCategory.CHILDREN,
            InformationCategory.RISK_MAPPING,
        ],
    )
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["identifying_shared"]


def test_a_done_contact_without_ground_is_recorded_and_opens_a_deviation(
    ansatt: User, case: Case
) -> None:
    contact = record(ansatt, case, legal_ground="none")
    assert contact.pk is not None
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["no_ground"]
