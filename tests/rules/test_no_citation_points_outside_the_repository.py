"""Every citation in src/, docs/, README.md and CONTRIBUTING.md resolves in a fresh clone.

The project's original domain notes lived outside the repository; their content is now in
docs/sources/. A citation of the old location (a relative path into the sibling folder, or the
names of the two notes files) would not resolve for anyone who clones the repository, so no text
file may contain one. Only binary files are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("src", "docs", "README.md", "CONTRIBUTING.md")
# Built from parts so that this file does not match itself if it is ever moved under docs/.
OUTSIDE = re.compile(
    "|".join(
        (
            re.escape("../" + "shared"),
            re.escape("shared/" + "domain"),
            re.escape("shared/" + "seed"),
            re.escape("GUIDANCE" + ".md"),
            re.escape("LAW" + ".md"),
        )
    )
)


def _text_files() -> list[Path]:
    files: list[Path] = []
    for name in CHECKED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for candidate in candidates:
            data = candidate.read_bytes()
            if b"\0" in data:
                continue  # binary (compiled .mo catalogues, images, fonts)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            files.append(candidate)
    return files


def _offending_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE.search(line)
    ]


def test_no_file_cites_a_path_outside_the_repository() -> None:
    offending = [line for path in _text_files() for line in _offending_lines(path)]
    assert not offending, "citations outside the repository:\n" + "\n".join(offending)


def test_the_sources_folder_holds_the_requirement_list_and_the_bibliography() -> None:
    sources = ROOT / "docs" / "sources"
    for name in ("README.md", "requirements.md", "bibliography.md", "guidance-page.md"):
        assert (sources / name).is_file(), name
    requirements = (sources / "requirements.md").read_text(encoding="utf-8")
    ids = [f"G{n}" for n in range(1, 16)] + ["K1", "C1", "R1", "R2", "R3", "P1", "L1", "L2", "B1"]
    for ident in ids:
        assert re.search(rf"^\| {ident} \|", requirements, re.MULTILINE), ident


@pytest.mark.parametrize(
    "line",
    [
        "see ../" + "shared/domain/GUIDANCE" + ".md",
        "as gathered in LAW" + ".md",
        "text in shared/" + "seed",
    ],
)
def test_the_pattern_catches_each_old_citation(line: str) -> None:
    assert OUTSIDE.search(line)


def test_the_pattern_leaves_repository_citations_alone() -> None:
    assert not OUTSIDE.search("docs/sources/requirements.md (G3, krisesenterlova-5)")
