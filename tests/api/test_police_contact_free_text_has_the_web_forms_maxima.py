"""The police-contact endpoint takes free text only up to the maxima of the web forms
(vern.police.forms, from vern.police.services.TEXT_LIMITS): a longer text is a 422 naming the
field, and nothing is saved; a text at the maximum is stored in full; the OpenAPI document
says the same maxima (G3, G9, G11)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.api.conftest import Api, error_of
from tests.factories import backup_code
from vern.accounts.models import User
from vern.api.endpoints import api
from vern.cases.models import Case
from vern.core import clock
from vern.police.forms import PoliceContactForm
from vern.police.models import PoliceContact

pytestmark = pytest.mark.django_db

# API field -> (where it sits in the body, the web form's field)
FIELDS = {
    "police_unit": ((), "police_unit"),
    "duty_to_avert_why": ((), "duty_to_avert_why"),
    "outcome_note": ((), "outcome_note"),
    "reprisal_check.routes_other": (("reprisal_check",), "reprisal_routes_other"),
    "reprisal_check.protections_other": (("reprisal_check",), "reprisal_protections_other"),
    "reprisal_check.note": (("reprisal_check",), "reprisal_note"),
}


def _form_limit(form_field: str) -> int:
    field = PoliceContactForm.base_fields[form_field]
    limit = getattr(field, "max_length", None)
    assert isinstance(limit, int), form_field
    return limit


def _body(field: str, text: str) -> dict[str, Any]:
    """An anonymous discussion of what happened (no step-up), done, with ``text`` in ``field``."""
    body: dict[str, Any] = {
        "status": "done",
        "contact_at": (clock.now() - dt.timedelta(hours=1)).isoformat(),
        "police_district": "oslo",
        "contact_role": "investigator",
        "channel": "phone",
        "legal_ground": "anonymous",
        "shared_categories": ["violence"],
    }
    if field == "duty_to_avert_why":
        # Kept only on a contact under the duty to avert (the service drops another ground's
        # record), so this one is that: a § 196 offence, what was done, why it was needed.
        body.update(
            legal_ground="duty_to_avert",
            duty_to_avert_offences=["straffeloven-274"],
            avert_action="report",
            avert_action_note="Meldte fra til politiet.",
            necessity_why="Politiet trengte det for å avverge.",
            user_not_told_why="Ikke ennå.",
        )
    path, _form_field = FIELDS[field]
    target = body
    for key in path:
        target = target.setdefault(key, {})
    target[field.rsplit(".", 1)[-1]] = text
    return body


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_text_at_the_forms_maximum_is_taken_and_stored_in_full(
    ansatt_api: Api, ansatt: User, case: Case, field: str
) -> None:
    limit = _form_limit(FIELDS[field][1])
    text = "æ" * (limit - 1) + "x"
    response = ansatt_api.post(
        f"/cases/{case.pk}/police-contacts",
        _body(field, text),
        {"X-Vern-OTP": backup_code(ansatt)},
    )
    assert response.status_code == 201, response.content
    contact = PoliceContact.objects.get(case=case)
    path, _form_field = FIELDS[field]
    stored: Any = contact
    for key in path:
        stored = getattr(stored, key)
    name = field.rsplit(".", 1)[-1]
    assert (stored[name] if path else getattr(stored, name)) == text, "stored in full"


@pytest.mark.parametrize("field", list(FIELDS))
def test_a_text_over_the_forms_maximum_is_a_422_naming_the_field(
    ansatt_api: Api, case: Case, field: str
) -> None:
    limit = _form_limit(FIELDS[field][1])
    response = ansatt_api.post(f"/cases/{case.pk}/police-contacts", _body(field, "x" * (limit + 1)))
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["field"] == field
    assert str(limit) in error["message"]
    assert not PoliceContact.objects.exists()


def test_the_openapi_document_gives_the_forms_maxima() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    for field, (path, form_field) in FIELDS.items():
        schema = schemas["ReprisalCheckIn" if path else "PoliceContactIn"]
        name = field.rsplit(".", 1)[-1]
        assert schema["properties"][name]["maxLength"] == _form_limit(form_field), field
