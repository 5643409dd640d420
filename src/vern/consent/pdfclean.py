"""Uploaded PDFs parsed with pikepdf (qpdf) and re-written without active content (issue 15).

The rule for every element (docs/security.md, "Uploaded PDFs"):

- **Refused** (nothing is stored, the error names what was wrong): not a PDF or broken beyond
  qpdf's repair, encrypted or password protected, no pages, embedded files (``/EmbeddedFiles``
  name tree, file specifications with ``/EF``, ``/EmbeddedFile`` streams, ``/FileAttachment``
  annotations, portfolios ``/Collection``), XFA forms (``/AcroForm /XFA``), RichMedia and other
  multimedia (``/RichMedia``, ``/Screen``, ``/Movie``, ``/Sound``, ``/3D`` annotations). They
  carry whole files or programs that cannot be cut out while keeping the document honest.
- **Removed** (the rest of the document is kept): JavaScript (``/JS``, the ``/JavaScript`` name
  tree), ``/OpenAction``, additional actions ``/AA`` everywhere, every action in ``/A`` except
  a plain ``/GoTo`` inside the document (so ``/Launch``, ``/URI``, ``/SubmitForm``,
  ``/ImportData``, ``/GoToR``, ``/GoToE``, ``/ResetForm``, ``/Rendition``…), action chains
  (``/Next``), the document base ``/URI``, the Info dictionary, every XMP ``/Metadata`` stream
  and private ``/PieceInfo`` data.
- The file is **always re-written** by qpdf from the parsed objects: the original bytes are never
  stored, so anything before the header, after the last ``%%EOF``, in unreferenced objects or in
  earlier incremental updates (polyglots, hidden revisions) is gone. A damaged cross-reference
  table is repaired by qpdf and the repaired document is re-written the same way.

Names are compared after qpdf has decoded them, so ``/J#61vaScript`` is ``/JavaScript``, and
objects inside compressed object streams are seen like any other. After cleaning, the written
bytes are parsed again and checked once more; anything left is refused (never stored).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from pikepdf import Name

#: Action types that may stay: a jump to a page of the same document.
_SAFE_ACTIONS = frozenset({"/GoTo"})
#: Keys removed wherever they appear.
_REMOVED_KEYS = {
    "/JS": "JavaScript",
    "/OpenAction": "OpenAction",
    "/AA": "AA",
    "/Next": "Next",
    "/Metadata": "Metadata",
    "/PieceInfo": "PieceInfo",
}
#: Annotation subtypes that carry files or media: the upload is refused.
_MEDIA_ANNOTATIONS = frozenset({"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
#: Action types that must not survive anywhere (checked after cleaning).
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/ResetForm",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/Hide",
        "/RichMediaExecute",
        "/GoTo3DView",
        "/SetOCGState",
        "/Thread",
        "/Named",
        "/Trans",
    }
)


class PdfRefusedError(Exception):
    """The PDF cannot be accepted; ``code`` says why (the caller words the message)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class CleanedPdf:
    content: bytes
    pages: int
    removed: tuple[str, ...]


def _name(value: object) -> str | None:
    return str(value) if isinstance(value, Name) else None


def _children(obj: pikepdf.Object) -> Iterator[pikepdf.Object]:
    if isinstance(obj, pikepdf.Array):
        yield from obj
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in list(obj.keys()):
            yield obj[key]


