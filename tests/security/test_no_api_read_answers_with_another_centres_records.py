"""Every read of the API, with a token of Senter A, answers without a trace of the other centre
(issue 22): the matrix world gives the other centre one record of every kind, each carrying
the canary, so a lost centre filter behind any list or read shows up here."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.api.conftest import Api, token_for
from tests.documents.conftest import make_assessment, pdf_text
from tests.factories import backup_code
from tests.security.objects import World
from vern.accounts.models import User
from vern.api.endpoints import api
from vern.cases.models import Case
from vern.documents import exports

pytestmark = pytest.mark.django_db

# The centre-wide lists and settings (issue 21, vern.api.centre): leaders' and case workers'.
CENTRE_READS = (
    "/centre/reassessments",
    "/centre/rules-changed?lang=en",
    "/centre/deviations",
    "/centre/deviations?unreviewed=true",
    "/centre/child-welfare/pending",
    "/centre/settings",
)
# Reads without an id, and the reads of an own case (its id comes from the world).
READS = (
    "/cases",
    "/cases?status=closed",
    "/audit/status",
    "/statistics",
    # Each staff member's tasks (issue 18): the leader's include the centre's deviations.
    "/tasks",
    *CENTRE_READS,
)


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
        "/tasks",
        # Casework and documents (issue 21): the timeline below, the PDFs in the last test.
        "/cases/{case_id}/timeline",
        *DOCUMENT_GETS,
        # Relocations (issue 21): test_no_relocation_read_carries_the_other_centres_canary.
        "/cases/{case_id}/relocations",
        "/cases/{case_id}/relocations/{relocation_id}",
        # Children and deviations (issue 21): test_no_child_or_deviation_read_carries_....
        "/cases/{case_id}/children",
        "/cases/{case_id}/deviations",
        # The centre-wide reads (issue 21): READS above.
        *(path.split("?")[0] for path in CENTRE_READS),
    }


@pytest.mark.parametrize("role", ["ansatt", "leder"])
def test_no_read_of_the_api_carries_the_other_centres_canary(
    role: str, world: World, ansatt: User, leder: User
) -> None:
    user = {"ansatt": ansatt, "leder": leder}[role]
    client = Api(Client(), token_for(user))
    own_case = world.resolve("own_every_kind_case")
    other_case = world.resolve("other_every_kind_case")
    paths = [*READS, f"/cases/{own_case}", f"/cases/{other_case}"]
    paths += [f"/cases/{own_case}/timeline?lang=en", f"/cases/{other_case}/timeline"]

    for path in paths:
        response = client.get(path)
        assert response.status_code in {200, 403, 404}, (path, response.status_code)
        assert world.canary not in response.content.decode(), f"GET {path} as {role}"
    assert client.get("/cases").json(), "the own centre's cases are listed"


# --- Documents over the API (issue 21) -------------------------------------------------------

DOCUMENT_GETS = (
    "/cases/{case_id}/documents/information-sheet",
    "/cases/{case_id}/documents/consent-form/{consent_id}",
    "/cases/{case_id}/documents/assessment-explained/{assessment_id}",
    "/cases/{case_id}/documents/access-report",
)


def test_no_document_of_the_api_carries_the_other_centres_canary(
    world: World, ansatt: User, tmp_path: Path
) -> None:
    """Every PDF of the own every-kind case (the case summary with every part), read as text:
    the other centre, whose every text is the canary, is in none of them."""
    client = Api(Client(), token_for(ansatt))
    own = Case.objects.get(pk=world.resolve("own_every_kind_case"))
    world.resolve("other_every_kind_case")
    ids = {
        "case_id": own.pk,
        "consent_id": own.consents.order_by("pk").values_list("pk", flat=True)[0],
        "assessment_id": make_assessment(ansatt, own, offences=[]).pk,
    }
    everything = dict.fromkeys(exports.SUMMARY_CHOICES, True)
    responses = [
        client.get(path.format(**ids), {"X-Vern-OTP": backup_code(ansatt)})
        for path in DOCUMENT_GETS
    ]
    responses.append(
        client.post(
            f"/cases/{own.pk}/documents/case-summary",
            everything,
            {"X-Vern-OTP": backup_code(ansatt)},
        )
    )

    for response in responses:
        assert response.status_code == 200, response.content[:200]
        assert world.canary not in pdf_text(response.content, tmp_path)


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


# --- Children and deviations (issue 21, vern.api.children and vern.api.deviations) ----------


@pytest.mark.parametrize("role", ["ansatt", "leder"])
def test_no_child_or_deviation_read_carries_the_other_centres_canary(
    role: str, world: World, ansatt: User, leder: User
) -> None:
    """The every-kind cases have children with concerns and a notification, and deviations of
    every kind: the own case's lists have their own, the other's case is 404, and the
    canary is in no answer."""
    user = {"ansatt": ansatt, "leder": leder}[role]
    client = Api(Client(), token_for(user))
    own_case = world.resolve("own_every_kind_case")
    other_case = world.resolve("other_every_kind_case")
    paths = [
        f"/cases/{own_case}/children",
        f"/cases/{own_case}/deviations",
        f"/cases/{other_case}/children",
        f"/cases/{other_case}/deviations",
    ]

    statuses = []
    for path in paths:
        response = client.get(path)
        statuses.append(response.status_code)
        assert world.canary not in response.content.decode(), f"GET {path} as {role}"
    assert statuses == [200, 200, 404, 404]
    children = client.get(paths[0]).json()
    assert children["items"], "the own case's children are listed"
    assert children["items"][0]["concerns"], "with their concerns"
    assert children["notifications"], "and the notifications"
    assert client.get(paths[1]).json()["items"], "the own case's deviations are listed"
