"""Fixtures for the rulebook upgrade (issue 13 point 6): a modified rulebook, and cases whose
latest assessment was made with the packaged 1.1.0 rulebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.documents.conftest import make_assessment
from tests.factories import make_user
from tests.rulebookops.modified import RULEBOOK_1_1_0, modified_rulebook
from vern.accounts.models import Role, User
from vern.assessments.models import Assessment
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.rules import Rulebook, load_rulebook

# Factor 9 with an offence that is not on the § 196 list (§ 264): 1.1.0 says "required, no
# consent, contact the police under the duty to avert"; the modified rulebook does not.
UNLISTED = ["straffeloven-264"]
LISTED = ["straffeloven-274"]  # grov kroppsskade: on the § 196 list, unchanged


@pytest.fixture
def modified(tmp_path: Path) -> Rulebook:
    return load_rulebook(modified_rulebook(tmp_path / "rulebook-1.2.0"))


@pytest.fixture
def rulebook_1_1_0() -> Rulebook:
    return load_rulebook(RULEBOOK_1_1_0)


def assessed_case(user: User, reference: str, offences: list[str]) -> tuple[Case, Assessment]:
    case = case_services.case_create(acting_user=user, reference=reference)
    assessment = make_assessment(
        user,
        case,
        offences=offences,
        factors={"duty_to_avert": True},
        risk="yes",
        rulebook=load_rulebook(RULEBOOK_1_1_0),
    )
    return case, assessment


@pytest.fixture
def cases(ansatt: User, other_centre: Centre) -> dict[str, Case]:
    """changed (A, and one of the other centre), unchanged (B), closed (C)."""
    other = make_user(Role.ANSATT, other_centre)
    changed, _ = assessed_case(ansatt, "A-endres", UNLISTED)
    unchanged, _ = assessed_case(ansatt, "B-samme", LISTED)
    closed, _ = assessed_case(ansatt, "C-avsluttet", UNLISTED)
    elsewhere, _ = assessed_case(other, "D-annet-senter", UNLISTED)
    case_services.case_close(acting_user=ansatt, case=closed, reason="moved_out_safe")
    return {"changed": changed, "unchanged": unchanged, "closed": closed, "other": elsewhere}
