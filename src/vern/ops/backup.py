"""``vern backup`` and ``vern restore``: consistent, encrypted, verified (docs/operations.md).

The archive (see ``vern.ops.crypto`` for the container) holds a gzip'd tar with:

- ``database/vern.sqlite3`` (SQLite, the online backup API: one consistent snapshot while the
  app keeps writing) or ``database/vern.pgdump`` (PostgreSQL, ``pg_dump -Fc`` on a snapshot
  exported from a REPEATABLE READ transaction);
- ``files/...``: every file under MEDIA_ROOT (signed consent forms), copied after the snapshot;
- ``audit-checkpoints/checkpoints.jsonl``: the signed checkpoints of the audit chain (kept
  outside the database, docs/audit.md), those up to the snapshot's head;
- ``manifest.json`` (last): row count and checksum of every table, taken from the same snapshot
  as the dump, the audit chain's head, and the SHA-256 of every file.

A restore decrypts and unpacks everything into a private staging directory first, so a wrong
key or a single altered byte is refused before anything is replaced. It then replaces the
database (SQLite: write, fsync, atomic rename; PostgreSQL: ``pg_restore --clean --if-exists
--no-owner --single-transaction``) and MEDIA_ROOT, and checks the result: every table against
the manifest, every file against its hash, and the audit chain against the restored
checkpoints (the checkpoints present before the restore are kept beside them, renamed).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Final

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from psycopg.conninfo import make_conninfo

from vern.audit import checkpoints as audit_checkpoints
from vern.audit.verify import VerifyResult, verify_log
from vern.ops import tables
from vern.ops.crypto import (
    BackupCryptoError,
    DecryptingReader,
    EncryptingWriter,
    Header,
    TamperedError,
    check_secret,
)

MANIFEST_FORMAT: Final = "vern-backup-manifest/1"
SQLITE_MEMBER: Final = "database/vern.sqlite3"
PG_MEMBER: Final = "database/vern.pgdump"
MANIFEST_MEMBER: Final = "manifest.json"
FILES_PREFIX: Final = "files/"
CHECKPOINTS_MEMBER: Final = "audit-checkpoints/" + audit_checkpoints.FILE_NAME
SUFFIX: Final = ".vernbk"
_COPY: Final = 1024 * 1024


class BackupError(Exception):
    """The backup could not be made; nothing was written at the output path."""


class RestoreRefusedError(Exception):
    """The archive was not restored (wrong key, altered file, wrong database...): nothing
    changed."""


class RestoreError(Exception):
    """Restoring failed part-way or the result does not verify: the message says what."""


# --------------------------------------------------------------------------------- helpers


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sqlite_path(settings_dict: dict[str, Any]) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        msg = "an in-memory SQLite database cannot be backed up or restored"
        raise BackupError(msg)
    return Path(name).resolve()


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: the password travels in PGPASSWORD, never on
    the command line; PGOPTIONS lets the dump see every centre's rows (row-level security)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = settings_dict.get(key)
        if value:
            env[var] = str(value)
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c vern.scope=all").strip()
    env["PGAPPNAME"] = "vern-ops"
    return env


def pg_connect(settings_dict: dict[str, Any], **kwargs: Any) -> psycopg.Connection[Any]:
    params = {
        "dbname": settings_dict.get("NAME") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "application_name": "vern-ops",
    }
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        params["sslmode"] = options["sslmode"]
    conninfo = make_conninfo(**{k: v for k, v in params.items() if v is not None})
    return psycopg.connect(conninfo, **kwargs)


def _run(cmd: list[str], *, env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(  # noqa: S603  (fixed argv, no shell)
            cmd, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        msg = f"{cmd[0]} is not installed (needed for {what}); install the PostgreSQL client"
        raise BackupError(msg) from None
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        msg = f"{what} failed ({cmd[0]} exit {done.returncode}):\n{tail}"
        raise BackupError(msg)


def _audit_head(cursor: tables.Cursor) -> dict[str, object]:
    cursor.execute('SELECT "seq", "hash" FROM "audit_auditevent" ORDER BY "seq" DESC LIMIT 1')
    rows = cursor.fetchall()
    if not rows:
        return {"seq": 0, "hash": None}
    return {"seq": int(rows[0][0]), "hash": str(rows[0][1])}


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{size} B"
        value /= 1024
    return f"{size} B"  # pragma: no cover


# --------------------------------------------------------------------------------- backup


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    vendor: str
    tables: int
    rows: int
    files: int
    audit_seq: int

    @property
    def size_text(self) -> str:
        return _human(self.size)


@dataclass
class _Snapshot:
    dump: Path
    member: str
    checksums: dict[str, tables.TableSum]
    audit_head: dict[str, object]


def _snapshot_sqlite(settings_dict: dict[str, Any], staging: Path) -> _Snapshot:
    source_path = _sqlite_path(settings_dict)
    if not source_path.exists():
        msg = f"the SQLite database {source_path} does not exist"
        raise BackupError(msg)
    dump = staging / "vern.sqlite3"
    source = sqlite3.connect(source_path, timeout=60)
    try:
        target = sqlite3.connect(dump)
        try:
            # One step (pages=-1): the whole database is copied under one read transaction,
            # a consistent snapshot; in WAL mode the app's writers are not blocked meanwhile.
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
            check = target.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                msg = f"the database copy fails PRAGMA integrity_check: {check[:5]}"
                raise BackupError(msg)
            cursor = target.cursor()
            checksums = tables.table_checksums(cursor, "sqlite")
            head = _audit_head(cursor)
        finally:
            target.close()
    finally:
        source.close()
    return _Snapshot(dump=dump, member=SQLITE_MEMBER, checksums=checksums, audit_head=head)


def _snapshot_postgres(settings_dict: dict[str, Any], staging: Path) -> _Snapshot:
    dump = staging / "vern.pgdump"
    try:
        conn = pg_connect(settings_dict)
    except psycopg.Error as exc:
        msg = f"cannot connect to PostgreSQL: {exc}"
        raise BackupError(msg) from None
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            # pg_dump reads the very snapshot the checksums are computed in.
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None  # noqa: S101
            snapshot = str(row[0])
            checksums = tables.table_checksums(cursor, "postgresql")
            head = _audit_head(cursor)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--compress=6",
                    f"--snapshot={snapshot}",
                    "--enable-row-security",
                    "--no-password",
                    f"--file={dump}",
                ],
                env=pg_env(settings_dict),
                what="pg_dump",
            )
        conn.rollback()
    finally:
        conn.close()
    return _Snapshot(dump=dump, member=PG_MEMBER, checksums=checksums, audit_head=head)


class _HashingReader:
    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> str:
    """Add one file; returns its SHA-256 (computed while it is copied)."""
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mode = 0o600
        info.mtime = int(stat.st_mtime)
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return reader.digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def _checkpoints_up_to(seq: int) -> bytes:
    """The audit checkpoints that the snapshot's chain (head ``seq``) can satisfy: a checkpoint
    written after the snapshot names events the backup does not hold."""
    try:
        text = audit_checkpoints.checkpoint_path().read_text(encoding="ascii", errors="replace")
    except (FileNotFoundError, NotADirectoryError):
        return b""
    except OSError as exc:
        msg = f"cannot read the audit checkpoints: {exc}"
        raise BackupError(msg) from None
    return audit_checkpoints.lines_up_to(text, seq).encode("ascii")


def default_output(vendor: str, now: dt.datetime) -> Path:
    directory = Path(settings.DATA_DIR) / "backups"
    return directory / f"vern-{vendor}-{now:%Y%m%dT%H%M%SZ}{SUFFIX}"


def create_backup(
    *, output: Path | None = None, secret: str | None = None, using: str = DEFAULT_DB_ALIAS
) -> BackupResult:
    """Snapshot the database, add MEDIA_ROOT and a manifest, encrypt, write atomically."""
    started = time.monotonic()
    key = check_secret(secret if secret is not None else settings.VERN_BACKUP_KEY)
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        msg = f"backups support SQLite and PostgreSQL, not {vendor}"
        raise BackupError(msg)
    now = _utc_now()
    output = (output or default_output(vendor, now)).expanduser().resolve()
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if output.exists():
        msg = f"{output} exists already; choose another --output"
        raise BackupError(msg)
    created_at = now.strftime("%Y-%m-%dT%H:%M:%SZ")

    with tempfile.TemporaryDirectory(prefix=".vern-backup-", dir=output.parent) as tmp:
        staging = Path(tmp)
        if vendor == "sqlite":
            snap = _snapshot_sqlite(connection.settings_dict, staging)
        else:
            snap = _snapshot_postgres(connection.settings_dict, staging)

        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        files: dict[str, str] = {}
        try:
            with os.fdopen(fd, "wb") as out:
                enc = EncryptingWriter(out, secret=key, vendor=vendor, created_at=created_at)
                with (
                    gzip.GzipFile(fileobj=enc, mode="wb", compresslevel=6, mtime=0) as gz,
                    tarfile.open(fileobj=gz, mode="w|", format=tarfile.PAX_FORMAT) as tar,
                ):
                    _add_file(tar, snap.member, snap.dump)
                    snap.dump.unlink()
                    for relative, path in _media_files(_media_root()):
                        files[relative] = _add_file(tar, FILES_PREFIX + relative, path)
                    checkpoint_lines = _checkpoints_up_to(
                        int(snap.audit_head["seq"] or 0)  # type: ignore[call-overload]
                    )
                    _add_bytes(tar, CHECKPOINTS_MEMBER, checkpoint_lines)
                    manifest = {
                        "format": MANIFEST_FORMAT,
                        "vendor": vendor,
                        "created_at": created_at,
                        "database": snap.member,
                        "tables": {k: v.to_json() for k, v in sorted(snap.checksums.items())},
                        "audit_head": snap.audit_head,
                        "files": files,
                        "checkpoints": hashlib.sha256(checkpoint_lines).hexdigest(),
                    }
                    _add_bytes(
                        tar,
                        MANIFEST_MEMBER,
                        json.dumps(manifest, sort_keys=True, indent=1).encode("utf-8"),
                    )
                enc.close()
                out.flush()
                os.fsync(out.fileno())
            partial.replace(output)
            _fsync_dir(output.parent)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    return BackupResult(
        path=output,
        size=output.stat().st_size,
        seconds=time.monotonic() - started,
        vendor=vendor,
        tables=len(snap.checksums),
        rows=sum(t.rows for t in snap.checksums.values()),
        files=len(files),
        audit_seq=int(snap.audit_head["seq"] or 0),  # type: ignore[call-overload]
    )


# --------------------------------------------------------------------------------- restore


@dataclass
class Staged:
    """A decrypted, authenticated archive unpacked in a private directory."""

    header: Header
    manifest: dict[str, Any]
    directory: Path
    dump: Path
    files_dir: Path
    expected: dict[str, tables.TableSum]
    checkpoints: Path | None = None  # the archive's audit checkpoints (None: an older archive)


@dataclass
class RestoreResult:
    vendor: str
    created_at: str
    seconds: float
    decrypt_seconds: float
    apply_seconds: float
    verify_seconds: float
    tables: int
    rows: int
    files: int
    chain: VerifyResult
    table_problems: list[str] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.table_problems and not self.file_problems


def _safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        msg = f"the archive holds an unsafe path {name!r}"
        raise TamperedError(msg)
    return path


def _copy(source: IO[bytes], target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(source, out, _COPY)
        out.flush()
        os.fsync(out.fileno())


def stage_archive(path: Path, *, secret: bytes, staging: Path, vendor: str) -> Staged:
    """Decrypt, authenticate and unpack ``path`` into ``staging`` (which must be empty)."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror}"
        raise RestoreRefusedError(msg) from None
    files_dir = staging / "files"
    files_dir.mkdir(mode=0o700)
    with handle:
        try:
            reader = DecryptingReader(handle, secret=secret)
        except BackupCryptoError as exc:
            raise RestoreRefusedError(str(exc)) from None
        if reader.header.vendor != vendor:
            msg = (
                f"this backup is of a {reader.header.vendor} database, but Vern is configured "
                f"for {vendor}; nothing was restored"
            )
            raise RestoreRefusedError(msg)
        try:
            unpacked = _unpack(reader, staging=staging, files_dir=files_dir)
            reader.read_to_end()
        except BackupCryptoError as exc:
            raise RestoreRefusedError(str(exc)) from None
        except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile) as exc:
            msg = f"the archive's content is unreadable ({exc}); nothing was restored"
            raise RestoreRefusedError(msg) from None
    if unpacked.manifest is None or unpacked.dump is None:
        msg = "the archive lacks its manifest or database dump; nothing was restored"
        raise RestoreRefusedError(msg)
    manifest, expected = _read_manifest(unpacked.manifest, vendor=vendor)
    if unpacked.checkpoints is not None:
        with unpacked.checkpoints.open("rb") as source:
            digest = hashlib.file_digest(source, "sha256").hexdigest()
        if digest != manifest.get("checkpoints"):
            msg = "the archive's audit checkpoints do not match its manifest"
            raise RestoreRefusedError(msg)
    return Staged(
        header=reader.header,
        manifest=manifest,
        directory=staging,
        dump=unpacked.dump,
        files_dir=files_dir,
        expected=expected,
        checkpoints=unpacked.checkpoints,
    )


