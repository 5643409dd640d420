"""Signed checkpoints of the audit chain's head, kept outside the database (issue 15 point 5).

A checkpoint says "at time T the log held N events and event N had hash H", signed with a key
derived from the audit key (``HMAC-SHA256(VERN_AUDIT_KEY, "vern-audit-checkpoint/1")``, so a
checkpoint signature can never pass for an event hash or the other way round). It is the
analogue of a Certificate Transparency signed tree head (RFC 6962 section 3.5): the chain hash
of event N commits to events 1..N exactly as a Merkle tree head commits to its leaves, and the
consistency check (RFC 6962 section 2.1.2) becomes "the event at N still carries H", which
verification does for every checkpoint while it walks the chain (docs/audit.md).

Checkpoints are kept in two places (issue 20):

- rows of ``audit_auditcheckpoint``, in the database every app server and every backup shares:
  append-only on PostgreSQL (a trigger rejects UPDATE, DELETE and TRUNCATE, even the owner's;
  the runtime role has only SELECT and INSERT), written in the same transaction as every
  ``VERN_AUDIT_CHECKPOINT_EVERY``-th event, so a checkpoint never names a rolled-back event;
- lines of JSON appended to this node's ``VERN_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl``
  (opened with O_APPEND, one write per line under an exclusive lock, fsynced) after that
  commit: a copy outside the database, so that a database rolled back or emptied by someone
  who can bypass the trigger still fails verification on a node that kept its file.

``vern audit checkpoint`` (cron or a systemd timer) writes both after verifying the chain.
A failure to write the file never fails the event: it is logged, and the next N-th event (or
the next scheduled run) writes a newer checkpoint. Verification reads both, and every
checkpoint must hold. ``vern check`` warns when checkpoints fall behind.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from vern.audit.chain import GENESIS_HASH, audit_key, canonical_time
from vern.audit.models import AuditCheckpoint
from vern.core import clock

CHECKPOINT_FORMAT: Final = "vern-audit-checkpoint/1"
FILE_NAME: Final = "checkpoints.jsonl"
_KEY_LABEL: Final = b"vern-audit-checkpoint/1"
_HEX64_CHARS: Final = frozenset("0123456789abcdef")

logger = logging.getLogger(__name__)


class CheckpointError(Exception):
    """The checkpoint file holds a line that is not a valid, correctly signed checkpoint."""


def checkpoint_key(key: bytes | None = None) -> bytes:
    """The signing key: derived from the audit key, for this purpose only."""
    return hmac.digest(audit_key() if key is None else key, _KEY_LABEL, hashlib.sha256)


def checkpoint_dir() -> Path:
    return Path(settings.VERN_AUDIT_CHECKPOINT_DIR)


def checkpoint_path() -> Path:
    return checkpoint_dir() / FILE_NAME


def _signed_bytes(seq: int, hash_: str, at: str) -> bytes:
    return json.dumps(
        {"at": at, "format": CHECKPOINT_FORMAT, "hash": hash_, "seq": seq},
        sort_keys=True,
        separators=(",", ":"),
    ).encode("ascii")


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the number of events in the log (the head's seq)
    hash: str  # the head event's hash (GENESIS_HASH for an empty log)
    at: str  # when the checkpoint was taken, canonical UTC
    signature: str

    @classmethod
    def sign(cls, *, seq: int, hash_: str, at: dt.datetime, key: bytes | None = None) -> Checkpoint:
        at_text = canonical_time(at)
        signature = hmac.digest(
            checkpoint_key(key), _signed_bytes(seq, hash_, at_text), hashlib.sha256
        ).hex()
        return cls(seq=seq, hash=hash_, at=at_text, signature=signature)

    def to_line(self) -> str:
        data = {
            "at": self.at,
            "format": CHECKPOINT_FORMAT,
            "hash": self.hash,
            "seq": self.seq,
            "sig": self.signature,
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"

    @classmethod
    def from_line(cls, line: str, *, key: bytes | None = None) -> Checkpoint:
        try:
            data = json.loads(line)
        except ValueError as exc:
            msg = f"not JSON ({exc})"
            raise CheckpointError(msg) from None
        if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
            msg = f"not a {CHECKPOINT_FORMAT} line"
            raise CheckpointError(msg)
        seq, hash_, at, sig = data.get("seq"), data.get("hash"), data.get("at"), data.get("sig")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            msg = "seq is not a non-negative integer"
            raise CheckpointError(msg)
        for name, value in (("hash", hash_), ("sig", sig)):
            if not isinstance(value, str) or len(value) != 64 or not set(value) <= _HEX64_CHARS:
                msg = f"{name} is not 64 lowercase hex characters"
                raise CheckpointError(msg)
        if not isinstance(at, str) or not isinstance(hash_, str) or not isinstance(sig, str):
            msg = "at is not a time"
            raise CheckpointError(msg)
        expected = hmac.digest(
            checkpoint_key(key), _signed_bytes(seq, hash_, at), hashlib.sha256
        ).hex()
        if not hmac.compare_digest(expected, sig):
            msg = "the signature does not match (forged or edited checkpoint)"
            raise CheckpointError(msg)
        if seq == 0 and hash_ != GENESIS_HASH:
            msg = "an empty log's checkpoint must carry the genesis hash"
            raise CheckpointError(msg)
        return cls(seq=seq, hash=hash_, at=at, signature=sig)

    @property
    def taken_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.at)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def append_checkpoint(checkpoint: Checkpoint, *, path: Path | None = None) -> Path:
    """Append one line (O_APPEND, exclusive lock, fsync). Raises OSError on failure."""
    path = checkpoint_path() if path is None else path
    created = not path.exists()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        data = checkpoint.to_line().encode("ascii")
        written = os.write(fd, data)
        if written != len(data):
            msg = f"short write to {path}"
            raise OSError(msg)
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        _fsync_dir(path.parent)
    return path


@dataclass(frozen=True)
class CheckpointFile:
    checkpoints: list[Checkpoint]
    problems: list[str]  # complete lines that are not valid signed checkpoints
    torn_tail: bool  # an incomplete last line (a crash while writing): ignored

    @property
    def last(self) -> Checkpoint | None:
        """The checkpoint of the longest chain (files may hold them out of order)."""
        return max(self.checkpoints, key=lambda c: (c.seq, c.at), default=None)


def parse_lines(text: str, *, key: bytes | None = None) -> CheckpointFile:
    lines = text.split("\n")
    torn = lines[-1] != ""
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    for number, line in enumerate(lines[:-1], start=1):
        if not line.strip():
            continue
        try:
            checkpoints.append(Checkpoint.from_line(line, key=key))
        except CheckpointError as exc:
            problems.append(f"line {number}: {exc}")
    return CheckpointFile(checkpoints=checkpoints, problems=problems, torn_tail=torn)


def read_checkpoints(*, path: Path | None = None, key: bytes | None = None) -> CheckpointFile:
    """Every checkpoint in the file; an absent file is an empty list."""
    path = checkpoint_path() if path is None else path
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except (FileNotFoundError, NotADirectoryError):
        return CheckpointFile(checkpoints=[], problems=[], torn_tail=False)
    except OSError as exc:
        return CheckpointFile(
            checkpoints=[], problems=[f"cannot read {path}: {exc}"], torn_tail=False
        )
    return parse_lines(text, key=key)


def lines_up_to(text: str, seq: int) -> str:
    """The complete lines of a checkpoint file whose ``seq`` is at most ``seq`` (for a backup
    whose database snapshot ends at ``seq``: later checkpoints name events it does not hold)."""
    kept: list[str] = []
    for line in text.split("\n")[:-1]:
        try:
            value = json.loads(line).get("seq")
        except (ValueError, AttributeError):
            continue
        if isinstance(value, int) and not isinstance(value, bool) and value <= seq:
            kept.append(line + "\n")
    return "".join(kept)


def store_checkpoint(checkpoint: Checkpoint, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert the checkpoint into the shared, append-only table (the caller's transaction)."""
    AuditCheckpoint.objects.using(using).create(
        seq=checkpoint.seq, hash=checkpoint.hash, at=checkpoint.at, signature=checkpoint.signature
    )


