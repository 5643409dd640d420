"""Issue 13 point 6 in the browser: after a rulebook upgrade the leader goes from the
reassessment dashboard to the cases whose outcome changed, old → new in words; axe on both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.documents.conftest import make_assessment
from tests.e2e.conftest import Walk, log_in
from tests.factories import make_centre, make_user
from tests.rulebookops.modified import RULEBOOK_1_1_0, modified_rulebook
from vern.accounts.models import Role
from vern.assessments.upgrade import rulebook_upgrade
from vern.cases import services as case_services
from vern.rules import load_rulebook

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_leader_sees_old_and_new_outcome_after_an_upgrade(page: Any, tmp_path: Path) -> None:
    centre = make_centre("Regelsenteret")
    staff = make_user(Role.ANSATT, centre)
    leader = make_user(Role.LEDER, centre)
    case = case_services.case_create(acting_user=staff, reference="R-regel")
    make_assessment(
        staff,
        case,
        offences=["straffeloven-264"],
        factors={"duty_to_avert": True},
        risk="yes",
        rulebook=load_rulebook(RULEBOOK_1_1_0),
    )
    rulebook_upgrade(rulebook=load_rulebook(modified_rulebook(tmp_path / "rb")))

    walk = Walk(page, "rules-changed")
    log_in(walk, leader)
    page.get_by_role("link", name="Revurderinger", exact=True).click()
    expect(page.get_by_role("link", name="R-regel").first).to_be_visible()
    walk.check("dashboard")
    page.get_by_role("link", name="Se hva som er endret").click()
    expect(
        page.get_by_role("heading", level=1, name="Saker med nytt utfall etter regelendring")
    ).to_be_visible()
    expect(page.get_by_text("1.1.0 → 1.2.0")).to_be_visible()
    expect(
        page.get_by_text("«Kontakt politiet etter avvergeplikten» →", exact=False)
    ).to_be_visible()
    walk.check("list")
    assert page.vern_console_errors == []
