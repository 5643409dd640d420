"""Signed checkpoints of the chain head, in the database every node shares (issue 20) and in
each node's file outside it, make a deleted tail, an
emptied log and a rewritten last event fail `vern audit verify` with no anchor exported by
hand; a normal run passes; a checkpoint that cannot be written never costs an audit event
(issue 15 point 5)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from pytest_django import Settings

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.chain import audit_key, canonical_bytes, canonical_time
from vern.audit.checkpoints import (
    Checkpoint,
    checkpoint_path,
    database_checkpoints,
    read_checkpoints,
)
from vern.audit.checks import check_checkpoints_current
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record
from vern.audit.verify import Problem, verify_log
from vern.cases.services import case_create

EVERY = 5

Capture = Callable[..., Any]


@pytest.fixture
def every_five(settings: Settings) -> None:
    settings.VERN_AUDIT_CHECKPOINT_EVERY = EVERY


@pytest.fixture
def unguarded(db: None) -> None:
    """PostgreSQL: the attacker got past the append-only trigger (the owner disabled it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )


def _append(n: int, actor: User, capture: Capture) -> None:
    """n events, each committed on its own (the on-commit checkpoints run)."""
    for _ in range(n):
        with capture(execute=True):
            audit_record(action=AuditAction.CASE_VIEWED, actor=actor, centre=actor.centre)


def _verify_command() -> tuple[int, str]:
    try:
        call_command("audit", "verify")
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


pytestmark = pytest.mark.usefixtures("every_five", "unguarded")


