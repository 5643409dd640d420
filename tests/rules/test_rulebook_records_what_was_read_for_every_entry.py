"""Every legal entry records its source, the date it was checked and an honest status.

`verified` means read in the statute text or the official translation; anything else is `check`
with a note saying what was read (docs/sources/bibliography.md). The corrected measure texts and
the under-16 condition of §§ 312 and 314 are tested statement by statement.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from vern.rules import check_rulebook, evaluate, load_rulebook, parse_facts
from vern.rules.rulebook import PACKAGED_RULEBOOK

LANGS = ("nb", "nn", "en")


def _copy_with(tmp_path: Path, file: str, mutate: Any) -> Path:
    for path in PACKAGED_RULEBOOK.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == file:
            mutate(document)
        (tmp_path / path.name).write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    return tmp_path


def test_every_reference_offence_and_measure_has_a_checked_on_date() -> None:
    book = load_rulebook()
    dates = [r.checked_on for r in book.references.values()]
    dates += [o.checked_on for o in book.offences]
    dates += [m.checked_on for m in book.measures]
    assert all(isinstance(d, dt.date) and d >= dt.date(2026, 12, 1) for d in dates)


def test_every_entry_marked_check_says_what_was_read() -> None:
    book = load_rulebook()
    for reference in book.references.values():
        if reference.status == "check":
            assert reference.status_note, reference.id
    for offence in book.offences:
        if offence.status == "check":
            assert offence.note, offence.id
    for measure in book.measures:
        if measure.status == "check":
            assert measure.status_note, measure.id


def test_references_resting_on_secondary_sources_stay_check() -> None:
    refs = load_rulebook().references
    for ident in (
        "krisesenterlova-5", "krisesenterlova-6", "barnevernsloven-13-2", "straffeloven-196",
        "straffeloven-17", "straffeloven-209", "straffeprosessloven-222g", "folkeregisterloven",
    ):  # fmt: skip
        assert refs[ident].status == "check", ident


def test_the_old_field_name_last_checked_is_refused(tmp_path: Path) -> None:
    def rename(doc: dict[str, Any]) -> None:
        doc["references"][0]["last_checked"] = doc["references"][0].pop("checked_on")

    problems = check_rulebook(_copy_with(tmp_path, "references.yaml", rename))
    assert any("unknown key 'last_checked'" in p for p in problems), problems


def test_krisesenterlova_5_gist_has_the_danger_limb_as_a_right() -> None:
    gist = load_rulebook().references["krisesenterlova-5"].gist
    assert "substantial danger to life or serious harm to someone's health" in gist
    assert "a right to share, not a duty" in gist


def test_straffeloven_196_gist_has_another_way_the_innocent_person_and_under_16() -> None:
    gist = load_rulebook().references["straffeloven-196"].gist
    assert "through a report or in another way" in gist
    assert "regardless of any duty of confidentiality" in gist
    assert "an innocent person" in gist
    assert "§§ 312 and 314 only when the aggrieved person is under 16" in gist


def test_barnevernsloven_13_2_is_a_reference_with_its_grounds() -> None:
    gist = load_rulebook().references["barnevernsloven-13-2"].gist
    grounds = ("mistreated", "serious illness or injury", "behavioural problems", "trafficking")
    for ground in grounds:
        assert ground in gist


def test_222g_covers_a_contact_ban_and_needs_suspicion_of_a_breach() -> None:
    gist = load_rulebook().references["straffeprosessloven-222g"].gist
    assert "contact ban already imposed" in gist
    assert "reasonably suspected" in gist


def _offences() -> dict[str, Any]:
    return {o.id: o for o in load_rulebook().offences if o.valid_until is None}


@pytest.mark.parametrize("ident", ["straffeloven-312", "straffeloven-314"])
def test_312_and_314_carry_the_under_16_condition(ident: str) -> None:
    offence = _offences()[ident]
    assert offence.in_196_list
    assert offence.duty_to_avert_condition is not None
    assert "16" in offence.duty_to_avert_condition.get("nb")
    assert offence.duty_to_avert_condition.get("nn") == "berre når den fornærma er under 16 år"
    assert offence.duty_to_avert_condition.get("en") == "only when the aggrieved person is under 16"


def test_314_is_up_to_six_years_not_one() -> None:
    assert _offences()["straffeloven-314"].max_penalty_years == 6


def test_no_other_offence_has_a_duty_to_avert_condition() -> None:
    with_condition = {i for i, o in _offences().items() if o.duty_to_avert_condition}
    assert with_condition == {"straffeloven-312", "straffeloven-314"}


def test_the_offence_line_shows_the_condition_in_each_language() -> None:
    facts = parse_facts(
        {
            "on": "2026-12-01",
            "risk_of_new_serious_violence": "no",
            "suspected_offences": ["straffeloven-312", "straffeloven-264"],
        }
    )
    outcome = evaluate(facts)
    for lang in LANGS:
        prosecution = outcome.to_dict(lang)["public_prosecution"]
        assert isinstance(prosecution, dict)
        lines = {line["id"]: line for line in prosecution["offences"]}
        assert lines["straffeloven-264"]["duty_to_avert_condition"] is None
        condition = lines["straffeloven-312"]["duty_to_avert_condition"]
        assert isinstance(condition, str)
        assert "16" in condition


def test_a_condition_on_an_unlisted_offence_is_refused(tmp_path: Path) -> None:
    def add(doc: dict[str, Any]) -> None:
        first = next(o for o in doc["offences"] if o["id"] == "straffeloven-263")
        first["duty_to_avert_condition"] = {"nb": "a", "nn": "b", "en": "c"}

    problems = check_rulebook(_copy_with(tmp_path, "offences.yaml", add))
    assert any("'duty_to_avert_condition' needs in_196_list: true" in p for p in problems)


def _measure(ident: str) -> Any:
    return next(m for m in load_rulebook().measures if m.id == ident)


def test_the_contact_ban_is_not_independent_of_a_criminal_case() -> None:
    ban = _measure("kontaktforbud-omvendt-voldsalarm")
    assert ban.requires_report is True
    assert "straffesak" in ban.text.get("nb")
    assert "straffesak" in ban.text.get("nn")
    assert "criminal case" in ban.text.get("en")
    others = [m for m in load_rulebook().measures if m.id != ban.id]
    assert not any(m.requires_report for m in others)


def test_the_measures_note_names_the_contact_ban_as_the_exception() -> None:
    note = load_rulebook().measures_note
    assert "kontaktforbud" in note.get("nb")
    assert "kontaktforbod" in note.get("nn")
    assert "contact ban" in note.get("en")


def test_the_address_block_is_applied_for_by_the_person_and_can_be_appealed() -> None:
    text = _measure("adressesperre").text
    assert "Du søker selv hos politiet" in text.get("nb")
    assert "kan du klage på vedtaket" in text.get("nb")
    assert "Du søkjer sjølv hos politiet" in text.get("nn")
    assert "kan du klage på vedtaket" in text.get("nn")
    assert "You apply to the police yourself" in text.get("en")
    assert "you can appeal" in text.get("en")
    for lang in LANGS:
        assert "alone" not in text.get(lang)
        assert "alene" not in text.get(lang)
        assert "åleine" not in text.get(lang)


def test_electronic_monitoring_also_covers_a_contact_ban_after_suspected_breach() -> None:
    text = _measure("besoksforbud-elektronisk-kontroll").text
    assert "kontaktforbud" in text.get("nb")
    assert "skjellig grunn" in text.get("nb")
    assert "kontaktforbod" in text.get("nn")
    assert "skjellig grunn" in text.get("nn")
    assert "contact ban" in text.get("en")
    assert "reasonable suspicion" in text.get("en")
