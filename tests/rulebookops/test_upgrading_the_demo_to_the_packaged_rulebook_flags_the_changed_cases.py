"""The demo upgraded to the packaged rulebook (issue 13 point 6): demo cases assessed under
another version get a "rules changed" trigger exactly when their outcome differs. The shape of
the lead's 1.1.0 → 2.0.0 test: build the demo inside ``assessments_made_with(<old rulebook>)``
(for example ``load_rulebook(RULEBOOK_1_1_0)``), then upgrade to the packaged rulebook."""

from __future__ import annotations

from pathlib import Path

from tests.factories import make_centre, make_user
from tests.rulebookops.modified import assessments_made_with, reprisal_check_only_when_required
from vern.accounts.models import Role
from vern.assessments.upgrade import latest_open_assessments, rulebook_impact, rulebook_upgrade
from vern.cases.models import ReassessmentTrigger, TriggerKind
from vern.centres.tenancy import system_scope
from vern.desk import demo_data
from vern.rules import load_rulebook


def test_the_demo_cases_that_gain_the_reprisal_action_get_one_trigger_each(
    tmp_path: Path, db: None
) -> None:
    old = load_rulebook(reprisal_check_only_when_required(tmp_path / "old"))
    centre = make_centre("Demosenteret")
    staff, leader = make_user(Role.ANSATT, centre), make_user(Role.LEDER, centre)
    with assessments_made_with(old), system_scope():
        demo_data.build(staff, leader)
    latest = latest_open_assessments()
    assert latest
    assert {a.rulebook_version for a in latest} == {"1.2.0"}
    recommended = {a.case_id for a in latest if a.police_involvement == "recommended"}
    assert recommended

    # The packaged rulebook (2.0.0) also adds contract v2's no-consent actions to the demo's
    # duty-to-avert case (see test_upgrading_the_demo_from_1_1_0_to_2_0_0_...).
    averting = {a.case_id for a in latest if a.facts["factors"]["duty_to_avert"]}
    counts = rulebook_impact().counts()
    assert counts["actions: + assess_reprisal_risk"] == len(recommended)
    assert counts["actions: + share_only_what_is_necessary"] == len(averting)
    assert set(counts) == {
        "actions: + assess_reprisal_risk",
        "actions: + share_only_what_is_necessary",
        "actions: + tell_user_about_police_contact",
    }

    result = rulebook_upgrade()
    flagged = set(
        ReassessmentTrigger.objects.filter(kind=TriggerKind.RULES_CHANGED).values_list(
            "case_id", flat=True
        )
    )
    assert flagged == recommended | averting
    assert result.triggers_added == len(recommended | averting)
    assert rulebook_upgrade().triggers_added == 0
