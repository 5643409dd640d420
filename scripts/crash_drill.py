#!/usr/bin/env python3
"""Crash-consistency drill (issue 9): kill a writer at random points, then check the data.

A writer process does one multi-step business operation per transaction, in a loop:

    consent + timeline line + consent_given audit event
    + police contact on that consent + timeline line + police_contact_recorded audit event

and acknowledges each committed operation id on a pipe, after the commit returns. The drill
kills it with SIGKILL at a random moment, again and again (``--iterations``), then checks:

- no acknowledged operation is lost;
- no operation is half-written: every consent has its police contact, both timeline lines and
  both audit events, or none of it exists;
- the audit chain verifies (``verify_chain``);
- SQLite: ``PRAGMA integrity_check`` is ok and ``PRAGMA foreign_key_check`` finds nothing.

With ``--pg-stop-rounds K`` (PostgreSQL, as root, local cluster) K of the rounds stop the
server with ``pg_ctlcluster <version> <cluster> stop -m immediate`` (no shutdown checkpoint:
a crash, recovered by WAL replay at the next start) instead of killing the writer.

With ``--pg-throwaway`` the drill makes its own PostgreSQL cluster (``initdb`` in a temporary
directory, ``pg_ctl`` on a free loopback port, run as the ``postgres`` user when started as
root) and its ``--pg-stop-rounds`` stop that cluster with ``pg_ctl stop -m immediate``, so that
the shared server and every other test using it are never disturbed. The cluster is removed
afterwards.

It uses its own throwaway database: an SQLite file in a temporary directory, or, with
``--database-url postgres://user:pass@host:port/any``, a database ``vern_drill_<random>``
created with that role (which needs CREATEDB) and dropped afterwards.

    .venv/bin/python scripts/crash_drill.py --iterations 200
    .venv/bin/python scripts/crash_drill.py --iterations 200 \\
        --database-url postgres://vern:vern@127.0.0.1:5432/vern --pg-stop-rounds 5

Exit status 0 when every check passes, 1 otherwise. ``--json`` prints the summary as JSON.
What it does not simulate: power loss or a lying disk cache (the kernel's page cache survives a
killed process); see docs/operations.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

OP_PREFIX = "drill-op-"


def _log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# ------------------------------------------------------------------------------ the database


def _pg_conninfo(url: str, dbname: str) -> str:
    from psycopg.conninfo import make_conninfo

    parts = urlsplit(url)
    return make_conninfo(
        host=parts.hostname or "",
        port=str(parts.port or 5432),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        dbname=dbname,
    )


def _pg_admin(url: str, statement: str, maintenance_db: str) -> None:
    import psycopg

    with psycopg.connect(_pg_conninfo(url, maintenance_db), autocommit=True) as conn:
        conn.execute(statement)


def _setup_env(args: argparse.Namespace, workdir: Path) -> str | None:
    """Point Vern's settings at the throwaway database; returns the PG database name."""
    for name in ("DATABASE_URL", "VERN_SQLITE_PATH", "VERN_TEST_DB_NAME"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "vern.settings",
            "VERN_ENV": "development",
            "VERN_DATA_DIR": str(workdir / "data"),
            "VERN_SECRET_KEY": secrets.token_urlsafe(40),
            "VERN_AUDIT_KEY": secrets.token_urlsafe(40),
            "VERN_LOG_LEVEL": "ERROR",
        }
    )
    if not args.database_url:
        os.environ["VERN_SQLITE_PATH"] = str(workdir / "drill.sqlite3")
        return None
    name = f"vern_drill_{secrets.token_hex(4)}"
    _pg_admin(args.database_url, f'CREATE DATABASE "{name}"', args.maintenance_db)
    os.environ["DATABASE_URL"] = urlsplit(args.database_url)._replace(path="/" + name).geturl()
    return name


def _seed() -> tuple[int, int]:
    """A centre, a staff member and an open case to write into."""
    from vern.accounts.models import User
    from vern.cases.models import Case
    from vern.centres.models import Centre
    from vern.centres.tenancy import system_scope

    with system_scope():
        centre = Centre.objects.create(
            name="Drillsenteret", municipality="Fjordby", police_district="oslo"
        )
        user = User.objects.create(username="drill", role="ansatt", centre=centre)
        case = Case.objects.create(centre=centre, reference="DRILL-1", created_by=user)
        # The first audit event, so that the chain is never empty.
        from vern.audit.actions import AuditAction
        from vern.audit.services import audit_record

        audit_record(
            action=AuditAction.CASE_CREATED,
            actor=user,
            centre=centre,
            object_type="case",
            object_id=case.pk,
        )
    return case.pk, user.pk


