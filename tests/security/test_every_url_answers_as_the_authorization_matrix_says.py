"""Every URL x requester answers the status of authz_matrix.yaml; no URL is left out of it;
another centre's objects are "not found" (404) and nothing of the other centre leaks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.security import matrix
from tests.security.objects import World
from vern.accounts.models import User
from vern.core.access import access_level

CELLS = matrix.cells()
ROLE_DENIAL = {403, 405}


def test_every_url_pattern_of_the_project_has_a_row_in_the_matrix() -> None:
    in_matrix = {row.url_name for row in matrix.rows()}
    unnamed = [route for name, route, _p in matrix.url_patterns() if not name]
    missing = sorted({name for name, _route, _p in matrix.url_patterns() if name} - in_matrix)

    assert not unnamed, f"URL patterns without a name cannot be in the matrix: {unnamed}"
    assert not missing, (
        f"URLs missing from tests/security/authz_matrix.yaml: {missing}. "
        "Add a row for each (see the comment at the top of the file)."
    )


def test_every_row_of_the_matrix_names_an_existing_url() -> None:
    existing = {name for name, _route, _p in matrix.url_patterns()}
    stale = sorted({row.url_name for row in matrix.rows()} - existing)

    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("row", matrix.rows(), ids=lambda r: r.name)
def test_the_access_mark_in_the_matrix_is_the_views_real_mark(row: matrix.Row) -> None:
    pattern = next(p for name, _route, p in matrix.url_patterns() if name == row.url_name)

    assert access_level(pattern.callback) == row.access


@pytest.mark.parametrize("row", matrix.rows(), ids=lambda r: r.name)
def test_other_centre_cells_are_404_unless_the_role_is_refused_the_url(row: matrix.Row) -> None:
    for method, statuses in row.expect.items():
        for column in matrix.OTHER_COLUMNS:
            if column not in statuses:
                continue
            own = statuses[column.removesuffix("_other")]
            allowed = {404} | ({own} if own in ROLE_DENIAL else set())
            assert statuses[column] in allowed, (
                f"{row.name} {method} {column}: another centre's object must answer 404 "
                f"(or the role's own refusal {own}), not {statuses[column]}"
            )


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.id)
def test_cell(
    cell: matrix.Cell,
    client: Client,
    world: World,
    requesters: dict[str, User | None],
    login: Callable[[Client, User | None], Client],
) -> None:
    login(client, requesters[cell.role])
    url = matrix.build_url(cell.row, world, other=cell.other_centre)
    assert resolve(url).view_name == cell.row.url_name

    send = getattr(client, cell.method.lower())
    response = send(url, cell.row.data) if cell.method != "GET" else send(url)

    assert response.status_code == cell.expected, (
        f"{cell.method} {url} as {cell.column}: {response.status_code}, matrix says {cell.expected}"
    )
    if cell.role == "anonymous" and cell.row.access != "public":
        assert response["Location"].startswith(reverse("accounts:login"))
    if cell.role in {"ansatt", "leder"}:
        body = response.content.decode("utf-8", "replace")
        if cell.row.shows_centre_names:
            body = body.replace(world.other_centre.name, "")
        leaked = world.canary in body
        leaked = leaked or world.canary in response.get("Location", "")
        assert not leaked, f"{cell.id}: the other centre's canary is in the response"