@dataclass
class _Unpacked:
    """What ``_unpack`` found in the archive (None: the member was missing)."""

    manifest: bytes | None = None
    dump: Path | None = None
    checkpoints: Path | None = None


def _unpack(reader: DecryptingReader, *, staging: Path, files_dir: Path) -> _Unpacked:
    """Stream the decrypted tar into ``staging``; any member Vern does not write is tampering."""
    found = _Unpacked()
    with (
        gzip.GzipFile(fileobj=reader, mode="rb") as gz,  # type: ignore[call-overload]
        tarfile.open(fileobj=gz, mode="r|") as tar,
    ):
        for member in tar:
            name = _safe_member_path(member.name)
            if member.isdir():
                continue
            if not member.isfile():
                msg = f"the archive holds a non-regular file {member.name!r}"
                raise TamperedError(msg)
            source = tar.extractfile(member)
            assert source is not None  # noqa: S101
            if member.name == MANIFEST_MEMBER:
                found.manifest = source.read()
            elif member.name in {SQLITE_MEMBER, PG_MEMBER}:
                found.dump = staging / name.name
                _copy(source, found.dump)
            elif member.name == CHECKPOINTS_MEMBER:
                found.checkpoints = staging / audit_checkpoints.FILE_NAME
                _copy(source, found.checkpoints)
            elif member.name.startswith(FILES_PREFIX):
                target = files_dir.joinpath(*name.parts[1:])
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                _copy(source, target)
            else:
                msg = f"the archive holds an unexpected member {member.name!r}"
                raise TamperedError(msg)
    return found


