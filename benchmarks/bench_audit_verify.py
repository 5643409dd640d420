"""How fast is `vern audit verify`? Builds a chain of N events (default 1,000,000) in a fresh
temporary SQLite database and times verification beside the floor: a plain loop that only
computes the HMAC of the very same bytes. Target: verify within 3x the floor.

    .venv/bin/python benchmarks/bench_audit_verify.py [--events N] [--repeat R]
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
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of R timings")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vern-bench-audit-") as data_dir:
        for name in ("DATABASE_URL", "VERN_SQLITE_PATH"):
            os.environ.pop(name, None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "vern.settings"
        os.environ["VERN_DATA_DIR"] = data_dir
        os.environ["VERN_ENV"] = "development"
        os.environ.setdefault("VERN_AUDIT_KEY", "benchmark-audit-key-" + "x" * 32)
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return run(args.events, args.repeat)


def run(events: int, repeat: int) -> int:
    from django.core.management import call_command
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

    print(f"building a chain of {events:,} events ...", flush=True)
    t0 = time.perf_counter()
    messages: list[bytes] = []
    rows: list[tuple[Any, ...]] = []
    sql = (
        "INSERT INTO audit_auditevent (seq, at, actor_id, actor_role, centre_id, action, "
        "object_type, object_id, request_id, reason, details, prev_hash, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    prev = GENESIS_HASH
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
            if len(rows) == 50_000:
                cursor.executemany(sql, rows)
                rows.clear()
        if rows:
            cursor.executemany(sql, rows)
    print(f"  built in {time.perf_counter() - t0:.1f} s", flush=True)

    def floor() -> None:
        digest = hmac.digest
        sha256 = hashlib.sha256
        for message in messages:
            digest(key, message, sha256)

    def verify() -> None:
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        assert f"intact: {events} events" in out.getvalue(), out.getvalue()  # noqa: S101

    floor_s = min(_timed(floor) for _ in range(repeat))
    verify_s = min(_timed(verify) for _ in range(repeat))
    ratio = verify_s / floor_s
    per = 1e6 / events
    print(f"events:                 {events:,}")
    print(f"floor (HMAC only):      {floor_s:8.3f} s  ({floor_s * per:.2f} us/event)")
    print(f"vern audit verify:      {verify_s:8.3f} s  ({verify_s * per:.2f} us/event)")
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"ratio verify / floor:   {ratio:8.2f}x  ({verdict} the {TARGET_RATIO:.0f}x target)")
    return 0 if ratio <= TARGET_RATIO else 1


def _timed(func: object) -> float:
    t0 = time.perf_counter()
    func()  # type: ignore[operator]
    return time.perf_counter() - t0


if __name__ == "__main__":
    raise SystemExit(main())
