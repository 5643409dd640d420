"""No third-party origins: no template and none of Vern's own CSS/JS/SVG names an external
URL (http://, https:// or protocol-relative //host), except an explicit allowlist; vendored
CSS loads nothing from elsewhere either."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps

import vern

PACKAGE = Path(vern.__file__).resolve().parent
ABSOLUTE = re.compile(r"\bhttps?://[^\s\"'<>)]+", re.IGNORECASE)
# //host.tld not preceded by ":" (that is the case above) or by another "/" or a word character.
PROTOCOL_RELATIVE = re.compile(
    r"(?<![:/\w])//(?=[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\S+"
)
# Not fetched by a browser: XML namespaces.
ALLOWED = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
)
# Vendored CSS may mention URLs in comments, but nothing it loads may be external.
CSS_LOAD = re.compile(r"(?:@import\s+|url\()\s*[\"']?((?:https?:)?//[^\"')\s]+)", re.IGNORECASE)


def template_files() -> list[Path]:
    dirs = [PACKAGE / "templates"]
    dirs += [
        Path(c.path) / "templates" for c in apps.get_app_configs() if c.name.startswith("vern")
    ]
    files = {p for d in dirs if d.is_dir() for p in d.rglob("*") if p.is_file()}
    return sorted(files)


def own_static_files() -> list[Path]:
    static = PACKAGE / "static" / "vern"
    return sorted(p for p in static.rglob("*") if p.suffix in {".css", ".js", ".svg"})


def vendored_css() -> list[Path]:
    return sorted((PACKAGE / "static" / "vendor").rglob("*.css"))


def external_urls(text: str) -> list[str]:
    found = ABSOLUTE.findall(text) + PROTOCOL_RELATIVE.findall(text)
    return [url for url in found if not url.startswith(ALLOWED)]


def _rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def test_there_are_files_to_scan() -> None:
    assert any(p.name == "base.html" for p in template_files())
    assert any(p.name == "vern.js" for p in own_static_files())


@pytest.mark.parametrize("path", template_files() + own_static_files(), ids=_rel)
def test_no_external_url(path: Path) -> None:
    urls = external_urls(path.read_text(encoding="utf-8"))

    assert not urls, f"{_rel(path)} names another origin: {urls}"


@pytest.mark.parametrize("path", vendored_css(), ids=_rel)
def test_vendored_css_loads_nothing_from_another_origin(path: Path) -> None:
    loads = CSS_LOAD.findall(path.read_text(encoding="utf-8"))

    assert not loads, f"{_rel(path)} loads from another origin: {loads}"


@pytest.mark.parametrize(
    "text",
    [
        '<script src="https://cdn.example.com/x.js">',
        "<link href='//fonts.example.net/css'>",
        "@import url(http://example.org/a.css);",
    ],
)
def test_the_scanner_finds_what_it_should(text: str) -> None:
    assert external_urls(text)


@pytest.mark.parametrize(
    "text",
    [
        '<svg xmlns="http://www.w3.org/2000/svg">',
        "// a comment in JavaScript",
        '<a href="/konto/logg-inn/">',
        '<a href="{{ VERN_QUICK_EXIT_URL }}">',
    ],
)
def test_the_scanner_lets_through_what_it_should(text: str) -> None:
    assert not external_urls(text)
