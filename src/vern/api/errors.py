"""One JSON shape for every error of the API: ``{"error": {"code", "field", "message"}}``.

Status codes (docs/api.md): 401 no or bad token; 403 the role may not use the operation, or a
fresh one-time code is missing (``step_up_required``); 404 not found, also for another
centre's ids; 409 a conflict with the state of the data (closed case, reference in use,
consent already withdrawn, unconfirmed deviation); 422 the input was refused: it does not
match the schema (``invalid_request``), the facts of ``POST /assess`` (``invalid_facts``) or a
rule of the service (``invalid``), always naming the offending field when there is one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from vern.cases.services import CaseClosedError


class ErrorBody(Schema):
    code: str
    field: str | None
    message: str


class Error(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised by an endpoint to answer with ``status`` and the error body."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.field = field
        self.message = message


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    field: str | None,
) -> HttpResponse:
    body = {"error": {"code": code, "field": field, "message": message}}
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="vern"'
    return response


def _first_field(exc: DjangoValidationError) -> tuple[str | None, str]:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            field = None if key == "__all__" else key
            return field, " ".join(str(e) for e in errors)
    return None, " ".join(str(m) for m in exc.messages)


def _ninja_field(errors: list[dict[str, Any]]) -> tuple[str | None, str]:
    if not errors:
        return None, "invalid request"
    first = errors[0]
    loc = [str(part) for part in first.get("loc", ())]
    # ninja puts the location first ("body", "query", "path") and then the schema's name.
    if loc and loc[0] in {"body", "query", "path", "header"}:
        loc = loc[1:]
    if loc and loc[0] in {"payload", "data", "filters"}:
        loc = loc[1:]
    field = ".".join(loc) or None
    message = str(first.get("msg", "invalid value"))
    return field, message


def install_error_handlers(api: NinjaAPI) -> None:
    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api, request, status=exc.status, code=exc.code, message=exc.message, field=exc.field
        )

    def on_auth(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api,
            request,
            status=401,
            code="unauthorized",
            message="A valid API token is required.",
            field=None,
        )

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if exc.status_code == 400:  # a body that is not JSON
            return error_response(
                api, request, status=422, code="invalid_request", message=str(exc), field=None
            )
        return error_response(
            api, request, status=exc.status_code, code="error", message=str(exc), field=None
        )

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api, request, status=404, code="not_found", message="Not found.", field=None
        )

    def on_forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api,
            request,
            status=403,
            code="forbidden",
            message="Your role may not use this operation.",
            field=None,
        )

    def on_schema(request: HttpRequest, exc: Any) -> HttpResponse:
        field, message = _ninja_field(list(exc.errors))
        return error_response(
            api, request, status=422, code="invalid_request", message=message, field=field
        )

    def on_closed(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api,
            request,
            status=409,
            code="case_closed",
            message=" ".join(str(m) for m in exc.messages),
            field=None,
        )

    def on_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        field, message = _first_field(exc)
        return error_response(
            api, request, status=422, code="invalid", message=message, field=field
        )

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(NinjaValidationError, on_schema)
    api.add_exception_handler(CaseClosedError, on_closed)
    api.add_exception_handler(DjangoValidationError, on_invalid)
