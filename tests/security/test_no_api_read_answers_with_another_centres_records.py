"""Every read of the API, with a token of Senter A, answers without a trace of the other centre
(issue 22): the matrix world gives the other centre one record of every kind, each carrying
the canary, so a lost centre filter behind any list or read shows up here."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import Api, token_for
from tests.security.objects import World
from vern.accounts.models import User
from vern.api.endpoints import api

pytestmark = pytest.mark.django_db

# Reads without an id, and the reads of an own case (its id comes from the world).
READS = ("/cases", "/cases?status=closed", "/audit/status", "/statistics")


def test_every_read_of_the_api_is_in_this_test() -> None:
    gets = {
        path.removeprefix("/api/v1")
        for path, operations in api.get_openapi_schema()["paths"].items()
        if "get" in operations
    }

    assert gets == {
        "/cases",
        "/cases/{case_id}",
        "/audit/status",
        "/statistics",
        "/statistics/national",
        # Relocations (issue 21): test_no_relocation_read_carries_the_other_centres_canary.
        "/cases/{case_id}/relocations",
        "/cases/{case_id}/relocations/{relocation_id}",
    }


@pytest.mark.parametrize("role", ["ansatt", "leder"])
def test_no_read_of_the_api_carries_the_other_centres_canary(
    role: str, world: World, ansatt: User, leder: User
) -> None:
    user = {"ansatt": ansatt, "leder": leder}[role]
    client = Api(Client(), token_for(user))
    own_case = world.resolve("own_every_kind_case")
    paths = [*READS, f"/cases/{own_case}", f"/cases/{world.resolve('other_every_kind_case')}"]

    for path in paths:
        response = client.get(path)
        assert response.status_code in {200, 403, 404}, (path, response.status_code)
        assert world.canary not in response.content.decode(), f"GET {path} as {role}"
    assert client.get("/cases").json(), "the own centre's cases are listed"


# --- Relocations (issue 21, vern.api.relocations) -------------------------------------------


@pytest.mark.parametrize("role", ["ansatt", "leder"])
def test_no_relocation_read_carries_the_other_centres_canary(
    role: str, world: World, ansatt: User, leder: User
) -> None:
    """The other centre's planned move has the canary as its destination and reason: the own
    centre's reads list only their own move, and the other's ids are 404 either way."""
    user = {"ansatt": ansatt, "leder": leder}[role]
    client = Api(Client(), token_for(user))
    own_case, own = world.resolve("own_relocation_case"), world.resolve("own_relocation")
    other_case, other = world.resolve("other_relocation_case"), world.resolve("other_relocation")
    paths = [
        f"/cases/{own_case}/relocations",
        f"/cases/{own_case}/relocations/{own}",
        f"/cases/{own_case}/relocations/{other}",
        f"/cases/{other_case}/relocations",
        f"/cases/{other_case}/relocations/{other}",
    ]

    statuses = []
    for path in paths:
        response = client.get(path)
        statuses.append(response.status_code)
        assert world.canary not in response.content.decode(), f"GET {path} as {role}"
    assert statuses == [200, 200, 404, 404, 404]
    assert [item["id"] for item in client.get(paths[0]).json()["items"]] == [own]
