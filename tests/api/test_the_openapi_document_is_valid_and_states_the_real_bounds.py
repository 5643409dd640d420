"""Issue 21 (ST202): the OpenAPI document is a valid OpenAPI 3.1 document (checked by
openapi-spec-validator), and the bounds the API enforces are in it: the statistics' years from
the first year to the current one (computed when the document is requested, from
vern.core.clock), the earliest day of ``POST /assess`` (the rulebook's applies_from), and
``method_other`` with ``method: other`` on risk mappings. Each stated bound is also the one
the API answers by."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate

from tests.api.conftest import Api, error_of
from vern.cases.models import Case
from vern.core import clock
from vern.rules import load_rulebook
from vern.stats.period import FIRST_YEAR

pytestmark = pytest.mark.django_db


def _document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _year(document: dict[str, Any], path: str) -> dict[str, Any]:
    parameters = document["paths"][f"/api/v1{path}"]["get"]["parameters"]
    year = next(p for p in parameters if p["name"] == "year")
    integer = next(s for s in year["schema"]["anyOf"] if s.get("type") == "integer")
    return dict(integer)


def test_the_document_is_valid_openapi() -> None:
    document = _document()

    validate(document)
    assert document["openapi"].startswith("3.1")


@pytest.mark.parametrize("path", ["/statistics", "/statistics/national"])
def test_the_years_run_from_the_first_to_this_year(path: str) -> None:
    year = _year(_document(), path)

    assert (year["minimum"], year["maximum"]) == (FIRST_YEAR, clock.today().year)


def test_the_last_year_is_computed_when_the_document_is_requested(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    later = clock.now() + dt.timedelta(days=3 * 366)
    monkeypatch.setattr(clock, "now", lambda: later)

    assert _year(_document(), "/statistics")["maximum"] == later.year
    validate(_document())


def test_the_api_answers_by_the_years_the_document_states(ansatt_api: Api, admin_api: Api) -> None:
    year = _year(_document(), "/statistics")

    assert ansatt_api.get("/statistics", year=year["maximum"]).status_code == 200
    assert ansatt_api.get("/statistics", year=year["minimum"]).status_code == 200
    assert ansatt_api.get("/statistics", year=year["maximum"] + 1).status_code == 422
    assert ansatt_api.get("/statistics", year=year["minimum"] - 1).status_code == 422
    national = _year(_document(), "/statistics/national")
    assert admin_api.get("/statistics/national", year=national["maximum"]).status_code == 200
    assert admin_api.get("/statistics/national", year=national["maximum"] + 1).status_code == 422


def test_assess_states_the_first_day_of_the_rulebook(ansatt_api: Api) -> None:
    first = load_rulebook().meta.applies_from
    body = _document()["paths"]["/api/v1/assess"]["post"]["requestBody"]
    on = body["content"]["application/json"]["schema"]["properties"]["on"]

    assert first.isoformat() in on["description"]
    assert on["examples"] == [first.isoformat()]
    assert ansatt_api.post("/assess", {"on": first.isoformat()}).status_code == 200
    before = ansatt_api.post("/assess", {"on": (first - dt.timedelta(days=1)).isoformat()})
    assert (before.status_code, error_of(before)["field"]) == (422, "on")


def test_a_mapping_with_another_method_states_that_it_names_the_tool(
    ansatt_api: Api, case: Case
) -> None:
    schemas = _document()["components"]["schemas"]
    mapping = schemas["RiskMappingIn"]

    assert mapping["discriminator"]["propertyName"] == "method"
    other = schemas[mapping["discriminator"]["mapping"]["other"].rsplit("/", 1)[1]]
    assert other["properties"]["method"] == {"const": "other"}
    assert other["required"] == ["method", "method_other"]
    sara = schemas["RiskMappingIn_sara"]
    assert sara["required"] == ["method"]
    assert len(mapping["oneOf"]) == len(schemas["MappingMethod"]["enum"])
    missing = ansatt_api.post(
        f"/cases/{case.pk}/risk-mappings", {"method": "other", "result": "yes"}
    )
    assert (missing.status_code, error_of(missing)["field"]) == (422, "method_other")
    named = ansatt_api.post(
        f"/cases/{case.pk}/risk-mappings",
        {"method": "other", "result": "yes", "method_other": "Eget skjema"},
    )
    assert named.status_code == 201


def test_a_property_that_takes_null_says_so_as_openapi_3_1_does(ansatt_api: Api) -> None:
    body = _document()["paths"]["/api/v1/assess"]["post"]["requestBody"]
    consent_form = body["content"]["application/json"]["schema"]["properties"]["consent_form"]

    assert "nullable" not in consent_form
    assert consent_form["type"] == ["string", "null"]
    assert None in consent_form["enum"]
    assert ansatt_api.post("/assess", {"consent_form": None}).status_code == 200


@pytest.mark.parametrize("name", ["PoliceContactIn", "PoliceContactPlanIn"])
def test_a_police_contact_is_one_of_its_grounds(name: str) -> None:
    """``oneOf`` with ``legal_ground`` as the discriminator: one variant per ground, each
    naming its own fields, exactly one matching any ground (the variants differ by const)."""
    schemas = _document()["components"]["schemas"]
    contact = schemas[name]
    grounds = schemas["LegalGround"]["enum"]

    assert contact["discriminator"]["propertyName"] == "legal_ground"
    assert sorted(contact["discriminator"]["mapping"]) == sorted(grounds)
    for ground, ref in contact["discriminator"]["mapping"].items():
        variant = schemas[ref.rsplit("/", 1)[1]]
        assert variant["properties"]["legal_ground"] == {"const": ground}
        assert set(variant["properties"]) <= set(contact["properties"])
        assert variant["description"]
    avert = schemas[f"{name}_duty_to_avert"]["properties"]
    assert {"duty_to_avert_offences", "avert_action", "necessity_why"} <= set(avert)
    assert "consent_id" in schemas[f"{name}_consent"]["properties"]


def test_links_carry_a_created_cases_id_to_the_operations_on_it() -> None:
    paths = _document()["paths"]
    create = paths["/api/v1/cases"]["post"]["responses"]
    links = create["201"]["links"] if "201" in create else create[201]["links"]
    ids = {op["operationId"] for ops in paths.values() for op in ops.values()}

    assert links["vern_api_endpoints_case_read"]["parameters"] == {"case_id": "$response.body#/id"}
    assert set(links) <= ids
    consent = paths["/api/v1/cases/{case_id}/consents"]["post"]["responses"]
    withdraw = (consent.get("201") or consent[201])["links"]["vern_api_endpoints_consent_withdraw"]
    assert withdraw["parameters"] == {
        "consent_id": "$response.body#/id",
        "case_id": "$request.path.case_id",
    }
