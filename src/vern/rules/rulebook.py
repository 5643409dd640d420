"""The rulebook: legal content as dated, referenced data, loaded from YAML and schema-checked.

This module only re-exports: the entries are data classes in ``vern.rules.model``, the YAML
reading and per-entry checks with the loaded ``Rulebook`` in ``vern.rules.loader``, the cross
checks in ``vern.rules.checks``, the compiled program in ``vern.rules.program``.
"""

from __future__ import annotations

from vern.rules.loader import (
    PACKAGED_RULEBOOK,
    TOP_LEVEL_KEYS,
    Rulebook,
    check_rulebook,
    load_rulebook,
)
from vern.rules.model import (
    STATUSES,
    ActionDef,
    ChangelogEntry,
    Condition,
    DecisionDef,
    Measure,
    Meta,
    Offence,
    Parameter,
    Reference,
    Requirement,
    Rule,
)

__all__ = [
    "PACKAGED_RULEBOOK",
    "STATUSES",
    "TOP_LEVEL_KEYS",
    "ActionDef",
    "ChangelogEntry",
    "Condition",
    "DecisionDef",
    "Measure",
    "Meta",
    "Offence",
    "Parameter",
    "Reference",
    "Requirement",
    "Rule",
    "Rulebook",
    "check_rulebook",
    "load_rulebook",
]
