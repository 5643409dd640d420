"""The mode's texts in the user's language (issue 17), from the documents' texts.

The mode's own texts are the ``together`` section of ``documents/texts/<lang>.yaml``; its legal
texts are the sections the documents already use (``info``, ``two_year``, ``consent``,
``category``, ``withdraw``, ``rule``), so the screen and the paper say the same. A language is
offered when it has every ``together`` text; a text it lacks elsewhere (a sample such as the
Arabic one) comes from the rulebook's fallback language (English), and the screen says so.
Such a text is a ``ForeignText``: rendered in a template it carries its own ``lang`` and ``dir``
(``<span lang="en" dir="ltr">``), so that an English sentence on an Arabic screen keeps its
punctuation on the right side and a screen reader reads it with an English voice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Final

from django.utils.html import conditional_escape, format_html

from vern.documents.texts import (
    REFERENCE_LANG,
    RULEBOOK_FALLBACK_LANG,
    Language,
    Translator,
    language,
    languages,
    languages_for,
)

SECTION: Final = "together"
# The sections of the documents' texts the mode's screens use (the coverage check lists what
# each language lacks of them).
SECTIONS: Final = (SECTION, "info", "two_year", "consent", "category", "withdraw", "rule", "years")


def mode_languages() -> list[Language]:
    """The languages the mode can be shown in: those with every ``together`` text."""
    return languages_for((SECTION,))


def mode_language(code: str) -> Language:
    """The mode language ``code``, or bokmål when the mode has no such language."""
    codes = {lang.code for lang in mode_languages()}
    return language(code if code in codes else REFERENCE_LANG)


class ForeignText(str):
    """A text in another language than the screen's (a fallback text, or a rulebook text the
    screen's language lacks). As a ``str`` it is the plain text (what is stored as read, what
    is compared); in a template it is wrapped in an element with its own ``lang`` and ``dir``."""

    lang: str
    dir: str

    def __new__(cls, text: str, lang: Language) -> ForeignText:
        made = super().__new__(cls, text)
        made.lang = lang.code
        made.dir = lang.dir
        return made

    def attrs(self) -> str:
        """Its ``lang`` and ``dir`` as HTML attributes (with a leading space), for the inline
        marking below and for a block whose whole text it is (``block_lang``)."""
        return format_html(' lang="{}" dir="{}"', self.lang, self.dir)

    def __html__(self) -> str:
        return format_html("<span{}>{}</span>", self.attrs(), conditional_escape(str(self)))


def in_language(text: str, text_lang: Language, screen_lang: Language) -> str:
    """``text`` (written in ``text_lang``) for a screen in ``screen_lang``: a ``ForeignText``
    when the two differ, the text itself when they are the same."""
    return text if text_lang.code == screen_lang.code else ForeignText(text, text_lang)


class ModeTranslator(Translator):
    """A ``Translator`` whose missing texts come from the fallback language; ``missed`` lists
    the keys that did, so that the screen can say some parts are in English. A fallback text
    is a ``ForeignText`` (its own ``lang`` and ``dir`` on the screen), from ``t("key")`` and
    from the templates' ``t.section.key`` alike."""

    def __init__(self, own: Language) -> None:
        self.fallback = language(RULEBOOK_FALLBACK_LANG)
        merged = replace(own, texts={**self.fallback.texts, **own.texts})
        super().__init__(merged)
        self.own = own
        self.missed: set[str] = set()
        for key, text in merged.texts.items():
            if key not in own.texts:
                section, name = key.split(".", 1)
                self._tree[section][name] = ForeignText(text, self.fallback)

    def _note(self, key: str) -> None:
        if key not in self.own.texts:
            self.missed.add(key)

    def source(self, key: str) -> Language:
        return self.own if key in self.own.texts else self.fallback

    def __call__(self, key: str, **values: object) -> str:
        self._note(key)
        return in_language(super().__call__(key, **values), self.source(key), self.own)

    def get(self, key: str, default: str = "") -> str:
        self._note(key)
        if key not in self.language.texts:
            return default
        return in_language(super().get(key, default), self.source(key), self.own)


@dataclass(frozen=True)
class Coverage:
    """What one language lacks of the mode's texts (``SECTIONS``), and whether it is reviewed."""

    code: str
    name: str
    reviewed: bool
    offered: bool
    missing: tuple[str, ...] = field(default=())


def coverage() -> list[Coverage]:
    """Per language: the reference keys of ``SECTIONS`` it lacks (issue 17 point 3). A
    language with no ``together`` key missing is offered in the mode; the rest of what it lacks
    is shown from the fallback language with a note."""
    reference = language(REFERENCE_LANG)
    needed = [key for key in reference.texts if key.split(".", 1)[0] in SECTIONS]
    result = []
    for lang in languages().values():
        missing = tuple(key for key in needed if key not in lang.texts)
        result.append(
            Coverage(
                code=lang.code,
                name=lang.name,
                reviewed=lang.reviewed,
                offered=not any(key.startswith(SECTION + ".") for key in missing),
                missing=missing,
            )
        )
    return result


def texts_version(lang: Language) -> str:
    """A short fingerprint of the texts the user read in ``lang`` (stored with the view)."""
    digest = hashlib.sha256()
    for key in sorted(lang.texts):
        if key.split(".", 1)[0] in SECTIONS:
            digest.update(f"{key}={lang.texts[key]}\n".encode())
    return digest.hexdigest()[:16]
