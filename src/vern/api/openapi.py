"""The OpenAPI document, made to say what the API really accepts (issue 21, ST202).

django-ninja writes the document from the operations' types. Some bounds depend on the day or
on the rulebook, so ``VernNinjaAPI`` finishes the document each time it is made (every
``GET /api/v1/openapi.json``), from ``vern.core.clock`` and the rulebook:

* ``/statistics`` and ``/statistics/national``: ``year`` from ``FIRST_YEAR`` to the current
  year (a later year is 422), not ninja's static 9999;
* ``POST /assess``: ``on`` not before the rulebook's ``applies_from`` (JSON Schema has no
  minimum for a date string, so it is in the description, with the date);
* ``RiskMappingIn``: ``oneOf`` the methods, with ``method`` as the discriminator; the
  ``other`` method requires ``method_other`` with text (the other methods ignore it);
* a police contact (``PoliceContactIn``, ``PoliceContactPlanIn`` and the relocation's):
  ``oneOf`` the legal grounds, with ``legal_ground`` as the discriminator, each variant naming
  its own fields and what makes the ground valid (the API keeps only the chosen ground's fields;
  a ground that is not valid is a 422 on a plan and a 409 ``deviation_not_confirmed`` on a
  done contact, which JSON Schema cannot state, so it is in the variant's description);
* links between operations (``links`` of OpenAPI 3): a created case's ``id`` is the
  ``case_id`` of the operations on it, a created consent's, contact's, relocation's, child's
  and deviation's ids those of theirs, so a stateful fuzzer follows the workflow;
* a property that takes ``null`` says so as OpenAPI 3.1 does (``type: [..., "null"]``), not
  with 3.0's ``nullable``, which a 3.1 reader ignores (``consent_form`` of ``/assess``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from vern.api.schemas import NOT_BLANK
from vern.assessments.models import MappingMethod
from vern.core import clock
from vern.police.models import LegalGround
from vern.rules import load_rulebook
from vern.stats.period import FIRST_YEAR

STATISTICS_PATHS = ("/statistics", "/statistics/national")


def _parameter(operation: dict[str, Any], name: str) -> dict[str, Any] | None:
    for parameter in operation.get("parameters") or []:
        if parameter.get("name") == name:
            found: dict[str, Any] = parameter
            return found
    return None


def _integer_schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The integer alternatives of a parameter schema (``anyOf`` [integer, null] or one)."""
    if schema.get("type") == "integer":
        return [schema]
    return [sub for sub in schema.get("anyOf") or [] if sub.get("type") == "integer"]


def _bound_years(schema: OpenAPISchema, today: dt.date) -> None:
    for path, operations in schema.get("paths", {}).items():
        if not path.endswith(STATISTICS_PATHS):
            continue
        for operation in operations.values():
            year = _parameter(operation, "year")
            if year is None:
                continue
            for integer in _integer_schemas(year["schema"]):
                integer["minimum"] = FIRST_YEAR
                integer["maximum"] = today.year
            year["description"] = (
                f"A year from {FIRST_YEAR} to the current year ({today.year}); default the "
                "current year. A later year is 422 on year."
            )


def _bound_assess_date(schema: OpenAPISchema) -> None:
    applies_from = load_rulebook().meta.applies_from.isoformat()
    for path, operations in schema.get("paths", {}).items():
        if not path.endswith("/assess") or "post" not in operations:
            continue
        body = operations["post"].get("requestBody", {}).get("content", {})
        on = body.get("application/json", {}).get("schema", {}).get("properties", {}).get("on")
        if on is not None:
            on["description"] = (
                f"The day to assess on (default today). Not before {applies_from}, the day "
                "the rulebook applies from: an earlier day is 422 invalid_facts on on."
            )
            on["examples"] = [applies_from]


def _variants(
    schemas: dict[str, Any],
    base: str,
    prop: str,
    variants: dict[str, tuple[dict[str, Any], list[str], str]],
) -> None:
    """``oneOf`` one component per value of ``prop`` (its ``const``), with the discriminator.
    Each value's variant: the properties it constrains, the ones it requires, a description.
    The base keeps its properties and ``additionalProperties``: a variant only narrows."""
    schema = schemas.get(base)
    if schema is None or prop not in schema.get("properties", {}):
        return
    refs: dict[str, str] = {}
    for value, (properties, required, description) in variants.items():
        name = f"{base}_{value}"
        schemas[name] = {
            "type": "object",
            "title": f"{prop} = {value}",
            "description": description,
            "properties": {prop: {"const": value}, **properties},
            "required": [prop, *required],
        }
        refs[value] = f"#/components/schemas/{name}"
    schema["oneOf"] = [{"$ref": ref} for ref in refs.values()]
    schema["discriminator"] = {"propertyName": prop, "mapping": refs}


OTHER_TOOL = {"method_other": {"type": "string", "minLength": 1, "pattern": NOT_BLANK}}


def _mapping_methods(schemas: dict[str, Any]) -> None:
    _variants(
        schemas,
        "RiskMappingIn",
        "method",
        {
            str(method): (
                (OTHER_TOOL, ["method_other"], "Another tool: method_other names it (422).")
                if method == MappingMethod.OTHER
                else ({}, [], f"{method.label}; method_other is ignored.")
            )
            for method in MappingMethod
        },
    )


