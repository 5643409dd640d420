"""Identities where the help text says not to put them (issue 14 point 10). Pure Python.

A case reference and a child's label are shown in lists, page titles and the audit log, so the
help says: no fødselsnummer and no full name. This module finds both:

* ``national_ids(text)``: every run of 11 digits (``01019012345``, ``010190 12345``) whose first
  six digits are a date of birth (DDMMYY), with the day of a D-number (day + 40) allowed. Such a
  number is refused *whether or not its check digits are right*: a fødselsnummer with a typo
  in it still points at one person. ``is_valid_national_id`` tells whether the two mod-11 check
  digits are right (the same algorithm for fødselsnummer and D-number).
* ``looks_like_full_name(text)``: two or more capitalised words in a row ("Kari Nordmann",
  "Anne-Lise Berg"). Only a warning: "Rom Nord" is a fine reference, so the user may confirm.

H-numbers (used in the health service) and synthetic test numbers are not recognised: we have no
source describing them in the repository (docs/sources/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
D_NUMBER_DAY_OFFSET = 40
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Eleven digits, optionally split after the date (space, dot or dash), not inside a longer number.
_CANDIDATE = re.compile(r"(?<!\d)(\d{6})[ .\-]?(\d{5})(?!\d)")


@dataclass(frozen=True)
class NationalIdMatch:
    digits: str
    d_number: bool
    check_digits_valid: bool


def check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The mod-11 check digit of ``digits`` with ``weights``; None when it would be 10 (no
    number with these first digits is ever issued)."""
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    remainder = 11 - total % 11
    if remainder == 11:
        return 0
    if remainder == 10:
        return None
    return remainder


def with_check_digits(first_nine: str) -> str | None:
    """The 11-digit number with the right check digits, or None when there is none."""
    k1 = check_digit(first_nine, WEIGHTS_1)
    if k1 is None:
        return None
    k2 = check_digit(first_nine + str(k1), WEIGHTS_2)
    if k2 is None:
        return None
    return f"{first_nine}{k1}{k2}"


def is_valid_national_id(digits: str) -> bool:
    """11 digits with both mod-11 check digits right (fødselsnummer or D-number alike)."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    return with_check_digits(digits[:9]) == digits


def _date_part(first_six: str) -> bool | None:
    """True for a D-number date, False for an ordinary one, None for no date at all."""
    day, month = int(first_six[0:2]), int(first_six[2:4])
    d_number = day > D_NUMBER_DAY_OFFSET
    if d_number:
        day -= D_NUMBER_DAY_OFFSET
    if not 1 <= month <= 12 or not 1 <= day <= DAYS_IN_MONTH[month - 1]:
        return None
    return d_number


def national_ids(text: str) -> list[NationalIdMatch]:
    """Every fødselsnummer- or D-number-like number in ``text`` (see the module docstring)."""
    found = []
    for match in _CANDIDATE.finditer(text):
        digits = match.group(1) + match.group(2)
        d_number = _date_part(digits[:6])
        if d_number is None:
            continue
        found.append(NationalIdMatch(digits, d_number, is_valid_national_id(digits)))
    return found


def contains_national_id(text: str) -> bool:
    return bool(national_ids(text))


def _name_like(word: str) -> bool:
    parts = re.split(r"[-'’]", word)
    return all(
        len(part) >= 2 and part[0].isupper() and part[1:].isalpha() and part[1:].islower()
        for part in parts
    )


def looks_like_full_name(text: str) -> bool:
    """Two or more capitalised words in a row: "Kari Nordmann", "Ola Per Hansen"."""
    words = re.findall(r"[^\s,;:()«»\"/]+", text)
    run = 0
    for word in words:
        run = run + 1 if _name_like(word) else 0
        if run >= 2:
            return True
    return False
