"""The statistics selector (issue 8): right counts per centre and period, in a fixed number of
aggregate queries, and the national figures across centres."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.stats import builders as b
from tests.stats.conftest import at
from vern.accounts.models import User
from vern.centres.models import Centre
from vern.stats.period import Period
from vern.stats.selectors import _median_from_histogram, statistics, time_to_police


def cells(stats, table_id):  # type: ignore[no-untyped-def]
    return {row.label: [c.text for c in row.cells] for row in stats.table(table_id).rows}


@pytest.fixture
def busy_centre(centre: Centre, ansatt: User) -> Centre:
    """Six assessments 'recommended', five 'required' in 2025, one in 2024 (out of period)."""
    for i in range(6):
        case = b.case(centre, ansatt)
        b.assessment(case, ansatt, at(3, i + 1), involvement="recommended")
    for i in range(5):
        case = b.case(centre, ansatt)
        b.assessment(case, ansatt, at(4, i + 1), involvement="required", next_step="contact_police")
    old = b.case(centre, ansatt)
    b.assessment(old, ansatt, dt.datetime(2024, 12, 31, 12, tzinfo=dt.UTC))
    return centre


def test_assessments_are_counted_by_outcome_in_the_period(
    busy_centre: Centre, year: Period
) -> None:
    stats = statistics(centre_id=busy_centre.pk, period=year, scope_label="A")

    # None "not indicated" (shown "<5"), so the next smallest (5 required) is hidden too.
    assert cells(stats, "assessments_by_outcome") == {
        "Politikontakt påkrevd": ["x"],
        "Politikontakt anbefalt": ["6"],
        "Politikontakt ikke aktuelt nå": ["<5"],
        "Totalt": ["11"],
    }
    assert cells(stats, "next_steps")["Totalt"] == ["11"]


def test_a_re_derivation_is_not_counted_as_an_assessment(
    centre: Centre, ansatt: User, year: Period
) -> None:
    case = b.case(centre, ansatt)
    first = b.assessment(case, ansatt, at(1, 10))
    b.assessment(case, ansatt, at(1, 11), supersedes=first, cause="consent_given")

    stats = statistics(centre_id=centre.pk, period=year, scope_label="A")

    raw_total = stats.table("assessments_by_outcome").rows[-1].cells[0]
    assert raw_total.text == "<5"


def test_another_centres_rows_are_not_counted(
    busy_centre: Centre, other_centre: Centre, year: Period
) -> None:
    stats = statistics(centre_id=other_centre.pk, period=year, scope_label="B")

    assert cells(stats, "assessments_by_outcome")["Totalt"] == ["<5"]


def test_the_national_view_adds_up_every_centre(
    busy_centre: Centre, other_centre: Centre, year: Period
) -> None:
    other_user = User.objects.create(username="b-user", role="ansatt", centre=other_centre)
    for i in range(5):
        case = b.case(other_centre, other_user)
        b.assessment(case, other_user, at(5, i + 1), involvement="not_indicated")

    stats = statistics(centre_id=None, period=year, scope_label="Alle")

    assert cells(stats, "assessments_by_outcome") == {
        "Politikontakt påkrevd": ["5"],
        "Politikontakt anbefalt": ["6"],
        "Politikontakt ikke aktuelt nå": ["5"],
        "Totalt": ["16"],
    }


def test_reassessments_are_on_time_or_late_against_the_superseded_date(
    centre: Centre, ansatt: User, year: Period
) -> None:
    for i in range(12):
        case = b.case(centre, ansatt)
        first = b.assessment(case, ansatt, at(2, 1), next_on=dt.date(2025, 2, 15))
        # Seven come on the due date or before, five after it (G8).
        day = 9 + i  # 9..15 on time, 16..20 late
        b.assessment(case, ansatt, at(2, day), supersedes=first)

    stats = statistics(centre_id=centre.pk, period=year, scope_label="A")

    assert cells(stats, "reassessments") == {
        "I tide": ["7"],
        "For sent": ["5"],
        "Totalt": ["12"],
    }


def test_consents_are_counted_given_and_withdrawn_by_form(
    centre: Centre, ansatt: User, year: Period
) -> None:
    case = b.case(centre, ansatt)
    for _ in range(6):
        b.consent(case, ansatt, at(1, 5), form="written")
    for _ in range(7):
        b.consent(case, ansatt, at(1, 5), form="verbal", withdrawn_at=at(2, 1))
    for _ in range(5):
        b.consent(case, ansatt, at(1, 5), form="written", withdrawn_at=at(3, 1))

    stats = statistics(centre_id=centre.pk, period=year, scope_label="A")

    assert cells(stats, "consents") == {
        "Gitt": ["11", "7", "18"],
        "Trukket tilbake": ["5", "7", "12"],
        "Totalt": ["16", "14", "30"],
    }


def test_police_contacts_are_counted_by_legal_ground(
    centre: Centre, ansatt: User, year: Period
) -> None:
    case = b.case(centre, ansatt)
    grounds = (
        ("consent", 8),
        ("duty_to_avert", 6),
        ("danger_to_life_or_health", 5),
        ("anonymous", 5),
        ("none", 5),
    )
    for ground, n in grounds:
        for _ in range(n):
            b.contact(case, ansatt, at(6, 1), ground=ground)
    b.contact(case, ansatt, at(6, 1), status="planned")

    stats = statistics(centre_id=centre.pk, period=year, scope_label="A")

    assert cells(stats, "police_contacts_by_ground") == {
        "Samtykke": ["8"],
        "Avvergeplikt (straffeloven § 196)": ["6"],
        "Fare for liv eller helse (krisesenterlova § 5 annet ledd)": ["5"],
        "Anonym drøfting": ["5"],
        "Uten gyldig grunnlag": ["5"],
        "Totalt": ["29"],
    }


def test_key_figures_count_deviations_relocations_and_refusals(
    centre: Centre, ansatt: User, year: Period
) -> None:
    case = b.case(centre, ansatt, opened_at=at(1, 1))
    for _ in range(6):
        b.deviation(case, ansatt, at(2, 1), closed_at=at(3, 1))
        b.refusal(case, ansatt, at(2, 1))
    for _ in range(5):
        b.relocation(case, ansatt, completed_at=at(7, 1))

    stats = statistics(centre_id=centre.pk, period=Period(2025), scope_label="A")
    figures = cells(stats, "key_figures")

    assert figures["Avvik åpnet"] == ["6"]
    assert figures["Avvik lukket"] == ["6"]
    assert figures["Brukeren ville ikke at politiet kontaktes (avslag)"] == ["6"]
    assert figures["Flyttinger gjennomført"] == ["5"]
    assert figures["Saker opprettet"] == ["<5"]


def test_the_median_time_to_police_comes_from_a_histogram(
    centre: Centre, ansatt: User, year: Period
) -> None:
    for days in (1, 2, 3, 10, 40, 300):
        case = b.case(centre, ansatt)
        b.assessment(case, ansatt, at(1, 2))
        b.contact(case, ansatt, at(1, 2) + dt.timedelta(days=days, hours=1))

    result = time_to_police(centre_id=centre.pk, period=year)

    assert result.cases == 6
    assert result.median_days == 6.5
    assert result.median_text == "6,5"


def test_the_median_is_hidden_below_five_cases(centre: Centre, ansatt: User, year: Period) -> None:
    case = b.case(centre, ansatt)
    b.assessment(case, ansatt, at(1, 2))
    b.contact(case, ansatt, at(1, 9))

    result = time_to_police(centre_id=centre.pk, period=year)

    assert (result.cases, result.cases_text, result.median_text) == (1, "<5", "x")


def test_median_of_a_histogram() -> None:
    assert _median_from_histogram({}) is None
    assert _median_from_histogram({3: 1}) == 3
    assert _median_from_histogram({1: 2, 5: 2}) == 3
    assert _median_from_histogram({1: 1, 2: 1, 9: 1}) == 2


def test_the_number_of_queries_does_not_grow_with_the_data(
    busy_centre: Centre, ansatt: User, year: Period
) -> None:
    with CaptureQueriesContext(connection) as small:
        statistics(centre_id=busy_centre.pk, period=year, scope_label="A")
    for i in range(30):
        case = b.case(busy_centre, ansatt)
        b.assessment(case, ansatt, at(8, 1 + i % 28))
        b.contact(case, ansatt, at(9, 1))
    with CaptureQueriesContext(connection) as large:
        statistics(centre_id=busy_centre.pk, period=year, scope_label="A")

    assert len(large) == len(small) <= 16
