"""Vern's rules engine: pure Python, no Django.

Django code (and the ``vern assess`` command) builds ``Facts``; ``evaluate`` decides against the
versioned rulebook in ``vern/rulebook``. See docs/rulebook.md.
"""

from __future__ import annotations

from vern.rules.engine import evaluate
from vern.rules.errors import FactsError, RulebookError
from vern.rules.facts import Factors, Facts, parse_facts
from vern.rules.loader import Rulebook, check_rulebook, load_rulebook
from vern.rules.outcome import Action, OffenceLine, Outcome, PublicProsecution, Reason
from vern.rules.render import render_text
from vern.rules.texts import LANGS, Texts

__all__ = [
    "LANGS",
    "Action",
    "Factors",
    "Facts",
    "FactsError",
    "OffenceLine",
    "Outcome",
    "PublicProsecution",
    "Reason",
    "Rulebook",
    "RulebookError",
    "Texts",
    "check_rulebook",
    "evaluate",
    "load_rulebook",
    "parse_facts",
    "render_text",
]
