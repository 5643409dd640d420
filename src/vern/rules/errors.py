"""Errors raised by the rules engine, with messages meant to be shown as they are."""

from __future__ import annotations


class RulebookError(Exception):
    """The rulebook failed its schema check; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"rulebook is invalid ({count} {noun}): " + "; ".join(self.problems))


class FactsError(ValueError):
    """The facts of an assessment are malformed; str() is one line naming the key or value."""
