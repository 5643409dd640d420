"""A corpus of hostile PDFs, built here with pikepdf and by hand (never downloaded), issue 15.

Each case says what Vern must do with it: ``refuse`` with an error code, or ``clean`` (store a
re-written file without the active element). ``scripts/make-hostile-pdfs.py`` writes the corpus
to a directory for manual probing; the tests build it in memory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

JS = "app.alert('vern-probe')"
MARKER = b"vern-probe"


def _save(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def _text_page(pdf: pikepdf.Pdf, text: str = "Samtykke signert") -> pikepdf.Page:
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    content = pdf.make_stream(f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    page = pdf.add_blank_page(page_size=(612, 792))
    page.obj["/Resources"] = Dictionary(Font=Dictionary(F1=font))
    page.obj["/Contents"] = content
    return page


def plain() -> bytes:
    """A normal signed form: one page of text."""
    pdf = pikepdf.new()
    _text_page(pdf)
    return _save(pdf)


def image_only() -> bytes:
    """A scanned signed form: one page that is one image."""
    pdf = pikepdf.new()
    picture = Image.new("RGB", (200, 100), "white")
    for x in range(20, 180):
        picture.putpixel((x, 50), (0, 0, 0))
    image = pdf.make_stream(
        picture.tobytes(),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=200,
        Height=100,
        ColorSpace=Name.DeviceRGB,
        BitsPerComponent=8,
    )
    page = pdf.add_blank_page(page_size=(400, 200))
    page.obj["/Resources"] = Dictionary(XObject=Dictionary(Im0=image))
    page.obj["/Contents"] = pdf.make_stream(b"q 400 0 0 200 0 0 cm /Im0 Do Q")
    return _save(pdf)


def _with(modify: Callable[[pikepdf.Pdf, pikepdf.Page], None], **options: object) -> bytes:
    pdf = pikepdf.new()
    page = _text_page(pdf)
    modify(pdf, page)
    return _save(pdf, **options)


def _annotation(pdf: pikepdf.Pdf, page: pikepdf.Page, **fields: object) -> Dictionary:
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, Rect=Array([72, 72, 300, 120]), **fields))
    page.obj["/Annots"] = Array([annot])
    return annot  # type: ignore[no-any-return]


def _action(kind: str, **fields: object) -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name(kind), **fields)


def raw_pdf(objects: list[bytes], *, trailer: bytes = b"", tail: bytes = b"") -> bytes:
    """A PDF written byte by byte (object 1 is the catalog), so names can be hex-escaped."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref + tail
    return bytes(out)


_PAGE_OBJECTS = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R %s>>",
    b"<< /Length 8 >>\nstream\n0 0 m S\n\nendstream",
]


def _raw_with(
    catalog_extra: bytes, page_extra: bytes = b"", extra: list[bytes] | None = None
) -> bytes:
    pages = list(_PAGE_OBJECTS)
    pages[1] = pages[1] % page_extra
    return raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>", *pages, *(extra or [])]
    )


def js_hex_escaped_name() -> bytes:
    return _raw_with(b"/OpenAction << /S /J#61vaScript /JS (" + JS.encode() + b") >>")


def launch_hex_escaped_name() -> bytes:
    return _raw_with(
        b"",
        b"/Annots [5 0 R] ",
        [
            (
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
                b"/A << /S /L#61unch /F (cmd.exe) /P (vern-probe) >> >>"
            )
        ],
    )


def js_in_object_stream() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        pdf.Root["/OpenAction"] = pdf.make_indirect(_action("/JavaScript", JS=String(JS)))
        pdf.Root["/Names"] = Dictionary(
            JavaScript=Dictionary(Names=Array([String("x"), _action("/JavaScript", JS=String(JS))]))
        )

    return _with(
        modify, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True
    )


def js_names_tree() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        pdf.Root["/Names"] = Dictionary(
            JavaScript=Dictionary(Names=Array([String("x"), _action("/JavaScript", JS=String(JS))]))
        )

    return _with(modify)


def js_as_stream() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        pdf.Root["/OpenAction"] = _action("/JavaScript", JS=pdf.make_stream(JS.encode()))

    return _with(modify)


def open_action_launch() -> bytes:
    return _with(
        lambda pdf, page: pdf.Root.__setitem__(
            "/OpenAction", _action("/Launch", F=String("vern-probe.exe"))
        )
    )


def additional_actions() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        pdf.Root["/AA"] = Dictionary(WC=_action("/JavaScript", JS=String(JS)))
        page.obj["/AA"] = Dictionary(O=_action("/JavaScript", JS=String(JS)))

    return _with(modify)


def _link(kind: str, **fields: object) -> Callable[[pikepdf.Pdf, pikepdf.Page], None]:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        _annotation(pdf, page, Subtype=Name.Link, A=_action(kind, **fields))

    return modify


def uri_link() -> bytes:
    return _with(_link("/URI", URI=String("https://vern-probe.example/")))


def submit_form() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        widget = _annotation(
            pdf,
            page,
            Subtype=Name.Widget,
            FT=Name.Btn,
            T=String("send"),
            A=_action("/SubmitForm", F=String("https://vern-probe.example/collect")),
        )
        pdf.Root["/AcroForm"] = Dictionary(Fields=Array([widget]))

    return _with(modify)


def import_data() -> bytes:
    return _with(_link("/ImportData", F=String("vern-probe.fdf")))


