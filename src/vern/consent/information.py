"""What the user is told (G2, G5, G12, G13, G15, P1), in HER language, from data.

The plain-language texts live in ``user_texts.yaml`` (a translator adds a language there); the
offences with their maximum penalties, the two-year line and the catalogue of measures come
from the rulebook valid on the day, so the information stays in step with the law's dates.
Nothing here depends on the staff's UI language.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from vern.rules import load_rulebook
from vern.rules.rulebook import Measure, Offence, Rulebook

TEXTS_PATH = Path(__file__).resolve().parent / "user_texts.yaml"
REQUIRED_LANGS = ("nb", "nn", "en")
FALLBACK_LANG = "nb"

Text = str | list[str]


@functools.cache
def _texts() -> Mapping[str, Mapping[str, Text]]:
    raw = yaml.safe_load(TEXTS_PATH.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        msg = f"{TEXTS_PATH}: must be a mapping of text ids"
        raise TypeError(msg)
    texts: dict[str, dict[str, Text]] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            msg = f"{TEXTS_PATH}: {key!r} must map language codes to texts"
            raise TypeError(msg)
        missing = [lang for lang in REQUIRED_LANGS if not entry.get(lang)]
        if missing:
            msg = f"{TEXTS_PATH}: {key!r} has no text in {', '.join(missing)}"
            raise ValueError(msg)
        texts[str(key)] = {
            str(lang): (
                [" ".join(str(p).split()) for p in value]
                if isinstance(value, list)
                else " ".join(str(value).split())
            )
            for lang, value in entry.items()
        }
    return texts


def user_languages() -> tuple[str, ...]:
    """Languages every user text exists in."""
    texts = _texts()
    common = set.intersection(*(set(entry) for entry in texts.values()))
    return tuple(sorted(common))


def text_language(lang: str) -> str:
    """``lang`` when the user texts exist in it, else bokmål."""
    return lang if lang in user_languages() else FALLBACK_LANG


def user_texts(lang: str) -> dict[str, Text]:
    """Every user text in ``lang`` (bokmål where a text is missing in ``lang``)."""
    return {key: entry.get(lang) or entry[FALLBACK_LANG] for key, entry in _texts().items()}


def _rulebook_text_lang(lang: str) -> str:
    return lang if lang in REQUIRED_LANGS else FALLBACK_LANG


def _years(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


@dataclass(frozen=True)
class OffenceRow:
    id: str
    section: str
    title: str
    max_penalty_years: float
    penalty_text: str
    wish_given_weight: bool
    wish_text: str

    def snapshot(self) -> dict[str, object]:
        """What is stored with the information record (no free text)."""
        return {
            "id": self.id,
            "max_penalty_years": self.max_penalty_years,
            "wish_given_weight": self.wish_given_weight,
        }


@dataclass(frozen=True)
class TwoYearRule:
    """G15: each suspected offence with its maximum penalty and whether her wish counts."""

    rows: list[OffenceRow]
    line_years: float
    summary: str
    all_within: bool | None
    rulebook_version: str


def _offence_on(book: Rulebook, ident: str, on: dt.date) -> Offence | None:
    program = book.programs.for_date(on)
    if program is not None and ident in program.offences:
        return program.offences[ident][0]
    # An offence no longer in the table on ``on``: fall back to its newest entry.
    entries = [offence for offence in book.offences if offence.id == ident]
    return entries[-1] if entries else None


def _two_year_line(book: Rulebook, on: dt.date) -> float:
    program = book.programs.for_date(on)
    if program is not None:
        return float(program.two_year_line)
    values = book.parameters.get("two_year_line", ())
    return float(values[-1].value) if values else 2.0


def two_year_rule(*, offence_ids: Iterable[str], lang: str, on: dt.date) -> TwoYearRule:
    """The two-year rule (straffeprosessloven § 62 a) for ``offence_ids`` in ``lang`` (G15)."""
    book = load_rulebook()
    texts = user_texts(lang)
    rb_lang = _rulebook_text_lang(lang)
    line = _two_year_line(book, on)
    rows: list[OffenceRow] = []
    for ident in offence_ids:
        offence = _offence_on(book, ident, on)
        if offence is None:
            continue
        within = offence.max_penalty_years <= line
        rows.append(
            OffenceRow(
                id=offence.id,
                section=offence.section,
                title=offence.title.get(rb_lang),
                max_penalty_years=offence.max_penalty_years,
                penalty_text=str(
                    texts["penalty_year_one" if offence.max_penalty_years == 1 else "penalty_years"]
                ).format(years=_years(offence.max_penalty_years)),
                wish_given_weight=within,
                wish_text=str(texts["wish_yes" if within else "wish_no"]),
            )
        )
    if not rows:
        all_within: bool | None = None
        summary = str(texts["no_offences"])
    else:
        all_within = all(row.wish_given_weight for row in rows)
        summary = str(texts["summary_all_within" if all_within else "summary_some_above"])
    return TwoYearRule(
        rows=rows,
        line_years=line,
        summary=summary,
        all_within=all_within,
        rulebook_version=book.version,
    )


@dataclass(frozen=True)
class MeasureText:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class MeasuresCatalogue:
    """The rulebook's catalogue of measures valid on the day, in one language (G13, P1)."""

    measures: list[MeasureText]
    note: str
    rulebook_version: str

    @property
    def ids(self) -> list[str]:
        return [measure.id for measure in self.measures]


def _measures_on(book: Rulebook, on: dt.date) -> tuple[Measure, ...]:
    program = book.programs.for_date(on)
    if program is not None:
        return tuple(program.measures)
    return ()


def measures_catalogue(*, lang: str, on: dt.date) -> MeasuresCatalogue:
    book = load_rulebook()
    rb_lang = _rulebook_text_lang(lang)
    measures = sorted(_measures_on(book, on), key=lambda measure: measure.order)
    return MeasuresCatalogue(
        measures=[
            MeasureText(id=m.id, title=m.title.get(rb_lang), text=m.text.get(rb_lang))
            for m in measures
        ],
        note=book.measures_note.get(rb_lang),
        rulebook_version=book.version,
    )