# ------------------------------------------------------------------------------ the writer


def _business_operation(op: int, case: Any, user: Any) -> None:
    """One transaction: consent + police contact + timeline + audit (all or nothing)."""
    from vern.audit.actions import AuditAction
    from vern.audit.services import audit_record
    from vern.cases.services import case_event
    from vern.centres.tenancy import system_scope
    from vern.consent.models import Consent
    from vern.core import clock
    from vern.police.models import PoliceContact

    now = clock.now()
    with system_scope():
        consent = Consent.objects.create(
            centre_id=case.centre_id,
            case=case,
            recipient_kind="police",
            police_district="oslo",
            recipient_unit=f"{OP_PREFIX}{op}",
            purpose="Kontakt med politiet om trusler",
            categories=["identity", "violence"],
            form="verbal",
            verbal_witness="Vitne",
            verbal_reason="Drill",
            given_at=now,
            recorded_by=user,
        )
        case_event(
            case=case, kind="consent_given", summary="Samtykke registrert", actor=user, obj=consent
        )
        audit_record(
            action=AuditAction.CONSENT_GIVEN,
            actor=user,
            centre=case.centre,
            object_type="consent",
            object_id=consent.pk,
            details={"op": op},
        )
        contact = PoliceContact.objects.create(
            centre_id=case.centre_id,
            case=case,
            status="done",
            contact_at=now,
            police_district="oslo",
            police_unit=f"{OP_PREFIX}{op}",
            contact_role="investigator",
            channel="phone",
            shared_categories=["identity"],
            legal_ground="consent",
            ground_valid=True,
            consent=consent,
            recorded_by=user,
        )
        case_event(
            case=case,
            kind="police_contact",
            summary="Kontakt med politiet",
            actor=user,
            obj=contact,
        )
        audit_record(
            action=AuditAction.POLICE_CONTACT_RECORDED,
            actor=user,
            centre=case.centre,
            object_type="police_contact",
            object_id=contact.pk,
            details={"op": op},
        )


def _writer(fd: int, first_op: int, case_id: int, user_id: int) -> None:
    """The child: write operations until killed; ack each one after its commit."""
    code = 0
    try:
        from vern.accounts.models import User
        from vern.cases.models import Case
        from vern.centres.tenancy import system_scope

        with system_scope():
            case = Case.objects.select_related("centre").get(pk=case_id)
            user = User.objects.get(pk=user_id)
        op = first_op
        while True:
            _business_operation(op, case, user)
            os.write(fd, f"ack {op}\n".encode())  # one write < PIPE_BUF: atomic
            op += 1
    except BaseException:  # noqa: BLE001  (the server went away, or anything else: just die)
        code = 3
    finally:
        os._exit(code)


# ------------------------------------------------------------------------------ the drill


def _read_acks(fd: int, deadline: float | None, buffer: bytearray, acks: list[int]) -> bool:
    """Read acks until the deadline (or EOF when deadline is None). True at EOF."""
    while True:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return False
        chunk = os.read(fd, 65536)
        if not chunk:
            return True
        buffer += chunk
        while b"\n" in buffer:
            line, _, rest = bytes(buffer).partition(b"\n")
            buffer[:] = rest
            if line.startswith(b"ack "):
                acks.append(int(line[4:]))
        if deadline is not None and time.monotonic() >= deadline:
            return False


class ThrowawayCluster:
    """A private PostgreSQL cluster in a temporary directory, on a free loopback port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "pgdata"
        self.log = root / "postgres.log"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        self.bindir = _pg_bindir()

    def _run(self, *argv: str, timeout: float = 60) -> None:
        cmd = [str(self.bindir / argv[0]), *argv[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)

    @property
    def url(self) -> str:
        return f"postgres://vern@127.0.0.1:{self.port}/postgres"

    def create(self) -> None:
        self.root.chmod(0o755)
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        # --no-sync only for initdb's own files; the server runs with fsync on (the default).
        self._run("initdb", "-D", str(self.data), "-U", "vern", "-A", "trust", "--no-sync")
        self.start()

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c max_connections=20 -c shared_buffers=16MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop_immediate(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.stop_immediate()
        shutil.rmtree(self.root, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bindir() -> Path:
    """The server binaries (initdb and pg_ctl are not on PATH on Debian)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        msg = "no pg_ctl found: install the PostgreSQL server package"
        raise SystemExit(msg)
    return versions[-1].parent


