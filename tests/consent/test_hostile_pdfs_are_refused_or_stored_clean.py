"""Issue 15 point 2: every file of the hostile-PDF corpus (tests/consent/hostile_pdfs.py) is
refused with a clear error and nothing stored, or stored re-written by qpdf with none of its
active elements or metadata left; normal signed forms still pass and still render."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.consent import hostile_pdfs
from tests.consent.hostile_pdfs import MARKER, Case
from vern.consent import pdfclean, uploads

HAS_ACTIVE_ELEMENTS = {
    "js-hex-escaped-name",
    "launch-hex-escaped-name",
    "js-in-object-stream",
    "js-names-tree",
    "js-as-stream",
    "open-action-launch",
    "additional-actions",
    "uri-link",
    "submit-form",
    "import-data",
    "goto-remote",
    "goto-embedded",
    "action-chain",
    "metadata",
    "missing-xref",
}


def inspect(data: bytes) -> uploads.CleanUpload:
    return uploads.inspect_upload(io.BytesIO(data), declared_size=len(data))


def assert_nothing_active(content: bytes) -> None:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert not pdf.is_encrypted
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert "/OpenAction" not in pdf.Root
        assert "/AA" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert len(pdf.pages) >= 1
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                for key in ("/JS", "/AA", "/OpenAction", "/Metadata", "/EF", "/XFA", "/Next"):
                    assert key not in obj, key
                action = obj.get("/A")
                if action is not None:
                    assert action.get("/S") == pikepdf.Name.GoTo
    assert pdfclean.active_elements(content) == []


@pytest.mark.parametrize("case", hostile_pdfs.CORPUS, ids=lambda case: case.name)
def test_every_hostile_pdf_is_refused_or_stored_clean(case: Case, media_root: Path) -> None:
    data = case.build()
    if case.name in HAS_ACTIVE_ELEMENTS:
        assert pdfclean.active_elements(data) != []  # the input really is hostile
    if case.expect != "clean":
        with pytest.raises(ValidationError) as refused:
            inspect(data)
        error = refused.value.error_dict[uploads.FIELD][0]
        assert error.code == case.expect
        assert str(error.message).strip()
        return
    clean = inspect(data)
    assert clean.content_type == uploads.PDF
    assert clean.content != data  # always re-written: never the uploaded bytes
    content = clean.content  # exactly what the service stores (in the database, issue 20)
    assert_nothing_active(content)
    assert MARKER not in content
    assert content.rstrip().endswith(b"%%EOF")  # nothing after the end (polyglots)
    assert b"PK\x03\x04" not in content
    assert b"<html" not in content


def test_hex_escaped_names_and_object_streams_hide_nothing_from_the_byte_level() -> None:
    """The corpus really tests the object model: the hostile names are not in the bytes."""
    assert b"/JavaScript" not in hostile_pdfs.js_hex_escaped_name()
    assert b"/Launch" not in hostile_pdfs.launch_hex_escaped_name()
    assert b"JavaScript" not in hostile_pdfs.js_in_object_stream()


@pytest.mark.parametrize(
    ("language", "word"),
    [("nb", "kryptert"), ("nn", "kryptert"), ("en", "encrypted")],
)
def test_a_refusal_names_what_was_wrong_in_each_language(language: str, word: str) -> None:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        inspect(hostile_pdfs.encrypted_with_password())
    assert word in " ".join(refused.value.message_dict[uploads.FIELD])


@pytest.mark.parametrize("case", hostile_pdfs.NORMAL, ids=lambda case: case.name)
def test_a_normal_signed_form_passes_keeps_its_page_and_renders(case: Case, tmp_path: Path) -> None:
    data = case.build()
    clean = inspect(data)
    assert clean.removed == ()
    with pikepdf.open(io.BytesIO(data)) as before, pikepdf.open(io.BytesIO(clean.content)) as after:
        assert len(after.pages) == len(before.pages) == 1
        assert after.pages[0].mediabox == before.pages[0].mediabox
        assert bytes(after.pages[0].Contents.read_bytes()) == before.pages[0].Contents.read_bytes()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: rendering not checked")
    (tmp_path / "form.pdf").write_bytes(clean.content)
    subprocess.run(
        [pdftoppm, "-r", "20", "-png", str(tmp_path / "form.pdf"), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    from PIL import Image

    [page] = list(tmp_path.glob("page*.png"))
    with Image.open(page) as image:
        extrema = image.convert("L").getextrema()
    assert extrema[0] < extrema[1]  # something is drawn: not a blank page
