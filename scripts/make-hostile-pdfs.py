"""Write the hostile-PDF corpus (tests/consent/hostile_pdfs.py) to a directory.

    PYTHONPATH=src /work/main/.venv/bin/python scripts/make-hostile-pdfs.py OUTDIR

Every file is built with pikepdf or byte by byte; nothing is downloaded. The test
tests/consent/test_hostile_pdfs_are_refused_or_stored_clean.py builds the same corpus.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "consent"))

import hostile_pdfs


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for case in (*hostile_pdfs.CORPUS, *hostile_pdfs.NORMAL):
        path = out / f"{case.name}.pdf"
        path.write_bytes(case.build())
        print(f"{path}  expect: {case.expect}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
