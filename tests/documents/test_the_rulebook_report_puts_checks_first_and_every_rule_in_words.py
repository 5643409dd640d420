"""`vern rulebook report` (issue 13 point 5): the review document for a jurist lists the
entries still marked "check" first, then the changes, every rule in words with its dates,
outcome and precedence both ways, every reference with source, status and checked date, every
scenario, as HTML and as a tagged PDF with a table of contents and page numbers."""

from __future__ import annotations

import datetime as dt
import html
import re
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.core.management import call_command

from tests.documents.conftest import pdf_objects, pdf_text, save_screenshot
from tests.rulebookops.modified import RULEBOOK_1_1_0, modified_rulebook
from vern.documents.rulebook_report import rulebook_report_html, rulebook_report_pdf
from vern.rules import load_rulebook
from vern.rules.report import build_report, checked_on, load_scenarios, scenarios_dir


def _text(page: str) -> str:
    """The HTML's text: tags removed, entities decoded, whitespace joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_html_has_every_rule_reference_scenario_and_the_changes() -> None:
    book = load_rulebook(RULEBOOK_1_1_0)
    page = rulebook_report_html(book, "nb")
    text = _text(page)

    for rule_id in book.rules:
        assert f'id="rule-{rule_id.replace(".", "-")}"' in page
    for ref in book.references.values():
        assert ref.source in text
        assert ref.section in text
    scenarios = load_scenarios(scenarios_dir(book))
    in_files = sum(
        len(yaml.safe_load(f.read_text(encoding="utf-8"))["scenarios"])
        for f in (RULEBOOK_1_1_0 / "scenarios").glob("*.yaml")
    )
    assert len(scenarios) == in_files
    for scenario in scenarios:
        assert html.escape(scenario.name) in page
    assert "Versjon 1.1.0 (2026-11-27) – endringer siden 1.0.1" in text
    assert "§ 275 (drap, 8 to 21 years)" in text  # the 1.1.0 changelog entry
    assert "Versjon 1.0.0 (2026-11-27)" in text  # and the earlier ones


def test_the_items_still_marked_check_come_first_with_their_status_notes() -> None:
    book = load_rulebook(RULEBOOK_1_1_0)
    text = _text(rulebook_report_html(book, "nb"))
    checks = text.index("1. Må kontrolleres")
    rules = text.index("3. Reglene")

    assert checks < text.index("2. Endringer siden forrige versjon") < rules
    first_part = text[checks:rules]
    for ref in book.references.values():
        if ref.status == "check":
            assert ref.status_note is None or ref.status_note in first_part
            assert f"Referanse {ref.id}" in first_part
        else:
            assert f"Referanse {ref.id}" not in first_part
    for offence in book.offences:
        if offence.status == "check":
            assert f"Lovbrudd {offence.id}" in first_part
    for measure in book.measures:
        assert (f"Tiltak {measure.id}" in first_part) == (measure.status == "check")
    assert "sist kontrollert 2026-11-27" in first_part


def test_conditions_outcome_and_precedence_are_written_in_words(tmp_path: Path) -> None:
    book = load_rulebook(modified_rulebook(tmp_path / "rb"))
    text = _text(rulebook_report_html(book, "en"))

    duty = text[text.index("involvement.required.duty-to-avert Applies") :][:900]
    assert "Applies from 2018-03-08 (no end date)" in duty
    assert (
        "Applies when: factor 9 (duty to avert) is true and some suspected offence is on the "
        "§ 196 list" in duty
    )
    assert "Outcome: Decides police involvement: “Required – the police shall be contacted”" in duty
    assert "Overrides: involvement.recommended.risk" in duty
    assert "Overridden by: none" in duty
    assert "Requirements: G11, G7 · References: straffeloven-196, bufdir-veileder-politi" in duty
    default = text[text.index("involvement.not-indicated Applies") :][:900]
    assert "Applies when: always (the default rule when no other rule decides)" in default
    assert "Overridden by: involvement.recommended.great-danger" in default
    assert "involvement.required.duty-to-avert" in default
    consider = text[text.index("action.consider-duty-to-avert Applies") :][:600]
    assert (
        "factor 9 (duty to avert) is false and some suspected offence is on the § 196 list"
        in consider
    )
    assert "Outcome: Adds the action" in consider


def test_nynorsk_words_come_from_the_catalogue() -> None:
    text = _text(rulebook_report_html(load_rulebook(RULEBOOK_1_1_0), "nn"))

    assert "Regelboka vern-politiinvolvering, versjon 1.1.0" in text
    assert "faktor 9 (avvergeplikt) gjeld ikkje" in text
    assert "Endringar sidan førre versjon" in text


def test_the_checked_date_is_read_under_either_field_name() -> None:
    day = dt.date(2026, 12, 1)
    assert checked_on(SimpleNamespace(checked_on=day)) == day
    assert checked_on(SimpleNamespace(last_checked=day)) == day
    assert checked_on(SimpleNamespace()) is None


def test_precedence_is_listed_both_ways() -> None:
    report = build_report(load_rulebook(RULEBOOK_1_1_0))
    lines = {line.id: line for line in report.rules}

    for line in report.rules:
        for target in line.overrides:
            assert line.id in lines[target].overridden_by
    assert lines["involvement.recommended.risk"].overridden_by
    assert not lines["involvement.required.duty-to-avert"].overridden_by


def test_the_pdf_is_tagged_with_contents_and_page_numbers(tmp_path: Path) -> None:
    book = load_rulebook(RULEBOOK_1_1_0)
    pdf = rulebook_report_pdf(book, "en")
    text = pdf_text(pdf, tmp_path)

    assert "The rulebook vern-politiinvolvering, version 1.1.0" in text
    # Table of contents with the page each part starts on.
    assert re.search(
        r"Contents To be checked\s*\.+ 1 Changes since the previous version\s*\.+ \d+", text
    )
    assert re.search(r"The rules\s*\.+ \d+ References\s*\.+ \d+", text)
    assert "Page 1 of " in text
    pages = int(re.search(r"Page 1 of (\d+)", text).group(1))  # type: ignore[union-attr]
    assert f"Page {pages} of {pages}" in text
    assert (
        "factor 9 (duty to avert) is false and some suspected offence is on the § 196 list" in text
    )
    assert "https://lovdata.no/lov/2005-05-20-28/§196" in text
    objects = pdf_objects(pdf)
    assert b"/StructTreeRoot" in objects
    assert b"(en)" in objects or b"/Lang <656e>" in objects
    shots = save_screenshot(pdf, "rulebook-report-en", tmp_path)
    assert len(shots) == pages


@pytest.mark.parametrize("lang", ["nn"])
def test_the_command_writes_the_html_and_the_pdf(lang: str, tmp_path: Path) -> None:
    out = StringIO()
    call_command("rulebook", "report", "--output", str(tmp_path), "--lang", lang, stdout=out)

    version = load_rulebook().version
    html_file = tmp_path / f"rulebook-{version}-{lang}.html"
    pdf_file = tmp_path / f"rulebook-{version}-{lang}.pdf"
    assert str(html_file) in out.getvalue()
    assert html_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert '<html lang="nn">' in html_file.read_text(encoding="utf-8")
    assert "<style>" in html_file.read_text(encoding="utf-8")  # opens alone in a browser
    assert pdf_file.read_bytes().startswith(b"%PDF")
