"""Finds text on a rendered page that is not in the page's language (issue 14 point 7).

``visible_text(html, lang)`` gives the text a reader sees (and hears: aria-label, title, alt,
placeholder), without scripts and styles and without any element marked with another ``lang``
(the user's texts in the user's language, the language buttons). ``findings(chunks, lang,
data)`` names each chunk that is

* an untranslated bokmål UI string: a msgid of the catalogues (or a bokmål text of the rulebook
  or the user texts) whose nynorsk or English text differs, shown as it is;
* on a nynorsk page, an English UI string of the catalogue (``Open``) or an English sentence;
* on an English page, a Norwegian sentence (æ, ø, å or a Norwegian function word) or a
  Norwegian date ("1. December 2026", "1. desember 2026").

Everything stored in the database (names, references, notes: user-entered data) is taken out of
the text first, as are numbers. Other suites may import this module (documents, say).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import yaml

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "vern"
LOCALE = PACKAGE / "locale"
USER_TEXT_FILES = (
    *sorted((PACKAGE / "rulebook").glob("*.yaml")),
    PACKAGE / "consent" / "user_texts.yaml",
)
SKIPPED_ELEMENTS = {"script", "style", "template", "noscript"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
SPOKEN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w+\}")
SPACE = re.compile(r"\s+")
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
NUMBER = re.compile(r"\d+")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words a Norwegian page has and an English one never has (whole words, lower case).
NORWEGIAN_WORDS = _wordset(
    "og ikke ikkje er av til som på med det ble vart har kan skal må være vere eller hvis viss "
    "om fra frå denne dette saken saka brukeren brukaren ingen"
)
# Bokmål words that nynorsk does not have (nynorsk has ikkje, kva, viss, korleis, eg, frå ...).
BOKMAL_ONLY_WORDS = _wordset(
    "ikke hva hvis hvordan hvem hvor hvilken hvilke jeg fra noe noen bare brukeren utøveren "
    "saken ennå mye hennes hun"
)
# English words a nynorsk sentence never has.
ENGLISH_WORDS = _wordset(
    "the and of you your with this that not has was will been must should please"
)
# Norwegian words that English pages use as names: the Acts and the regulation cited, and
# the Norwegian names of the services (followed by the English in the text).
NAMES_IN_ENGLISH = _wordset(
    "krisesenterlova straffeloven straffeprosessloven politiloven politiregisterloven "
    "barnevernsloven forvaltningsloven personopplysningsloven helsepersonelloven "
    "arkivlova bokmål nynorsk"
)
# Norwegian glossed in parentheses ("public prosecution (offentlig påtale)") and the police
# districts' names are Norwegian on an English page too.
GLOSS = re.compile(r"\([^()]*\)")
DISTRICT = re.compile(r"[^\W\d_][\w-]*(?: og [^\W\d_][\w-]*)? politidistrikt")
MONTHS_NB = "januar februar mars april mai juni juli august september oktober november desember"
MONTHS_EN = "January February March April May June July August September October November December"
NORWEGIAN_DATE_IN_ENGLISH = re.compile(
    rf"\b\d{{1,2}}\. ?(?:{'|'.join(MONTHS_EN.split())})\b"
    rf"|\b\d{{1,2}}\.? (?:{'|'.join(m for m in MONTHS_NB.split() if m not in MONTHS_EN.lower())})\b"
)


@dataclass(frozen=True)
class Texts:
    """Bokmål source texts whose translation into ``lang`` differs, and English UI strings."""

    exact: frozenset[str]  # untranslated bokmål, compared with whole chunks
    patterns: tuple[tuple[re.Pattern[str], str], ...]  # bokmål with placeholders
    long: tuple[str, ...]  # long bokmål texts, found inside chunks too
    english: frozenset[str]  # English UI strings (on nynorsk pages)


def _norm(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def _literal_letters(msgid: str) -> int:
    return len("".join(WORD.findall(PLACEHOLDER.sub("", msgid))))


def _catalogue(lang: str) -> dict[str, str]:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    return {e.msgid: e.msgstr for e in po if e.msgstr and not e.obsolete and not e.fuzzy}


def _yaml_texts(node: Any) -> list[dict[str, Any]]:
    """Every mapping of the YAML tree with nb, nn and en keys (a text in three languages)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if {"nb", "nn", "en"} <= set(node):
            found.append(node)
        for value in node.values():
            found.extend(_yaml_texts(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_yaml_texts(value))
    return found


def _paragraphs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [_norm(value)]
    if isinstance(value, list):
        return [p for item in value for p in _paragraphs(item)]
    return []


def _flat(node: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(node, dict):
        return {
            k: v for key, value in node.items() for k, v in _flat(value, f"{prefix}{key}.").items()
        }
    if isinstance(node, list):
        return {
            k: v for i, value in enumerate(node) for k, v in _flat(value, f"{prefix}{i}.").items()
        }
    return {prefix: _norm(str(node))} if isinstance(node, str) else {}


def _document_texts(lang: str) -> list[tuple[str, str]]:
    """(bokmål, ``lang``) of the documents' texts (documents/texts/<lang>.yaml), by key."""
    folder = PACKAGE / "documents" / "texts"
    nb = _flat(yaml.safe_load((folder / "nb.yaml").read_text(encoding="utf-8")))
    other = _flat(yaml.safe_load((folder / f"{lang}.yaml").read_text(encoding="utf-8")))
    return [(text, other[key]) for key, text in nb.items() if key in other and "{" not in text]


@cache
def texts(lang: str) -> Texts:
    pairs: list[tuple[str, str]] = [*_catalogue(lang).items(), *_document_texts(lang)]
    for path in USER_TEXT_FILES:
        for text in _yaml_texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            nb, other = _paragraphs(text["nb"]), _paragraphs(text[lang])
            if len(nb) == len(other):
                pairs.extend(zip(nb, other, strict=True))
    exact: set[str] = set()
    patterns: list[tuple[re.Pattern[str], str]] = []
    long: list[str] = []
    for msgid, msgstr in pairs:
        if _norm(msgid) == _norm(msgstr) or _literal_letters(msgid) < 4:
            continue
        source = _norm(msgid)
        if PLACEHOLDER.search(source):
            parts = PLACEHOLDER.split(source)
            literal = [re.escape(p) for i, p in enumerate(parts) if i % 2 == 0]
            patterns.append((re.compile("^" + ".+?".join(literal) + "$", re.DOTALL), source))
        else:
            exact.add(source)
            if len(source) >= 30 and " " in source:
                long.append(source)
    english: set[str] = set()
    if lang == "nn":
        en, nn = _catalogue("en"), _catalogue("nn")
        # A word both languages have ("Time": an hour in nynorsk) is no leak where nynorsk
        # uses it for some string of its own.
        nynorsk = {_norm(t) for t in nn.values()}
        for msgid, en_text in en.items():
            if (
                _literal_letters(en_text) >= 3
                and not PLACEHOLDER.search(en_text)
                and _norm(en_text) not in nynorsk
                and _norm(en_text) != _norm(msgid)
            ):
                english.add(_norm(en_text))
    return Texts(
        exact=frozenset(exact - {_norm(t) for _, t in pairs}),
        patterns=tuple(patterns),
        long=tuple(sorted(long, key=len, reverse=True)),
        english=frozenset(english),
    )


class _TextParser(HTMLParser):
    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden: skipped or another language)
        self.chunks: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        own_lang = values.get("lang")
        hidden = (
            self.hidden
            or tag in SKIPPED_ELEMENTS
            or (own_lang is not None and tag != "html" and own_lang.split("-")[0] != self.lang)
            or values.get("aria-hidden") == "true"
        )
        if not hidden:
            for name in SPOKEN_ATTRIBUTES:
                if values.get(name):
                    self.chunks.append(_norm(values[name] or ""))
            if (
                tag == "input"
                and values.get("type") in {"submit", "button"}
                and values.get("value")
            ):
                self.chunks.append(_norm(values["value"] or ""))
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.chunks.append(_norm(data))


def visible_text(html: str, lang: str) -> list[str]:
    parser = _TextParser(lang)
    parser.feed(html)
    parser.close()
    return [c for c in parser.chunks if c]


def strip_data(chunk: str, data: tuple[str, ...]) -> str:
    """The chunk without stored values (longest first) and numbers.

    A value is taken out only where it stands apart from letters on both sides: a short stored
    code ("ar", a language) must not cut "harmed" into "h med" and so leave a Norwegian word."""
    for value in data:
        if value in chunk:
            chunk = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", chunk)
    return _norm(NUMBER.sub(" ", chunk))


def _words(chunk: str) -> set[str]:
    return {w.lower() for w in WORD.findall(chunk)}


def findings(chunks: list[str], lang: str, data: tuple[str, ...]) -> list[str]:
    """What is wrong with the chunks on a page in ``lang`` (nn or en): one line per finding."""
    known = texts(lang)
    found: list[str] = []
    for raw in chunks:
        if lang == "en" and NORWEGIAN_DATE_IN_ENGLISH.search(raw):
            found.append(f"Norwegian date format: {raw!r}")
        chunk = strip_data(raw, data)
        if _literal_letters(chunk) < 2:
            continue
        if raw in known.exact or chunk in known.exact:
            found.append(f"untranslated bokmål: {raw!r}")
            continue
        pattern = next((src for p, src in known.patterns if p.match(raw)), None)
        if pattern is not None:
            found.append(f"untranslated bokmål ({pattern!r}): {raw!r}")
            continue
        inside = next((src for src in known.long if src in raw), None)
        if inside is not None:
            found.append(f"untranslated bokmål ({inside!r}) in {raw!r}")
            continue
        words = _words(chunk)
        if lang == "nn":
            if raw in known.english or chunk in known.english:
                found.append(f"English UI string: {raw!r}")
            elif words & ENGLISH_WORDS:
                found.append(f"English words {sorted(words & ENGLISH_WORDS)}: {raw!r}")
            elif words & BOKMAL_ONLY_WORDS:
                found.append(f"bokmål words {sorted(words & BOKMAL_ONLY_WORDS)}: {raw!r}")
        else:
            words = _words(DISTRICT.sub(" ", GLOSS.sub(" ", chunk))) - NAMES_IN_ENGLISH
            norwegian = words & NORWEGIAN_WORDS
            letters = re.search(r"[æøåÆØÅ]", " ".join(words))
            if norwegian or letters:
                found.append(f"Norwegian text: {raw!r}")
    return found