def _read_manifest(raw: bytes, *, vendor: str) -> tuple[dict[str, Any], dict[str, tables.TableSum]]:
    """The manifest and its table checksums; RestoreRefusedError when it is not Vern's."""
    try:
        manifest = json.loads(raw)
        expected = tables.from_json(manifest.get("tables"))
    except (ValueError, TypeError, AttributeError) as exc:
        msg = f"the archive's manifest is not valid ({exc}); nothing was restored"
        raise RestoreRefusedError(msg) from None
    if (
        manifest.get("format") != MANIFEST_FORMAT
        or manifest.get("vendor") != vendor
        or not isinstance(manifest.get("files"), dict)
    ):
        msg = "the archive's manifest is not valid (format, vendor or file list)"
        raise RestoreRefusedError(msg) from None
    return manifest, expected


def _install_checkpoints(staged: Staged, now: dt.datetime) -> None:
    """Put the archive's checkpoints in place. The ones there before (which may name events
    newer than the backup) are kept beside them, renamed, never deleted."""
    target = audit_checkpoints.checkpoint_path()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if target.exists():
        target.replace(target.with_name(f"{target.name}.before-restore-{now:%Y%m%dT%H%M%SZ}"))
    if staged.checkpoints is not None:
        tmp = target.with_name(f".{target.name}.restoring")
        with staged.checkpoints.open("rb") as source:
            _copy(source, tmp)
        tmp.replace(target)
    _fsync_dir(target.parent)


