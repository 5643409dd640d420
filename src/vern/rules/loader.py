"""The rulebook read from YAML: each entry parsed and checked, then cross-checked and compiled.

The packaged rulebook lives in ``vern/rulebook/*.yaml`` (scenarios in ``scenarios/`` are tests,
not part of it). ``load_rulebook`` reads, checks and precompiles it; ``check_rulebook`` returns
the problems only (for a Django system check). ``Rulebook`` is the loaded whole: the entries
(``vern.rules.model``) with the compiled programs (``vern.rules.program``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from vern.rules.checks import Parts, check_cross_references
from vern.rules.errors import RulebookError
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
    value_in,
)
from vern.rules.program import Programs, compile_programs
from vern.rules.texts import LANGS, Texts
from vern.rules.vocabulary import DECISIONS, INPUT_VARIABLES, NO_CONSENT_GROUNDS, Value

PACKAGED_RULEBOOK = Path(__file__).resolve().parent.parent / "rulebook"

_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_REQUIREMENT_ID = re.compile(r"[A-Z][0-9]+")
TOP_LEVEL_KEYS = (
    "meta",
    "changelog",
    "references",
    "requirements",
    "offences",
    "parameters",
    "measures_note",
    "measures",
    "actions",
    "decisions",
    "rules",
)


@dataclass(frozen=True, eq=False)
class Rulebook:
    """A loaded, checked rulebook: its entries and the programs compiled from them."""

    path: Path
    meta: Meta
    changelog: tuple[ChangelogEntry, ...]
    references: Mapping[str, Reference]
    requirements: Mapping[str, Requirement]
    offences: tuple[Offence, ...]
    parameters: Mapping[str, tuple[Parameter, ...]]
    measures_note: Texts
    measures: tuple[Measure, ...]
    actions: Mapping[str, ActionDef]
    decisions: Mapping[str, DecisionDef]
    rules: Mapping[str, Rule]
    programs: Programs = field(repr=False)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        return self.meta.version

    @functools.cached_property
    def offence_ids(self) -> frozenset[str]:
        return frozenset(offence.id for offence in self.offences)


# --------------------------------------------------------------------------- reading


class _BadEntryError(Exception):
    """One entry is malformed; the message says where and why."""


T = TypeVar("T")


def _get(entry: Mapping[str, object], key: str, where: str) -> object:
    if key not in entry:
        msg = f"{where}: missing {key!r}"
        raise _BadEntryError(msg)
    return entry[key]


def _str(entry: Mapping[str, object], key: str, where: str, *, optional: bool = False) -> str:
    if optional and entry.get(key) is None:
        return ""
    value = _get(entry, key, where)
    if not isinstance(value, str) or not value.strip():
        msg = f"{where}: {key!r} must be a non-empty text"
        raise _BadEntryError(msg)
    return value.strip()


def _date(value: object, where: str, key: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    msg = f"{where}: {key!r} must be a date YYYY-MM-DD, got {value!r}"
    raise _BadEntryError(msg)


def _opt_date(entry: Mapping[str, object], key: str, where: str) -> dt.date | None:
    value = entry.get(key)
    return None if value is None else _date(value, where, key)


def _bool(entry: Mapping[str, object], key: str, where: str) -> bool:
    value = _get(entry, key, where)
    if not isinstance(value, bool):
        msg = f"{where}: {key!r} must be true or false"
        raise _BadEntryError(msg)
    return value


def _ids(entry: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        msg = f"{where}: {key!r} must be a list of ids"
        raise _BadEntryError(msg)
    return tuple(str(item) for item in value)


def _texts(value: object, where: str) -> Texts:
    if not isinstance(value, Mapping):
        msg = f"{where}: must be texts in {', '.join(LANGS)}"
        raise _BadEntryError(msg)
    missing = [lang for lang in LANGS if not isinstance(value.get(lang), str) or not value[lang]]
    if missing:
        msg = f"{where}: missing text in {', '.join(missing)}"
        raise _BadEntryError(msg)
    unknown = sorted(str(key) for key in value if key not in LANGS)
    if unknown:
        msg = f"{where}: unknown language {', '.join(unknown)}"
        raise _BadEntryError(msg)
    return Texts(
        nb=str(value["nb"]).strip(), nn=str(value["nn"]).strip(), en=str(value["en"]).strip()
    )


def _url(entry: Mapping[str, object], where: str) -> str:
    if not entry.get("source"):
        msg = f"{where}: has no source"
        raise _BadEntryError(msg)
    source = _str(entry, "source", where)
    if not source.startswith("https://"):
        msg = f"{where}: source must be an https:// address, got {source!r}"
        raise _BadEntryError(msg)
    return source


def _status(entry: Mapping[str, object], where: str) -> str:
    status = _str(entry, "status", where)
    if status not in STATUSES:
        msg = f"{where}: status must be verified or check, got {status!r}"
        raise _BadEntryError(msg)
    return status


def _known_keys(entry: Mapping[str, object], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(str(key) for key in entry if key not in set(allowed))
    if unknown:
        msg = f"{where}: unknown key {', '.join(repr(k) for k in unknown)}"
        raise _BadEntryError(msg)


def _entries(
    raw: object,
    section: str,
    parse: Callable[[Mapping[str, object], str], T],
    problems: list[str],
) -> list[T]:
    """Parse a list of mappings, each with an ``id``; collect one problem per bad entry."""
    if not isinstance(raw, list):
        problems.append(f"{section}: must be a list")
        return []
    parsed: list[T] = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, Mapping):
            problems.append(f"{section}[{index}]: must be a mapping")
            continue
        ident = entry.get("id")
        where = f"{section} {ident!r}" if isinstance(ident, str) else f"{section}[{index}]"
        try:
            parsed.append(parse(entry, where))
        except _BadEntryError as exc:
            problems.append(str(exc))
    return parsed


def _entry_id(entry: Mapping[str, object], where: str) -> str:
    ident = _str(entry, "id", where)
    if not _ID.fullmatch(ident):
        msg = f"{where}: id must be lower case letters, digits, '.', '-' or '_'"
        raise _BadEntryError(msg)
    return ident


def _parse_reference(entry: Mapping[str, object], where: str) -> Reference:
    keys = ("id", "title", "section", "gist", "source", "status", "status_note", "checked_on")
    _known_keys(entry, keys, where)
    return Reference(
        id=_entry_id(entry, where),
        title=_str(entry, "title", where),
        section=_str(entry, "section", where),
        gist=_str(entry, "gist", where),
        source=_url(entry, where),
        status=_status(entry, where),
        status_note=_str(entry, "status_note", where, optional=True) or None,
        checked_on=_date(_get(entry, "checked_on", where), where, "checked_on"),
    )


def _parse_requirement(entry: Mapping[str, object], where: str) -> Requirement:
    _known_keys(entry, ("id", "summary", "elsewhere"), where)
    ident = _str(entry, "id", where)
    if not _REQUIREMENT_ID.fullmatch(ident):
        msg = f"{where}: requirement ids look like G1, K1, R2"
        raise _BadEntryError(msg)
    return Requirement(
        id=ident,
        summary=_str(entry, "summary", where),
        elsewhere=_str(entry, "elsewhere", where, optional=True) or None,
    )


def _number(entry: Mapping[str, object], key: str, where: str) -> float:
    value = _get(entry, key, where)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        msg = f"{where}: {key!r} must be a positive number"
        raise _BadEntryError(msg)
    return value


def _parse_offence(entry: Mapping[str, object], where: str) -> Offence:
    keys = (
        "id", "section", "title", "max_penalty_years", "in_196_list", "status", "source",
        "checked_on", "valid_from", "valid_until", "note", "duty_to_avert_condition",
    )  # fmt: skip
    _known_keys(entry, keys, where)
    in_196_list = _bool(entry, "in_196_list", where)
    raw_condition = entry.get("duty_to_avert_condition")
    condition = (
        None if raw_condition is None else _texts(raw_condition, f"{where} duty_to_avert_condition")
    )
    if condition is not None and not in_196_list:
        msg = f"{where}: 'duty_to_avert_condition' needs in_196_list: true"
        raise _BadEntryError(msg)
    return Offence(
        id=_entry_id(entry, where),
        section=_str(entry, "section", where),
        title=_texts(_get(entry, "title", where), f"{where} title"),
        max_penalty_years=_number(entry, "max_penalty_years", where),
        in_196_list=in_196_list,
        status=_status(entry, where),
        source=_url(entry, where),
        checked_on=_date(_get(entry, "checked_on", where), where, "checked_on"),
        valid_from=_opt_date(entry, "valid_from", where),
        valid_until=_opt_date(entry, "valid_until", where),
        note=_str(entry, "note", where, optional=True) or None,
        duty_to_avert_condition=condition,
    )


def _parse_parameter(entry: Mapping[str, object], where: str) -> Parameter:
    _known_keys(entry, ("id", "value", "valid_from", "valid_until", "references", "note"), where)
    return Parameter(
        id=_entry_id(entry, where),
        value=_number(entry, "value", where),
        valid_from=_date(_get(entry, "valid_from", where), where, "valid_from"),
        valid_until=_opt_date(entry, "valid_until", where),
        references=_ids(entry, "references", where),
    )


def _parse_measure(entry: Mapping[str, object], where: str) -> Measure:
    keys = (
        "id", "title", "text", "basis", "basis_note", "valid_from", "valid_until", "status",
        "status_note", "requires_report", "order", "source", "checked_on",
    )  # fmt: skip
    _known_keys(entry, keys, where)
    source = _url(entry, where) if entry.get("source") is not None else None
    return Measure(
        id=_entry_id(entry, where),
        order=_order(entry, where),
        title=_texts(_get(entry, "title", where), f"{where} title"),
        text=_texts(_get(entry, "text", where), f"{where} text"),
        basis=_ids(entry, "basis", where),
        basis_note=_str(entry, "basis_note", where, optional=True) or None,
        valid_from=_opt_date(entry, "valid_from", where),
        valid_until=_opt_date(entry, "valid_until", where),
        status=_status(entry, where),
        requires_report=_bool(entry, "requires_report", where),
        checked_on=_date(_get(entry, "checked_on", where), where, "checked_on"),
        source=source,
        status_note=_str(entry, "status_note", where, optional=True) or None,
    )


def _order(entry: Mapping[str, object], where: str) -> int:
    order = _get(entry, "order", where)
    if isinstance(order, bool) or not isinstance(order, int):
        msg = f"{where}: 'order' must be a whole number"
        raise _BadEntryError(msg)
    return order


def _parse_action(entry: Mapping[str, object], where: str) -> ActionDef:
    _known_keys(entry, ("id", "order", "text"), where)
    return ActionDef(
        id=_entry_id(entry, where),
        order=_order(entry, where),
        text=_texts(_get(entry, "text", where), where),
    )


def _parse_decision(entry: Mapping[str, object], where: str) -> DecisionDef:
    _known_keys(entry, ("id", "order", "values"), where)
    ident = _str(entry, "id", where)
    if ident not in DECISIONS:
        msg = f"{where}: unknown decision (known: {', '.join(DECISIONS)})"
        raise _BadEntryError(msg)
    order = _order(entry, where)
    raw_values = _get(entry, "values", where)
    if not isinstance(raw_values, list):
        msg = f"{where}: 'values' must be a list of {{value, label}}"
        raise _BadEntryError(msg)
    labels: list[tuple[Value, Texts]] = []
    for item in raw_values:
        if not isinstance(item, Mapping) or "value" not in item:
            msg = f"{where}: each value needs 'value' and 'label'"
            raise _BadEntryError(msg)
        value = item["value"]
        if not value_in(value, DECISIONS[ident]):
            msg = f"{where}: {value!r} is not a value of {ident}"
            raise _BadEntryError(msg)
        labels.append((value, _texts(item.get("label"), f"{where} value {value!r}")))
    missing = [v for v in DECISIONS[ident] if not value_in(v, [lv for lv, _ in labels])]
    if missing:
        msg = f"{where}: no label for {', '.join(repr(v) for v in missing)}"
        raise _BadEntryError(msg)
    return DecisionDef(id=ident, order=order, labels=tuple(labels))


def _variable_values(name: str) -> tuple[Value, ...] | None:
    if name in INPUT_VARIABLES:
        return INPUT_VARIABLES[name]
    return DECISIONS.get(name)


def _parse_condition(raw: object, where: str) -> Condition:
    if not isinstance(raw, Mapping):
        msg = f"{where}: each condition must be a mapping of variable: value(s)"
        raise _BadEntryError(msg)
    pairs: list[tuple[str, tuple[Value, ...]]] = []
    for name, wanted in raw.items():
        known = _variable_values(str(name))
        if known is None:
            msg = f"{where}: unknown variable {name!r} in 'when'"
            raise _BadEntryError(msg)
        allowed = tuple(wanted) if isinstance(wanted, list) else (wanted,)
        for value in allowed:
            if not value_in(value, known):
                msg = f"{where}: {value!r} is not a value of {name}"
                raise _BadEntryError(msg)
        pairs.append((str(name), tuple(v for v in known if value_in(v, allowed))))
    return tuple(sorted(pairs, key=lambda pair: pair[0]))


def _parse_rule(entry: Mapping[str, object], where: str) -> Rule:
    keys = (
        "id", "valid_from", "valid_until", "requirements", "references", "when", "decide",
        "action", "overrides", "text", "note", "no_consent_ground",
    )  # fmt: skip
    _known_keys(entry, keys, where)
    raw_when = entry.get("when", {})
    raw_conditions = raw_when if isinstance(raw_when, list) else [raw_when]
    if not raw_conditions:
        msg = f"{where}: 'when' must not be an empty list"
        raise _BadEntryError(msg)
    when = tuple(_parse_condition(c, where) for c in raw_conditions)
    decide = entry.get("decide")
    action = entry.get("action")
    decides: str | None = None
    value: Value = None
    if (decide is None) == (action is None):
        msg = f"{where}: a rule has exactly one of 'decide' and 'action'"
        raise _BadEntryError(msg)
    if decide is not None:
        if not isinstance(decide, Mapping) or len(decide) != 1:
            msg = f"{where}: 'decide' must be one 'decision: value'"
            raise _BadEntryError(msg)
        (decides, value), *_ = ((str(k), v) for k, v in decide.items())
        if decides not in DECISIONS:
            msg = f"{where}: unknown decision {decides!r}"
            raise _BadEntryError(msg)
        if not value_in(value, DECISIONS[decides]):
            msg = f"{where}: {value!r} is not a value of {decides}"
            raise _BadEntryError(msg)
    if action is not None and not isinstance(action, str):
        msg = f"{where}: 'action' must be an action id"
        raise _BadEntryError(msg)
    text = entry.get("text")
    if decides is not None and text is None:
        msg = f"{where}: a deciding rule needs a 'text' (the reason shown to staff)"
        raise _BadEntryError(msg)
    ground = _str(entry, "no_consent_ground", where, optional=True) or None
    without_consent = decides == "consent_needed" and value is False
    if ground is not None and ground not in NO_CONSENT_GROUNDS:
        msg = f"{where}: 'no_consent_ground' must be one of {', '.join(NO_CONSENT_GROUNDS)}"
        raise _BadEntryError(msg)
    if without_consent != (ground is not None):
        msg = (
            f"{where}: a rule deciding consent_needed: false names its 'no_consent_ground', "
            "and no other rule does"
        )
        raise _BadEntryError(msg)
    valid_from = _date(_get(entry, "valid_from", where), where, "valid_from")
    valid_until = _opt_date(entry, "valid_until", where)
    if valid_until is not None and valid_until < valid_from:
        msg = f"{where}: valid_until is before valid_from"
        raise _BadEntryError(msg)
    return Rule(
        id=_entry_id(entry, where),
        valid_from=valid_from,
        valid_until=valid_until,
        requirements=_ids(entry, "requirements", where),
        references=_ids(entry, "references", where),
        when=when,
        decides=decides,
        value=value,
        action=action,
        overrides=_ids(entry, "overrides", where),
        text=None if text is None else _texts(text, f"{where} text"),
        note=_str(entry, "note", where, optional=True) or None,
        no_consent_ground=ground,
    )


def _parse_meta(raw: object, problems: list[str]) -> Meta | None:
    try:
        if not isinstance(raw, Mapping):
            msg = "meta: missing or not a mapping"
            raise _BadEntryError(msg)
        _known_keys(raw, ("id", "version", "date", "applies_from", "title", "source"), "meta")
        version = str(_get(raw, "version", "meta"))
        if not _SEMVER.fullmatch(version):
            msg = f"meta: version must be semantic (MAJOR.MINOR.PATCH), got {version!r}"
            raise _BadEntryError(msg)
        return Meta(
            id=_entry_id(raw, "meta"),
            version=version,
            date=_date(_get(raw, "date", "meta"), "meta", "date"),
            applies_from=_date(_get(raw, "applies_from", "meta"), "meta", "applies_from"),
            title=_texts(_get(raw, "title", "meta"), "meta title"),
            source=_url(raw, "meta"),
        )
    except _BadEntryError as exc:
        problems.append(str(exc))
        return None


def _parse_changelog(entry: Mapping[str, object], where: str) -> ChangelogEntry:
    _known_keys(entry, ("version", "date", "changes"), where)
    changes = _get(entry, "changes", where)
    if not isinstance(changes, list) or not changes or not all(isinstance(c, str) for c in changes):
        msg = f"{where}: 'changes' must be a non-empty list of texts"
        raise _BadEntryError(msg)
    return ChangelogEntry(
        version=str(_get(entry, "version", where)),
        date=_date(_get(entry, "date", where), where, "date"),
        changes=tuple(str(c).strip() for c in changes),
    )


# --------------------------------------------------------------------------- loading


def _read_documents(path: Path, problems: list[str]) -> dict[str, object]:
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        problems.append(f"{path}: no .yaml files")
    merged: dict[str, object] = {}
    for file in files:
        try:
            document = yaml.safe_load(file.read_text(encoding="utf-8"))
        except OSError as exc:
            problems.append(f"{file.name}: cannot be read: {exc.strerror}")
            continue
        except yaml.YAMLError as exc:
            problems.append(f"{file.name}: not valid YAML: {str(exc).splitlines()[0]}")
            continue
        if document is None:
            continue
        if not isinstance(document, Mapping):
            problems.append(f"{file.name}: must be a mapping of sections")
            continue
        for key, value in document.items():
            if key not in TOP_LEVEL_KEYS:
                problems.append(f"{file.name}: unknown section {key!r}")
            elif key in merged:
                problems.append(f"{file.name}: section {key!r} is defined twice")
            else:
                merged[str(key)] = value
    return merged


def _unique(
    items: Iterable[T], key: Callable[[T], str], section: str, problems: list[str]
) -> dict[str, T]:
    result: dict[str, T] = {}
    for item in items:
        ident = key(item)
        if ident in result:
            problems.append(f"{section}: id {ident!r} appears twice")
        result[ident] = item
    return result


def _build(path: Path) -> tuple[Rulebook | None, list[str]]:
    problems: list[str] = []
    docs = _read_documents(path, problems)
    if problems:
        return None, problems
    problems.extend(f"section {key!r} is missing" for key in TOP_LEVEL_KEYS if key not in docs)
    meta = _parse_meta(docs.get("meta"), problems)
    changelog = _entries(docs.get("changelog", []), "changelog", _parse_changelog, problems)
    references = _unique(
        _entries(docs.get("references", []), "reference", _parse_reference, problems),
        lambda r: r.id, "references", problems,
    )  # fmt: skip
    requirements = _unique(
        _entries(docs.get("requirements", []), "requirement", _parse_requirement, problems),
        lambda r: r.id, "requirements", problems,
    )  # fmt: skip
    offences = _entries(docs.get("offences", []), "offence", _parse_offence, problems)
    raw_parameters = docs.get("parameters", [])
    parameter_list = _entries(raw_parameters, "parameter", _parse_parameter, problems)
    measures = _entries(docs.get("measures", []), "measure", _parse_measure, problems)
    _unique(measures, lambda m: m.id, "measures", problems)
    actions = _unique(
        _entries(docs.get("actions", []), "action", _parse_action, problems),
        lambda a: a.id, "actions", problems,
    )  # fmt: skip
    decisions = _unique(
        _entries(docs.get("decisions", []), "decision", _parse_decision, problems),
        lambda d: d.id, "decisions", problems,
    )  # fmt: skip
    rules = _unique(
        _entries(docs.get("rules", []), "rule", _parse_rule, problems),
        lambda r: r.id, "rules", problems,
    )  # fmt: skip
    measures_note: Texts | None = None
    try:
        measures_note = _texts(docs.get("measures_note"), "measures_note")
    except _BadEntryError as exc:
        problems.append(str(exc))

    parameters: dict[str, tuple[Parameter, ...]] = {}
    for parameter in parameter_list:
        parameters[parameter.id] = (*parameters.get(parameter.id, ()), parameter)

    parts = Parts(
        meta=meta,
        changelog=changelog,
        references=references,
        requirements=requirements,
        offences=offences,
        parameters=parameters,
        measures=measures,
        actions=actions,
        decisions=decisions,
        rules=rules,
    )
    problems.extend(check_cross_references(parts))
    if problems or meta is None or measures_note is None:
        return None, problems
    try:
        programs = compile_programs(
            applies_from=meta.applies_from,
            rules=tuple(rules.values()),
            decisions=decisions,
            actions=actions,
            measures=tuple(measures),
            offences=tuple(offences),
            two_year_line=parameters["two_year_line"],
        )
    except RulebookError as exc:
        return None, exc.problems
    rulebook = Rulebook(
        path=path,
        meta=meta,
        changelog=tuple(sorted(changelog, key=lambda c: c.date, reverse=True)),
        references=references,
        requirements=requirements,
        offences=tuple(offences),
        parameters=parameters,
        measures_note=measures_note,
        measures=tuple(measures),
        actions=actions,
        decisions=decisions,
        rules=rules,
        programs=programs,
    )
    return rulebook, []


# --------------------------------------------------------------------------- public API


def check_rulebook(path: Path | None = None) -> list[str]:
    """The problems of the rulebook at ``path`` (default: the packaged one); empty = valid."""
    _, problems = _build(path or PACKAGED_RULEBOOK)
    return problems


@functools.cache
def _packaged() -> Rulebook:
    return _load(PACKAGED_RULEBOOK)


def _load(path: Path) -> Rulebook:
    rulebook, problems = _build(path)
    if rulebook is None:
        raise RulebookError(problems)
    return rulebook


def load_rulebook(path: Path | None = None) -> Rulebook:
    """Load, check and precompile a rulebook (a directory of YAML files or one YAML file).

    Without ``path`` the packaged rulebook is loaded once and cached. Raises RulebookError
    listing every problem when the schema check fails.
    """
    if path is None:
        return _packaged()
    return _load(Path(path))
