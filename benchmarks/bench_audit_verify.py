"""How fast is `vern audit verify`, full and `--since-checkpoint`? Builds a chain of N events
(default 5,000,000) in a fresh database, writes a signed checkpoint K events before the head
(default 100,000), and times both verifications beside their floors: a plain loop that only
computes the HMAC of the very same bytes (all N events for the full walk, the K events after
the checkpoint for the incremental one). Targets: each within 3x its floor (issue 19 target 5).

    .venv/bin/python benchmarks/bench_audit_verify.py [--events N] [--after K] [--repeat R]
    DATABASE_URL=postgres://vern:vern@127.0.0.1:5432/vern .venv/bin/python \
        benchmarks/bench_audit_verify.py            # scratch database <name>_audit_bench, COPY

Without DATABASE_URL: a temporary SQLite database (executemany). With a PostgreSQL
DATABASE_URL the scratch database ``<name>_audit_bench`` is dropped and created, the chain goes
in with COPY, and it is dropped again at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from typing import Any

TARGET_RATIO = 3.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000_000, help="events in the chain")
    parser.add_argument(
        "--after", type=int, default=100_000, help="events after the checkpoint (incremental)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of R timings")
    args = parser.parse_args(argv)
    if not 0 < args.after <= args.events:
        parser.error("--after must be between 1 and --events")

    base_url = os.environ.get("DATABASE_URL", "")
    scratch = _scratch_database(base_url) if base_url.startswith("postgres") else None
    with tempfile.TemporaryDirectory(prefix="vern-bench-audit-") as data_dir:
        os.environ.pop("VERN_SQLITE_PATH", None)
        if scratch is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = scratch
        os.environ["DJANGO_SETTINGS_MODULE"] = "vern.settings"
        os.environ["VERN_DATA_DIR"] = data_dir
        os.environ["VERN_ENV"] = "development"
        os.environ.setdefault("VERN_AUDIT_KEY", "benchmark-audit-key-" + "x" * 32)
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        try:
            return run(args.events, args.after, args.repeat)
        finally:
            if scratch is not None:
                from django.db import connections

                connections.close_all()
                _scratch_database(base_url, drop=True)


def _scratch_database(base_url: str, *, drop: bool = False) -> str:
    """Drop (and unless ``drop``, create) ``<name>_audit_bench`` next to ``base_url``."""
    import psycopg

    base, _slash, name = base_url.rpartition("/")
    scratch = f"{name}_audit_bench"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        if not drop:
            conn.execute(f'CREATE DATABASE "{scratch}"')
    return f"{base}/{scratch}"


def run(events: int, after: int, repeat: int) -> int:
    import platform

    from django.core.management import call_command
    from django.db import connection

    from vern.audit.chain import audit_key
    from vern.audit.checkpoints import write_checkpoint

    key = audit_key()
    vendor = connection.vendor
    print(f"building a chain of {events:,} events on {vendor} ...", flush=True)
    t0 = time.perf_counter()
    checkpoint_seq = events - after
    messages, checkpoint_hash = _build(events, checkpoint_seq)
    print(f"  built in {time.perf_counter() - t0:.1f} s", flush=True)
    checkpoint = write_checkpoint(seq=checkpoint_seq, hash_=checkpoint_hash)
    print(f"  signed checkpoint at #{checkpoint.seq:,}, {after:,} events before the head")

    def floor_of(part: list[bytes]) -> Any:
        def floor() -> None:
            digest = hmac.digest
            sha256 = hashlib.sha256
            for message in part:
                digest(key, message, sha256)

        return floor

    def verify(*args: str, expect: str) -> Any:
        def run_command() -> None:
            out = StringIO()
            call_command("audit", "verify", *args, stdout=out)
            assert expect in out.getvalue(), out.getvalue()  # noqa: S101

        return run_command

    tail = messages[checkpoint_seq:]
    full_floor_s = min(_timed(floor_of(messages)) for _ in range(repeat))
    full_s = min(_timed(verify(expect=f"intact: {events} events")) for _ in range(repeat))
    tail_floor_s = min(_timed(floor_of(tail)) for _ in range(repeat))
    incremental_s = min(
        _timed(verify("--since-checkpoint", expect=f"{after} events after it checked"))
        for _ in range(repeat)
    )
    full_ratio = full_s / full_floor_s
    incremental_ratio = incremental_s / tail_floor_s

    def verdict(ratio: float) -> str:
        return "within" if ratio <= TARGET_RATIO else "OVER"

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores (shared), "
        f"Python {platform.python_version()}, {vendor}; best of {repeat}"
    )
    print(f"{'':36}{'seconds':>10}{'us/event':>10}{'x floor':>9}")
    rows_out = (
        (f"floor: HMAC of all {events:,} events", full_floor_s, events, 1.0),
        ("vern audit verify (full)", full_s, events, full_ratio),
        (f"floor: HMAC of the {after:,} after it", tail_floor_s, after, 1.0),
        ("vern audit verify --since-checkpoint", incremental_s, after, incremental_ratio),
    )
    for label, seconds, count, ratio in rows_out:
        print(f"{label:<36}{seconds:10.3f}{seconds * 1e6 / count:10.2f}{ratio:8.2f}x")
    print(f"full / floor:        {full_ratio:.2f}x ({verdict(full_ratio)} the 3x target)")
    print(
        f"incremental / floor: {incremental_ratio:.2f}x ({verdict(incremental_ratio)} "
        f"the 3x target); incremental is {full_s / incremental_s:.0f}x faster than full"
    )
    return 0 if max(full_ratio, incremental_ratio) <= TARGET_RATIO else 1


def _build(events: int, checkpoint_seq: int) -> tuple[list[bytes], str]:
    """Insert a valid chain of ``events`` events; return every event's HMAC input and the
    hash of the event at ``checkpoint_seq``."""
    from django.db import connection, transaction

    from vern.accounts.models import User
    from vern.audit.actions import AuditAction
    from vern.audit.chain import (
        GENESIS_HASH,
        audit_key,
        canonical_bytes,
        canonical_time,
        chain_hash,
    )
    from vern.audit.models import AuditEvent
    from vern.centres.models import Centre

    key = audit_key()
    centre = Centre.objects.create(name="Benk", municipality="Oslo", police_district="oslo")
    users = [User.objects.create(username=f"u{n}", role="ansatt", centre=centre) for n in range(3)]
    actions = [AuditAction.CASE_VIEWED, AuditAction.CASE_LISTED, AuditAction.ASSESSMENT_SAVED]
    detail_mix: list[dict[str, object]] = [{}, {"format": "pdf"}, {}, {"count": 3, "via": "api"}]
    at_field = AuditEvent._meta.get_field("at")
    details_field = AuditEvent._meta.get_field("details")
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    vendor = connection.vendor
    messages: list[bytes] = []
    rows: list[tuple[Any, ...]] = []
    sql = (
        "INSERT INTO audit_auditevent (seq, at, actor_id, actor_role, centre_id, action, "
        "object_type, object_id, request_id, reason, details, prev_hash, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    columns = (
        "seq, at, actor_id, actor_role, centre_id, action, object_type, object_id, "
        "request_id, reason, details, prev_hash, hash"
    )

    def flush(cursor: Any) -> None:
        if vendor == "postgresql":
            with cursor.cursor.copy(f"COPY audit_auditevent ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, rows)
        rows.clear()

    prev = GENESIS_HASH
    checkpoint_hash = GENESIS_HASH
    with transaction.atomic(), connection.cursor() as cursor:
        for seq in range(1, events + 1):
            at = start + dt.timedelta(microseconds=seq * 1_234_567)
            user = users[seq % 3]
            details = detail_mix[seq % 4]
            fields = {
                "seq": seq,
                "at": canonical_time(at),
                "actor_id": user.pk,
                "actor_role": "ansatt",
                "centre_id": centre.pk,
                "action": actions[seq % 3].value,
                "object_type": "case",
                "object_id": str(seq % 5000),
                "request_id": f"{seq:032x}",
                "reason": "follow_up" if seq % 10 == 0 else "",
                "details": details,
            }
            message = prev.encode("ascii") + canonical_bytes(**fields)  # type: ignore[arg-type]
            messages.append(message)
            digest = chain_hash(key, prev, message[64:])
            rows.append(
                (
                    seq,
                    at_field.get_db_prep_save(at, connection),
                    user.pk,
                    "ansatt",
                    centre.pk,
                    fields["action"],
                    "case",
                    fields["object_id"],
                    fields["request_id"],
                    fields["reason"],
                    details_field.get_db_prep_save(details, connection),
                    prev,
                    digest,
                )
            )
            prev = digest
            if seq == checkpoint_seq:
                checkpoint_hash = digest
            if len(rows) == 50_000:
                flush(cursor)
        if rows:
            flush(cursor)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE audit_auditevent")
    return messages, checkpoint_hash


def _timed(func: object) -> float:
    t0 = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - t0


if __name__ == "__main__":
    raise SystemExit(main())