def _sqlite_install(staged: Staged, target: Path) -> None:
    """Check the staged copy, then replace the database file atomically."""
    conn = sqlite3.connect(staged.dump)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            msg = f"the backup's database fails PRAGMA integrity_check: {check[:5]}"
            raise RestoreRefusedError(msg)
        problems = tables.compare(staged.expected, tables.table_checksums(conn.cursor(), "sqlite"))
        if problems:
            msg = "the backup's database does not match its manifest: " + "; ".join(problems[:5])
            raise RestoreRefusedError(msg)
    finally:
        conn.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        # Fold the old write-ahead log into the old file, so that removing it loses nothing
        # that is still in use. A busy result means another process has the database open.
        old = sqlite3.connect(target, timeout=5)
        try:
            busy = old.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.DatabaseError:
            busy = None  # a damaged database: it is being replaced anyway
        finally:
            old.close()
        if busy is not None and busy[0]:
            msg = (
                f"the database {target} is in use by another process (checkpoint busy): stop "
                "the Vern server and every worker first; nothing was restored"
            )
            raise RestoreRefusedError(msg)
    fd, tmp_name = tempfile.mkstemp(prefix=".vern-restore-", suffix=".sqlite3", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, staged.dump.open("rb") as source:
            shutil.copyfileobj(source, out, _COPY)
            out.flush()
            os.fsync(out.fileno())
        tmp.chmod(0o600)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        tmp.replace(target)
        _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _postgres_install(staged: Staged, settings_dict: dict[str, Any]) -> None:
    try:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={settings_dict['NAME']}",
                str(staged.dump),
            ],
            env=pg_env(settings_dict),
            what="pg_restore",
        )
    except BackupError as exc:
        msg = f"{exc}\n(--single-transaction: the database was left as it was)"
        raise RestoreError(msg) from None


