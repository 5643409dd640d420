"""No person can be singled out from the CSV export (issue 8).

One case is alone in its category. The export shows "<5" for it, and the figures shown are
consistent with several values of that cell: we solve the table's equations by brute force
(rows and columns add up to the shown totals, "<5" is 0-4, "x" is 5 or more) and find more
than one solution for the lone case's cell."""

from __future__ import annotations

import csv
import io
import itertools

from django.test import Client

from tests.stats import builders as b
from tests.stats.conftest import at
from vern.accounts.models import User
from vern.centres.models import Centre


def _table(rows: list[list[str]], title: str) -> list[list[str]]:
    start = rows.index([title]) + 2
    end = start
    while end < len(rows) and rows[end]:
        end += 1
    return rows[start:end]


def _feasible_values(table: list[list[str]], target: tuple[int, int]) -> set[int]:
    """Every value of ``target`` consistent with what the table shows (brute force)."""
    grid = [row[1:] for row in table]
    hidden = [
        (r, c) for r, row in enumerate(grid) for c, text in enumerate(row) if not text.isdigit()
    ]
    # No hidden number exceeds the largest total shown.
    top = max(int(t) for row in grid for t in row if t.isdigit()) + 1
    ranges = [range(5) if grid[r][c] == "<5" else range(5, top) for r, c in hidden]
    n_rows, n_cols = len(grid), len(grid[0])
    found: set[int] = set()
    for guess in itertools.product(*ranges):
        values = [[int(t) if t.isdigit() else 0 for t in row] for row in grid]
        for (r, c), v in zip(hidden, guess, strict=True):
            values[r][c] = v
        value_rows = n_rows - 1 if n_rows > 1 else n_rows
        ok = (
            all(
                sum(values[r][c] for r in range(value_rows)) == values[n_rows - 1][c]
                for c in range(n_cols)
            )
            if n_rows > 1
            else True
        )
        if ok and n_cols > 1:
            ok = all(sum(values[r][: n_cols - 1]) == values[r][n_cols - 1] for r in range(n_rows))
        if ok:
            found.add(values[target[0]][target[1]])
    return found


def test_a_lone_case_cannot_be_derived_from_the_export(
    leder_client: Client, centre: Centre, leder: User
) -> None:
    # one consent is verbal and withdrawn; the others are many
    case = b.case(centre, leder)
    for _ in range(9):
        b.consent(case, leder, at(2, 1), form="written")
    for _ in range(6):
        b.consent(case, leder, at(2, 1), form="verbal")
    for _ in range(7):
        b.consent(case, leder, at(2, 1), form="written", withdrawn_at=at(3, 1))
    b.consent(case, leder, at(2, 1), form="verbal", withdrawn_at=at(3, 1))
    # one assessment "not indicated" among many
    b.assessment(case, leder, at(4, 1), involvement="not_indicated")
    for _ in range(8):
        b.assessment(b.case(centre, leder), leder, at(4, 2), involvement="recommended")
    for _ in range(12):
        b.assessment(b.case(centre, leder), leder, at(4, 3), involvement="required")

    text = leder_client.get("/statistikk/csv/", {"aar": "2025"}).content.decode()
    rows = list(csv.reader(io.StringIO(text)))

    consents = _table(rows, "Samtykker gitt og trukket tilbake")
    assert consents[1][0] == "Trukket tilbake"
    assert consents[1][2] == "<5"
    assert len(_feasible_values(consents, (1, 1))) > 1

    outcome = _table(rows, "Vurderinger etter utfall")
    assert outcome[2] == ["Politikontakt ikke aktuelt nå", "<5"]
    assert len(_feasible_values(outcome, (2, 0))) > 1
    # and the true numbers 1 appear nowhere as a count
    assert all(cell != "1" for row in consents + outcome for cell in row[1:])
