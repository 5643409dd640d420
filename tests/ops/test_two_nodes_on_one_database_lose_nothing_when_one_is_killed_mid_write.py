"""Issue 20: two app servers on one PostgreSQL, one SIGKILLed during writes, lose nothing.

Runs the short version of ``scripts/node_drill.py`` (docs/operations.md, "Two or more nodes"):
two ``vern serve`` on two loopback ports with two data folders, staff who sign in on one node
and continue on the other, cases created and signed consent forms uploaded on one node and
downloaded on the other; node A is killed a few milliseconds after a write was sent to it.
Then every acknowledged write is in the database, every form's bytes are there with their
upload checksum and none is on a node's disk, the chain verifies, node B answered every
request after the kill; and backup (node A) -> drop and wipe both nodes -> restore (node B)
gives back every table and every form with equal checksums.

PostgreSQL only: on SQLite there is one machine by definition (docs/adr/0013).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.ops.conftest import DrillDb

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "node_drill.py"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="PostgreSQL only: two app servers share a database server; SQLite is one "
        "machine by definition (ADR 0013)",
    ),
]


@pytest.fixture
def template(drill_template: DrillDb) -> DrillDb:
    assert drill_template.pg_name is not None
    return drill_template


def test_two_nodes_lose_no_acknowledged_write_or_file_when_one_is_killed_mid_write(
    template: DrillDb,
) -> None:
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--json",
            "--database-url",
            template.base_url,
            "--template",
            str(template.pg_name),
            "--clients",
            "2",
            "--rounds",
            "4",
            "--kill-round",
            "1",
            "--workers",
            "1",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.stdout.strip(), done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(result)  # the figures, with pytest -s

    assert result["problems"] == [], done.stderr[-2000:]
    assert done.returncode == 0
    assert result["kills"] == 1
    assert result["lost"] == 0
    assert result["acknowledged_cases"] > 0
    assert result["acknowledged_uploads"] > 0
    assert result["downloads"] > 0
    assert result["requests"]["A"] > 0
    assert result["requests_after_kill"]["A"] == 0
    assert result["requests_after_kill"]["B"] > 0
    assert result["survivor_errors_after_kill"] == 0
    assert result["audit_chain"].startswith("audit chain intact")
    restore = result["restore"]
    assert restore["files"] >= result["acknowledged_uploads"]
    assert restore["rows"] > 0
    print(f"two-node drill: {time.monotonic() - started:.1f} s")
