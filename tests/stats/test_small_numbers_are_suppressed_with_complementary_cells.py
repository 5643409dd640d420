"""Suppression (issue 8): every count under 5 is "<5"; no row or column of a table with
totals is left with exactly one hidden number, so nothing is found by subtraction."""

from __future__ import annotations

import itertools

import pytest

from vern.stats.suppression import RawTable, Table, suppress


def table(counts: list[list[int]], totals: bool = True) -> Table:
    return suppress(
        RawTable(
            id="t",
            title="T",
            description="",
            row_labels=[f"r{i}" for i in range(len(counts))],
            column_labels=[f"c{j}" for j in range(len(counts[0]))],
            counts=counts,
            totals=totals,
        )
    )


def texts(t: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in t.rows]


def test_a_one_column_table_hides_the_small_cell_and_the_next_smallest() -> None:
    t = table([[1], [10], [20]])

    assert texts(t) == [["<5"], ["x"], ["20"], ["31"]]


def test_two_small_cells_need_no_complement() -> None:
    t = table([[1], [3], [20]])

    assert texts(t) == [["<5"], ["<5"], ["20"], ["24"]]


def test_zero_is_also_hidden() -> None:
    assert texts(table([[0], [9], [7]])) == [["<5"], ["9"], ["x"], ["16"]]


def test_without_totals_only_the_small_numbers_are_hidden() -> None:
    assert texts(table([[1], [10], [20]], totals=False)) == [["<5"], ["10"], ["20"]]


def test_a_two_way_table_hides_a_rectangle() -> None:
    t = table([[1, 10], [12, 20]])

    assert texts(t) == [["<5", "x", "11"], ["x", "x", "32"], ["13", "30", "43"]]


def test_a_total_is_hidden_when_nothing_else_is_left_in_its_line() -> None:
    t = table([[2], [1]])

    assert texts(t) == [["<5"], ["<5"], ["<5"]]


@pytest.mark.parametrize(
    "counts",
    [
        [[1, 7, 9], [6, 8, 10], [5, 5, 30]],
        [[0, 0], [0, 6]],
        [[4, 30, 6], [50, 2, 9]],
        [[1, 100], [100, 100], [100, 3]],
    ],
)
def test_no_line_of_any_table_has_exactly_one_hidden_number(counts: list[list[int]]) -> None:
    t = table(counts)
    grid = [[cell.hidden for cell in row.cells] for row in t.rows]

    for row in grid:
        assert sum(row) != 1
    for column in zip(*grid, strict=True):
        assert sum(column) != 1


def test_every_small_count_is_hidden_in_random_tables() -> None:
    for counts in itertools.islice(itertools.product(range(0, 12, 3), repeat=4), 0, None, 7):
        t = table([list(counts[:2]), list(counts[2:])])
        cells = [t.rows[0].cells[0], t.rows[0].cells[1], t.rows[1].cells[0], t.rows[1].cells[1]]
        for value, cell in zip(counts, cells, strict=True):
            if value < 5:
                assert cell.text == "<5"
            else:
                assert cell.text in {str(value), "x"}