_THROWAWAY: ThrowawayCluster | None = None


def _pg_ctl(cluster: str, action: str) -> None:
    if _THROWAWAY is not None:
        if action == "stop":
            _THROWAWAY.stop_immediate()
        else:
            _THROWAWAY.start()
        return
    version, name = cluster.split("/", 1)
    cmd = ["pg_ctlcluster", version, name, action]
    if action == "stop":
        cmd += ["-m", "immediate"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def _wait_for_postgres(timeout: float = 60.0) -> None:
    from django.db import connections

    end = time.monotonic() + timeout
    while True:
        try:
            connections.close_all()
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
            connections.close_all()
            return
        except Exception:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


def _round(
    i: int,
    *,
    case_id: int,
    user_id: int,
    rng: random.Random,
    max_delay: float,
    stop_cluster: str | None,
) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()  # never share a connection with the child
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _writer(write_fd, (i + 1) * 1_000_000, case_id, user_id)
    os.close(write_fd)
    acks: list[int] = []
    buffer = bytearray()
    delay = rng.uniform(0.005, max_delay)
    if stop_cluster is not None:
        # Stop the server during writes: after the writer's first commit (at most 20 s).
        first_by = time.monotonic() + 20.0
        while not acks and time.monotonic() < first_by:
            if _read_acks(read_fd, min(first_by, time.monotonic() + 0.2), buffer, acks):
                break
    eof = _read_acks(read_fd, time.monotonic() + delay, buffer, acks)
    how = "sigkill"
    if stop_cluster is not None and not eof:
        how = "pg_stop_immediate"
        _pg_ctl(stop_cluster, "stop")
        # The writer dies on its next statement; give it a moment, then make sure.
        _read_acks(read_fd, time.monotonic() + 5.0, buffer, acks)
    if not eof:
        os.kill(pid, signal.SIGKILL)
    _read_acks(read_fd, None, buffer, acks)  # what it acked before dying counts
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if how == "pg_stop_immediate":
        _pg_ctl(stop_cluster, "start")  # type: ignore[arg-type]
        _wait_for_postgres()
    return {
        "round": i,
        "how": how,
        "delay": round(delay, 3),
        "acks": acks,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
    }


def _check(acked: set[int]) -> dict[str, Any]:
    from django.db import connection, connections

    from vern.audit.models import AuditEvent
    from vern.audit.verify import verify_chain
    from vern.cases.models import CaseEvent
    from vern.centres.tenancy import system_scope
    from vern.consent.models import Consent
    from vern.police.models import PoliceContact

    connections.close_all()
    problems: list[str] = []
    with system_scope():
        consents = {
            int(unit.removeprefix(OP_PREFIX)): pk
            for pk, unit in Consent.objects.filter(
                recipient_unit__startswith=OP_PREFIX
            ).values_list("pk", "recipient_unit")
        }
        contacts: dict[int, list[tuple[int, int | None]]] = {}
        for pk, unit, consent_id in PoliceContact.objects.filter(
            police_unit__startswith=OP_PREFIX
        ).values_list("pk", "police_unit", "consent_id"):
            contacts.setdefault(int(unit.removeprefix(OP_PREFIX)), []).append((pk, consent_id))
        events: dict[tuple[str, str], int] = {}
        for object_type, object_id in CaseEvent.objects.filter(
            object_type__in=["consent", "policecontact", "police_contact"]
        ).values_list("object_type", "object_id"):
            event_key = ("consent" if object_type == "consent" else "contact", str(object_id))
            events[event_key] = events.get(event_key, 0) + 1
        audits: dict[tuple[str, str], int] = {}
        for action, audit_object_id in AuditEvent.objects.filter(
            action__in=["consent_given", "police_contact_recorded"]
        ).values_list("action", "object_id"):
            audit_key = ("consent" if action == "consent_given" else "contact", audit_object_id)
            audits[audit_key] = audits.get(audit_key, 0) + 1
    lost = sorted(acked - set(consents))
    if lost:
        problems.append(f"{len(lost)} acknowledged operations lost, e.g. {lost[:5]}")
    for op in sorted(set(consents) | set(contacts)):
        consent_pk = consents.get(op)
        contact_rows = contacts.get(op, [])
        if consent_pk is None or len(contact_rows) != 1:
            problems.append(f"op {op}: consent {consent_pk}, contacts {contact_rows}")
            continue
        contact_pk, contact_consent = contact_rows[0]
        if contact_consent != consent_pk:
            problems.append(f"op {op}: the contact is not on the operation's consent")
        for kind, pk in (("consent", consent_pk), ("contact", contact_pk)):
            if events.get((kind, str(pk)), 0) != 1:
                problems.append(
                    f"op {op}: {events.get((kind, str(pk)), 0)} timeline lines for {kind}"
                )
            if audits.get((kind, str(pk)), 0) != 1:
                problems.append(
                    f"op {op}: {audits.get((kind, str(pk)), 0)} audit events for {kind}"
                )
    chain = verify_chain()
    if not chain.ok:
        problems.append(chain.message)
    integrity = "n/a"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = ",".join(str(r[0]) for r in cursor.fetchall())
            cursor.execute("PRAGMA foreign_key_check")
            dangling = cursor.fetchall()
        if integrity != "ok":
            problems.append(f"PRAGMA integrity_check: {integrity}")
        if dangling:
            problems.append(f"PRAGMA foreign_key_check: {dangling[:5]}")
    return {
        "committed_ops": len(consents),
        "acked_ops": len(acked),
        "committed_not_acked": len(set(consents) - acked),
        "lost": len(lost),
        "audit_events": chain.checked,
        "chain": chain.message,
        "integrity_check": integrity,
        "problems": problems,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=100, help="kill rounds (default 100)")
    parser.add_argument("--database-url", help="PostgreSQL server to create the drill DB on")
    parser.add_argument("--maintenance-db", default="postgres")
    parser.add_argument(
        "--pg-stop-rounds",
        type=int,
        default=0,
        help="rounds that stop the server with -m immediate (root only)",
    )
    parser.add_argument("--pg-cluster", default="15/main", help="pg_ctlcluster VERSION/NAME")
    parser.add_argument(
        "--pg-throwaway",
        action="store_true",
        help="make a private PostgreSQL cluster (initdb, free loopback port) and stop only it",
    )
    parser.add_argument(
        "--max-delay",
        type=float,
        default=0.4,
        help="longest time before a kill, seconds (default 0.4)",
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the drill database")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    global _THROWAWAY  # noqa: PLW0603  (the drill's one cluster, for _pg_ctl)
    if args.pg_throwaway:
        if args.database_url:
            parser.error("--pg-throwaway makes its own server: leave out --database-url")
        _THROWAWAY = ThrowawayCluster(Path(tempfile.mkdtemp(prefix="vern-drill-pg-")))
        _THROWAWAY.create()
        args.database_url = _THROWAWAY.url
    if args.pg_stop_rounds and _THROWAWAY is None:
        if not args.database_url:
            parser.error("--pg-stop-rounds needs --database-url")
        if os.geteuid() != 0 or not shutil.which("pg_ctlcluster"):
            parser.error("--pg-stop-rounds needs root and pg_ctlcluster (a local cluster)")
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    rng = random.Random(seed)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="vern-crash-drill-"))
    pg_name = _setup_env(args, workdir)
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        case_id, user_id = _seed()
        stop_rounds: set[int] = set()
        if args.pg_stop_rounds:
            step = max(1, args.iterations // (args.pg_stop_rounds + 1))
            stop_rounds = {step * (k + 1) for k in range(args.pg_stop_rounds)}
        rounds = [
            _round(
                i,
                case_id=case_id,
                user_id=user_id,
                rng=rng,
                max_delay=args.max_delay,
                stop_cluster=args.pg_cluster if i in stop_rounds else None,
            )
            for i in range(args.iterations)
        ]
        acked = {op for r in rounds for op in r["acks"]}
        result = _check(acked)
        result.update(
            {
                "database": "postgresql" if pg_name else "sqlite",
                "seed": seed,
                "rounds": len(rounds),
                "sigkills": sum(1 for r in rounds if r["how"] == "sigkill"),
                "pg_immediate_stops": sum(1 for r in rounds if r["how"] == "pg_stop_immediate"),
                "rounds_killed_before_first_ack": sum(1 for r in rounds if not r["acks"]),
                "seconds": round(time.monotonic() - started, 1),
                "pg_throwaway_cluster": _THROWAWAY is not None,
                "ok": not result["problems"],
            }
        )
    finally:
        from django.db import connections

        connections.close_all()
        if pg_name and not args.keep:
            _pg_admin(
                args.database_url,
                f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)',
                args.maintenance_db,
            )
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        if _THROWAWAY is not None and not args.keep:
            _THROWAWAY.destroy()
    if args.json:
        sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
    else:
        for key in sorted(result):
            sys.stdout.write(f"{key}: {result[key]}\n")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
