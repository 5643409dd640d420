"""Information duties (G5, G15, G12, G2, P1), the records: who, when, language and interpreter; the
two-year rule of the suspected offences and the measures shown are stored; the newest record
counts and factor 8 is re-derived after it; never in the future, never on a closed case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.consent.conftest import assess, inform
from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseEvent
from vern.consent import selectors, services
from vern.consent.models import InformationKind, InformationRecord
from vern.core import clock
from vern.rules import load_rulebook

pytestmark = pytest.mark.django_db


def test_g5_information_about_public_prosecution_is_recorded_with_who_when_language_and_interpreter(
    ansatt: User, case: Case
) -> None:
    record = services.information_record(
        acting_user=ansatt,
        case=case,
        kind=InformationKind.PUBLIC_PROSECUTION,
        language="arabisk",
        interpreter_used=True,
    )
    assert record.given_by == ansatt
    assert record.language == "arabisk"
    assert record.interpreter_used is True
    assert record.rulebook_version == load_rulebook().version
    assert selectors.public_prosecution_information(case=case) == record
    assert CaseEvent.objects.filter(case=case, kind="information_given").count() == 1
    event = AuditEvent.objects.get(action="information_given", object_id=str(record.pk))
    # Free text (the language "arabisk") never reaches the audit log: only a code.
    assert event.details["language"] == "other"
    assert event.details["interpreter"] is True


def test_g15_the_newest_public_prosecution_record_is_the_one_selected(
    ansatt: User, case: Case
) -> None:
    now = clock.now()
    inform(ansatt, case, given_at=now - dt.timedelta(days=2))
    newest = inform(ansatt, case, given_at=now - dt.timedelta(hours=1))
    inform(ansatt, case, kind=InformationKind.POLICE_HELP_AND_MEASURES)
    assert selectors.public_prosecution_information(case=case) == newest


def test_information_cannot_be_dated_in_the_future_or_without_a_language(
    ansatt: User, case: Case
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        inform(ansatt, case, given_at=clock.now() + dt.timedelta(hours=2))
    assert "given_at" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        inform(ansatt, case, language="  ")
    assert "language" in excinfo.value.message_dict
    assert not InformationRecord.objects.exists()


def test_g15_the_record_stores_the_two_year_rule_of_the_suspected_offences(
    ansatt: User, case: Case
) -> None:
    assess(ansatt, case, offences=["straffeloven-271", "straffeloven-274"])
    record = inform(ansatt, case)
    assert record.offences == [
        {"id": "straffeloven-271", "max_penalty_years": 1, "wish_given_weight": True},
        {"id": "straffeloven-274", "max_penalty_years": 10, "wish_given_weight": False},
    ]


def test_g12_the_police_help_record_stores_the_measures_shown_from_todays_rulebook(
    ansatt: User, case: Case
) -> None:
    record = inform(ansatt, case, kind=InformationKind.POLICE_HELP_AND_MEASURES)
    program = load_rulebook().programs.for_date(clock.today())
    assert program is not None
    assert record.measures_shown == [m.id for m in sorted(program.measures, key=lambda m: m.order)]
    assert "mobil-voldsalarm" in record.measures_shown


def test_g7_factor_8_is_re_derived_on_the_assessment_after_the_information(
    ansatt: User, case: Case
) -> None:
    assess(ansatt, case, offences=["straffeloven-271"])
    inform(ansatt, case)
    newest = Assessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()
    assert newest is not None
    assert newest.factors["user_informed_about_public_prosecution"] is True
    assert newest.cause == "information_given"


def test_closed_case_refuses_information_records(ansatt: User, case: Case) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="other")
    with pytest.raises(case_services.CaseClosedError):
        inform(ansatt, case)
