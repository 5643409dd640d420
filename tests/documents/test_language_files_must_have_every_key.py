"""Issue 7: a translator adds a language by adding texts/<lang>.yaml; a complete file that
misses a key (or changes a placeholder) fails the system check."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from vern.documents import render
from vern.documents.checks import check_document_texts
from vern.documents.texts import TEXTS_DIR, check_texts, languages, languages_for


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "texts"
    shutil.copytree(TEXTS_DIR, target)
    return target


def test_the_packaged_language_files_are_complete_and_the_system_check_is_clean() -> None:
    assert check_texts() == []
    assert check_document_texts(None) == []
    assert {"nb", "nn", "en"} <= set(languages())


def test_a_complete_language_file_missing_a_key_fails(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "nn.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["consent"]["voluntary"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "nn.yaml: missing key consent.voluntary" in check_texts(directory)


def test_a_changed_placeholder_fails(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "en.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["consent"]["given_to"] = "You give your consent to {center}."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert any("consent.given_to must use the placeholders" in p for p in check_texts(directory))


def test_a_new_language_is_a_file_and_a_partial_sample_must_be_marked_unreviewed(
    tmp_path: Path,
) -> None:
    directory = _copy(tmp_path)
    sample = {"meta": {"name": "Polski", "dir": "ltr", "reviewed": True, "complete": False},
              "common": {"none": "Brak."}}  # fmt: skip
    (directory / "pl.yaml").write_text(yaml.safe_dump(sample, allow_unicode=True), "utf-8")
    assert "pl.yaml: a partial sample must be marked reviewed: false" in check_texts(directory)
    sample["meta"]["reviewed"] = False  # type: ignore[index]
    (directory / "pl.yaml").write_text(yaml.safe_dump(sample, allow_unicode=True), "utf-8")
    assert check_texts(directory) == []


def test_the_arabic_sample_is_offered_only_for_documents_it_fully_covers() -> None:
    arabic = languages()["ar"]
    assert arabic.rtl
    assert not arabic.reviewed
    assert not arabic.complete
    assert "ar" in {lang.code for lang in languages_for(render.INFORMATION_SHEET.sections)}
    assert "ar" not in {lang.code for lang in languages_for(render.CONSENT_FORM.sections)}


def test_every_audit_action_has_a_label_in_the_access_report() -> None:
    from vern.audit.actions import AuditAction

    texts = languages()["nb"].texts
    missing = [a.value for a in AuditAction if f"action.{a.value}" not in texts]
    case_actions = [
        a
        for a in missing
        if a.startswith(("case", "consent", "assessment", "police", "relocation", "document"))
    ]
    assert case_actions == []
