"""Issue 17 point 3: translators add a language without code; ``vern textcoverage`` lists, per
language, what it lacks of the mode's texts and whether it is reviewed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vern.together.texts import coverage, mode_languages


def test_the_required_languages_are_complete_and_the_arabic_sample_is_listed_unreviewed() -> None:
    rows = {row.code: row for row in coverage()}
    for code in ("nb", "nn", "en"):
        assert rows[code].missing == ()
        assert rows[code].reviewed
    arabic = rows["ar"]
    assert not arabic.reviewed
    assert arabic.offered  # every together text is there ...
    assert "consent.title" in arabic.missing  # ... the consent's texts come from English
    assert not any(key.startswith("together.") for key in arabic.missing)
    assert [lang.code for lang in mode_languages()] == ["nb", "nn", "en", "ar"]


def test_the_command_prints_each_missing_key_and_can_fail_on_them() -> None:
    out = io.StringIO()
    call_command("textcoverage", stdout=out)
    text = out.getvalue()
    assert "ar (العربية): NOT REVIEWED" in text
    assert "  missing consent.title" in text
    assert "nb (Norsk bokmål): reviewed; offered in the mode; 0 missing" in text
    with pytest.raises(CommandError):
        call_command("textcoverage", "--fail-on-missing", stdout=io.StringIO())