def _install_files(staged: Staged, media_root: Path) -> None:
    """Swap MEDIA_ROOT for the restored files (renames on one file system)."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    old = staged.directory / "old-files"
    if media_root.exists():
        media_root.replace(old)
    staged.files_dir.replace(media_root)
    _fsync_dir(media_root.parent)


def _file_problems(manifest_files: dict[str, str], media_root: Path) -> list[str]:
    problems: list[str] = []
    present = dict(_media_files(media_root))
    for relative, digest in sorted(manifest_files.items()):
        path = present.pop(relative, None)
        if path is None:
            problems.append(f"{relative}: missing")
            continue
        with path.open("rb") as handle:
            if hashlib.file_digest(handle, "sha256").hexdigest() != digest:
                problems.append(f"{relative}: content differs")
    problems.extend(f"{relative}: not in the backup" for relative in sorted(present))
    return problems


def live_checksums(using: str = DEFAULT_DB_ALIAS) -> dict[str, tables.TableSum]:
    """Every table of the configured database, as the manifest records them."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        # A plain sqlite3 connection: Django's converters would turn text into datetimes.
        conn = sqlite3.connect(_sqlite_path(connection.settings_dict), timeout=60)
        try:
            conn.execute("BEGIN")  # one read snapshot for every table
            return tables.table_checksums(conn.cursor(), "sqlite")
        finally:
            conn.close()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        return tables.table_checksums(cursor, connection.vendor)


def restore_backup(
    path: Path,
    *,
    secret: str | None = None,
    using: str = DEFAULT_DB_ALIAS,
    confirm: Callable[[Staged], bool] | None = None,
) -> RestoreResult:
    """Restore ``path`` over the configured database and MEDIA_ROOT, then verify.

    Raises RestoreRefusedError (nothing changed) or RestoreError; returns the verification result
    (``result.ok`` is False when the chain, a table or a file does not verify)."""
    started = time.monotonic()
    try:
        key = check_secret(secret if secret is not None else settings.VERN_BACKUP_KEY)
    except BackupCryptoError as exc:
        raise RestoreRefusedError(str(exc)) from None
    connection = connections[using]
    vendor = connection.vendor
    settings_dict = connection.settings_dict
    target = _sqlite_path(settings_dict) if vendor == "sqlite" else None
    media_root = _media_root()
    media_root.parent.mkdir(parents=True, exist_ok=True)

    staging = Path(tempfile.mkdtemp(prefix=".vern-restore-", dir=media_root.parent))
    try:
        staged = stage_archive(path, secret=key, staging=staging, vendor=vendor)
        decrypted = time.monotonic()
        if confirm is not None and not confirm(staged):
            msg = "not confirmed; nothing was restored"
            raise RestoreRefusedError(msg)
        connections.close_all()
        if target is not None:
            _sqlite_install(staged, target)
        else:
            _postgres_install(staged, settings_dict)
        _install_files(staged, media_root)
        _install_checkpoints(staged, _utc_now())
        applied = time.monotonic()
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    chain = verify_log(using=using)
    table_problems = tables.compare(staged.expected, live_checksums(using))
    file_problems = _file_problems(staged.manifest["files"], media_root)
    done = time.monotonic()
    return RestoreResult(
        vendor=vendor,
        created_at=staged.header.created_at,
        seconds=done - started,
        decrypt_seconds=decrypted - started,
        apply_seconds=applied - decrypted,
        verify_seconds=done - applied,
        tables=len(staged.expected),
        rows=sum(t.rows for t in staged.expected.values()),
        files=len(staged.manifest["files"]),
        chain=chain,
        table_problems=table_problems,
        file_problems=file_problems,
    )
