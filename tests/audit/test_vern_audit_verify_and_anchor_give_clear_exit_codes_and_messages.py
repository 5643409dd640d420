"""`vern audit verify` and `vern audit anchor`: exit codes, messages, anchors and truncation."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.chain import GENESIS_HASH
from vern.audit.management.commands.audit import Command
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record
from vern.audit.verify import ANCHOR_FORMAT


def _append(actor: User | None, count: int) -> None:
    for n in range(count):
        audit_record(action=AuditAction.CASE_VIEWED, actor=actor, object_type="case", object_id=n)


def _allow_tampering() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_verify_reports_an_intact_chain(leader: User) -> None:
    _append(leader, 3)

    assert "audit chain intact: 3 events, head #3" in _verify()


def test_verify_of_an_empty_log_is_intact(db: None) -> None:
    assert "intact: 0 events" in _verify()


def test_verify_fails_with_returncode_1_naming_the_first_broken_seq(leader: User) -> None:
    _append(leader, 5)
    _allow_tampering()
    AuditEvent.objects.filter(seq=3).update(object_id="999")
    AuditEvent.objects.filter(seq=4).delete()

    with pytest.raises(CommandError, match="broken at seq 3: hash") as raised:
        _verify()

    assert raised.value.returncode == 1


@pytest.mark.django_db(transaction=True)
def test_from_the_command_line_a_broken_chain_exits_1_with_the_message_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _append(None, 3)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 2")
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update_delete"
            )

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["vern", "audit", "--skip-checks", "verify"])

    assert exited.value.code == 1
    assert "audit chain broken at seq 2: sequence number missing" in capsys.readouterr().err


def test_anchor_prints_the_head_as_json(leader: User) -> None:
    _append(leader, 2)
    out = StringIO()

    call_command("audit", "anchor", stdout=out)

    data = json.loads(out.getvalue())
    head = AuditEvent.objects.get(seq=2)
    assert data["format"] == ANCHOR_FORMAT
    assert (data["seq"], data["hash"]) == (2, head.hash)
    assert data["at"].endswith("+00:00")


def test_anchor_of_an_empty_log_is_the_genesis(db: None) -> None:
    out = StringIO()

    call_command("audit", "anchor", stdout=out)

    assert json.loads(out.getvalue())["hash"] == GENESIS_HASH


def test_verify_with_the_anchor_passes_and_later_events_do_not_matter(
    leader: User, tmp_path: Path
) -> None:
    _append(leader, 3)
    anchor = tmp_path / "head.json"
    call_command("audit", "anchor", "--output", str(anchor), stdout=StringIO())
    _append(leader, 2)

    assert "(anchor #3 matches)" in _verify("--anchor", str(anchor))


def test_verify_with_the_anchor_detects_a_truncated_tail(leader: User, tmp_path: Path) -> None:
    _append(leader, 5)
    anchor = tmp_path / "head.json"
    call_command("audit", "anchor", "--output", str(anchor), stdout=StringIO())
    _allow_tampering()
    AuditEvent.objects.filter(seq__gte=4).delete()

    assert "intact: 3 events" in _verify()  # the chain alone cannot tell
    with pytest.raises(CommandError, match="broken at seq 4: the chain ends before") as raised:
        _verify("--anchor", str(anchor))
    assert raised.value.returncode == 1


def test_verify_with_the_anchor_detects_a_replaced_head(leader: User, tmp_path: Path) -> None:
    _append(leader, 2)
    anchor = tmp_path / "head.json"
    data = {"format": ANCHOR_FORMAT, "seq": 2, "hash": "a" * 64}
    anchor.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError, match="broken at seq 2: the anchored event's hash"):
        _verify("--anchor", str(anchor))


def test_an_unreadable_anchor_is_a_usage_error(db: None, tmp_path: Path) -> None:
    anchor = tmp_path / "head.json"
    anchor.write_text('{"seq": 1}', encoding="utf-8")

    with pytest.raises(CommandError, match="cannot read the anchor") as raised:
        _verify("--anchor", str(anchor))

    assert raised.value.returncode == 2


def test_anchor_refuses_a_broken_chain(leader: User) -> None:
    _append(leader, 2)
    _allow_tampering()
    AuditEvent.objects.filter(seq=1).update(reason="edited")

    with pytest.raises(CommandError, match="refusing to anchor"):
        call_command("audit", "anchor", stdout=StringIO())


def test_verify_record_appends_an_audit_verified_event(leader: User) -> None:
    _append(leader, 2)

    _verify("--record")

    event = AuditEvent.objects.get(seq=3)
    assert event.action == AuditAction.AUDIT_VERIFIED
    assert event.details == {
        "ok": True,
        "checked": 2,
        "first_broken_seq": None,
        "anchored": False,
        "checkpoints": 0,
        "since_seq": None,
    }
    assert "intact: 3 events" in _verify()
