"""The centre-wide pages of the web app over the API (issue 21): the reassessment lists every
case worker sees, and the leader's own lists and settings.

* ``GET /centre/reassessments``: the web's «Revurdering» page (any case worker): open cases
  overdue, due today, never assessed, with an event, with a consent ending near, coming up.
* ``GET /centre/rules-changed``: leaders, the web's «Regelendring» page (issue 13 point 6).
* ``GET /centre/deviations``: leaders, the web's review page under «senter/politi/»: open and
  recently closed deviations and every contact without consent (G11, L1, L2).
* ``GET /centre/child-welfare/pending``: leaders, the concerns with no notification yet (B1).
* ``GET`` and ``PUT /centre/settings``: leaders, the days to the next reassessment (G8).

They read through the selectors the web pages use (the token owner's centre only) and write
the audit event the web page writes (``case_listed`` for the leader's lists, with the same
reason), or ``api_read`` where the web page writes none; the settings are changed by the
service the web form calls (``centre_updated``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import P, QueryEx, Router, Schema
from pydantic import Field, StrictInt

from vern.accounts.models import User
from vern.api import schemas as s
from vern.api.auth import token_user
from vern.api.common import LIST, api_read, case_worker, query_only
from vern.api.contacts import contact_out
from vern.api.deviations import DeviationOut, deviation_out
from vern.assessments import services as assessment_services
from vern.assessments.upgrade import change_lines
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases import selectors as case_selectors
from vern.cases.models import Case, CentreSettings
from vern.cases.services import centre_settings_for
from vern.childwelfare import selectors as childwelfare_selectors
from vern.desk import selectors as desk_selectors
from vern.police import selectors as police_selectors
from vern.police import services as police_services

centre = Router(tags=["centre"])

MIN_DAYS = assessment_services.MIN_DAYS
MAX_DAYS = assessment_services.MAX_DAYS


# --------------------------------------------------------------------------- shapes


class CaseRef(Schema):
    """A case in a centre-wide list: its id (for the case operations) and reference."""

    id: int
    reference: str
    next_reassessment_on: dt.date | None


class ConsentEndingRef(CaseRef):
    consent_last_day: dt.date
    consent_expired: bool


class ComingUpOut(Schema):
    """In the next seven days: a reassessment, or the last day of a consent (C1)."""

    on: dt.date
    kind: Literal["reassessment", "consent_expiry"]
    case: CaseRef


class ReassessmentsOut(Schema):
    overdue: list[CaseRef]
    due_today: list[CaseRef]
    never_assessed: list[CaseRef]
    triggered: list[CaseRef]
    consent_expiring: list[ConsentEndingRef]
    coming_up: list[ComingUpOut]
    # Leaders: how many open cases a new rulebook version changed (0 for others).
    rules_changed: int


class RulesChangedLine(Schema):
    trigger_id: int
    case_id: int
    reference: str
    recorded_at: dt.datetime
    from_version: str
    to_version: str
    lines: list[str]


class RulesChangedOut(Schema):
    lang: str
    count: int
    items: list[RulesChangedLine]


class NoConsentContactOut(s.PoliceContactOut):
    case_id: int
    reference: str
    leader_reviewed_at: dt.datetime | None
    reprisal_check_missing: bool
    user_told_missing: bool


class CentreDeviationsOut(Schema):
    open: list[DeviationOut]
    closed: list[DeviationOut]
    no_consent: list[NoConsentContactOut]
    unreviewed_count: int


class PendingConcernOut(Schema):
    id: int
    case_id: int
    reference: str
    child_id: int
    child_label: str
    grounds: list[str]
    recorded_at: dt.datetime


class PendingConcernsOut(Schema):
    count: int
    items: list[PendingConcernOut]


class CentreSettingsIn(s.Input):
    """G8: the days from an assessment to the next reassessment, by the outcome."""

    reassess_days_required: StrictInt = Field(ge=MIN_DAYS, le=MAX_DAYS)
    reassess_days_recommended: StrictInt = Field(ge=MIN_DAYS, le=MAX_DAYS)
    reassess_days_not_indicated: StrictInt = Field(ge=MIN_DAYS, le=MAX_DAYS)


class CentreSettingsOut(Schema):
    reassess_days_required: int
    reassess_days_recommended: int
    reassess_days_not_indicated: int


# --------------------------------------------------------------------------- helpers


def _leader(request: HttpRequest) -> User:
    """A leader of a centre (ansatt, administrator: 403), as the web's leader pages."""
    user = case_worker(request)
    if not user.is_leader:
        raise PermissionDenied
    return user


def _listed(request: HttpRequest, user: User, **extra: Any) -> None:
    """The audit event of the web page that lists the centre's case references."""
    audit_record(
        action=AuditAction.CASE_LISTED, actor=user, centre=user.centre, request=request, **extra
    )


def _ref(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "next_reassessment_on": case.next_reassessment_on,
    }


def _settings_out(row: CentreSettings) -> dict[str, int]:
    return {
        "reassess_days_required": row.reassess_days_required,
        "reassess_days_recommended": row.reassess_days_recommended,
        "reassess_days_not_indicated": row.reassess_days_not_indicated,
    }


# --------------------------------------------------------------------------- operations


