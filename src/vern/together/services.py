"""Writes of the "Assess together" mode (issue 17). Each one transaction with its audit events.

The mode is a screen for the user on the staff member's device; the staff member who opened it
is the acting user of every write (the user has no account). The user's answers are saved by
``vern.assessments.services.user_view_record`` and the consent by
``vern.consent.services.consent_create``; what the user read on the information screens is
recorded as information given (G5, G12, G13, G15) in the same transaction as the view."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.http import HttpRequest

from vern.accounts import mfa
from vern.accounts.models import User
from vern.assessments.models import UserView
from vern.assessments.services import user_view_record
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case
from vern.consent.models import InformationKind
from vern.consent.services import information_record


@transaction.atomic
def together_save(
    *,
    acting_user: User,
    case: Case,
    language: str,
    answers: Mapping[str, str],
    words: Mapping[str, str],
    texts_version: str,
    request: HttpRequest | None = None,
) -> UserView:
    """Save the user's view given in the mode, and that the user read, in ``language``, the
    screens on public prosecution with the two-year rule (G5, G15) and on what the police can
    do with the measures catalogue (G12, G13, P1). All or nothing: a refused answer
    (ValidationError) stores neither."""
    view = user_view_record(
        acting_user=acting_user,
        case=case,
        language=language,
        answers=answers,
        words=words,
        texts_version=texts_version,
        request=request,
    )
    for kind in (InformationKind.POLICE_HELP_AND_MEASURES, InformationKind.PUBLIC_PROSECUTION):
        information_record(
            acting_user=acting_user, case=case, kind=kind, language=language, request=request
        )
    return view


@transaction.atomic
def together_code_check(*, user: User, code: str, request: HttpRequest | None = None) -> bool:
    """Whether ``code`` is a one-time code of ``user`` (TOTP, or a backup code, which is used
    up), to leave or unlock the mode; the audit log gets a step-up event either way."""
    device = mfa.match_code(user, (code or "").strip()) if code else None
    audit_record(
        action=AuditAction.STEP_UP if device is not None else AuditAction.STEP_UP_FAILED,
        actor=user,
        centre=user.centre,
        request=request,
        reason="together",
    )
    return device is not None
