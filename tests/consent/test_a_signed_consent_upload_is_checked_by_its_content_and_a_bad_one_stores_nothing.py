"""Issue 7 point 1: the signed consent form uploaded back. PDF/JPEG/PNG only, checked by
content; size-limited; decompression bombs refused; image metadata (GPS) stripped; stored under a
random name, in the database (issue 20: no file on the node's disk); bad uploads get a clear
error and NOTHING is stored (no row, no bytes, no file)."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.consent import hostile_pdfs
from tests.consent.conftest import inform, police_consent, verbal_consent
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent import filestore, services, uploads
from vern.consent.models import Consent, SignedConsentFile, SignedConsentFileContent

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
PDF_BYTES = hostile_pdfs.plain()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions (a classic image bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraMerke"
    exif[GPS_IFD] = {1: "N", 2: (59.0, 54.0, 36.0), 3: "E", 4: (10.0, 45.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test input has GPS
    return data


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def consent(ansatt: User, case: Case) -> Consent:
    inform(ansatt, case)
    return verbal_consent(ansatt, case)


def attach(user: User, consent: Consent, file: SimpleUploadedFile) -> SignedConsentFile:
    return services.signed_consent_upload(
        acting_user=user, consent=consent, signed_file=file, signed_file_size=file.size
    )


def refused(user: User, consent: Consent, file: SimpleUploadedFile, media_root: Path) -> str:
    """Attach and expect a refusal; check nothing was stored; return the message."""
    with pytest.raises(ValidationError) as excinfo:
        attach(user, consent, file)
    assert not SignedConsentFile.objects.exists()
    assert not SignedConsentFileContent.objects.exists()
    assert files_under(media_root) == []
    return " ".join(excinfo.value.message_dict["signed_file"])


# --------------------------------------------------------------------------- accepted


def test_a_pdf_is_stored_in_the_database_under_a_random_name_and_not_on_the_disk(
    ansatt: User, consent: Consent, media_root: Path
) -> None:
    signed = attach(ansatt, consent, upload("kari-nordmann-samtykke.pdf", PDF_BYTES))
    assert signed.content_type == "application/pdf"
    assert signed.stored_name.startswith(f"consents/{consent.centre_id}/")
    assert "kari" not in signed.stored_name
    row = SignedConsentFileContent.objects.get(signed_file=signed)
    content = bytes(row.content)
    assert content.startswith(b"%PDF-")  # re-written by qpdf (issue 15), never the original
    assert signed.size == row.size == len(content)
    assert row.centre_id == signed.centre_id  # row-level security covers it (PostgreSQL)
    assert signed.sha256 == row.sha256 == hashlib.sha256(content).hexdigest()
    assert filestore.read_content(signed) == content
    assert files_under(media_root) == []  # nothing on this node's disk


def test_a_jpeg_with_gps_exif_is_stored_without_it(
    ansatt: User, consent: Consent, media_root: Path
) -> None:
    signed = attach(ansatt, consent, upload("bilde.jpg", jpeg_with_gps(), "image/jpeg"))
    assert signed.content_type == "image/jpeg"
    stored = Image.open(io.BytesIO(filestore.read_content(signed)))
    exif = stored.getexif()
    assert GPS_IFD not in exif
    assert not exif.get_ifd(GPS_IFD)
    assert 0x010F not in exif  # camera make gone too
    assert "exif" not in stored.info
    assert stored.size == (64, 48)


def test_a_png_is_accepted_whatever_the_browser_says_it_is(ansatt: User, consent: Consent) -> None:
    signed = attach(ansatt, consent, upload("skann.txt", png_bytes(), "text/plain"))
    assert signed.content_type == "image/png"


def test_a_written_consent_can_be_created_with_the_upload(
    ansatt: User, case: Case, media_root: Path
) -> None:
    inform(ansatt, case)
    file = upload("skjema.pdf", PDF_BYTES)
    consent = police_consent(
        ansatt,
        case,
        written_method="upload",
        signed_by_name="",
        signature_confirmed=False,
        signed_file=file,
        signed_file_size=file.size,
    )
    assert consent.written_method == "upload"
    assert consent.signed_files.count() == 1
    assert SignedConsentFileContent.objects.filter(signed_file__consent=consent).count() == 1
    assert files_under(media_root) == []


# --------------------------------------------------------------------------- refused


def test_a_wrong_type_is_refused_with_a_clear_error(
    ansatt: User, consent: Consent, media_root: Path
) -> None:
    message = refused(ansatt, consent, upload("skjema.docx", b"PK\x03\x04 word"), media_root)
    assert "Bare PDF, JPEG og PNG" in message


def test_a_renamed_executable_is_refused_by_its_content(
    ansatt: User, consent: Consent, media_root: Path
) -> None:
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
    message = refused(ansatt, consent, upload("skjema.pdf", elf, "application/pdf"), media_root)
    assert "program" in message


def test_an_oversized_file_is_refused(
    ansatt: User, consent: Consent, media_root: Path, settings: Any
) -> None:
    settings.VERN_UPLOAD_MAX_BYTES = 2048
    big = PDF_BYTES[:-7] + b"0" * 4096 + b"\n%%EOF\n"
    message = refused(ansatt, consent, upload("skjema.pdf", big), media_root)
    assert "for stor" in message
    # Also when the declared size is missing: the content itself is measured.
    with pytest.raises(ValidationError):
        services.signed_consent_upload(
            acting_user=ansatt,
            consent=consent,
            signed_file=upload("s.pdf", big),
        )
    assert files_under(media_root) == []


def test_a_png_header_claiming_huge_dimensions_is_refused_as_an_image_bomb(
    ansatt: User, consent: Consent, media_root: Path
) -> None:
    bomb = png_header_claiming(100_000, 100_000)
    assert len(bomb) < 200
    message = refused(ansatt, consent, upload("skann.png", bomb, "image/png"), media_root)
    assert "piksler" in message


def test_a_large_solid_image_compressed_small_is_refused(
    ansatt: User, consent: Consent, media_root: Path, settings: Any
) -> None:
    settings.VERN_UPLOAD_MAX_PIXELS = 1_000_000
    data = png_bytes((1500, 1000))  # 1.5 megapixels, a few kilobytes
    assert len(data) < 50_000
    message = refused(ansatt, consent, upload("skann.png", data, "image/png"), media_root)
    assert "piksler" in message


def test_an_image_bomb_over_pillows_own_limit_is_refused_not_crashed(
    ansatt: User, consent: Consent, media_root: Path, settings: Any
) -> None:
    settings.VERN_UPLOAD_MAX_PIXELS = 10**12  # only Pillow's guard is left
    bomb = png_header_claiming(200_000, 200_000)
    message = refused(ansatt, consent, upload("skann.png", bomb, "image/png"), media_root)
    assert "piksler" in message


def test_a_truncated_or_fake_image_is_refused(
    ansatt: User, consent: Consent, media_root: Path
) -> None:
    fake_jpeg = b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10
    message = refused(ansatt, consent, upload("bilde.jpg", fake_jpeg, "image/jpeg"), media_root)
    assert "JPEG" in message


def test_a_pdf_without_its_end_marker_is_refused_and_one_with_javascript_stored_without_it(
    ansatt: User, consent: Consent, media_root: Path
) -> None:
    message = refused(ansatt, consent, upload("s.pdf", b"%PDF-1.4\n1 0 obj"), media_root)
    assert "ufullstendig" in message
    scripted = hostile_pdfs.js_hex_escaped_name()
    signed = attach(ansatt, consent, upload("s.pdf", scripted))
    stored = filestore.read_content(signed)
    assert stored != scripted
    assert hostile_pdfs.MARKER not in stored
    from vern.audit.models import AuditEvent

    event = AuditEvent.objects.get(object_type="signed_consent_file", object_id=signed.pk)
    assert event.details["removed"] == "OpenAction"  # the record says what was cut out


def test_an_empty_file_is_refused(ansatt: User, consent: Consent, media_root: Path) -> None:
    assert "tom" in refused(ansatt, consent, upload("s.pdf", b""), media_root)


def test_a_bad_upload_with_a_new_consent_stores_no_consent_either(
    ansatt: User, case: Case, media_root: Path
) -> None:
    inform(ansatt, case)
    file = upload("skjema.pdf", b"\x7fELF" + b"\x00" * 50)
    with pytest.raises(ValidationError):
        police_consent(
            ansatt,
            case,
            written_method="upload",
            signed_by_name="",
            signature_confirmed=False,
            signed_file=file,
            signed_file_size=file.size,
        )
    assert not Consent.objects.exists()
    assert files_under(media_root) == []


def test_the_inspection_never_trusts_the_name(tmp_path: Path) -> None:
    clean = uploads.inspect_upload(io.BytesIO(png_bytes()))
    assert clean.extension == "png"


# --------------------------------------------------------------------------- pages


def test_the_upload_page_shows_the_error_and_stores_nothing(
    ansatt_client: Client, consent: Consent, media_root: Path
) -> None:
    url = f"/saker/{consent.case_id}/samtykke/{consent.pk}/signert-skjema/"
    response = ansatt_client.post(
        url, {"signed_file": upload("skjema.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64)}
    )
    assert response.status_code == 200
    assert "program" in response.content.decode()
    assert not SignedConsentFile.objects.exists()
    assert files_under(media_root) == []