def _reachable(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every dictionary, stream and array reachable from the trailer, each indirect object once.

    Only reachable objects are written by qpdf, so these are all that can survive a save."""
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object] = [pdf.trailer]
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        yield obj
        stack.extend(_children(obj))


def _refuse_if_forbidden(obj: pikepdf.Object) -> None:
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return
    kind = _name(obj.get("/Type"))
    subtype = _name(obj.get("/Subtype"))
    if "/EmbeddedFiles" in obj or "/EF" in obj or kind == "/EmbeddedFile":
        raise PdfRefusedError("pdf_embedded_file")
    if subtype == "/FileAttachment" or "/Collection" in obj:
        raise PdfRefusedError("pdf_embedded_file")
    if "/XFA" in obj:
        raise PdfRefusedError("pdf_xfa")
    if subtype in _MEDIA_ANNOTATIONS or "/RichMediaContent" in obj:
        raise PdfRefusedError("pdf_media")


def _clean_dictionary(obj: pikepdf.Object, removed: set[str], *, is_root: bool) -> None:
    if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        return
    for key, label in _REMOVED_KEYS.items():
        if key in obj:
            del obj[key]
            removed.add(label)
    if "/Names" in obj and is_root:
        names = obj["/Names"]
        if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
            del names["/JavaScript"]
            removed.add("JavaScript")
    if is_root and "/URI" in obj:
        del obj["/URI"]
        removed.add("URI")
    action = obj.get("/A")
    if isinstance(action, pikepdf.Dictionary):
        kind = _name(action.get("/S"))
        if kind not in _SAFE_ACTIONS:
            del obj["/A"]
            removed.add((kind or "/A").lstrip("/"))
    elif action is not None and "/Subtype" in obj:
        # An annotation whose /A is not an action dictionary: nothing a viewer should run.
        del obj["/A"]
        removed.add("A")


_LEFTOVER_KEYS = ("/JS", "/JavaScript", "/OpenAction", "/AA", "/Metadata", "/XFA", "/EF")


def _leftovers(pdf: pikepdf.Pdf) -> list[str]:
    """What active content is still reachable (empty after a successful clean)."""
    found: list[str] = []
    if "/Info" in pdf.trailer:
        found.append("Info")
    for obj in _reachable(pdf):
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        found.extend(key.lstrip("/") for key in _LEFTOVER_KEYS if key in obj)
        if _name(obj.get("/S")) in _ACTIVE_ACTIONS and (
            "/Type" not in obj or _name(obj.get("/Type")) == "/Action"
        ):
            found.append(str(obj["/S"]).lstrip("/"))
        if _name(obj.get("/Type")) == "/EmbeddedFile":
            found.append("EmbeddedFile")
    return found


def clean_pdf(data: bytes) -> CleanedPdf:
    """Parse ``data`` with qpdf, refuse or remove active content, return the re-written file.

    Raises PdfRefusedError with one of the codes ``pdf_broken``, ``pdf_encrypted``,
    ``pdf_no_pages``,
    ``pdf_embedded_file``, ``pdf_xfa``, ``pdf_media`` or ``pdf_active_content``."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise PdfRefusedError("pdf_encrypted") from None
    except (pikepdf.PdfError, ValueError, RuntimeError) as exc:
        raise PdfRefusedError("pdf_broken", str(exc)) from None
    with pdf:
        if pdf.is_encrypted:
            raise PdfRefusedError("pdf_encrypted")
        try:
            pages = len(pdf.pages)
        except (pikepdf.PdfError, RuntimeError) as exc:
            raise PdfRefusedError("pdf_broken", str(exc)) from None
        if pages == 0:
            raise PdfRefusedError("pdf_no_pages")
        removed: set[str] = set()
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
            removed.add("Info")
        root = pdf.Root
        try:
            for obj in _reachable(pdf):
                _refuse_if_forbidden(obj)
                _clean_dictionary(obj, removed, is_root=obj.objgen == root.objgen)
        except (pikepdf.PdfError, RuntimeError) as exc:
            raise PdfRefusedError("pdf_broken", str(exc)) from None
        out = io.BytesIO()
        try:
            pdf.save(
                out,
                # Stream data is copied as it is (never inflated): no decompression bombs.
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                fix_metadata_version=False,
                deterministic_id=True,
            )
        except (pikepdf.PdfError, RuntimeError) as exc:
            raise PdfRefusedError("pdf_broken", str(exc)) from None
    content = out.getvalue()
    verify_clean(content)
    return CleanedPdf(content=content, pages=pages, removed=tuple(sorted(removed)))


def verify_clean(content: bytes) -> None:
    """Parse written bytes again and refuse if any active element or metadata is left."""
    try:
        with pikepdf.open(io.BytesIO(content)) as again:
            if again.is_encrypted:
                raise PdfRefusedError("pdf_encrypted")
            left = _leftovers(again)
    except (pikepdf.PdfError, RuntimeError) as exc:
        raise PdfRefusedError("pdf_broken", str(exc)) from None
    if left:
        raise PdfRefusedError("pdf_active_content", ", ".join(sorted(set(left))))


def active_elements(content: bytes) -> list[str]:
    """The active elements and metadata found in ``content`` (for tests and diagnostics)."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        return _leftovers(pdf)