@centre.get(
    "/reassessments",
    response={200: ReassessmentsOut, **LIST},
    summary="The open cases to reassess now or soon (the web's reassessment page, G8, C1)",
)
def reassessments(request: HttpRequest) -> dict[str, Any]:
    """Every case worker of the centre; writes one ``api_read`` audit event."""
    query_only(request)
    user = case_worker(request)
    board = desk_selectors.reassessment_dashboard(user=user)
    out: dict[str, Any] = {
        name: [_ref(case) for case in board[name]]  # type: ignore[attr-defined]
        for name in ("overdue", "due_today", "never_assessed", "triggered")
    }
    out["coming_up"] = [
        {"on": row.on, "kind": row.kind, "case": _ref(row.case)}
        for row in board["coming_up"]  # type: ignore[attr-defined]
    ]
    out["consent_expiring"] = [
        {
            **_ref(case),
            "consent_last_day": case.consent_last_day,
            "consent_expired": case.consent_expired,
        }
        for case in board["consent_expiring"]  # type: ignore[attr-defined]
    ]
    out["rules_changed"] = board["rules_changed"]
    api_read(request, user, object_type="case_list", object_id=None)
    return out


@centre.get(
    "/rules-changed",
    response={200: RulesChangedOut, **LIST},
    summary="Leaders: the open cases whose outcome a new rulebook version changed",
)
def rules_changed(
    request: HttpRequest,
    lang: QueryEx[Literal["nb", "nn", "en"], P(description="the language of the lines")] = "nb",
) -> dict[str, Any]:
    """Old → new outcome in words, as the web page (issue 13 point 6); each stays until a
    joint assessment answers its trigger. An ansatt: 403. Writes one ``api_read`` event."""
    query_only(request, "lang")
    user = _leader(request)
    items = [
        {
            "trigger_id": trigger.pk,
            "case_id": trigger.case_id,
            "reference": trigger.case.reference,
            "recorded_at": trigger.recorded_at,
            "from_version": str(trigger.outcome_change.get("from_version", "")),
            "to_version": str(trigger.outcome_change.get("to_version", "")),
            "lines": [str(line) for line in change_lines(trigger.outcome_change, lang)],
        }
        for trigger in case_selectors.rules_changed_triggers(user=user)
    ]
    api_read(request, user, object_type="case_list", object_id=None)
    return {"lang": lang, "count": len(items), "items": items}


@centre.get(
    "/deviations",
    response={200: CentreDeviationsOut, **LIST},
    summary="Leaders: the centre's deviations and every contact without consent (G11, L1, L2)",
)
def centre_deviations(
    request: HttpRequest,
    unreviewed: QueryEx[bool, P(description="only contacts not yet reviewed")] = False,
) -> dict[str, Any]:
    """The web's leader review page: open deviations (oldest first), the 100 latest closed,
    and the contacts on the duty to avert or the danger ground, unreviewed first. An ansatt:
    403. Writes the page's ``case_listed`` event (reason ``deviation_review``)."""
    query_only(request, "unreviewed")
    user = _leader(request)
    overview = police_selectors.leader_overview(user=user, unreviewed_only=unreviewed)
    _listed(request, user, reason="deviation_review", details={"via": "api"})
    return {
        "open": [deviation_out(d) for d in overview.open],
        "closed": [deviation_out(d) for d in overview.closed],
        "no_consent": [
            {
                **contact_out(contact),
                "case_id": contact.case_id,
                "reference": contact.case.reference,
                "leader_reviewed_at": contact.leader_reviewed_at,
                "reprisal_check_missing": police_services.reprisal_check_missing(contact),
                "user_told_missing": police_services.user_told_missing(contact),
            }
            for contact in overview.no_consent
        ],
        "unreviewed_count": sum(1 for c in overview.no_consent if not c.is_leader_reviewed),
    }


@centre.get(
    "/child-welfare/pending",
    response={200: PendingConcernsOut, **LIST},
    summary="Leaders: every child welfare concern of the centre not yet notified (B1)",
)
def child_welfare_pending(request: HttpRequest) -> dict[str, Any]:
    """Oldest first, as the web's list. An ansatt: 403. Writes the page's ``case_listed``
    event (``child_welfare_pending``)."""
    query_only(request)
    user = _leader(request)
    items = [
        {
            "id": concern.pk,
            "case_id": concern.case_id,
            "reference": concern.case.reference,
            "child_id": concern.child_id,
            "child_label": concern.child.label,
            "grounds": list(concern.grounds),
            "recorded_at": concern.recorded_at,
        }
        for concern in childwelfare_selectors.centre_pending_concerns(user=user)
    ]
    _listed(request, user, details={"list": "child_welfare_pending", "via": "api"})
    return {"count": len(items), "items": items}


@centre.get(
    "/settings",
    response={200: CentreSettingsOut, **LIST},
    summary="Leaders: the centre's days to the next reassessment, by outcome (G8)",
)
def centre_settings_read(request: HttpRequest) -> dict[str, int]:
    query_only(request)
    user = token_user(request)
    if not user.is_leader or user.centre_id is None:
        raise PermissionDenied
    return _settings_out(centre_settings_for(user.centre_id))


@centre.put(
    "/settings",
    response={200: CentreSettingsOut, **LIST},
    summary="Leaders: set the centre's days to the next reassessment, by outcome (G8)",
    url_name="centre_settings_read",  # one path, one URL name (the authorization matrix's row)
)
def centre_settings_update(request: HttpRequest, payload: CentreSettingsIn) -> dict[str, int]:
    """Each from 1 to 365 days (422 naming the field). New assessments use them; those made
    before keep their date. Audited as ``centre_updated``. An ansatt: 403."""
    query_only(request)
    user = token_user(request)
    if not user.is_leader or user.centre_id is None:
        raise PermissionDenied
    row = assessment_services.centre_settings_update(
        acting_user=user,
        reassess_days_required=payload.reassess_days_required,
        reassess_days_recommended=payload.reassess_days_recommended,
        reassess_days_not_indicated=payload.reassess_days_not_indicated,
    )
    return _settings_out(row)