def database_checkpoints(
    *, using: str = DEFAULT_DB_ALIAS, key: bytes | None = None
) -> CheckpointFile:
    """Every checkpoint row, each checked against its signature like a line of the file."""
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    rows = AuditCheckpoint.objects.using(using).order_by("seq", "id")
    for pk, seq, hash_, at, sig in rows.values_list("pk", "seq", "hash", "at", "signature"):
        line = json.dumps(
            {"at": at, "format": CHECKPOINT_FORMAT, "hash": hash_, "seq": seq, "sig": sig}
        )
        try:
            checkpoints.append(Checkpoint.from_line(line, key=key))
        except CheckpointError as exc:
            problems.append(f"checkpoint row {pk}: {exc}")
    return CheckpointFile(checkpoints=checkpoints, problems=problems, torn_tail=False)


def all_checkpoints(*, using: str = DEFAULT_DB_ALIAS, key: bytes | None = None) -> CheckpointFile:
    """The database's checkpoints and this node's file's, together (each must hold)."""
    stored = database_checkpoints(using=using, key=key)
    local = read_checkpoints(key=key)
    # A line of the file that copies a row is the same checkpoint: count it once.
    seen = set(stored.checkpoints)
    return CheckpointFile(
        checkpoints=stored.checkpoints + [c for c in local.checkpoints if c not in seen],
        problems=stored.problems + [f"{checkpoint_path()}: {p}" for p in local.problems],
        torn_tail=local.torn_tail,
    )


def write_checkpoint(
    *, seq: int, hash_: str, at: dt.datetime | None = None, using: str = DEFAULT_DB_ALIAS
) -> Checkpoint:
    """Sign a checkpoint of the head (seq, hash), insert it into the database and append it to
    this node's file. Raises OSError when the file cannot be written (the row is kept)."""
    checkpoint = Checkpoint.sign(seq=seq, hash_=hash_, at=at or clock.now())
    store_checkpoint(checkpoint, using=using)
    append_checkpoint(checkpoint)
    return checkpoint


def checkpoint_after_commit(checkpoint: Checkpoint) -> None:
    """``transaction.on_commit`` callback of every N-th event (whose transaction stored the
    row): append this node's copy. Never raises, only logs."""
    seq = checkpoint.seq
    try:
        append_checkpoint(checkpoint)
    except Exception:  # the event is committed; losing a checkpoint must not lose anything else
        logger.exception(
            "audit checkpoint at seq %s was not written to %s; the next one will be tried "
            "at seq %s (or by `vern audit checkpoint`)",
            seq,
            checkpoint_path(),
            seq + max(int(settings.VERN_AUDIT_CHECKPOINT_EVERY), 1),
        )


def expected_hashes(checkpoints: Iterable[Checkpoint]) -> dict[int, str]:
    """seq -> hash for verification; two checkpoints naming one seq with different hashes
    cannot both hold, and the walk reports the one that differs from the chain."""
    result: dict[int, str] = {}
    for checkpoint in checkpoints:
        result.setdefault(checkpoint.seq, checkpoint.hash)
    return result
