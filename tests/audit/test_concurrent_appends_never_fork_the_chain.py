"""Concurrent appends never fork the chain: they are serialised, and none of them fails."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record
from vern.audit.verify import verify_chain

WORKERS = 4
EVENTS_EACH = 40


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_threads_appending_on_postgresql_form_one_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: the advisory lock (SQLite is covered by the process test)")
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            barrier.wait()
            for n in range(EVENTS_EACH):
                with transaction.atomic():
                    audit_record(
                        action=AuditAction.CASE_VIEWED,
                        object_type="case",
                        object_id=f"{worker}-{n}",
                    )
                    # Keep the transaction open a little after the append, as a request does.
                    connection.cursor().execute("SELECT pg_sleep(0.001)")
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    result = verify_chain()
    assert result.ok, result.message
    assert result.checked == WORKERS * EVENTS_EACH
    assert AuditEvent.objects.values("object_id").distinct().count() == WORKERS * EVENTS_EACH


APPEND = """
import django, sys
django.setup()
from django.db import transaction
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
for n in range(int(sys.argv[2])):
    with transaction.atomic():
        audit_record(action=AuditAction.CASE_VIEWED, object_type="case",
                     object_id=f"{sys.argv[1]}-{n}")
"""


def test_processes_appending_on_sqlite_form_one_chain(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE (settings) takes SQLite's write lock before the head is read."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "VERN_SQLITE_PATH"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "vern.settings",
        "VERN_DATA_DIR": str(tmp_path),
        "VERN_AUDIT_KEY": "concurrency-test-key",
        "VERN_SECRET_KEY": "concurrency-test-secret",
    }
    manage = [sys.executable, "-m", "django"]
    subprocess.run(
        [*manage, "migrate", "--skip-checks", "-v", "0"], env=env, check=True, timeout=120
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", APPEND, str(w), str(EVENTS_EACH)], env=env)
        for w in range(WORKERS)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0] * WORKERS

    verified = subprocess.run(
        [*manage, "audit", "--skip-checks", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert f"intact: {WORKERS * EVENTS_EACH} events" in verified.stdout