def goto_remote() -> bytes:
    return _with(_link("/GoToR", F=String("vern-probe.pdf"), D=Array([0, Name.Fit])))


def goto_embedded() -> bytes:
    return _with(_link("/GoToE", T=Dictionary(R=Name.C, N=String("vern-probe"))))


def action_chain() -> bytes:
    """A harmless GoTo whose /Next runs JavaScript."""

    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        _annotation(
            pdf,
            page,
            Subtype=Name.Link,
            A=_action(
                "/GoTo",
                D=Array([page.obj, Name.Fit]),
                Next=_action("/JavaScript", JS=String(JS)),
            ),
        )

    return _with(modify)


def embedded_file() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        pdf.attachments["vern-probe.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ vern-probe")

    return _with(modify)


def file_attachment_annotation() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        spec = pikepdf.AttachedFileSpec(pdf, b"MZ vern-probe", filename="vern-probe.exe")
        _annotation(pdf, page, Subtype=Name.FileAttachment, FS=spec.obj)

    return _with(modify)


def xfa_form() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        pdf.Root["/AcroForm"] = Dictionary(
            Fields=Array([]),
            XFA=pdf.make_stream(b"<xdp:xdp><script>vern-probe</script></xdp:xdp>"),
        )

    return _with(modify)


def rich_media() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        _annotation(
            pdf,
            page,
            Subtype=Name.RichMedia,
            RichMediaContent=Dictionary(Assets=Dictionary(Names=Array([]))),
        )

    return _with(modify)


def metadata() -> bytes:
    def modify(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        pdf.docinfo["/Author"] = String("vern-probe author")
        pdf.docinfo["/Producer"] = String("vern-probe scanner")
        with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:creator"] = ["vern-probe creator"]
        page.obj["/Metadata"] = pdf.make_stream(b"<x:xmpmeta>vern-probe</x:xmpmeta>")

    return _with(modify)


def polyglot_zip() -> bytes:
    """A PDF followed by a ZIP archive: opens as both."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("vern-probe.html", "<script>vern-probe</script>")
    return plain() + archive.getvalue()


def polyglot_html_tail() -> bytes:
    return plain() + b"<html><script>alert('vern-probe')</script></html>\n"


def polyglot_html_first() -> bytes:
    return b"<html><!-- vern-probe -->\n" + plain()


def hidden_revision() -> bytes:
    """JavaScript in an object no revision refers to, after the end marker."""
    return plain() + b"99 0 obj\n<< /S /JavaScript /JS (app.alert('vern-probe')) >>\nendobj\n"


def broken_xref() -> bytes:
    data = bytearray(_raw_with(b""))
    start = data.index(b"xref\n")
    # Every offset points to the wrong place: qpdf must rebuild the table.
    data[start:] = data[start:].replace(b"0000000", b"0000001")
    return bytes(data)


def missing_xref() -> bytes:
    data = _raw_with(b"/OpenAction << /S /JavaScript /JS (vern-probe) >>")
    return data[: data.index(b"xref\n")] + b"%%EOF\n"


def encrypted_with_password() -> bytes:
    return _with(
        lambda pdf, page: None,
        encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret"),
    )


def encrypted_empty_user_password() -> bytes:
    return _with(
        lambda pdf, page: None, encryption=pikepdf.Encryption(owner="owner-secret", user="")
    )


def garbage() -> bytes:
    return b"%PDF-1.7\nthis is not a pdf at all vern-probe\n%%EOF\n"


def no_pages() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    #: "clean" or the error code of the refusal.
    expect: str


CORPUS: tuple[Case, ...] = (
    Case("js-hex-escaped-name", js_hex_escaped_name, "clean"),
    Case("launch-hex-escaped-name", launch_hex_escaped_name, "clean"),
    Case("js-in-object-stream", js_in_object_stream, "clean"),
    Case("js-names-tree", js_names_tree, "clean"),
    Case("js-as-stream", js_as_stream, "clean"),
    Case("open-action-launch", open_action_launch, "clean"),
    Case("additional-actions", additional_actions, "clean"),
    Case("uri-link", uri_link, "clean"),
    Case("submit-form", submit_form, "clean"),
    Case("import-data", import_data, "clean"),
    Case("goto-remote", goto_remote, "clean"),
    Case("goto-embedded", goto_embedded, "clean"),
    Case("action-chain", action_chain, "clean"),
    Case("metadata", metadata, "clean"),
    Case("polyglot-zip", polyglot_zip, "clean"),
    Case("polyglot-html-tail", polyglot_html_tail, "clean"),
    Case("polyglot-html-first", polyglot_html_first, "wrong_type"),
    Case("hidden-revision", hidden_revision, "clean"),
    Case("broken-xref", broken_xref, "clean"),
    Case("missing-xref", missing_xref, "clean"),
    Case("embedded-file", embedded_file, "pdf_embedded_file"),
    Case("file-attachment-annotation", file_attachment_annotation, "pdf_embedded_file"),
    Case("xfa-form", xfa_form, "pdf_xfa"),
    Case("rich-media", rich_media, "pdf_media"),
    Case("encrypted-with-password", encrypted_with_password, "pdf_encrypted"),
    Case("encrypted-empty-user-password", encrypted_empty_user_password, "pdf_encrypted"),
    Case("garbage", garbage, "pdf_broken"),
    Case("no-pages", no_pages, "pdf_no_pages"),
)

NORMAL: tuple[Case, ...] = (
    Case("plain", plain, "clean"),
    Case("image-only", image_only, "clean"),
)
