"""Every UI string has a nynorsk and an English translation (issue 2: bokmål first, nn and en
complete). Extracts the strings afresh from a copy of the source with Django's makemessages
(GNU gettext's xgettext) and checks the merged catalogues with scripts/check-translations.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "vern"


def test_every_ui_string_is_translated_to_nynorsk_and_english(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("xgettext (GNU gettext) is missing; .ci/run installs it")
        pytest.skip("xgettext (GNU gettext) is not installed")
    copy = tmp_path / "src" / "vern"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo", "data")
    )
    env = dict(
        os.environ,
        PYTHONPATH=str(tmp_path / "src"),
        DJANGO_SETTINGS_MODULE="vern.settings",
        VERN_DATA_DIR=str(tmp_path / "data"),
    )
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "nn",
            "-l",
            "en",
            "-i",
            "rules/*",
            "--no-obsolete",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check-translations.py"), str(copy / "locale")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
