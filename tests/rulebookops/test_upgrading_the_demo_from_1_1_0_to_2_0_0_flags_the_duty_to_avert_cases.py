"""Issue 13 point 6, as the issue asks: the demo assessed under rulebook 1.1.0, then upgraded to
the packaged rulebook 2.0.0. Under contract v2 only cases whose facts tick factor 9 (the duty
to avert) can change for the demo's facts (no demo assessment has the danger ground or a
child-welfare concern): the duty to avert now also adds "share only what is necessary" and
"tell the user about the police contact", or, without a listed offence, no longer applies.
Every other demo case keeps its outcome and gets no trigger."""

from __future__ import annotations

import io

from django.core.management import call_command

from tests.factories import make_centre, make_user
from tests.rulebookops.modified import RULEBOOK_1_1_0, assessments_made_with
from vern.accounts.models import Role
from vern.assessments.upgrade import latest_open_assessments, rulebook_upgrade
from vern.cases.models import ReassessmentTrigger, TriggerKind
from vern.centres.tenancy import system_scope
from vern.desk import demo_data
from vern.rules import load_rulebook


def test_the_demo_upgraded_from_1_1_0_flags_exactly_its_duty_to_avert_cases(db: None) -> None:
    old = load_rulebook(RULEBOOK_1_1_0)
    assert old.version == "1.1.0"
    assert load_rulebook().version.startswith("2.")
    centre = make_centre("Demosenteret")
    staff, leader = make_user(Role.ANSATT, centre), make_user(Role.LEDER, centre)
    with assessments_made_with(old), system_scope():
        demo_data.build(staff, leader)
    latest = latest_open_assessments()
    assert {a.rulebook_version for a in latest} == {"1.1.0"}
    averting = {a.case_id for a in latest if a.facts["factors"]["duty_to_avert"]}
    assert averting, "the demo has a duty-to-avert case"

    out = io.StringIO()
    call_command("rulebook", "impact", stdout=out)
    printed = out.getvalue()
    assert "1.1.0" in printed
    assert "share_only_what_is_necessary" in printed

    result = rulebook_upgrade()
    triggers = ReassessmentTrigger.objects.filter(kind=TriggerKind.RULES_CHANGED)
    assert set(triggers.values_list("case_id", flat=True)) == averting
    assert result.triggers_added == len(averting)
    for trigger in triggers:
        change = trigger.outcome_change
        assert change["from_version"] == "1.1.0"
        assert change["to_version"].startswith("2.")
        assert "share_only_what_is_necessary" not in change["from"]["actions"]
        assert "share_only_what_is_necessary" in change["to"]["actions"]
    assert rulebook_upgrade().triggers_added == 0
