"""Texts in the three languages Vern speaks: bokmål, nynorsk and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Lang = Literal["nb", "nn", "en"]
LANGS: Final[tuple[Lang, ...]] = ("nb", "nn", "en")


@dataclass(frozen=True, slots=True)
class Texts:
    """One text in nb, nn and en."""

    nb: str
    nn: str
    en: str

    def get(self, lang: str) -> str:
        if lang == "nb":
            return self.nb
        if lang == "nn":
            return self.nn
        if lang == "en":
            return self.en
        msg = f"unknown language {lang!r} (use one of nb, nn, en)"
        raise ValueError(msg)
