"""Issue 20 point 1: signed consent forms uploaded before issue 20 lived under MEDIA_ROOT on one
node's disk. `vern files import` (and the data migration, which runs the same function) moves
each into the database only when its bytes match the checksum recorded at upload, reads it
back, reports counts, is idempotent, and with --remove deletes the verified disk copy only."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.consent.conftest import inform, verbal_consent
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent import filestore
from vern.consent.models import SignedConsentFile, SignedConsentFileContent
from vern.core import clock

pytestmark = pytest.mark.django_db


def _legacy(
    user: User, case: Case, media_root: Path, content: bytes, name: str
) -> SignedConsentFile:
    """A form as uploaded before issue 20: a row and a file, no bytes in the database."""
    consent = verbal_consent(user, case)
    stored_name = f"consents/{case.centre_id}/{name}.pdf"
    path = media_root / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return SignedConsentFile.objects.create(
        centre_id=case.centre_id,
        consent=consent,
        sha256=hashlib.sha256(content).hexdigest(),
        content_type="application/pdf",
        size=len(content),
        stored_name=stored_name,
        uploaded_by=user,
        uploaded_at=clock.now(),
    )


def _import(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("files", "import", *args, stdout=out)
    return out.getvalue()


def test_forms_on_disk_move_into_the_database_verified_once_and_then_leave_the_disk(
    ansatt: User, case: Case, media_root: Path
) -> None:
    inform(ansatt, case)
    first = _legacy(ansatt, case, media_root, b"%PDF-1.4 first %%EOF", "a" * 32)
    second = _legacy(ansatt, case, media_root, b"%PDF-1.4 second %%EOF", "b" * 32)
    assert filestore.read_content(first) == b"%PDF-1.4 first %%EOF"  # served from disk until then
    with pytest.raises(CommandError):
        call_command("files", "verify")  # not in the database yet

    assert "2 imported, 0 already in the database" in _import()
    assert bytes(SignedConsentFileContent.objects.get(signed_file=first).content) == (
        b"%PDF-1.4 first %%EOF"
    )
    assert "0 imported, 2 already in the database" in _import()  # idempotent
    assert SignedConsentFileContent.objects.count() == 2
    call_command("files", "verify")  # exit 0

    assert "2 disk copies removed" in _import("--remove")
    assert not (media_root / first.stored_name).exists()
    assert filestore.read_content(second) == b"%PDF-1.4 second %%EOF"  # from the database now


def test_a_form_whose_bytes_differ_from_its_checksum_is_reported_and_not_imported(
    ansatt: User, case: Case, media_root: Path
) -> None:
    inform(ansatt, case)
    signed = _legacy(ansatt, case, media_root, b"%PDF-1.4 signed %%EOF", "c" * 32)
    (media_root / signed.stored_name).write_bytes(b"%PDF-1.4 changed %%EOF")

    with pytest.raises(CommandError, match="1 files do not match their checksum"):
        _import("--remove")

    assert not SignedConsentFileContent.objects.exists()
    assert (media_root / signed.stored_name).exists()  # nothing deleted
    with pytest.raises(filestore.StoredFileError):
        filestore.read_content(signed)  # never served as the signed form


def test_a_form_on_another_nodes_disk_is_reported_as_not_here(
    ansatt: User, case: Case, media_root: Path
) -> None:
    inform(ansatt, case)
    signed = _legacy(ansatt, case, media_root, b"%PDF-1.4 elsewhere %%EOF", "d" * 32)
    (media_root / signed.stored_name).unlink()

    output = _import()

    assert "1 not on this node" in output
    assert f"run this command there): {signed.pk}" in output
