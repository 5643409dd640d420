"""A rulebook upgrade reaches open cases (issue 13 point 6, G8): the latest assessment of
every open case is evaluated again; a changed outcome gives one "rules changed" trigger with
the old and new outcome, a timeline line and an audit event, once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from tests.rulebookops.modified import RULEBOOK_1_1_0, modified_rulebook
from vern.assessments.models import RulebookApplied
from vern.assessments.upgrade import rulebook_impact, rulebook_upgrade, upgrade_if_needed
from vern.audit.models import AuditEvent
from vern.cases.models import Case, CaseEvent, ReassessmentTrigger, TriggerKind
from vern.rules import Rulebook, load_rulebook

BEFORE = {
    "police_involvement": "required",
    "consent_needed": False,
    "next_step": "contact_police_under_duty_to_avert",
}
AFTER = {
    "police_involvement": "recommended",
    "consent_needed": True,
    "next_step": "inform_about_public_prosecution",
}


def test_only_open_cases_whose_outcome_changes_get_a_trigger(
    cases: dict[str, Case], modified: Rulebook
) -> None:
    result = rulebook_upgrade(rulebook=modified)

    assert (result.evaluated, result.changed, result.triggers_added) == (3, 2, 2)
    triggers = ReassessmentTrigger.objects.filter(kind=TriggerKind.RULES_CHANGED)
    assert {t.case.reference for t in triggers} == {"A-endres", "D-annet-senter"}
    trigger = triggers.get(case=cases["changed"])
    assert trigger.centre_id == cases["changed"].centre_id
    assert trigger.recorded_by is None
    assert trigger.resolved_by is None
    change = trigger.outcome_change
    assert (change["from_version"], change["to_version"]) == ("1.1.0", "1.2.0")
    assert {k: change["from"][k] for k in BEFORE} == BEFORE
    assert {k: change["to"][k] for k in AFTER} == AFTER
    assert "document_duty_to_avert_grounds" in change["from"]["actions"]
    assert "document_duty_to_avert_grounds" not in change["to"]["actions"]
    assert change["to"]["actions"] == ["assess_reprisal_risk", "reassess_safety"]
    # The changed case is on the reassessment list (an unresolved trigger); the others not.
    assert not cases["unchanged"].triggers.exists()
    assert not cases["closed"].triggers.exists()


def test_each_trigger_has_its_timeline_line_and_audit_event(
    cases: dict[str, Case], modified: Rulebook
) -> None:
    rulebook_upgrade(rulebook=modified)

    trigger = ReassessmentTrigger.objects.get(case=cases["changed"])
    line = CaseEvent.objects.get(case=cases["changed"], kind="trigger")
    assert line.object_id == trigger.pk
    assert line.actor is None
    event = AuditEvent.objects.get(object_type="reassessment_trigger", object_id=str(trigger.pk))
    assert event.action == "case_updated"
    assert event.centre_id == cases["changed"].centre_id
    assert event.details["kind"] == "rules_changed"
    assert (event.details["from_version"], event.details["to_version"]) == ("1.1.0", "1.2.0")
    applied = AuditEvent.objects.get(action="rulebook_applied")
    assert applied.centre_id is None
    assert (applied.details["version"], applied.details["triggers"]) == ("1.2.0", 2)
    row = RulebookApplied.objects.get(version="1.2.0")
    assert (row.cases_evaluated, row.cases_changed) == (3, 2)


def test_running_the_upgrade_twice_adds_nothing(cases: dict[str, Case], modified: Rulebook) -> None:
    rulebook_upgrade(rulebook=modified)
    triggers, events = ReassessmentTrigger.objects.count(), AuditEvent.objects.count()

    again = rulebook_upgrade(rulebook=modified)

    assert again.already_applied
    assert again.triggers_added == 0
    assert ReassessmentTrigger.objects.count() == triggers
    assert AuditEvent.objects.count() == events
    assert RulebookApplied.objects.filter(version="1.2.0").count() == 1


def test_a_trigger_stays_unique_even_when_the_applied_row_is_lost(
    cases: dict[str, Case], modified: Rulebook
) -> None:
    rulebook_upgrade(rulebook=modified)
    RulebookApplied.objects.all().delete()

    assert rulebook_upgrade(rulebook=modified).triggers_added == 0
    assert ReassessmentTrigger.objects.filter(kind=TriggerKind.RULES_CHANGED).count() == 2


def test_an_assessment_made_with_the_new_version_is_not_evaluated_again(
    cases: dict[str, Case], modified: Rulebook
) -> None:
    impact = rulebook_impact(rulebook=load_rulebook(RULEBOOK_1_1_0))

    assert impact.open_with_assessment == 3
    assert impact.already_current == 3
    assert impact.evaluated == 0


def test_impact_counts_the_changes_and_writes_nothing(
    cases: dict[str, Case], modified: Rulebook
) -> None:
    triggers, events = ReassessmentTrigger.objects.count(), AuditEvent.objects.count()

    counts = rulebook_impact(rulebook=modified).counts()

    assert counts["police_involvement: required → recommended"] == 2
    assert counts["consent_needed: false → true"] == 2
    assert (
        counts["next_step: contact_police_under_duty_to_avert → inform_about_public_prosecution"]
        == 2
    )
    assert counts["actions: - document_duty_to_avert_grounds"] == 2
    assert sum(counts.values()) == 2 * 4  # the four lines above, for each of the two cases
    assert ReassessmentTrigger.objects.count() == triggers
    assert AuditEvent.objects.count() == events


def test_the_old_outcome_can_come_from_the_stored_version_s_rulebook(
    cases: dict[str, Case], modified: Rulebook, rulebook_1_1_0: Rulebook
) -> None:
    stored = rulebook_impact(rulebook=modified).counts()
    evaluated = rulebook_impact(rulebook=modified, from_rulebook=rulebook_1_1_0).counts()

    assert evaluated == stored


def test_the_impact_command_prints_the_counts_by_change(
    cases: dict[str, Case], tmp_path: Path
) -> None:
    out = StringIO()
    call_command(
        "rulebook", "impact", "--against", str(modified_rulebook(tmp_path / "rb")), stdout=out
    )
    text = out.getvalue()

    assert "evaluated again: 3; outcome changes: 2." in text
    assert "Made with: 1.1.0: 3" in text
    assert (
        "next_step: contact_police_under_duty_to_avert → inform_about_public_prosecution: 2 cases"
        in text
    )
    assert not ReassessmentTrigger.objects.filter(kind=TriggerKind.RULES_CHANGED).exists()


def test_startup_applies_the_packaged_version_once(cases: dict[str, Case]) -> None:
    # migrate (post_migrate) recorded the packaged version in the test database.
    packaged = load_rulebook()
    assert RulebookApplied.objects.filter(version=packaged.version).exists()
    assert upgrade_if_needed() is None

    RulebookApplied.objects.all().delete()
    result = upgrade_if_needed()

    assert result is not None
    # The fixture's cases were assessed under 1.1.0: under the packaged rulebook 2.0.0 their
    # duty-to-avert outcomes change (contract v2), so each open case gets its trigger once.
    assert (result.version, result.evaluated, result.triggers_added) == (packaged.version, 3, 3)
    assert upgrade_if_needed() is None


def test_the_upgrade_command_reports_what_it_did(cases: dict[str, Case]) -> None:
    out = StringIO()
    call_command("rulebook", "upgrade", stdout=out)

    assert "3 open cases evaluated, 3 with another outcome, 3 reassessment triggers added" in (
        out.getvalue()
    )
    assert "already applied before" in out.getvalue()
    out = StringIO()
    call_command("rulebook", "upgrade", stdout=out)
    assert "0 reassessment triggers added" in out.getvalue()
