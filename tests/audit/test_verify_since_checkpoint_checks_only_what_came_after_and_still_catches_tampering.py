"""`vern audit verify --since-checkpoint` rehashes only the events after the last signed
checkpoint, yet an event tampered with after the checkpoint, a tampered checkpoint and a
rewritten checkpointed event all fail it; with no checkpoint it verifies the whole chain and
says so (issue 19 target 5)."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pytest_django import Settings

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.checkpoints import checkpoint_path, read_checkpoints
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record
from vern.audit.verify import Problem, verify_log

EVERY = 5
Capture = Callable[..., Any]


@pytest.fixture
def chain(settings: Settings, leader: User, django_capture_on_commit_callbacks: Capture) -> User:
    """13 events, each committed on its own: checkpoints at #5 and #10."""
    settings.VERN_AUDIT_CHECKPOINT_EVERY = EVERY
    if connection.vendor == "postgresql":  # the attacker got past the append-only trigger
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )
    for _ in range(13):
        with django_capture_on_commit_callbacks(execute=True):
            audit_record(action=AuditAction.CASE_VIEWED, actor=leader, centre=leader.centre)
    assert [c.seq for c in read_checkpoints().checkpoints] == [5, 10]
    return leader


def _command(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def test_an_intact_chain_checks_only_the_events_after_the_last_checkpoint(chain: User) -> None:
    result = verify_log(since_checkpoint=True)

    assert result.ok, result.message
    assert result.since is not None
    assert result.since.seq == 10
    assert result.checked == 3
    assert result.head.seq == 13
    assert result.head.hash == AuditEvent.objects.get(seq=13).hash
    code, out = _command("--since-checkpoint")
    assert code == 0
    assert "since checkpoint #10" in out
    assert "3 events after it checked, head #13" in out
    assert verify_log().checked == 13  # the full walk is unchanged


def test_an_event_edited_after_the_checkpoint_is_caught(chain: User) -> None:
    AuditEvent.objects.filter(seq=12).update(object_id="999")

    result = verify_log(since_checkpoint=True)

    assert (result.problem, result.first_broken_seq) == (Problem.HASH, 12)
    code, message = _command("--since-checkpoint")
    assert code == 1
    assert "seq 12" in message


def test_a_deleted_event_after_the_checkpoint_is_caught(chain: User) -> None:
    AuditEvent.objects.filter(seq=11).delete()

    result = verify_log(since_checkpoint=True)

    assert (result.problem, result.first_broken_seq) == (Problem.GAP, 11)


def test_the_first_event_after_the_checkpoint_must_link_to_the_checkpointed_hash(
    chain: User,
) -> None:
    AuditEvent.objects.filter(seq=11).update(prev_hash="f" * 64)

    assert verify_log(since_checkpoint=True).problem == Problem.PREV_HASH


def test_an_edited_checkpoint_line_is_caught(chain: User) -> None:
    path = checkpoint_path()
    lines = path.read_text().splitlines()
    data = json.loads(lines[-1])
    data["seq"] = 12  # skip the tampered event #11 by moving the checkpoint past it
    data["hash"] = AuditEvent.objects.get(seq=12).hash
    path.write_text("\n".join([*lines[:-1], json.dumps(data)]) + "\n")

    result = verify_log(since_checkpoint=True)

    assert result.problem == Problem.CHECKPOINT_INVALID
    assert "signature" in result.detail
    assert _command("--since-checkpoint")[0] == 1


def test_a_checkpointed_event_whose_hash_was_rewritten_is_caught(chain: User) -> None:
    AuditEvent.objects.filter(seq=10).update(hash="a" * 64)

    result = verify_log(since_checkpoint=True)

    assert (result.problem, result.first_broken_seq) == (Problem.CHECKPOINT_MISMATCH, 10)


def test_an_earlier_checkpointed_event_that_was_deleted_is_caught(chain: User) -> None:
    AuditEvent.objects.filter(seq=5).delete()

    result = verify_log(since_checkpoint=True)

    assert (result.problem, result.first_broken_seq) == (Problem.GAP, 5)


def test_a_tail_cut_back_to_before_the_checkpoint_is_caught(chain: User) -> None:
    AuditEvent.objects.filter(seq__gte=9).delete()

    result = verify_log(since_checkpoint=True)

    assert (result.problem, result.first_broken_seq) == (Problem.CHECKPOINT_TRUNCATED, 10)


def test_no_checkpoint_verifies_the_whole_chain_and_says_so(
    settings: Settings, leader: User
) -> None:
    settings.VERN_AUDIT_CHECKPOINT_EVERY = 0
    for _ in range(4):
        audit_record(action=AuditAction.CASE_VIEWED, actor=leader)

    result = verify_log(since_checkpoint=True)

    assert result.ok
    assert (result.since, result.checked) == (None, 4)
    code, out = _command("--since-checkpoint")
    assert code == 0
    assert "no signed checkpoint in" in out
    assert "verifying the whole chain" in out
    assert "intact: 4 events" in out


def test_the_recorded_result_names_the_checkpoint_it_started_from(chain: User) -> None:
    assert _command("--since-checkpoint", "--record")[0] == 0

    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert event.action == AuditAction.AUDIT_VERIFIED
    assert event.details["since_seq"] == 10
    assert event.details["checked"] == 3
