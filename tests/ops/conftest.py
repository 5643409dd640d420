"""Drill databases: throwaway, migrated databases driven through the real ``vern`` CLI.

The drills (backup/restore, purge canaries) run ``vern`` in subprocesses against their own
database, never pytest-django's test database: a file SQLite database (so that the raw file,
its write-ahead log and an atomic file replace are real) or, when DATABASE_URL is set, a
PostgreSQL database ``vern_drill_<random>`` created with the same role (CREATEDB) from a
template migrated once per session, and dropped afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from vern.ops import tables

REPO = Path(__file__).resolve().parents[2]
BACKUP_KEY = "drill-backup-key-" + secrets.token_urlsafe(32)


def pg_params(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return make_conninfo(
        host=parts.hostname or "",
        port=str(parts.port or 5432),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        dbname=dbname,
    )


def pg_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path="/" + dbname).geturl()


def pg_admin(url: str, *statements: sql.Composed) -> None:
    with psycopg.connect(pg_params(url, "postgres"), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


@dataclass
class DrillDb:
    vendor: str
    root: Path
    env: dict[str, str]
    sqlite_path: Path | None = None
    pg_name: str | None = None
    base_url: str = ""

    @property
    def media_root(self) -> Path:
        return Path(self.env["VERN_DATA_DIR"]) / "files"

    def run(self, *argv: str, check: bool = True, env: dict[str, str] | None = None) -> Any:
        done = subprocess.run(
            [sys.executable, *argv],
            cwd=REPO,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check and done.returncode != 0:
            pytest.fail(
                f"{argv} exited {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
            )
        return done

    def vern(self, *args: str, check: bool = True, env: dict[str, str] | None = None) -> Any:
        return self.run("-m", "vern.cli", *args, check=check, env=env)

    def data(self, *args: str) -> Any:
        done = self.run("-m", "tests.ops.drill_data", *args)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def connect(self) -> Any:
        if self.sqlite_path is not None:
            return sqlite3.connect(self.sqlite_path)
        assert self.pg_name is not None
        conn = psycopg.connect(pg_params(self.base_url, self.pg_name))
        conn.execute("SELECT set_config('vern.scope', 'all', false)")
        return conn

    def checksums(self) -> dict[str, tables.TableSum]:
        conn = self.connect()
        try:
            return tables.table_checksums(conn.cursor(), self.vendor)
        finally:
            conn.close()

    def all_text(self) -> str:
        """Every row of every table as text (for greps)."""
        conn = self.connect()
        out: list[str] = []
        try:
            cursor = conn.cursor()
            for table in tables.list_tables(cursor, self.vendor):
                quoted = '"' + table + '"'
                if self.vendor == "postgresql":
                    cursor.execute(f"SELECT t::text FROM {quoted} AS t")  # noqa: S608
                else:
                    cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
                out.extend(
                    " ".join(v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in row)
                    for row in cursor.fetchall()
                )
        finally:
            conn.close()
        return "\n".join(out)

    def wipe(self) -> None:
        """The disaster: the database is gone (and so are the uploaded files)."""
        if self.sqlite_path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.sqlite_path) + suffix).unlink(missing_ok=True)
        else:
            assert self.pg_name is not None
            name = sql.Identifier(self.pg_name)
            pg_admin(
                self.base_url,
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(name),
                sql.SQL("CREATE DATABASE {}").format(name),
            )
        shutil.rmtree(self.media_root, ignore_errors=True)


def _base_env(root: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "VERN_SQLITE_PATH", "VERN_TEST_DB_NAME"}
        and not k.startswith(("VERN_BACKUP_KEY", "PYTEST_"))
    }
    env.update(
        {
            "VERN_ENV": "development",
            "VERN_DATA_DIR": str(root / "data"),
            "VERN_SECRET_KEY": "drill-secret-" + secrets.token_urlsafe(32),
            "VERN_AUDIT_KEY": "drill-audit-" + secrets.token_urlsafe(32),
            "VERN_BACKUP_KEY": BACKUP_KEY,
            "VERN_LOG_LEVEL": "WARNING",
            # This checkout's code, not whatever the virtualenv has installed.
            "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")]),
        }
    )
    return env


@pytest.fixture(scope="session")
def drill_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DrillDb]:
    """One migrated database per session; every drill database starts as a copy of it."""
    root = tmp_path_factory.mktemp("drill-template")
    env = _base_env(root)
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        name = f"vern_drill_tpl_{secrets.token_hex(4)}"
        pg_admin(url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env["DATABASE_URL"] = pg_url(url, name)
        template = DrillDb("postgresql", root, env, pg_name=name, base_url=url)
    else:
        path = root / "template.sqlite3"
        env["VERN_SQLITE_PATH"] = str(path)
        template = DrillDb("sqlite", root, env, sqlite_path=path)
    try:
        template.vern("migrate", "--no-input", "-v0")
        if template.sqlite_path is not None:
            conn = sqlite3.connect(template.sqlite_path)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
        yield template
    finally:
        if template.pg_name is not None:
            pg_admin(
                url,
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(template.pg_name)
                ),
            )


@pytest.fixture
def drill_db(drill_template: DrillDb, tmp_path: Path) -> Iterator[DrillDb]:
    """A fresh, migrated drill database with its own data directory and keys."""
    env = _base_env(tmp_path)
    if drill_template.sqlite_path is not None:
        path = tmp_path / "vern.sqlite3"
        shutil.copyfile(drill_template.sqlite_path, path)
        env["VERN_SQLITE_PATH"] = str(path)
        yield DrillDb("sqlite", tmp_path, env, sqlite_path=path)
        return
    name = f"vern_drill_{secrets.token_hex(4)}"
    assert drill_template.pg_name is not None
    pg_admin(
        drill_template.base_url,
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(drill_template.pg_name)
        ),
    )
    env["DATABASE_URL"] = pg_url(drill_template.base_url, name)
    try:
        yield DrillDb("postgresql", tmp_path, env, pg_name=name, base_url=drill_template.base_url)
    finally:
        pg_admin(
            drill_template.base_url,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)),
        )
