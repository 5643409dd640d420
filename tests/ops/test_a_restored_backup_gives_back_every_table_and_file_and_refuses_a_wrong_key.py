"""Backup and restore drill (issue 9): backup -> wipe -> restore, then every table and file
is compared with what was there, and the audit chain verifies.

Runs the real ``vern backup`` / ``vern restore`` against a drill database: SQLite, or
PostgreSQL when DATABASE_URL is set (see conftest.py).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pytest

from tests.ops.conftest import BACKUP_KEY, DrillDb
from vern.ops import tables
from vern.ops.backup import RestoreRefusedError, stage_archive


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _pg_schema_state(db: DrillDb) -> list[tuple[object, ...]]:
    """Row-level security flags, policies and triggers: they must survive a restore."""
    conn = db.connect()
    try:
        cur = conn.cursor()
        cur.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND relkind = 'r' ORDER BY 1"
        )
        state = list(cur.fetchall())
        cur.execute("SELECT tablename, policyname, qual FROM pg_policies ORDER BY 1, 2")
        state += list(cur.fetchall())
        cur.execute(
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
            "WHERE NOT tgisinternal ORDER BY 1, 2"
        )
        state += list(cur.fetchall())
        return state
    finally:
        conn.close()


def test_backup_wipe_restore_gives_back_every_table_every_file_and_an_intact_chain(
    drill_db: DrillDb,
) -> None:
    drill_db.data("build", "--cases", "3")
    before = drill_db.checksums()
    files_before = _files(drill_db.media_root)
    schema_before = _pg_schema_state(drill_db) if drill_db.vendor == "postgresql" else []
    assert len(files_before) == 6
    assert before["audit_auditevent"].rows >= 50
    for table in ("cases_case", "consent_consent", "police_policecontact", "relocation_relocation"):
        assert before[table].rows > 0, table

    archive = drill_db.root / "drill.vernbk"
    out = drill_db.vern("backup", "--output", str(archive)).stdout
    assert f"backup written: {archive}" in out
    assert re.search(r"size: .* \(\d+ bytes\)", out)
    assert re.search(r"time: \d+\.\d+ s", out)
    raw = archive.read_bytes()
    assert raw.startswith(b"VERNBK1\x00")
    # Encrypted: neither case text nor the SQLite/pg_dump signatures are visible.
    assert b"Drill Staff" not in raw
    assert b"SQLite format 3" not in raw
    assert b"PGDMP" not in raw

    drill_db.wipe()
    assert not drill_db.media_root.exists()

    done = drill_db.vern("restore", str(archive), "--yes")
    print(done.stdout)  # the drill prints the restore time
    assert "tables: all match the backup's manifest" in done.stdout
    assert "files: all match" in done.stdout
    assert re.search(r"restore time: \d+\.\d+ s", done.stdout)
    assert "audit chain intact" in done.stdout

    after = drill_db.checksums()
    assert tables.compare(before, after) == []
    assert after == before
    assert _files(drill_db.media_root) == files_before
    if drill_db.vendor == "postgresql":
        assert _pg_schema_state(drill_db) == schema_before
    drill_db.vern("audit", "verify")
    if drill_db.sqlite_path is not None:
        conn = drill_db.connect()
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()


def _tampered_variants(raw: bytes) -> dict[str, bytes]:
    """One flipped bit in the header (authenticated as associated data), in the first chunk
    and in the last chunk's tag, a cut-off file and trailing junk."""
    header_end = 12 + int.from_bytes(raw[8:12], "big")
    variants: dict[str, bytes] = {}
    for label, offset in (
        ("header", header_end - 5),
        ("chunk", header_end + 100),
        ("tag", len(raw) - 1),
    ):
        changed = bytearray(raw)
        changed[offset] ^= 0x01
        variants[label] = bytes(changed)
    variants["truncated"] = raw[: len(raw) - 40]
    variants["appended"] = raw + b"\x00" * 20
    return variants


def test_a_wrong_key_or_an_altered_byte_is_refused_and_nothing_is_restored(
    drill_db: DrillDb,
) -> None:
    drill_db.data("build", "--cases", "1")
    archive = drill_db.root / "a.vernbk"
    drill_db.vern("backup", "--output", str(archive))
    # A change after the backup: a refused restore must leave it in place.
    conn = drill_db.connect()
    conn.cursor().execute("UPDATE centres_centre SET municipality = 'Etter backup'")
    conn.commit()
    conn.close()
    (drill_db.media_root / "after-backup.txt").write_text("still here")
    before = drill_db.checksums()
    files_before = _files(drill_db.media_root)

    done = drill_db.vern(
        "restore",
        str(archive),
        "--yes",
        check=False,
        env={"VERN_BACKUP_KEY": "another-key-" + "x" * 40},
    )
    assert done.returncode == 2
    assert "backup key does not match" in done.stderr
    assert "nothing was restored" in done.stderr

    raw = archive.read_bytes()
    variants = _tampered_variants(raw)
    bad = drill_db.root / "bad.vernbk"
    bad.write_bytes(variants["chunk"])
    done = drill_db.vern("restore", str(bad), "--yes", check=False)
    assert done.returncode == 2
    assert "failed authentication" in done.stderr
    assert "nothing was restored" in done.stderr

    # Every other variant, through the same code path in this process.
    for label, content in variants.items():
        bad.write_bytes(content)
        with (
            tempfile.TemporaryDirectory() as staging,
            pytest.raises(RestoreRefusedError) as refused,
        ):
            stage_archive(
                bad, secret=BACKUP_KEY.encode(), staging=Path(staging), vendor=drill_db.vendor
            )
        assert str(refused.value), label

    assert drill_db.checksums() == before
    assert _files(drill_db.media_root) == files_before


def test_a_missing_backup_key_is_a_clear_error_and_writes_nothing(drill_db: DrillDb) -> None:
    done = drill_db.vern("backup", check=False, env={"VERN_BACKUP_KEY": ""})
    assert done.returncode != 0
    assert "VERN_BACKUP_KEY is not set" in done.stderr
    backups = Path(drill_db.env["VERN_DATA_DIR"]) / "backups"
    assert not list(backups.glob("*")) if backups.exists() else True
