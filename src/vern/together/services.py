"""Writes of the "Assess together" mode (issue 17). Each one transaction with its audit events.

The mode is a screen for the user on the staff member's device; the staff member who opened it
is the acting user of every write (the user has no account). The user's answers are saved by
``vern.assessments.services.user_view_record`` and the consent by
``vern.consent.services.consent_create``; what the user read on the information screens is
recorded as information given (G5, G12, G13, G15) in the same transaction as the view."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Final

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from vern.accounts import mfa
from vern.accounts.models import User
from vern.assessments.models import UserView
from vern.assessments.services import user_view_record
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case
from vern.centres.tenancy import set_request_scope, system_scope
from vern.consent.models import InformationKind
from vern.consent.services import information_record
from vern.core import clock
from vern.together.models import Pairing, PairingAttempt


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


# --------------------------------------------------------------------------- a second screen

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or off a screen is typed right.
PAIRING_ALPHABET: Final = "34679ACDEFGHJKMNPQRTUVWXY"
PAIRING_LENGTH: Final = 6
PAIRING_MINUTES: Final = 10
# Wrong codes: per client address, and in all (every live code is guessed at most that often).
PAIRING_FAILURES_PER_CLIENT: Final = 5
PAIRING_FAILURES_IN_ALL: Final = 100


class PairingRefused(Exception):  # noqa: N818 (a refusal, not an error of the code)
    """The code was refused; ``throttled`` when too many wrong codes came first."""

    def __init__(self, *, throttled: bool = False) -> None:
        super().__init__("throttled" if throttled else "refused")
        self.throttled = throttled


def _keyed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def pairing_code_normal(code: str) -> str:
    """The code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _client_hash(request: HttpRequest | None) -> str:
    """The client's address as the login lockout sees it (django-axes, which honours the
    trusted proxies of ``AXES_CLIENT_IP_CALLABLE``), keyed."""
    address = str(get_client_ip_address(request) or "") if request is not None else ""
    return _keyed("pairing-client:" + address)


@transaction.atomic
def pairing_create(
    *, acting_user: User, case: Case, request: HttpRequest | None = None
) -> tuple[Pairing, str]:
    """A new pairing for ``case``, and its code (shown once to ``acting_user``; only its keyed
    hash is stored). The staff member's earlier pairings of the case that no browser claimed
    end: one code at a time. Audited as ``pairing_created``."""
    if case.is_closed:
        raise ValidationError(_("Saken er avsluttet og kan ikke endres."))
    now = clock.now()
    Pairing.objects.filter(
        centre_id=case.centre_id, case=case, staff=acting_user, claimed_at=None, ended_at=None
    ).update(ended_at=now)
    while True:
        code = "".join(secrets.choice(PAIRING_ALPHABET) for _i in range(PAIRING_LENGTH))
        digest = _keyed("pairing:" + code)
        if not Pairing.objects.filter(code_hash=digest).exists():
            break
    pairing = Pairing.objects.create(
        centre_id=case.centre_id, case=case, staff=acting_user, code_hash=digest,
        created_at=now, expires_at=now + dt.timedelta(minutes=PAIRING_MINUTES),
    )  # fmt: skip
    audit_record(
        action=AuditAction.PAIRING_CREATED, actor=acting_user, centre=case.centre,
        object_type="case", object_id=case.pk, request=request,
        details={"pairing": pairing.pk},
    )  # fmt: skip
    return pairing, code


def pairing_claim(*, code: str, request: HttpRequest | None = None) -> Pairing:
    """The pairing whose code this is, now claimed (single use), with the request's tenant
    scope set to its centre; PairingRefused for a wrong, used, ended or expired code, with a
    ``pairing_claim_failed`` event and one attempt counted for the client address. Too many
    wrong codes from the address, or in all, in the last ``PAIRING_MINUTES``: refused as
    throttled before the code is looked at.

    The code names no centre, so the lookup of its hash is the one read of a web request in
    ``system_scope`` (one row by a unique keyed hash; ADR 0017 addendum). The refusal's
    event and attempt are committed with the request, though the claim is refused."""
    outcome = _pairing_claim(code=code, request=request)
    if isinstance(outcome, PairingRefused):
        raise outcome
    return outcome


@transaction.atomic
def _pairing_claim(*, code: str, request: HttpRequest | None) -> Pairing | PairingRefused:
    now = clock.now()
    since = now - dt.timedelta(minutes=PAIRING_MINUTES)
    client = _client_hash(request)
    # Older attempts count for nothing: they are not kept.
    PairingAttempt.objects.filter(at__lt=since).delete()
    recent = PairingAttempt.objects.filter(at__gte=since)
    if (
        recent.filter(client_hash=client).count() >= PAIRING_FAILURES_PER_CLIENT
        or recent.count() >= PAIRING_FAILURES_IN_ALL
    ):
        audit_record(action=AuditAction.PAIRING_CLAIM_FAILED, request=request, reason="throttled")
        return PairingRefused(throttled=True)
    normal = pairing_code_normal(code)
    pairing = None
    if len(normal) == PAIRING_LENGTH:
        with system_scope():
            pairing = (
                Pairing.objects.select_related("staff", "case")
                .filter(code_hash=_keyed("pairing:" + normal))
                .first()
            )
    staff = pairing.staff if pairing is not None else None
    usable = (
        pairing is not None
        and staff is not None
        and pairing.waiting(now)
        and staff.is_active
        and staff.works_with_cases
        and staff.centre_id == pairing.centre_id
        and not pairing.case.is_closed
    )
    if not usable or pairing is None or staff is None:
        PairingAttempt.objects.create(client_hash=client, at=now)
        audit_record(action=AuditAction.PAIRING_CLAIM_FAILED, request=request,
                     reason="wrong_code")  # fmt: skip
        return PairingRefused()
    set_request_scope(staff)
    pairing.claimed_at = now
    pairing.save(update_fields=["claimed_at"])
    audit_record(
        action=AuditAction.PAIRING_CLAIMED, actor=staff, centre=staff.centre,
        object_type="case", object_id=pairing.case_id, request=request,
        details={"pairing": pairing.pk},
    )  # fmt: skip
    return pairing


@transaction.atomic
def pairing_end(
    *, acting_user: User, pairing: Pairing, request: HttpRequest | None = None
) -> Pairing:
    """End ``pairing`` (by its staff member on the staff device, or with that staff member's
    code on the paired screen): the paired browser shows the neutral screen at its next
    request. Ending an ended pairing changes nothing and writes nothing."""
    if pairing.ended_at is not None:
        return pairing
    pairing.ended_at = clock.now()
    pairing.save(update_fields=["ended_at"])
    audit_record(
        action=AuditAction.PAIRING_ENDED, actor=acting_user, centre=acting_user.centre,
        object_type="case", object_id=pairing.case_id, request=request,
        details={"pairing": pairing.pk},
    )  # fmt: skip
    return pairing
