"""Writing the audit log. ``audit_record`` is the only way an event is ever created."""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import partial
from typing import TYPE_CHECKING, Final

from django.conf import settings
from django.db import connections, router, transaction
from django.http import HttpRequest

from vern.audit.actions import AuditAction
from vern.audit.chain import (
    GENESIS_HASH,
    audit_key,
    canonical_bytes,
    canonical_time,
    chain_hash,
)
from vern.audit.checkpoints import Checkpoint, checkpoint_after_commit, store_checkpoint
from vern.audit.models import AuditEvent
from vern.core import clock

if TYPE_CHECKING:
    from vern.accounts.models import User
    from vern.centres.models import Centre

# pg_advisory_xact_lock key that serialises appends ("vernaudt" as a 64-bit integer).
ADVISORY_LOCK_KEY: Final = 0x7665726E61756474

MAX_DETAIL_KEYS: Final = 16
MAX_DETAIL_STRING: Final = 64
_INT64: Final = 2**63
# A detail key is a short identifier; a detail string is a code: no whitespace, no free text.
_DETAIL_KEY_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")
_DETAIL_STRING_RE: Final = re.compile(r"[A-Za-z0-9_.:/@+=,-]{0,64}")
# Keys that invite personal data or free text are refused whatever their value.
FORBIDDEN_DETAIL_KEYS: Final = frozenset(
    {
        "address",
        "body",
        "comment",
        "content",
        "description",
        "email",
        "free_text",
        "message",
        "name",
        "note",
        "notes",
        "password",
        "phone",
        "text",
        "token",
    }
)
_REASON_RE: Final = re.compile(r"[a-z0-9_.-]{0,64}")
_REQUEST_ID_RE: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_SHORT_FIELD_RE: Final = re.compile(r"[A-Za-z0-9_.:-]{0,64}")
REQUEST_ID_HEADER: Final = "HTTP_X_REQUEST_ID"


def validate_details(details: dict[str, object] | None) -> dict[str, str | int | bool | None]:
    """Only short codes, numbers, booleans and null, under identifier keys; else ValueError."""
    if details is None:
        return {}
    if len(details) > MAX_DETAIL_KEYS:
        msg = f"audit details take at most {MAX_DETAIL_KEYS} keys"
        raise ValueError(msg)
    clean: dict[str, str | int | bool | None] = {}
    for key, value in details.items():
        if not isinstance(key, str) or not _DETAIL_KEY_RE.fullmatch(key):
            msg = f"audit detail key {key!r} is not a short lowercase identifier"
            raise ValueError(msg)
        if key in FORBIDDEN_DETAIL_KEYS:
            msg = f"audit detail key {key!r} is not allowed (no personal data or free text)"
            raise ValueError(msg)
        if value is None or isinstance(value, bool):
            clean[key] = value
        elif isinstance(value, int):
            if not -_INT64 <= value < _INT64:
                msg = f"audit detail {key!r} is out of the 64-bit range"
                raise ValueError(msg)
            clean[key] = int(value)
        elif isinstance(value, str):
            if len(value) > MAX_DETAIL_STRING or not _DETAIL_STRING_RE.fullmatch(value):
                msg = (
                    f"audit detail {key!r} must be a code of at most {MAX_DETAIL_STRING} "
                    "characters without spaces (never free text)"
                )
                raise ValueError(msg)
            clean[key] = value
        else:
            msg = f"audit detail {key!r} must be str, int, bool or None, not {type(value)!r}"
            raise ValueError(msg)
    return clean


