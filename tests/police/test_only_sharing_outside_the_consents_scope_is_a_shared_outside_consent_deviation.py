"""A small part of the ground check (issue 22: its mutants survived the suite). A consent contact
that only shared outside the consent's scope (categories, the police district, or both at once)
opens a "shared outside the consent" deviation; any other reason makes it a contact without a
valid ground."""

from __future__ import annotations

import pytest

from vern.consent.selectors import OUT_OF_SCOPE, WITHDRAWN
from vern.police import ground
from vern.police.models import DeviationKind


@pytest.mark.parametrize(
    "reasons",
    [[OUT_OF_SCOPE], ["district_outside_consent"], [OUT_OF_SCOPE, "district_outside_consent"]],
    ids=["categories", "district", "both"],
)
def test_sharing_only_outside_the_consents_scope_is_shared_outside_consent(
    reasons: list[str],
) -> None:
    assert ground.deviation_kind("consent", reasons) == DeviationKind.SHARED_OUTSIDE_CONSENT


@pytest.mark.parametrize(
    ("legal_ground", "reasons"),
    [("consent", [OUT_OF_SCOPE, WITHDRAWN]), ("consent", []), ("none", ["no_ground"])],
)
def test_any_other_reason_is_a_contact_without_a_ground(
    legal_ground: str, reasons: list[str]
) -> None:
    assert ground.deviation_kind(legal_ground, reasons) == DeviationKind.CONTACT_WITHOUT_GROUND
