"""Loads ``authz_matrix.yaml`` into cells (URL x method x requester -> expected status).

Other suites may import this module: ``rows()`` gives every row, ``cells()`` every cell, and
``build_url(row, world, other=...)`` the URL of a row with its placeholders resolved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security import objects

MATRIX_FILE = Path(__file__).with_name("authz_matrix.yaml")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
BASE_COLUMNS = ("anonymous", "ansatt", "leder", "administrator")
OTHER_COLUMNS = ("ansatt_other", "leder_other")
ACCESS_LEVELS = ("public", "password_only", "paired", "mfa")
ROW_KEYS = {"access", "args", "data", "touches_case_data", "shows_centre_names", *METHODS}
# URL namespaces that are not Vern's own and have no place in the matrix.
SKIPPED_NAMESPACES = {"djdt", "debug_toolbar"}
SKIPPED_PREFIXES = ("static/", "media/", "__debug__/")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            msg = (
                f"duplicate key {key!r} in {MATRIX_FILE.name} (line {key_node.start_mark.line + 1})"
            )
            raise yaml.constructor.ConstructorError(None, None, msg, key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


@dataclass(frozen=True)
class Row:
    name: str
    access: str
    args: dict[str, str | int]
    data: dict[str, str]
    expect: dict[str, dict[str, int]]  # method -> column -> status
    touches_case_data: bool
    # The page lists the centres of Vern by name (the destination of a move, R1-R3): the other
    # centre's name may appear, nothing else of it (the canary anywhere else still fails).
    shows_centre_names: bool = False

    @property
    def url_name(self) -> str:
        """The name for reverse(): the row name without its ``#variant``."""
        return self.name.partition("#")[0]

    @property
    def has_centre_objects(self) -> bool:
        return any(isinstance(v, str) and objects.other_side(v) != v for v in self.args.values())

    @property
    def columns(self) -> tuple[str, ...]:
        return BASE_COLUMNS + (OTHER_COLUMNS if self.has_centre_objects else ())


@dataclass(frozen=True)
class Cell:
    row: Row
    method: str
    column: str

    @property
    def expected(self) -> int:
        return self.row.expect[self.method][self.column]

    @property
    def role(self) -> str:
        return self.column.removesuffix("_other")

    @property
    def other_centre(self) -> bool:
        return self.column.endswith("_other")

    @property
    def id(self) -> str:
        return f"{self.row.name}-{self.method}-{self.column}"


def _row(name: str, raw: dict[str, Any]) -> Row:
    unknown = set(raw) - ROW_KEYS
    if unknown:
        msg = f"{name}: unknown keys {sorted(unknown)} (allowed: {sorted(ROW_KEYS)})"
        raise ValueError(msg)
    access = raw.get("access")
    if access not in ACCESS_LEVELS:
        msg = f"{name}: access must be one of {ACCESS_LEVELS}, got {access!r}"
        raise ValueError(msg)
    args = dict(raw.get("args") or {})
    for arg, placeholder in args.items():
        if isinstance(placeholder, str) and not objects.known(placeholder):
            msg = f"{name}: argument {arg}={placeholder!r} is not a known placeholder"
            raise ValueError(msg)
    expect = {m: dict(raw[m]) for m in METHODS if m in raw}
    if not expect:
        msg = f"{name}: no method (GET/POST/...) given"
        raise ValueError(msg)
    row = Row(
        name=name,
        access=access,
        args=args,
        data={k: str(v) for k, v in (raw.get("data") or {}).items()},
        expect=expect,
        touches_case_data=bool(raw.get("touches_case_data", False)),
        shows_centre_names=bool(raw.get("shows_centre_names", False)),
    )
    for method, statuses in expect.items():
        if set(statuses) != set(row.columns):
            msg = (
                f"{name} {method}: columns must be exactly {list(row.columns)}, "
                f"got {sorted(statuses)}"
            )
            raise ValueError(msg)
    return row


@cache
def rows() -> tuple[Row, ...]:
    raw = yaml.load(MATRIX_FILE.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    return tuple(_row(name, spec) for name, spec in (raw or {}).items())


def cells() -> list[Cell]:
    return [
        Cell(row, method, column)
        for row in rows()
        for method in row.expect
        for column in row.columns
    ]


def build_url(row: Row, world: objects.World, *, other: bool = False) -> str:
    kwargs: dict[str, str | int] = {}
    for arg, placeholder in row.args.items():
        if isinstance(placeholder, str):
            kwargs[arg] = world.resolve(objects.other_side(placeholder) if other else placeholder)
        else:
            kwargs[arg] = placeholder
    return reverse(row.url_name, kwargs=kwargs)


def url_patterns(
    patterns: list[URLPattern | URLResolver] | None = None,
    namespace: str = "",
    prefix: str = "",
) -> Iterator[tuple[str, str, URLPattern]]:
    """Every URL pattern of the project as (``namespace:name`` or "", route, pattern)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.lstrip("^/").startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            child_ns = f"{namespace}:{ns}".lstrip(":") if ns else namespace
            yield from url_patterns(entry.url_patterns, child_ns, route)
        else:
            name = f"{namespace}:{entry.name}".lstrip(":") if entry.name else ""
            yield name, route, entry
