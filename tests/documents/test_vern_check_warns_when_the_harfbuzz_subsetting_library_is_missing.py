"""documents.W001: a missing HarfBuzz subsetting library is named by `vern check` (the PDFs
still render, four times slower: docs/performance.md)."""

from __future__ import annotations

import ctypes.util

import pytest

from vern.documents.checks import check_harfbuzz_subset


def test_no_warning_when_the_library_is_found() -> None:
    if ctypes.util.find_library("harfbuzz-subset") is None:
        pytest.fail("libharfbuzz-subset is missing here: run scripts/system-deps.sh runtime")
    assert check_harfbuzz_subset(None) == []


def test_a_missing_library_is_a_warning_naming_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    (message,) = check_harfbuzz_subset(None)
    assert message.id == "documents.W001"
    assert "libharfbuzz-subset0" in (message.hint or "")
