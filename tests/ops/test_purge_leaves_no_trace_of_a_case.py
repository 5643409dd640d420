"""Retention canary test (issue 9): after ``vern purge`` nothing of an expired case remains.

Every char, text and JSON field of every case-related row of two expired cases (in two
centres) holds a unique canary string, and so does each uploaded file's name and content.
After the purge, no canary may be found in any column of any table, in MEDIA_ROOT, nor
(SQLite) in the raw bytes of the database file and its write-ahead log, before and after a
VACUUM. Cases still inside the retention period carry canaries too: finding those proves the
greps can see what they look for.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.ops.conftest import DrillDb


def _media_bytes(root: Path) -> bytes:
    chunks = [
        p.relative_to(root).as_posix().encode() + b"\n" + p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]
    return b"\n".join(chunks)


def _raw_db_bytes(db: DrillDb) -> bytes:
    assert db.sqlite_path is not None
    return b"".join(
        Path(str(db.sqlite_path) + suffix).read_bytes()
        for suffix in ("", "-wal", "-journal")
        if Path(str(db.sqlite_path) + suffix).exists()
    )


def _found(tokens: list[str], haystack: str | bytes) -> list[str]:
    if isinstance(haystack, bytes):
        return [t for t in tokens if t.encode() in haystack]
    return [t for t in tokens if t in haystack]


def test_purge_leaves_no_canary_of_an_expired_case_in_any_table_file_or_raw_byte(
    drill_db: DrillDb,
) -> None:
    canaries = drill_db.data("canary")
    purge, keep = canaries["purge"], canaries["keep"]
    assert len(purge) > 100
    text = drill_db.all_text()
    assert _found(purge, text) == purge
    assert _found(keep, text) == keep

    dry = drill_db.vern("purge", "--dry-run").stdout
    assert "would purge 2 cases" in dry
    assert _found(purge, drill_db.all_text()) == purge  # a dry run deletes nothing

    out = drill_db.vern("purge").stdout
    assert "purged 2 cases" in out
    assert "2 files (2 deleted, 0 already gone)" in out

    text = drill_db.all_text()
    assert _found(purge, text) == []
    assert _found(keep, text) == keep
    media = _media_bytes(drill_db.media_root)
    assert _found(purge, media) == []
    assert _found([k for k in keep if k.encode() in media], media)  # files of kept cases

    if drill_db.sqlite_path is not None:
        # secure_delete and the purge's own WAL checkpoint: gone from the bytes on disk.
        raw = _raw_db_bytes(drill_db)
        assert _found(purge, raw) == []
        assert _found(keep, raw) == keep
        conn = sqlite3.connect(drill_db.sqlite_path)
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        raw = _raw_db_bytes(drill_db)
        assert _found(purge, raw) == []
        assert _found(keep, raw) == keep

    # One pseudonymous event per purged case, and the chain still verifies.
    conn = drill_db.connect()
    cur = conn.cursor()
    cur.execute(
        "SELECT object_type, reason, actor_id FROM audit_auditevent WHERE action = 'case_purged'"
    )
    assert cur.fetchall() == [("case", "retention_expired", None)] * 2
    conn.close()
    assert "audit chain intact" in drill_db.vern("audit", "verify").stdout
