"""What every API router shares: the documented error statuses, the path id types, and the
small steps each operation takes first (who may call it, no unknown query parameters, the case
in the caller's centre, the read audit event, an open case, step-up for identifying
information).

Routers live in their own modules (``vern.api.endpoints`` and the area modules beside it) and
import these; ``vern.api.endpoints`` builds the ``NinjaAPI`` and adds every router.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import P, PathEx

from vern.accounts import mfa
from vern.accounts.models import User
from vern.api import schemas as s
from vern.api.auth import token_user
from vern.api.errors import ApiError, Error
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases import selectors as case_selectors
from vern.cases import services as case_services
from vern.cases.models import Case

OTP_HEADER = "X-Vern-OTP"

# Every status documented here is produced (tests/api/test_every_documented_status_is_real.py).
LIST = {401: Error, 403: Error, 422: Error}
READ = {401: Error, 403: Error, 404: Error, 422: Error}
CREATE = {401: Error, 403: Error, 409: Error, 422: Error}
WRITE = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
CaseId = PathEx[int, P(ge=1, le=s.MAX_ID)]
ObjectId = PathEx[int, P(ge=1, le=s.MAX_ID)]


def case_worker(request: HttpRequest) -> User:
    """The token's owner, when she works with cases (administrators: 403)."""
    user = token_user(request)
    case_services.require_case_worker(user)
    return user


def query_only(request: HttpRequest, *allowed: str) -> None:
    """Unknown query parameters are refused (422), not silently ignored."""
    for name, values in request.GET.lists():
        if name not in allowed:
            raise ApiError(422, "invalid_request", "Unknown query parameter.", name[:64])
        if any("\x00" in value for value in values):
            raise ApiError(422, "invalid_request", "NUL characters are not allowed.", name)


def case_for(user: User, case_id: int) -> Case:
    """The case in the caller's centre (another centre's id: 404)."""
    return case_selectors.case_get(user=user, pk=case_id)


def case_step(
    request: HttpRequest, case_id: int, *, query: tuple[str, ...] = (), open_case: bool = False
) -> tuple[User, Case]:
    """The opening every case operation shares: no unknown query parameters (``query`` are
    the allowed ones), the token's owner a case worker (else 403), the case in her centre
    (else 404) and, with ``open_case``, not closed (else 409). In that order, so another
    centre's ids are 404 before any rule of the operation is told."""
    query_only(request, *query)
    user = case_worker(request)
    case = case_for(user, case_id)
    if open_case:
        ensure_open(case)
    return user, case


def api_read(request: HttpRequest, user: User, *, object_type: str, object_id: int | None) -> None:
    """The one ``api_read`` audit event of a request that reads case data."""
    audit_record(
        action=AuditAction.API_READ,
        actor=user,
        centre=user.centre,
        object_type=object_type,
        object_id=object_id,
        request=request,
    )


def ensure_open(case: Case) -> None:
    if case.is_closed:
        raise ApiError(409, "case_closed", "The case is closed and cannot be changed.")


def require_fresh_code(request: HttpRequest, user: User) -> None:
    """Step-up as on the web: a one-time code (TOTP or backup code) in X-Vern-OTP."""
    code = request.headers.get(OTP_HEADER, "")
    if not code or len(code) > 32 or mfa.match_code(user, code) is None:
        audit_record(
            action=AuditAction.STEP_UP_FAILED, actor=user, centre=user.centre, request=request
        )
        raise ApiError(
            403,
            "step_up_required",
            f"This operation shares identifying information: send a fresh one-time code in "
            f"the {OTP_HEADER} header.",
            OTP_HEADER,
        )
    audit_record(action=AuditAction.STEP_UP, actor=user, centre=user.centre, request=request)
