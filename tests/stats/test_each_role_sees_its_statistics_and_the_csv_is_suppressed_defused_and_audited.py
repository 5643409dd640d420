"""Statistics pages (issue 8): ansatt and leder see their centre's, the administrator the
national view; each chart is an accessible SVG beside its data table; the CSV export is
suppressed, formula-safe and audited."""

from __future__ import annotations

import csv
import io

from django.test import Client

from tests.stats import builders as b
from tests.stats.conftest import at
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.centres.models import Centre
from vern.stats.export import safe_cell


def test_a_leader_sees_her_centres_statistics_with_charts_and_tables(
    leder_client: Client, centre: Centre, leder: User
) -> None:
    for i in range(7):
        case = b.case(centre, leder)
        b.assessment(case, leder, at(3, i + 1))

    response = leder_client.get("/statistikk/", {"aar": "2025"})

    assert response.status_code == 200
    body = response.content.decode()
    # One chart per table (7, the last the child welfare duty, B1) and the time-to-police table.
    assert body.count('role="img"') == 7
    assert body.count("<caption>") == 8
    assert '<title id="chart-assessments_by_outcome-title">' in body
    assert "<desc id=" in body
    assert "Senter A, 2025." in body


def test_an_ansatt_may_see_a_quarter(ansatt_client: Client) -> None:
    response = ansatt_client.get("/statistikk/", {"aar": "2025", "kvartal": "2"})

    assert response.status_code == 200
    assert "2. kvartal 2025" in response.content.decode()


def test_the_administrator_gets_the_national_view_and_not_a_centres(
    admin_client_verified: Client,
) -> None:
    assert admin_client_verified.get("/statistikk/").status_code == 403
    response = admin_client_verified.get("/statistikk/nasjonal/", {"aar": "2025"})
    assert response.status_code == 200
    assert "Alle krisesentre" in response.content.decode()


def test_staff_of_a_centre_get_no_national_view(leder_client: Client) -> None:
    assert leder_client.get("/statistikk/nasjonal/").status_code == 403
    assert leder_client.get("/statistikk/nasjonal/csv/").status_code == 403


def test_a_suppressed_number_draws_no_bar(
    leder_client: Client, centre: Centre, leder: User
) -> None:
    case = b.case(centre, leder)
    b.assessment(case, leder, at(3, 1), involvement="required")
    for i in range(9):
        other = b.case(centre, leder)
        b.assessment(other, leder, at(3, i + 2), involvement="recommended")

    body = leder_client.get("/statistikk/", {"aar": "2025"}).content.decode()
    chart = body.split('<svg class="vern-chart"', 2)[1].split("</svg>")[0]

    # one bar shown (9), the "<5" and its complement "x" have no length
    assert chart.count('width="0"') == 2
    assert ">9<" in chart
    assert ">1<" not in chart


def test_the_csv_is_suppressed_and_audited(
    leder_client: Client, centre: Centre, leder: User
) -> None:
    case = b.case(centre, leder)
    b.assessment(case, leder, at(3, 1), involvement="required")

    response = leder_client.get("/statistikk/csv/", {"aar": "2025"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="vern-statistikk-senter-2025.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    outcome = rows[rows.index(["Vurderinger etter utfall"]) + 2]
    assert outcome == ["Politikontakt påkrevd", "<5"]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert (event.object_type, event.details["scope"], event.details["year"]) == (
        "statistics",
        "centre",
        2025,
    )


def test_cells_that_a_spreadsheet_would_run_are_defused() -> None:
    for dangerous in ("=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("<5") == "<5"
    assert safe_cell(12) == "12"


def test_a_bad_period_falls_back_to_this_year_with_the_error_shown(leder_client: Client) -> None:
    response = leder_client.get("/statistikk/", {"aar": "1999", "kvartal": "9"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "error-summary" in (
        response.content.decode()
    )
