"""Issue 21, relocations: the new centre's name and its police district are shown only on the
web app's step-up-protected reveal page (audited). No answer of the API names them: not the
plan, the reads, the steps, the errors, nor the OpenAPI document's examples; and no API read
writes a ``relocation_destination_revealed`` event (the API has no reveal)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import Api
from tests.api.test_a_relocation_over_the_api_runs_the_web_services import done_contact, plan_body
from tests.relocation.conftest import handover_consent
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.core import clock
from vern.relocation.models import Relocation

pytestmark = pytest.mark.django_db

SECRET = "Hemmeligby krisesenter KANARI"
# The district of the destination (vest) is hidden too; the case's own centre is in oslo.
SECRET_DISTRICT = "agder"


def _texts(responses: list[object]) -> list[str]:
    return [r.content.decode() for r in responses]  # type: ignore[attr-defined]


def test_no_answer_of_a_whole_move_names_the_destination(ansatt_api: Api, case: Case) -> None:
    created = ansatt_api.post(
        f"/cases/{case.pk}/relocations",
        plan_body(destination_name=SECRET, destination_police_district=SECRET_DISTRICT),
    )
    base = f"/cases/{case.pk}/relocations/{created.json()['id']}"
    responses = [
        created,
        ansatt_api.get(f"/cases/{case.pk}/relocations"),
        ansatt_api.get(base),
        # The destination's police contact is made in that district: its summary has none.
        ansatt_api.post(
            f"{base}/police-contacts/destination",
            done_contact(police_district=SECRET_DISTRICT),
        ),
        ansatt_api.post(f"{base}/police-contacts/departure", done_contact()),
        ansatt_api.post(f"{base}/police-choice", {"chosen_with_police": False}),
        ansatt_api.post(f"{base}/complete", {"handover": "none"}),  # 422: no user choice
        ansatt_api.post(f"{base}/user-choice"),
        ansatt_api.post(f"{base}/complete", {"handover": "none"}),
        ansatt_api.post(f"{base}/hand-over", {}),  # 403: no code
        ansatt_api.get(base),
    ]

    assert [r.status_code for r in responses] == [
        201, 200, 200, 201, 201, 200, 422, 200, 200, 403, 200,
    ]  # fmt: skip
    for text in _texts(responses):
        assert "Hemmeligby" not in text
        assert SECRET_DISTRICT not in text
    assert not AuditEvent.objects.filter(action="relocation_destination_revealed").exists()


def test_a_centre_in_vern_is_never_named_either(
    ansatt_api: Api, ansatt: User, case: Case, other_centre: Centre
) -> None:
    other_centre.police_district = SECRET_DISTRICT  # the default district of the plan
    other_centre.save(update_fields=["police_district"])
    created = ansatt_api.post(
        f"/cases/{case.pk}/relocations",
        plan_body(
            destination_name="",
            destination_centre_id=other_centre.pk,
            destination_police_district=None,
        ),
    )
    handover_consent(ansatt, case, recipient_unit=other_centre.name)
    base = f"/cases/{case.pk}/relocations/{created.json()['id']}"
    responses = [created, ansatt_api.get(base), ansatt_api.get(f"/cases/{case.pk}/relocations")]

    assert created.json()["in_vern"] is True
    assert Relocation.objects.get().destination_police_district == SECRET_DISTRICT
    for text in _texts(responses):
        assert other_centre.name not in text
        assert SECRET_DISTRICT not in text


def test_the_answers_have_no_property_that_could_hold_it(ansatt_api: Api, case: Case) -> None:
    from vern.api.endpoints import api

    components = api.get_openapi_schema()["components"]["schemas"]
    for name in ("RelocationOut", "RelocationEndOut", "RelocationContactOut"):
        properties = set(components[name]["properties"])
        assert not {p for p in properties if "destination" in p or "district" in p}, name
    created = ansatt_api.post(
        f"/cases/{case.pk}/relocations",
        plan_body(planned_on=(clock.today() + dt.timedelta(days=1)).isoformat()),
    )
    assert "destination_name" not in created.json()
