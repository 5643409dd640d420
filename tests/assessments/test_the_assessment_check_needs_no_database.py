"""The assessment's input check and its decision are pure (issue 16 point 3): given the input
and what was read from the records, they decide the outcome and the next reassessment date, or
refuse with the same field errors as the service, without a database (no ``django_db`` mark
here: pytest-django refuses any query) and without writing anything."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from vern.assessments import services
from vern.assessments.models import RiskMapping, RiskResult
from vern.cases.models import Case, CentreSettings
from vern.core import clock

TODAY = clock.today()
DAYS = {"required": 7, "recommended": 14, "not_indicated": 30}


def _settings() -> CentreSettings:
    return CentreSettings(
        reassess_days_required=DAYS["required"],
        reassess_days_recommended=DAYS["recommended"],
        reassess_days_not_indicated=DAYS["not_indicated"],
    )


def _input(result: str = RiskResult.YES, **changes: object) -> services.AssessmentInput:
    data = services.AssessmentInput(
        risk_mapping=RiskMapping(result=result),
        ticked={},
        notes={},
        user_participated=True,
        user_view="",
        staff_judgement="",
        offences=(),
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def _state(**changes: object) -> services.AssessmentState:
    state = services.AssessmentState(
        today=TODAY,
        derived=services.DerivedFactors(consent=None, information=None),
        settings_row=_settings(),
    )
    return dataclasses.replace(state, **changes)  # type: ignore[arg-type]


def _field_errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in exc.value.message_dict.items()}


def test_the_check_decides_the_outcome_and_dates_it_by_the_centres_interval() -> None:
    plan = services.assessment_check(_input(RiskResult.YES), _state())

    assert plan.outcome.police_involvement == "recommended"
    assert plan.next_on == TODAY + dt.timedelta(days=DAYS["recommended"])
    assert plan.chosen is False
    assert plan.factors["user_consents"] is False
    assert plan.facts.to_dict()["risk_of_new_serious_violence"] == "yes"


def test_factors_7_and_8_and_the_consent_form_come_from_the_derived_records() -> None:
    derived = services.DerivedFactors(
        consent=SimpleNamespace(form="verbal"), information=SimpleNamespace()
    )

    plan = services.assessment_check(_input(), _state(derived=derived))

    assert plan.factors["user_consents"] is True
    assert plan.factors["user_informed_about_public_prosecution"] is True
    assert plan.consent_form == "verbal"


def test_a_mapping_gap_dates_the_next_reassessment_at_the_shortest_interval() -> None:
    gap = {"who": "user", "child_id": None, "label": "", "problem": "unknown"}

    plan = services.assessment_check(_input(RiskResult.NO), _state(gaps=(gap,)))

    assert plan.next_on == TODAY + dt.timedelta(days=min(DAYS.values()))
    assert plan.gaps == (gap,)


def test_a_re_derivation_may_bring_the_date_forward_but_never_push_it_back() -> None:
    sooner = TODAY + dt.timedelta(days=2)

    rederived = services.assessment_check(
        _input(RiskResult.NO, cause="consent_given"), _state(previous_next_on=sooner)
    )
    joint = services.assessment_check(_input(RiskResult.NO), _state(previous_next_on=sooner))

    assert rederived.next_on == sooner
    assert joint.next_on == TODAY + dt.timedelta(days=DAYS["not_indicated"])


def test_staff_may_choose_an_earlier_date_than_the_automatic_one() -> None:
    earlier = TODAY + dt.timedelta(days=3)

    plan = services.assessment_check(_input(chosen_next_on=earlier), _state())

    assert (plan.next_on, plan.chosen) == (earlier, True)


@pytest.mark.parametrize(
    ("days", "message_start"),
    [
        (-1, "Datoen for ny vurdering kan ikke være før i dag."),
        (DAYS["recommended"] + 1, "Datoen kan ikke være senere enn den automatiske datoen"),
    ],
)
def test_a_chosen_date_before_today_or_after_the_automatic_one_is_a_field_error(
    days: int, message_start: str
) -> None:
    chosen = TODAY + dt.timedelta(days=days)

    with pytest.raises(ValidationError) as exc:
        services.assessment_check(_input(RiskResult.YES, chosen_next_on=chosen), _state())

    errors = _field_errors(exc)
    assert list(errors) == ["next_reassessment_on"]
    assert errors["next_reassessment_on"][0].startswith(message_start)


def test_a_re_derivation_with_the_same_facts_on_another_day_is_unchanged() -> None:
    data = _input()
    derived = services.DerivedFactors(consent=None, information=None)
    _factors, before = services.assessment_factors(
        data, derived=derived, today=TODAY - dt.timedelta(days=5)
    )
    _factors, now = services.assessment_factors(data, derived=derived, today=TODAY)
    _factors, informed = services.assessment_factors(
        data,
        derived=services.DerivedFactors(consent=None, information=SimpleNamespace()),
        today=TODAY,
    )

    assert services.facts_unchanged(before, now)
    assert not services.facts_unchanged(before, informed)


def _case() -> Case:
    return Case(pk=1, centre_id=1)


def test_the_input_check_refuses_an_assessment_without_a_mapping_of_the_user() -> None:
    with pytest.raises(ValidationError) as exc:
        services.assessment_input(
            case=_case(), risk_mapping=None, factors={}, user_participated=True
        )

    assert list(_field_errors(exc)) == ["risk_mapping"]


def test_the_input_check_refuses_ticked_derived_factors_and_unknown_offences() -> None:
    mapping = RiskMapping(case_id=1, centre_id=1, result=RiskResult.NO)

    with pytest.raises(ValidationError) as exc:
        services.assessment_input(
            case=_case(),
            risk_mapping=mapping,
            factors={"user_consents": True},
            user_participated=True,
            suspected_offences=["no_such_offence"],
        )

    errors = _field_errors(exc)
    assert sorted(errors) == ["factors", "suspected_offences"]
    assert errors["factors"][0].startswith("Faktor 7 (samtykke) og 8")


def test_the_checked_input_is_frozen_and_stripped() -> None:
    mapping = RiskMapping(case_id=1, centre_id=1, result=RiskResult.NO)

    data = services.assessment_input(
        case=_case(),
        risk_mapping=mapping,
        factors={"great_danger": 1},  # type: ignore[dict-item]
        user_participated=True,
        user_view="  Vil tenke på det. ",
        factor_notes={"great_danger": " Trusler ", "not_a_factor": "x"},
    )

    assert data.ticked == {"great_danger": True}
    assert data.notes == {"great_danger": "Trusler"}
    assert data.user_view == "Vil tenke på det."
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.cause = "changed"  # type: ignore[misc]