def test_every_nth_event_writes_a_signed_checkpoint_and_a_normal_run_passes(
    leader: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _append(12, leader, django_capture_on_commit_callbacks)

    found = read_checkpoints()
    assert [c.seq for c in found.checkpoints] == [5, 10]
    assert found.checkpoints[1].hash == AuditEvent.objects.get(seq=10).hash
    result = verify_log()
    assert result.ok, result.message
    assert result.checkpoints == 2
    assert _verify_command() == (0, "")
    assert checkpoint_path().stat().st_mode & 0o777 == 0o600


def test_deleting_the_tail_fails_verification_without_an_anchor(
    leader: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _append(12, leader, django_capture_on_commit_callbacks)
    AuditEvent.objects.filter(seq__gt=7).delete()

    result = verify_log()

    assert not result.ok
    assert result.problem == Problem.CHECKPOINT_TRUNCATED
    assert result.first_broken_seq == 8
    code, message = _verify_command()
    assert code == 1
    assert "last signed checkpoint" in message


def test_emptying_the_log_fails_verification_with_checkpoints(
    leader: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _append(6, leader, django_capture_on_commit_callbacks)
    AuditEvent.objects.all().delete()

    result = verify_log()

    assert result.problem == Problem.CHECKPOINT_TRUNCATED
    assert _verify_command()[0] == 1


def test_an_empty_log_while_cases_exist_fails_even_with_no_checkpoint(
    staff: User, settings: Settings, tmp_path: Path
) -> None:
    settings.VERN_AUDIT_CHECKPOINT_EVERY = 0
    case_create(acting_user=staff, reference="2026-001")
    AuditEvent.objects.all().delete()
    assert read_checkpoints().checkpoints == []

    result = verify_log()

    assert result.problem == Problem.EMPTY_WITH_CASES
    code, message = _verify_command()
    assert code == 1
    assert "empty although cases exist" in message


def test_an_empty_log_with_no_cases_passes(db: None) -> None:
    assert verify_log().ok


def test_rewriting_the_last_event_with_the_key_fails_against_the_checkpoint(
    leader: User, staff: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _append(10, leader, django_capture_on_commit_callbacks)
    last = AuditEvent.objects.get(seq=10)
    # Someone with the key rewrites the last event (another actor) and re-hashes it
    # correctly, so that the chain alone holds.
    canonical = canonical_bytes(
        seq=10,
        at=canonical_time(last.at),
        actor_id=staff.pk,
        actor_role=staff.role,
        centre_id=last.centre_id,
        action=last.action,
        object_type=last.object_type,
        object_id=last.object_id,
        request_id=last.request_id,
        reason=last.reason,
        details=last.details,
    )
    forged = hmac.digest(audit_key(), last.prev_hash.encode() + canonical, hashlib.sha256).hex()
    AuditEvent.objects.filter(seq=10).update(actor=staff, actor_role=staff.role, hash=forged)
    assert verify_log(key=audit_key()).problem == Problem.CHECKPOINT_MISMATCH

    code, message = _verify_command()
    assert code == 1
    assert "seq 10" in message


def test_an_edited_checkpoint_line_fails_verification(
    leader: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _append(10, leader, django_capture_on_commit_callbacks)
    path = checkpoint_path()
    lines = path.read_text().splitlines()
    data = json.loads(lines[-1])
    data["seq"] = 7  # pretend the log was shorter when checkpointed
    path.write_text("\n".join([*lines[:-1], json.dumps(data)]) + "\n")

    result = verify_log()

    assert result.problem == Problem.CHECKPOINT_INVALID
    assert "signature" in result.detail


def test_a_torn_last_line_from_a_crash_is_ignored(
    leader: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _append(5, leader, django_capture_on_commit_callbacks)
    with checkpoint_path().open("a") as handle:
        handle.write('{"at":"2026-')

    assert verify_log().ok


def test_a_rolled_back_event_writes_no_checkpoint(
    leader: User, django_capture_on_commit_callbacks: Capture
) -> None:
    _append(4, leader, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                audit_record(action=AuditAction.CASE_VIEWED, actor=leader)
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass

    assert read_checkpoints().checkpoints == []
    assert verify_log().ok


def test_a_failing_checkpoint_file_write_loses_no_event_and_the_database_keeps_it(
    leader: User,
    settings: Settings,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Capture,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the checkpoint directory should be")
    settings.VERN_AUDIT_CHECKPOINT_DIR = blocked
    with caplog.at_level(logging.ERROR, logger="vern.audit.checkpoints"):
        _append(5, leader, django_capture_on_commit_callbacks)

    assert AuditEvent.objects.count() == 5  # the event at seq 5 is there
    assert "audit checkpoint at seq 5 was not written" in caplog.text
    # The shared table holds it (issue 20): checkpoints do not fall behind.
    assert [c.seq for c in database_checkpoints().checkpoints] == [5]
    assert verify_log().checkpoints == 1
    assert check_checkpoints_current(None, databases=["default"]) == []

    settings.VERN_AUDIT_CHECKPOINT_DIR = tmp_path / "fixed"
    _append(5, leader, django_capture_on_commit_callbacks)
    assert [c.seq for c in read_checkpoints().checkpoints] == [10]
    assert [c.seq for c in database_checkpoints().checkpoints] == [5, 10]


def test_check_warns_when_no_checkpoint_names_a_recent_event(
    leader: User, settings: Settings, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.VERN_AUDIT_CHECKPOINT_EVERY = 0
    _append(5, leader, django_capture_on_commit_callbacks)
    settings.VERN_AUDIT_CHECKPOINT_EVERY = EVERY

    assert [w.id for w in check_checkpoints_current(None, databases=["default"])] == ["audit.W002"]
    call_command("audit", "checkpoint")
    assert check_checkpoints_current(None, databases=["default"]) == []


def test_the_database_checkpoints_alone_catch_a_deleted_tail(
    leader: User, django_capture_on_commit_callbacks: Capture
) -> None:
    """Another node verifies without this node's file (issue 20)."""
    _append(12, leader, django_capture_on_commit_callbacks)
    checkpoint_path().unlink()
    assert verify_log().ok
    AuditEvent.objects.filter(seq__gt=7).delete()

    result = verify_log()

    assert result.problem == Problem.CHECKPOINT_TRUNCATED
    assert result.first_broken_seq == 8


def test_check_warns_when_the_checkpoint_directory_is_not_writable(
    settings: Settings, tmp_path: Path
) -> None:
    from vern.audit.checks import check_checkpoint_dir

    blocked = tmp_path / "file"
    blocked.write_text("x")
    settings.VERN_AUDIT_CHECKPOINT_DIR = blocked / "below"
    assert [w.id for w in check_checkpoint_dir(None)] == ["audit.W001"]
    settings.VERN_AUDIT_CHECKPOINT_DIR = tmp_path / "fine"
    assert check_checkpoint_dir(None) == []


def test_the_checkpoint_command_verifies_then_appends_the_head(
    leader: User, settings: Settings
) -> None:
    settings.VERN_AUDIT_CHECKPOINT_EVERY = 0
    for _ in range(3):
        audit_record(action=AuditAction.CASE_VIEWED, actor=leader)

    call_command("audit", "checkpoint")

    (only,) = read_checkpoints().checkpoints
    assert (only.seq, only.hash) == (3, AuditEvent.objects.get(seq=3).hash)
    AuditEvent.objects.filter(seq=3).delete()
    with pytest.raises(CommandError, match="refusing to checkpoint"):
        call_command("audit", "checkpoint")


def test_a_checkpoint_signed_with_another_key_is_refused(leader: User, settings: Settings) -> None:
    settings.VERN_AUDIT_CHECKPOINT_EVERY = 0
    audit_record(action=AuditAction.CASE_VIEWED, actor=leader)
    head = AuditEvent.objects.get(seq=1)
    forged = Checkpoint.sign(seq=1, hash_=head.hash, at=head.at, key=b"not-the-audit-key" * 3)
    checkpoint_path().parent.mkdir(parents=True, exist_ok=True)
    checkpoint_path().write_text(forged.to_line())

    assert verify_log().problem == Problem.CHECKPOINT_INVALID


def test_the_leader_sees_the_last_checkpoint_and_whether_the_log_matches_it(
    client: Client, leder: User, django_capture_on_commit_callbacks: Capture
) -> None:
    from tests.factories import login_verified

    assert "Det finnes ikke noe kontrollpunkt" in _review(client, leder, login_verified)
    _append(5, leder, django_capture_on_commit_callbacks)

    html = _review(client, leder, login_verified)
    assert "Hendelse nr. 5" in html
    assert "Ja: hendelsen finnes fortsatt" in html

    AuditEvent.objects.filter(seq=5).delete()
    html = client.get("/senter/tilgang/").content.decode()
    assert "Nei: loggen er kortere enn kontrollpunktet" in html


def _review(client: Client, leder: User, login: Callable[[Client, User], None]) -> str:
    if "_auth_user_id" not in client.session:
        login(client, leder)
    return str(client.get("/senter/tilgang/").content.decode())