NO_CONSENT_SHARED = (
    " What was shared (shared_categories, at least one) and why that was necessary "
    "(necessity_why); decided_by_id (default the token's owner); when and how the user was "
    "told (user_told_at with user_told_how) or why not yet (user_not_told_why)."
)
GROUNDS: dict[str, tuple[list[str], str]] = {
    LegalGround.CONSENT: (
        ["consent_id"],
        (
            "G3, C1: consent_id names a consent of this case to the police, in force at "
            "contact_at, covering the district and every shared category, given after the "
            "information on public prosecution (G5, G15)."
        ),
    ),
    LegalGround.DUTY_TO_AVERT: (
        [
            "duty_to_avert_offences",
            "duty_to_avert_why",
            "avert_action",
            "avert_action_note",
            "necessity_why",
            "decided_by_id",
            "user_told_at",
            "user_told_how",
            "user_not_told_why",
        ],
        "L2 (straffeloven § 196): every offence in duty_to_avert_offences on the § 196 list "
        "(at least one), why it is certain or most likely (duty_to_avert_why), what was done "
        "(avert_action with avert_action_note)." + NO_CONSENT_SHARED,
    ),
    LegalGround.DANGER: (
        [
            "danger_what",
            "danger_consent",
            "danger_consent_why",
            "decided_as",
            "leader_told_at",
            "necessity_why",
            "decided_by_id",
            "user_told_at",
            "user_told_how",
            "user_not_told_why",
        ],
        "L1 (krisesenterlova § 5 second paragraph): what the danger is (danger_what), why "
        "consent could not be had or was refused (danger_consent with danger_consent_why), "
        "who decided (decided_as leader, with decided_by_id a leader, or staff_leader_told "
        "with leader_told_at)." + NO_CONSENT_SHARED,
    ),
    LegalGround.ANONYMOUS: (
        ["shared_categories"],
        "G3: nothing that identifies the user is shared (shared_categories only violence).",
    ),
    LegalGround.NONE: ([], "No valid ground: a done contact opens a deviation for the leader."),
}
GROUND_TAIL = (
    " The fields of the other grounds are ignored. A ground that is not valid: 422 on a plan; "
    "on a done contact 409 deviation_not_confirmed unless confirm_deviation (then a deviation "
    "opens). Sharing identity, stay, address, perpetrator, children or the risk mapping needs "
    "a fresh code in X-Vern-OTP (403 step_up_required)."
)


def _contact_grounds(schemas: dict[str, Any]) -> None:
    for name, schema in list(schemas.items()):
        properties = schema.get("properties", {})
        if not name.endswith("In") or "legal_ground" not in properties or "oneOf" in schema:
            continue
        _variants(
            schemas,
            name,
            "legal_ground",
            {
                str(ground): (
                    {field: {} for field in fields if field in properties},
                    [],
                    why + GROUND_TAIL,
                )
                for ground, (fields, why) in GROUNDS.items()
            },
        )


CREATED: dict[str, str] = {
    # A created object's id is the path parameter of that name in later operations.
    "vern_api_endpoints_case_create": "case_id",
    "vern_api_endpoints_consent_create": "consent_id",
    "vern_api_endpoints_police_contact_create": "contact_id",
    "vern_api_relocations_relocation_plan": "relocation_id",
    "vern_api_children_child_add": "child_id",
    "vern_api_children_child_concern_create": "concern_id",
    "vern_api_deviations_deviation_create": "deviation_id",
    "vern_api_endpoints_assessment_create": "assessment_id",
}


def _links(schema: OpenAPISchema) -> None:
    """OpenAPI links: the created object's id (``$response.body#/id``) goes into the path
    parameter of that name of every operation that takes it; the case's own id goes along
    (``$request.path.case_id``) to the operations on the objects of the case."""
    operations = [
        (path, method, operation)
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    for path, _method, creator in operations:
        parameter = CREATED.get(creator.get("operationId", ""))
        if parameter is None:
            continue
        created = next((r for code, r in creator["responses"].items() if code == 201), None)
        if created is None:
            continue
        links: dict[str, Any] = {}
        for target_path, _m, target in operations:
            names = {p["name"] for p in target.get("parameters") or [] if p.get("in") == "path"}
            if parameter not in names or target is creator:
                continue
            values = {parameter: "$response.body#/id"}
            if "case_id" in names and parameter != "case_id" and "{case_id}" in path:
                values["case_id"] = "$request.path.case_id"
            if set(values) != names & set(values) or not names <= {*values, "end"}:
                continue
            links[target["operationId"]] = {
                "operationId": target["operationId"],
                "parameters": values,
                "description": f"The {parameter} of the created object, in {target_path}.",
            }
        if links:
            created["links"] = links


def _nullable_as_31(node: object) -> None:
    """OpenAPI 3.0's ``nullable: true`` is not a keyword of 3.1 (a 3.1 reader ignores it and
    takes ``null`` as the wrong type): say it as 3.1 does, a ``null`` type (and enum value)."""
    if isinstance(node, list):
        for item in node:
            _nullable_as_31(item)
        return
    if not isinstance(node, dict):
        return
    if node.pop("nullable", False) is True and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
        if isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
    for value in node.values():
        _nullable_as_31(value)


def finish(schema: OpenAPISchema, *, today: dt.date | None = None) -> OpenAPISchema:
    """The document with the bounds of today and of the rulebook (in place; returned)."""
    _nullable_as_31(schema)
    _bound_years(schema, today or clock.today())
    _bound_assess_date(schema)
    schemas = schema.get("components", {}).get("schemas", {})
    _mapping_methods(schemas)
    _contact_grounds(schemas)
    _links(schema)
    return schema


class VernNinjaAPI(NinjaAPI):
    """``NinjaAPI`` whose OpenAPI document is finished by ``finish`` each time it is made."""

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        return finish(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
