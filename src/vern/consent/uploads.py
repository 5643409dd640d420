"""The signed consent form uploaded back (issue 7, G4): checked by content, cleaned, stored.

- Only PDF, JPEG and PNG, recognised by their bytes (magic numbers, Pillow's decoder, qpdf's
  parser), never by the file name or the browser's content type.
- PDFs are parsed with pikepdf (qpdf) and re-written from their objects without JavaScript,
  actions, links, metadata or hidden data; encrypted PDFs and PDFs with embedded files, XFA or
  multimedia are refused (``vern.consent.pdfclean``, issue 15). The original bytes are never
  stored.
- Size-limited (``VERN_UPLOAD_MAX_BYTES``); images over ``VERN_UPLOAD_MAX_PIXELS`` are refused
  before their pixels are decoded (decompression bombs).
- Images are re-encoded from their pixels, so EXIF (GPS positions, camera serials), XMP and text
  chunks are gone; the EXIF orientation is applied first so the page stays upright.
- Stored in the database (``vern.consent.filestore``, issue 20) under a random name, never the
  original name.

``inspect_upload`` does all the checking without storing anything, so a bad upload stores
nothing; the service stores the cleaned bytes in the request transaction.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from vern.consent import pdfclean

FIELD = "signed_file"
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
_EXECUTABLE_MAGIC = (
    b"\x7fELF",  # Linux
    b"MZ",  # Windows
    b"\xcf\xfa\xed\xfe",  # macOS Mach-O
    b"\xca\xfe\xba\xbe",
    b"#!",  # scripts
)
_READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class CleanUpload:
    """An accepted upload, ready to store: the bytes to keep and what they are."""

    content: bytes
    content_type: str
    #: What cleaning removed (PDF: "JavaScript", "URI", "Info", "Metadata", ...).
    removed: tuple[str, ...] = ()

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return int(getattr(settings, "VERN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "VERN_UPLOAD_MAX_PIXELS", 40_000_000))


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({FIELD: ValidationError(message, code=code)})


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _read_limited(upload: IO[bytes], limit: int) -> bytes:
    """At most ``limit + 1`` bytes: enough to know the file is too big without reading it all."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = upload.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def inspect_upload(upload: IO[bytes], *, declared_size: int | None = None) -> CleanUpload:
    """Check an uploaded signed consent form and return the cleaned content to store.

    Raises ValidationError (on the ``signed_file`` field) naming what was wrong."""
    limit = max_bytes()
    if declared_size is not None and declared_size > limit:
        raise _refuse(
            _("Filen er for stor (%(size)s MB). Største tillatte størrelse er %(max)s MB.")
            % {"size": _megabytes(declared_size), "max": _megabytes(limit)},
            "too_large",
        )
    data = _read_limited(upload, limit)
    if len(data) > limit:
        raise _refuse(
            _("Filen er for stor. Største tillatte størrelse er %(max)s MB.")
            % {"max": _megabytes(limit)},
            "too_large",
        )
    if not data:
        raise _refuse(_("Filen er tom."), "empty")
    if data.startswith(b"%PDF-"):
        return _inspect_pdf(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _inspect_image(data, expected="JPEG")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _inspect_image(data, expected="PNG")
    if data.startswith(_EXECUTABLE_MAGIC):
        raise _refuse(
            _(
                "Filen er et program eller skript, ikke et signert skjema. Bare PDF, JPEG og "
                "PNG er tillatt (innholdet sjekkes, ikke filnavnet)."
            ),
            "executable",
        )
    raise _refuse(
        _(
            "Filtypen er ikke tillatt. Bare PDF, JPEG og PNG er tillatt (innholdet sjekkes, "
            "ikke filnavnet)."
        ),
        "wrong_type",
    )


def _pdf_refusal(code: str) -> str:
    active = _(
        "Skann eller fotografer det signerte skjemaet og last opp bildet eller en vanlig PDF "
        "i stedet."
    )
    messages = {
        "pdf_broken": _(
            "PDF-filen kan ikke leses: den er skadet eller ikke en ekte PDF. Last den opp på "
            "nytt, eller skann det signerte skjemaet."
        ),
        "pdf_encrypted": _(
            "PDF-filen er kryptert eller passordbeskyttet. Last opp en versjon uten passord, "
            "eller skann det signerte skjemaet."
        ),
        "pdf_no_pages": _("PDF-filen har ingen sider."),
        "pdf_embedded_file": _("PDF-filen inneholder innebygde filer eller vedlegg.")
        + " "
        + active,
        "pdf_xfa": _("PDF-filen er et XFA-skjema (et dynamisk skjema med skript).") + " " + active,
        "pdf_media": _("PDF-filen inneholder video, lyd eller annet multimedieinnhold.")
        + " "
        + active,
    }
    return messages.get(
        code, _("PDF-filen inneholder skript, handlinger eller innebygde filer.") + " " + active
    )


def _inspect_pdf(data: bytes) -> CleanUpload:
    """Parse with qpdf and store only the re-written, cleaned document (issue 15)."""
    if b"%%EOF" not in data:
        raise _refuse(
            _("PDF-filen er ufullstendig eller skadet (mangler slutten). Last den opp på nytt."),
            "pdf_incomplete",
        )
    try:
        cleaned = pdfclean.clean_pdf(data)
    except pdfclean.PdfRefusedError as refusal:
        raise _refuse(_pdf_refusal(refusal.code), refusal.code) from None
    return CleanUpload(content=cleaned.content, content_type=PDF, removed=cleaned.removed)


def _too_many_pixels() -> ValidationError:
    return _refuse(
        _(
            "Bildet er for stort (over %(mp)s millioner piksler). Ta et nytt bilde med lavere "
            "oppløsning."
        )
        % {"mp": max_pixels() // 1_000_000},
        "too_many_pixels",
    )


def _inspect_image(data: bytes, *, expected: str) -> CleanUpload:
    broken = _refuse(
        _("Bildet kan ikke leses: filen er skadet eller ikke et ekte %(format)s-bilde.")
        % {"format": expected},
        "image_broken",
    )
    limit = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != expected:
                    raise broken
                width, height = probe.size
                if width <= 0 or height <= 0:
                    raise broken
                if width * height > limit:
                    raise _too_many_pixels()
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if getattr(image, "n_frames", 1) > 1:
                    raise _refuse(
                        _("Bildet har flere rammer (animasjon). Last opp ett bilde per side."),
                        "image_animated",
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _reencode(upright, expected)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise broken from None


def _reencode(image: Image.Image, expected: str) -> CleanUpload:
    """Pixels only: a new file without EXIF/GPS, XMP, comments or text chunks."""
    image.info = {}
    out = io.BytesIO()
    if expected == "JPEG":
        if image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, optimize=True)
        return CleanUpload(content=out.getvalue(), content_type=JPEG)
    if image.mode not in {"1", "L", "LA", "RGB", "RGBA", "P", "I", "I;16"}:
        image = image.convert("RGBA")
    image.save(out, format="PNG", optimize=True)
    return CleanUpload(content=out.getvalue(), content_type=PNG)
