"""Every gettext catalogue is well formed for GNU msgfmt, not only for polib.

`vern compiletranslations` compiles with polib, which accepts an entry without ``msgstr``; a
translator's tools (msgfmt, Poedit, Weblate) refuse the whole file. Three such entries were
found in the bokmål catalogue after merges that appended entries by hand."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "vern" / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_catalogue_passes_msgfmt_check(catalogue: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed (scripts/system-deps.sh test)")
    done = subprocess.run(
        [msgfmt, "--check", "--output-file=/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_there_are_catalogues() -> None:
    assert len(CATALOGUES) >= 3
