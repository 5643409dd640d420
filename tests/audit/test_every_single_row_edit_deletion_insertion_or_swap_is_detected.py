"""Every single-row edit, deletion, insertion or swap is detected, at the right sequence number.

The chain is built once; each Hypothesis example mutates it inside a savepoint, verifies, and
rolls back. On PostgreSQL the append-only trigger is switched off for the test transaction
(the owner disabling the trigger): the attacker here is someone who got past it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.chain import GENESIS_HASH
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record
from vern.audit.verify import Anchor, Problem, verify_chain
from vern.centres.models import Centre

CHAIN_LENGTH = 12
EXAMPLES = 1200
KINDS = ("edit", "delete", "insert", "swap")
EDITABLE = (
    "seq",
    "at",
    "actor_id",
    "actor_role",
    "centre_id",
    "action",
    "object_type",
    "object_id",
    "request_id",
    "reason",
    "details",
    "prev_hash",
    "hash",
)
codes = st.text(alphabet="abcdefxyz_-0123456789", max_size=20)
hex64 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
detail_dicts = st.dictionaries(
    st.sampled_from(["format", "count", "via", "ok"]),
    st.none() | st.booleans() | st.integers(-5, 5) | codes,
    max_size=3,
)


def _build_chain(users: list[User], centres: list[Centre]) -> None:
    actions = [AuditAction.CASE_VIEWED, AuditAction.EXPORT, AuditAction.LOGIN]
    for n in range(CHAIN_LENGTH):
        audit_record(
            action=actions[n % 3],
            actor=users[n % 2] if n % 4 else None,
            centre=centres[n % 2] if n % 3 else None,
            object_type="case" if n % 2 else "",
            object_id=1000 + n if n % 2 else None,
            details={"format": "pdf", "count": n} if n % 3 == 0 else {},
            reason="follow_up" if n % 5 == 0 else "",
        )


def _shift_up_from(seq: int) -> None:
    """Make room at ``seq`` (two steps, so that the unique index never sees a duplicate)."""
    AuditEvent.objects.filter(seq__gte=seq).update(seq=-F("seq") - 1)
    AuditEvent.objects.filter(seq__lt=0).update(seq=-F("seq"))


def _edit_value(data: st.DataObject, field: str, old: Any, ids: dict[str, list[int]]) -> Any:
    if field == "seq":
        return data.draw(st.integers(CHAIN_LENGTH + 1, CHAIN_LENGTH + 1000))
    if field == "at":
        delta = data.draw(st.integers(1, 10**10) | st.integers(-(10**10), -1))
        return old + dt.timedelta(microseconds=delta)
    if field in {"actor_id", "centre_id"}:
        choices = [None, *ids[field]]
        return data.draw(st.sampled_from([c for c in choices if c != old]))
    if field == "details":
        return data.draw(detail_dicts.filter(lambda d: d != old))
    if field in {"prev_hash", "hash"}:
        return data.draw(hex64.filter(lambda h: h != old))
    return data.draw(codes.filter(lambda s: s != old))


@pytest.mark.django_db
def test_every_single_row_mutation_is_detected(
    leader: User, staff: User, centre: Centre, other_centre: Centre
) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )
    _build_chain([leader, staff], [centre, other_centre])
    intact = verify_chain()
    assert intact.ok
    assert intact.checked == CHAIN_LENGTH
    anchor = intact.head
    ids = {"actor_id": [leader.pk, staff.pk], "centre_id": [centre.pk, other_centre.pk]}
    seen: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(data=st.data(), kind=st.sampled_from(KINDS))
    def mutate_and_verify(data: st.DataObject, kind: str) -> None:
        with transaction.atomic():
            expected = _mutate(data, kind, ids)
            result = verify_chain(anchor=anchor)
            transaction.set_rollback(True)
        seen[kind] += 1
        assert not result.ok, kind
        assert result.first_broken_seq == expected, (kind, result)

    mutate_and_verify()

    assert verify_chain(anchor=anchor).ok  # every mutation was rolled back
    # Hypothesis does not repeat an example: deletions (12) and swaps (66) run out early.
    assert sum(seen.values()) >= 1000
    assert all(seen[kind] >= 10 for kind in KINDS), seen


@pytest.mark.django_db
def test_every_deletion_and_every_swap_is_detected_exhaustively(
    leader: User, staff: User, centre: Centre, other_centre: Centre
) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )
    _build_chain([leader, staff], [centre, other_centre])
    anchor = verify_chain().head
    n = CHAIN_LENGTH
    cases: list[tuple[str, int, int]] = [("delete", s, s) for s in range(1, n + 1)]
    cases += [("swap", a, b) for a in range(1, n) for b in range(a + 1, n + 1)]

    for kind, first, second in cases:
        with transaction.atomic():
            if kind == "delete":
                AuditEvent.objects.filter(seq=first).delete()
            else:
                _swap(first, second)
            result = verify_chain(anchor=anchor)
            transaction.set_rollback(True)
        assert (result.ok, result.first_broken_seq) == (False, first), (kind, first, second)


def _mutate(data: st.DataObject, kind: str, ids: dict[str, list[int]]) -> int:
    """Apply one mutation; return the sequence number verification must name."""
    n = CHAIN_LENGTH
    if kind == "edit":
        seq = data.draw(st.integers(1, n), label="seq")
        field = data.draw(st.sampled_from(EDITABLE), label="field")
        old = AuditEvent.objects.filter(seq=seq).values_list(field, flat=True).get()
        new = _edit_value(data, field, old, ids)
        AuditEvent.objects.filter(seq=seq).update(**{field: new})
        return seq
    if kind == "delete":
        seq = data.draw(st.integers(1, n), label="seq")
        AuditEvent.objects.filter(seq=seq).delete()
        return seq  # a gap, or (the head) a tail shorter than the anchor
    if kind == "insert":
        seq = data.draw(st.integers(1, n + 1), label="seq")
        template = AuditEvent.objects.get(seq=data.draw(st.integers(1, n), label="template"))
        prev_hash = (
            AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS_HASH
        )  # the best a forger can do: link correctly, but without the key
        forged_key = data.draw(st.binary(min_size=1, max_size=32), label="key")
        _shift_up_from(seq)
        template.pk = None
        template.seq = seq
        template.prev_hash = prev_hash
        template.hash = hmac.new(
            forged_key, template.prev_hash.encode(), hashlib.sha256
        ).hexdigest()
        template.save(force_insert=True)
        return seq
    first = data.draw(st.integers(1, n - 1), label="first")
    second = data.draw(st.integers(first + 1, n), label="second")
    _swap(first, second)
    return first


def _swap(first: int, second: int) -> None:
    """Reorder two events by exchanging their sequence numbers."""
    AuditEvent.objects.filter(seq=first).update(seq=-1)
    AuditEvent.objects.filter(seq=second).update(seq=first)
    AuditEvent.objects.filter(seq=-1).update(seq=second)


@pytest.mark.django_db
def test_without_an_anchor_a_deleted_head_goes_unnoticed_and_with_one_it_does_not(
    leader: User,
) -> None:
    """Why anchors exist: the chain alone cannot show that its newest events were removed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )
    for _ in range(3):
        audit_record(action=AuditAction.CASE_VIEWED, actor=leader)
    anchor = verify_chain().head
    AuditEvent.objects.filter(seq=3).delete()

    assert verify_chain().ok
    result = verify_chain(anchor=anchor)
    assert (result.ok, result.first_broken_seq, result.problem) == (False, 3, Problem.TRUNCATED)


@pytest.mark.django_db
def test_each_kind_of_damage_is_named(leader: User) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )
    for _ in range(4):
        audit_record(action=AuditAction.CASE_VIEWED, actor=leader)

    def problem_after(change: Any) -> tuple[int | None, Problem | None]:
        with transaction.atomic():
            change()
            result = verify_chain(anchor=Anchor(seq=4, hash=AuditEvent.objects.get(seq=4).hash))
            transaction.set_rollback(True)
        return result.first_broken_seq, result.problem

    events = AuditEvent.objects
    assert problem_after(lambda: events.filter(seq=2).update(object_id="7")) == (2, Problem.HASH)
    assert problem_after(lambda: events.filter(seq=2).delete()) == (2, Problem.GAP)
    assert problem_after(lambda: events.filter(seq=3).update(prev_hash="0" * 64)) == (
        3,
        Problem.PREV_HASH,
    )
    assert problem_after(lambda: events.filter(seq=1).update(seq=0)) == (0, Problem.START)
    assert problem_after(lambda: events.filter(seq=1).update(details="[1")) == (
        1,
        Problem.UNREADABLE,
    )
