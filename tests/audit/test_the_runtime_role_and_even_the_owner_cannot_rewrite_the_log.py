"""PostgreSQL: the runtime role cannot UPDATE, DELETE or TRUNCATE the audit table or the table
of signed checkpoints (issue 20), and a trigger stops even the tables' owner."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from vern.audit.actions import AuditAction
from vern.audit.checkpoints import Checkpoint, store_checkpoint
from vern.audit.models import AuditCheckpoint, AuditEvent
from vern.audit.services import audit_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

RUNTIME_ROLE = "vern_audit_test_runtime"
TAMPERING = {
    "UPDATE": "UPDATE audit_auditevent SET reason = 'edited' WHERE seq = 1",
    "DELETE": "DELETE FROM audit_auditevent WHERE seq = 1",
    "TRUNCATE": "TRUNCATE audit_auditevent",
}
CHECKPOINT_TAMPERING = {
    "UPDATE": "UPDATE audit_auditcheckpoint SET seq = 0",
    "DELETE": "DELETE FROM audit_auditcheckpoint",
    "TRUNCATE": "TRUNCATE audit_auditcheckpoint",
}


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no roles or triggers of this kind")


def _fails(sql: str, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as c:
        c.execute(sql)


def _check_foreign_keys_now() -> None:
    """Run the deferred FK checks of the inserts, else TRUNCATE refuses for that reason."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_migration_installs_both_triggers(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass "
            "AND NOT tgisinternal ORDER BY tgname"
        )
        names = [row[0] for row in cursor.fetchall()]

    assert names == ["audit_event_no_truncate", "audit_event_no_update_delete"]


@pytest.mark.parametrize("operation", list(TAMPERING))
def test_the_trigger_blocks_the_owner(operation: str) -> None:
    with connection.cursor() as cursor:
        # The test database switches the TRUNCATE trigger off so that flush works (conftest).
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate")
        cursor.execute(
            "SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'audit_auditevent'"
        )
        assert cursor.fetchone() == (True,)
    audit_record(action=AuditAction.LOGIN)
    _check_foreign_keys_now()

    _fails(TAMPERING[operation], f"append-only: {operation} is not allowed")

    assert AuditEvent.objects.filter(seq=1, reason="").exists()


@pytest.mark.parametrize("operation", list(TAMPERING))
def test_the_runtime_role_may_append_but_not_change(operation: str) -> None:
    audit_record(action=AuditAction.LOGIN)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {RUNTIME_ROLE} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {RUNTIME_ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT ON audit_auditevent TO {RUNTIME_ROLE}")
        # A non-superuser test role (CI's) must be a member to switch to it.
        cursor.execute(f"GRANT {RUNTIME_ROLE} TO CURRENT_USER")
        cursor.execute(f"SET LOCAL ROLE {RUNTIME_ROLE}")
        # Prove the grants alone stop it: the owner's trigger is not what refuses here.
        cursor.execute(
            "SELECT has_table_privilege(current_user, 'audit_auditevent', %s)", [operation]
        )
        assert cursor.fetchone() == (False,)

    assert audit_record(action=AuditAction.LOGOUT).seq == 2
    _check_foreign_keys_now()
    _fails(TAMPERING[operation], "permission denied for table audit_auditevent")


def _one_checkpoint() -> None:
    event = audit_record(action=AuditAction.LOGIN)
    store_checkpoint(Checkpoint.sign(seq=event.seq, hash_=event.hash, at=event.at))
    _check_foreign_keys_now()


@pytest.mark.parametrize("operation", list(CHECKPOINT_TAMPERING))
def test_the_checkpoint_trigger_blocks_the_owner(operation: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE audit_auditcheckpoint ENABLE TRIGGER audit_checkpoint_no_truncate"
        )
    _one_checkpoint()

    _fails(CHECKPOINT_TAMPERING[operation], f"append-only: {operation} is not allowed")

    assert AuditCheckpoint.objects.filter(seq=1).count() == 1


@pytest.mark.parametrize("operation", list(CHECKPOINT_TAMPERING))
def test_the_runtime_role_may_add_a_checkpoint_but_not_change_one(operation: str) -> None:
    _one_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {RUNTIME_ROLE} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {RUNTIME_ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT ON audit_auditevent TO {RUNTIME_ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT ON audit_auditcheckpoint TO {RUNTIME_ROLE}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {RUNTIME_ROLE}")
        cursor.execute(f"GRANT {RUNTIME_ROLE} TO CURRENT_USER")
        cursor.execute(f"SET LOCAL ROLE {RUNTIME_ROLE}")
        cursor.execute(
            "SELECT has_table_privilege(current_user, 'audit_auditcheckpoint', %s)", [operation]
        )
        assert cursor.fetchone() == (False,)

    _one_checkpoint()  # the runtime role appends
    _fails(CHECKPOINT_TAMPERING[operation], "permission denied for table audit_auditcheckpoint")
    assert AuditCheckpoint.objects.count() == 2
