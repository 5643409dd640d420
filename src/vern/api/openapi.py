"""The OpenAPI document, made to say what the API really accepts (issue 21, ST202).

django-ninja writes the document from the operations' types. Some bounds depend on the day or
on the rulebook, so ``VernNinjaAPI`` finishes the document each time it is made (every
``GET /api/v1/openapi.json``), from ``vern.core.clock`` and the rulebook:

* ``/statistics`` and ``/statistics/national``: ``year`` from ``FIRST_YEAR`` to the current
  year (a later year is 422), not ninja's static 9999;
* ``POST /assess``: ``on`` not before the rulebook's ``applies_from`` (JSON Schema has no
  minimum for a date string, so it is in the description, with the date);
* ``RiskMappingIn``: ``method_other`` is required, with text, when ``method`` is ``other``
  (an ``if``/``then`` of JSON Schema 2020-12, which OpenAPI 3.1 allows);
* a property that takes ``null`` says so as OpenAPI 3.1 does (``type: [..., "null"]``), not
  with 3.0's ``nullable``, which a 3.1 reader ignores (``consent_form`` of ``/assess``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from vern.api.schemas import NOT_BLANK
from vern.core import clock
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


def _method_other(schema: OpenAPISchema) -> None:
    mapping = schema.get("components", {}).get("schemas", {}).get("RiskMappingIn")
    if mapping is None:
        return
    mapping["if"] = {"properties": {"method": {"const": "other"}}, "required": ["method"]}
    mapping["then"] = {
        "properties": {"method_other": {"minLength": 1, "pattern": NOT_BLANK}},
        "required": ["method_other"],
    }
    mapping.setdefault("description", "")
    mapping["description"] = (
        mapping["description"] + " With method other, method_other names the tool (422)."
    ).strip()


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
    _method_other(schema)
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
