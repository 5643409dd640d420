"""`vern backup` keeps the signed audit checkpoints (those its snapshot can satisfy) and
`vern restore` puts them back, keeping the ones that were there beside them; the restored log
verifies against them, and a restored log that lost its tail would not (issue 15 point 5)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ops.conftest import DrillDb


def _checkpoint_seqs(path: Path) -> list[int]:
    return [json.loads(line)["seq"] for line in path.read_text().splitlines()]


def test_restore_puts_back_the_checkpoints_of_the_backup_and_keeps_the_newer_ones(
    drill_db: DrillDb,
) -> None:
    drill_db.data("build", "--cases", "1")
    drill_db.vern("audit", "checkpoint")
    checkpoints = Path(drill_db.env["VERN_DATA_DIR"]) / "audit-checkpoints" / "checkpoints.jsonl"
    (at_backup,) = _checkpoint_seqs(checkpoints)

    archive = drill_db.root / "drill.vernbk"
    drill_db.vern("backup", "--output", str(archive))
    # After the backup: more events and a newer checkpoint, which the backup cannot satisfy.
    drill_db.vern("audit", "verify", "--record")
    drill_db.vern("audit", "checkpoint")
    assert _checkpoint_seqs(checkpoints) == [at_backup, at_backup + 1]

    drill_db.wipe()
    done = drill_db.vern("restore", str(archive), "--yes")

    assert "audit chain intact" in done.stdout
    assert _checkpoint_seqs(checkpoints) == [at_backup]
    (kept,) = checkpoints.parent.glob("checkpoints.jsonl.before-restore-*")
    assert _checkpoint_seqs(kept) == [at_backup, at_backup + 1]
    verified = drill_db.vern("audit", "verify")
    assert "1 checkpoints hold" in verified.stdout


def test_a_restored_log_shorter_than_its_checkpoints_does_not_verify(drill_db: DrillDb) -> None:
    drill_db.data("build", "--cases", "1")
    archive = drill_db.root / "drill.vernbk"
    drill_db.vern("backup", "--output", str(archive))
    drill_db.vern("audit", "verify", "--record")
    drill_db.vern("audit", "checkpoint")
    # Restoring the older backup but putting the newer checkpoint file back by hand: the
    # log is then shorter than a checkpoint, and verification says so.
    checkpoints = Path(drill_db.env["VERN_DATA_DIR"]) / "audit-checkpoints" / "checkpoints.jsonl"
    newer = checkpoints.read_text()
    drill_db.wipe()
    drill_db.vern("restore", str(archive), "--yes")
    checkpoints.write_text(newer)

    done = drill_db.vern("audit", "verify", check=False)

    assert done.returncode == 1
    assert "last signed checkpoint" in done.stderr
