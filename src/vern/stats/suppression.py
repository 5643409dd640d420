"""Small-number suppression, so that no person can be singled out from a table (issue 8).

1. Primary suppression: every count below ``THRESHOLD`` (5), zero included, is shown as "<5".
2. Complementary (secondary) suppression: a table with totals is a set of equations (each row
   and each column adds up to its total). Where one equation would have exactly one hidden
   number, the hidden number could be computed by subtraction; so the smallest other number in
   that row or column is hidden too (shown as "x"), or, when no other number is left, the
   total. Repeated until no row or column has exactly one hidden number.

The suppressed table is all that leaves this module: pages, charts, CSV and the API are built
from it, never from the raw counts (a bar's length would give the number away).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

THRESHOLD = 5
PRIMARY_TEXT = "<5"
SECONDARY_TEXT = "x"

Status = Literal["shown", "primary", "secondary"]
Position = tuple[int, int]


@dataclass(frozen=True)
class RawTable:
    """Counts from the database: ``counts[row][column]``. With ``totals`` the table shows a
    total row (when it has more than one row) and a total column (more than one column)."""

    id: str
    title: str
    description: str
    row_labels: Sequence[str]
    column_labels: Sequence[str]
    counts: Sequence[Sequence[int]]
    totals: bool = True


@dataclass(frozen=True)
class Cell:
    status: Status
    value: int | None  # None unless shown

    @property
    def text(self) -> str:
        if self.status == "primary":
            return PRIMARY_TEXT
        if self.status == "secondary":
            return SECONDARY_TEXT
        return str(self.value)

    @property
    def hidden(self) -> bool:
        return self.status != "shown"


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    description: str
    columns: tuple[str, ...]  # value columns, then "Totalt" when there is a total column
    rows: tuple[Row, ...]  # value rows, then the total row when there is one
    value_columns: int
    value_rows: int

    @property
    def hidden_count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.hidden)


def _lines(n_rows: int, n_cols: int, row_totals: bool, col_totals: bool) -> list[list[Position]]:
    """Each equation of the extended table as positions: the entries first, the total last."""
    lines: list[list[Position]] = []
    all_rows = n_rows + (1 if col_totals else 0)
    all_cols = n_cols + (1 if row_totals else 0)
    if row_totals:
        lines.extend([(r, c) for c in range(n_cols)] + [(r, n_cols)] for r in range(all_rows))
    if col_totals:
        lines.extend([(r, c) for r in range(n_rows)] + [(n_rows, c)] for c in range(all_cols))
    return lines


def suppress(raw: RawTable, *, threshold: int = THRESHOLD, total_label: str = "Totalt") -> Table:
    n_rows, n_cols = len(raw.row_labels), len(raw.column_labels)
    row_totals = raw.totals and n_cols > 1
    col_totals = raw.totals and n_rows > 1
    values: dict[Position, int] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            values[r, c] = int(raw.counts[r][c])
    if row_totals:
        for r in range(n_rows):
            values[r, n_cols] = sum(values[r, c] for c in range(n_cols))
    if col_totals:
        for c in range(n_cols + (1 if row_totals else 0)):
            values[n_rows, c] = sum(values[r, c] for r in range(n_rows))

    status: dict[Position, Status] = {
        pos: ("primary" if value < threshold else "shown") for pos, value in values.items()
    }
    lines = _lines(n_rows, n_cols, row_totals, col_totals)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [pos for pos in line if status[pos] != "shown"]
            if len(hidden) != 1:
                continue
            entries = [pos for pos in line[:-1] if status[pos] == "shown"]
            candidates = entries or [pos for pos in line[-1:] if status[pos] == "shown"]
            if not candidates:
                continue
            chosen = min(candidates, key=lambda pos: (values[pos], pos))
            status[chosen] = "secondary"
            changed = True

    def cell(pos: Position) -> Cell:
        state = status[pos]
        return Cell(status=state, value=values[pos] if state == "shown" else None)

    width = n_cols + (1 if row_totals else 0)
    rows = [
        Row(label=str(raw.row_labels[r]), cells=tuple(cell((r, c)) for c in range(width)))
        for r in range(n_rows)
    ]
    if col_totals:
        rows.append(
            Row(
                label=total_label,
                cells=tuple(cell((n_rows, c)) for c in range(width)),
                is_total=True,
            )
        )
    columns = tuple(str(label) for label in raw.column_labels) + (
        (total_label,) if row_totals else ()
    )
    return Table(
        id=raw.id,
        title=str(raw.title),
        description=str(raw.description),
        columns=columns,
        rows=tuple(rows),
        value_columns=n_cols,
        value_rows=n_rows,
    )
