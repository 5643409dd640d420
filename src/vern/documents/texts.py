"""Document texts for the user, one YAML file per language (issue 7, G5, G13, G15, C1).

``texts/<lang>.yaml`` holds a ``meta`` block and nested sections of texts. ``nb.yaml`` is the
reference: a file marked ``complete: true`` must have exactly its keys, with the same
``{placeholders}``; a sample (``complete: false``, for example the Arabic one) may have fewer
keys, and a document is offered in it only when every key the document uses is there. A
translator adds a language by adding a file, without code (docs/documents.md).

The texts are independent of the staff's UI language (gettext): the document language is
chosen per document.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import yaml

TEXTS_DIR: Final = Path(__file__).resolve().parent / "texts"
REFERENCE_LANG: Final = "nb"
# The languages that must be complete: the rules engine and the rulebook speak these.
REQUIRED_LANGS: Final = ("nb", "nn", "en")
# Where a sample language has no text from the rulebook (measures), this language is used.
RULEBOOK_FALLBACK_LANG: Final = "en"
META_KEYS: Final = frozenset({"name", "dir", "reviewed", "complete", "date_format", "time_format"})


class TextsError(ValueError):
    """A language file is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    dir: str
    reviewed: bool
    complete: bool
    date_format: str
    time_format: str
    texts: Mapping[str, str] = field(repr=False)

    @property
    def rtl(self) -> bool:
        return self.dir == "rtl"

    def has_all(self, prefixes: tuple[str, ...]) -> bool:
        """Whether every reference key under ``prefixes`` exists in this language."""
        reference = _reference_keys()
        needed = [k for k in reference if k.split(".", 1)[0] in prefixes]
        return all(key in self.texts for key in needed)


def _flatten(node: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{name}.")
        else:
            yield name, value


def placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def _read(path: Path, problems: list[str]) -> Language | None:
    code = path.stem
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot be read: {str(exc).splitlines()[0]}")
        return None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("meta"), Mapping):
        problems.append(f"{path.name}: must be a mapping with a 'meta' block")
        return None
    meta = raw["meta"]
    unknown = sorted(str(k) for k in meta if k not in META_KEYS)
    if unknown:
        problems.append(f"{path.name}: unknown meta key {', '.join(unknown)}")
    if meta.get("dir") not in {"ltr", "rtl"}:
        problems.append(f"{path.name}: meta.dir must be ltr or rtl")
    problems.extend(
        f"{path.name}: meta.{key} must be true or false"
        for key in ("reviewed", "complete")
        if not isinstance(meta.get(key), bool)
    )
    texts: dict[str, str] = {}
    body = {k: v for k, v in raw.items() if k != "meta"}
    for key, value in _flatten(body):
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{path.name}: {key} must be a non-empty text")
            continue
        texts[key] = " ".join(value.split())
    return Language(
        code=code,
        name=str(meta.get("name") or code),
        dir=str(meta.get("dir", "ltr")),
        reviewed=bool(meta.get("reviewed")),
        complete=bool(meta.get("complete")),
        date_format=str(meta.get("date_format") or "%Y-%m-%d"),
        time_format=str(meta.get("time_format") or "%Y-%m-%d %H:%M"),
        texts=texts,
    )


def check_texts(directory: Path | None = None) -> list[str]:
    """Every problem of the language files in ``directory`` (default: the packaged ones)."""
    problems: list[str] = []
    directory = directory or TEXTS_DIR
    languages = {}
    for path in sorted(directory.glob("*.yaml")):
        language = _read(path, problems)
        if language is not None:
            languages[language.code] = language
    reference = languages.get(REFERENCE_LANG)
    if reference is None:
        return [*problems, f"{directory}: {REFERENCE_LANG}.yaml (the reference) is missing"]
    problems.extend(
        f"{directory}: {code}.yaml is missing (required language)"
        for code in REQUIRED_LANGS
        if code not in languages
    )
    for code, language in sorted(languages.items()):
        if code in REQUIRED_LANGS and not language.complete:
            problems.append(f"{code}.yaml: a required language must be complete: true")
        if language.complete:
            problems.extend(
                f"{code}.yaml: missing key {key}"
                for key in reference.texts
                if key not in language.texts
            )
        elif language.reviewed:
            problems.append(f"{code}.yaml: a partial sample must be marked reviewed: false")
        for key, text in language.texts.items():
            if key not in reference.texts:
                problems.append(f"{code}.yaml: unknown key {key} (not in {REFERENCE_LANG}.yaml)")
            elif placeholders(text) != placeholders(reference.texts[key]):
                problems.append(
                    f"{code}.yaml: {key} must use the placeholders "
                    f"{sorted(placeholders(reference.texts[key]))}"
                )
    return problems


@functools.cache
def _languages() -> dict[str, Language]:
    problems = check_texts()
    if problems:
        raise TextsError(problems)
    found: list[str] = []
    languages = {}
    for path in sorted(TEXTS_DIR.glob("*.yaml")):
        language = _read(path, found)
        if language is not None:
            languages[language.code] = language
    return languages


@functools.cache
def _reference_keys() -> tuple[str, ...]:
    return tuple(_languages()[REFERENCE_LANG].texts)


def languages() -> dict[str, Language]:
    """Every document language, by code: the required ones first, then the others."""
    found = _languages()
    order = [*REQUIRED_LANGS, *sorted(code for code in found if code not in REQUIRED_LANGS)]
    return {code: found[code] for code in order if code in found}


def language(code: str) -> Language:
    """The language ``code``; KeyError when there is no file for it."""
    return _languages()[code]


def languages_for(prefixes: tuple[str, ...]) -> list[Language]:
    """The languages a document that uses the text sections ``prefixes`` can be made in."""
    return [lang for lang in languages().values() if lang.has_all(prefixes)]


class Translator:
    """Texts of one language for templates (``t.consent.title``) and for code (``t("key")``)."""

    do_not_call_in_templates = True

    def __init__(self, language: Language) -> None:
        self.language = language
        self._tree: dict[str, dict[str, str]] = {}
        for key, text in language.texts.items():
            section, name = key.split(".", 1)
            self._tree.setdefault(section, {})[name] = text

    def __call__(self, key: str, **values: object) -> str:
        text = self.language.texts[key]
        return text.format_map({k: str(v) for k, v in values.items()}) if values else text

    def get(self, key: str, default: str = "") -> str:
        return self.language.texts.get(key, default)

    def source(self, key: str) -> Language:
        """The language the text ``key`` is written in: a sentence's numbers and units come
        from the same language (a translator with a fallback answers per key)."""
        return self.language

    def __getattr__(self, section: str) -> dict[str, str]:
        if section.startswith("_"):
            raise AttributeError(section)
        try:
            return self._tree[section]
        except KeyError:
            raise AttributeError(section) from None
