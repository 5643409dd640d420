"""The engine is pure Python: importing and using it loads no Django module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import vern.rules

CHECK = """
import sys, vern.rules, vern.rules.cli
from vern.rules import evaluate, parse_facts, render_text
render_text(evaluate(parse_facts({"suspected_offences": ["straffeloven-263"]})), "en")
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(",".join(loaded))
"""


def test_vern_rules_imports_no_django() -> None:
    src = Path(vern.rules.__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(src), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_no_source_file_of_the_engine_mentions_django() -> None:
    package = Path(vern.rules.__file__).resolve().parent
    for path in package.glob("*.py"):
        assert "import django" not in path.read_text(encoding="utf-8")
        assert "from django" not in path.read_text(encoding="utf-8")
