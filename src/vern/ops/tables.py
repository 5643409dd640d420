"""Row counts and content checksums of every table, on a plain DB-API cursor.

Used by ``vern backup`` (the manifest records them from the same snapshot as the dump),
``vern restore`` (the restored database must match the manifest, table by table) and the
drills. The checksum is SHA-256 over the rows in primary-key order, each rendered
canonically: on PostgreSQL as the row's own text form (``t::text``) with UTC, ISO dates and
round-trip floats fixed for the transaction; on SQLite as the Python ``repr`` of the row.
Checksums compare a database with itself or its restored copy, never across vendors.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Final, Protocol

FETCH: Final = 2000

# The PostgreSQL session settings that make ``t::text`` canonical (SET LOCAL in a transaction).
PG_CANONICAL_SETTINGS: Final = (
    ("TimeZone", "UTC"),
    ("DateStyle", "ISO, YMD"),
    ("IntervalStyle", "postgres"),
    ("extra_float_digits", "3"),
    ("bytea_output", "hex"),
    # Row-level security is FORCEd on tenant tables: see every centre's rows.
    ("vern.scope", "all"),
)


class Cursor(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> Any: ...
    def fetchall(self) -> Any: ...
    def fetchmany(self, size: int = ..., /) -> Any: ...


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str

    def to_json(self) -> dict[str, object]:
        return {"rows": self.rows, "sha256": self.sha256}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_canonical_session(cursor: Cursor) -> None:
    """Inside a transaction: the settings under which PostgreSQL row text is canonical."""
    for name, value in PG_CANONICAL_SETTINGS:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def list_tables(cursor: Cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    elif vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1"
        )
    else:
        msg = f"unsupported database vendor {vendor!r}"
        raise ValueError(msg)
    return [str(row[0]) for row in cursor.fetchall()]


def _order_columns(cursor: Cursor, vendor: str, table: str) -> list[str]:
    """The primary-key columns (or every column when there is none), in order."""
    if vendor == "sqlite":
        cursor.execute(f"PRAGMA table_info({_q(table)})")
        info = cursor.fetchall()
        pk = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        return [str(c) for c in (pk or [row[1] for row in info])]
    cursor.execute(
        "SELECT a.attname FROM pg_index i "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)",
        [_q(table)],
    )
    pk = [str(row[0]) for row in cursor.fetchall()]
    if pk:
        return pk
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [_q(table)],
    )
    return [str(row[0]) for row in cursor.fetchall()]


def table_checksum(cursor: Cursor, vendor: str, table: str) -> TableSum:
    order = ", ".join(_q(c) for c in _order_columns(cursor, vendor, table))
    if vendor == "postgresql":
        cursor.execute(f"SELECT t::text FROM {_q(table)} AS t ORDER BY {order}")  # noqa: S608
    else:
        cursor.execute(f"SELECT * FROM {_q(table)} ORDER BY {order}")  # noqa: S608
    digest = hashlib.sha256()
    count = 0
    while True:
        rows = cursor.fetchmany(FETCH)
        if not rows:
            break
        for row in rows:
            text = row[0] if vendor == "postgresql" else repr(tuple(row))
            digest.update(str(text).encode("utf-8", "surrogatepass"))
            digest.update(b"\n")
        count += len(rows)
    return TableSum(rows=count, sha256=digest.hexdigest())


def table_checksums(cursor: Cursor, vendor: str) -> dict[str, TableSum]:
    """Every table's row count and checksum. On PostgreSQL call it inside a transaction
    (it sets the canonical settings with SET LOCAL)."""
    if vendor == "postgresql":
        pg_canonical_session(cursor)
    return {table: table_checksum(cursor, vendor, table) for table in list_tables(cursor, vendor)}


def compare(expected: dict[str, TableSum], actual: dict[str, TableSum]) -> list[str]:
    """Human-readable differences; empty when every table matches."""
    problems: list[str] = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None:
            problems.append(f"{table}: not in the backup")
        elif got is None:
            problems.append(f"{table}: missing after restore")
        elif want.rows != got.rows:
            problems.append(f"{table}: {got.rows} rows, expected {want.rows}")
        elif want.sha256 != got.sha256:
            problems.append(f"{table}: content differs (same {got.rows} rows)")
    return problems


def from_json(data: object) -> dict[str, TableSum]:
    if not isinstance(data, dict):
        msg = "the manifest's table list is not an object"
        raise TypeError(msg)
    result: dict[str, TableSum] = {}
    for table, value in data.items():
        if not isinstance(value, dict):
            msg = f"the manifest entry for {table!r} is not an object"
            raise TypeError(msg)
        rows, sha = value.get("rows"), value.get("sha256")
        if not isinstance(rows, int) or not isinstance(sha, str):
            msg = f"the manifest entry for {table!r} lacks rows or sha256"
            raise TypeError(msg)
        result[str(table)] = TableSum(rows=rows, sha256=sha)
    return result