def _request_id(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    value = getattr(request, "vern_request_id", None) or request.META.get(REQUEST_ID_HEADER, "")
    value = str(value)
    # A header is attacker-controlled: keep it only if it looks like an id.
    return value if _REQUEST_ID_RE.fullmatch(value) else ""


def _short(name: str, value: str) -> str:
    if not _SHORT_FIELD_RE.fullmatch(value):
        msg = f"audit {name} must be a code of at most 64 characters without spaces"
        raise ValueError(msg)
    return value


def _lock_chain(using: str) -> None:
    """Serialise appends until the transaction ends. PostgreSQL: a transaction-level advisory
    lock. SQLite: Vern opens every transaction with BEGIN IMMEDIATE, so the write lock is
    already held."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


# Events written during the current request (set by CaseAccessAuditMiddleware), so that a
# read of a case that wrote no other event gets exactly one "case viewed" event.
_REQUEST_EVENTS: ContextVar[list[int] | None] = ContextVar(
    "vern_request_audit_events", default=None
)


def audit_record(
    *,
    action: AuditAction,
    actor: User | None = None,
    centre: Centre | None = None,
    centre_id: int | None = None,
    object_type: str = "",
    object_id: str | int | None = None,
    request: HttpRequest | None = None,
    details: dict[str, object] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Called inside ``transaction.atomic`` (every request is, with ATOMIC_REQUESTS) the event
    commits or rolls back with the caller's work; called in autocommit it opens its own
    transaction. Any failure raises: callers must let it propagate so that the request fails
    and returns no case data (fail closed).

    ``centre_id`` instead of ``centre``: the same, without reading the centre's row (the
    access audit middleware has only the user's ``centre_id``).
    """
    action = AuditAction(action)
    clean_details = validate_details(details)
    object_type = _short("object_type", object_type)
    object_id_str = _short("object_id", "" if object_id is None else str(object_id))
    if not _REASON_RE.fullmatch(reason):
        msg = "audit reason must be a lowercase reason code of at most 64 characters"
        raise ValueError(msg)
    actor_role = str(getattr(actor, "role", "") or "") if actor is not None else ""
    if centre is not None:
        if centre_id is not None and centre_id != centre.pk:
            msg = "audit_record got a centre and a different centre_id"
            raise ValueError(msg)
        centre_id = centre.pk
    request_id = _request_id(request)
    key = audit_key()

    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using, savepoint=False):
        _lock_chain(using)
        last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        # The database keeps microseconds; hash exactly what is stored.
        at = clock.now()
        canonical = canonical_bytes(
            seq=seq,
            at=canonical_time(at),
            actor_id=actor.pk if actor is not None else None,
            actor_role=actor_role,
            centre_id=centre_id,
            action=action.value,
            object_type=object_type,
            object_id=object_id_str,
            request_id=request_id,
            reason=reason,
            details=clean_details,
        )
        event = AuditEvent(
            seq=seq,
            at=at,
            actor=actor,
            actor_role=actor_role,
            centre_id=centre_id,
            action=action.value,
            object_type=object_type,
            object_id=object_id_str,
            request_id=request_id,
            reason=reason,
            details=clean_details,
            prev_hash=prev_hash,
            hash=chain_hash(key, prev_hash, canonical),
        )
        event.save(using=using, force_insert=True)
        every = int(settings.VERN_AUDIT_CHECKPOINT_EVERY)
        if every > 0 and seq % every == 0:
            # The shared row commits with this event (never naming a rolled-back one); this
            # node's file copy after the commit, where a failure is logged and never fails
            # this event (issue 20).
            checkpoint = Checkpoint.sign(seq=seq, hash_=event.hash, at=at)
            store_checkpoint(checkpoint, using=using)
            transaction.on_commit(
                partial(checkpoint_after_commit, checkpoint), using=using, robust=True
            )
    counter = _REQUEST_EVENTS.get()
    if counter is not None:
        counter.append(event.seq)
    return event


# Refused lookups of the current request (set by CaseAccessAuditMiddleware, which writes them
# when the response is ready, inside the request transaction, so that a savepoint rolled back
# by the 404 cannot take the event with it).
_REFUSED_LOOKUPS: ContextVar[list[tuple[User, str, int | None]] | None] = ContextVar(
    "vern_refused_lookups", default=None
)
REFUSED_NOT_FOUND: Final = "not_found"


def _requested_id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -_INT64 <= value < _INT64 else None
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def lookup_refused(*, user: User, object_type: str, requested_id: object = None) -> None:
    """A lookup of ``object_type`` by ``user`` found nothing in the user's centre.

    Recorded as the requesting user's centre's event, with the object type and the requested
    id (in ``details``, not as the event's object, so that it never reaches another case's
    access report), and the one reason code ``not_found``: an id of another centre and an
    id that does not exist at all give the same event (no existence oracle)."""
    entry = (user, object_type, _requested_id(requested_id))
    pending = _REFUSED_LOOKUPS.get()
    if pending is not None:
        if entry not in pending:
            pending.append(entry)
        return
    record_refused_lookups([entry], request=None)


def record_refused_lookups(
    entries: list[tuple[User, str, int | None]], *, request: HttpRequest | None
) -> None:
    for user, object_type, requested_id in entries:
        details: dict[str, object] = {"refused": REFUSED_NOT_FOUND}
        if requested_id is not None:
            details["requested_id"] = requested_id
        audit_record(
            action=AuditAction.LOOKUP_REFUSED,
            actor=user if getattr(user, "pk", None) is not None else None,
            centre=getattr(user, "centre", None) if getattr(user, "centre_id", None) else None,
            object_type=object_type,
            request=request,
            details=details,
        )
