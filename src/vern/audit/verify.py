"""Walking the chain: is every event intact, in order, and is the head the one anchored and
checkpointed? ``verify_log`` adds the signed checkpoints kept outside the database and the
"empty log while cases exist" check (issue 15 point 5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import Final

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper

from vern.audit.chain import GENESIS_HASH, audit_key, canonical_details
from vern.audit.checkpoints import Checkpoint, all_checkpoints
from vern.audit.models import AuditEvent

ANCHOR_FORMAT: Final = "vern-audit-anchor/1"
DEFAULT_BATCH: Final = 20_000
DETAILS_CACHE_SIZE: Final = 4096
_HEX64_CHARS: Final = frozenset("0123456789abcdef")


class Problem(StrEnum):
    """Why verification failed; each names the first broken sequence number."""

    START = "start"  # an event numbered below 1 (inserted before the first)
    GAP = "gap"  # a missing sequence number: a deleted event
    PREV_HASH = "prev_hash"  # the link to the previous event is wrong: inserted or reordered
    HASH = "hash"  # the event's content does not match its hash: edited
    UNREADABLE = "unreadable"  # a column holds something no writer produces (edited)
    TRUNCATED = "truncated"  # the chain ends before the anchored head
    ANCHOR_MISMATCH = "anchor_mismatch"  # the anchored event's hash differs
    CHECKPOINT_TRUNCATED = "checkpoint_truncated"  # shorter than the last signed checkpoint
    CHECKPOINT_MISMATCH = "checkpoint_mismatch"  # the checkpointed event's hash differs
    CHECKPOINT_INVALID = "checkpoint_invalid"  # a checkpoint line is not validly signed
    EMPTY_WITH_CASES = "empty_with_cases"  # no events, yet cases exist


PROBLEM_TEXT: Final = {
    Problem.START: "an event is numbered before the first one (inserted row)",
    Problem.GAP: "sequence number missing (deleted row)",
    Problem.PREV_HASH: "prev_hash does not link to the previous event (inserted or reordered row)",
    Problem.HASH: "hash does not match the event's content (edited row)",
    Problem.UNREADABLE: "a column holds an unreadable value (edited row)",
    Problem.TRUNCATED: "the chain ends before the anchored head (truncated tail)",
    Problem.ANCHOR_MISMATCH: "the anchored event's hash differs from the anchor",
    Problem.CHECKPOINT_TRUNCATED: (
        "the chain ends before the last signed checkpoint (deleted events at the tail)"
    ),
    Problem.CHECKPOINT_MISMATCH: (
        "the event's hash differs from a signed checkpoint (rewritten event or log)"
    ),
    Problem.CHECKPOINT_INVALID: "a checkpoint is not validly signed (edited or forged)",
    Problem.EMPTY_WITH_CASES: "the log is empty although cases exist (deleted log)",
}


@dataclass(frozen=True)
class Anchor:
    """The head of the chain at some moment, kept outside the database."""

    seq: int
    hash: str

    def to_json(self, *, at: str | None = None) -> str:
        data: dict[str, object] = {"format": ANCHOR_FORMAT, "seq": self.seq, "hash": self.hash}
        if at is not None:
            data["at"] = at
        return json.dumps(data, sort_keys=True, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"the anchor is not JSON: {exc}"
            raise ValueError(msg) from exc
        if not isinstance(data, dict) or data.get("format") != ANCHOR_FORMAT:
            msg = f"the anchor is not a {ANCHOR_FORMAT} document"
            raise ValueError(msg)
        seq, hash_ = data.get("seq"), data.get("hash")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            msg = "the anchor's seq must be a non-negative integer"
            raise ValueError(msg)
        if not isinstance(hash_, str) or len(hash_) != 64 or not set(hash_) <= _HEX64_CHARS:
            msg = "the anchor's hash must be 64 lowercase hex characters"
            raise ValueError(msg)
        return cls(seq=seq, hash=hash_)

    @classmethod
    def read(cls, path: Path) -> Anchor:
        return cls.from_json(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # events whose hash was checked and found good
    first_broken_seq: int | None = None
    problem: Problem | None = None
    head: Anchor = Anchor(seq=0, hash=GENESIS_HASH)  # the last good event
    detail: str = ""  # more about the problem (which checkpoint line, how many cases)
    checkpoints: int = 0  # signed checkpoints checked against the chain
    last_checkpoint: Checkpoint | None = field(default=None, compare=False)
    # ``--since-checkpoint``: the walk started after this checkpoint's event (None: from #1).
    since: Checkpoint | None = field(default=None, compare=False)

    @property
    def message(self) -> str:
        if self.ok:
            if self.since is not None:
                text = (
                    f"audit chain intact since checkpoint #{self.since.seq} of {self.since.at}: "
                    f"{self.checked} events after it checked, head #{self.head.seq}"
                )
            else:
                text = f"audit chain intact: {self.checked} events, head #{self.head.seq}"
            if self.last_checkpoint is not None:
                text += (
                    f"; {self.checkpoints} checkpoints hold, the last #{self.last_checkpoint.seq}"
                    f" at {self.last_checkpoint.at}"
                )
            return text
        assert self.problem is not None  # noqa: S101  (ok=False always names a problem)
        where = f" at seq {self.first_broken_seq}" if self.first_broken_seq is not None else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"audit chain broken{where}: {PROBLEM_TEXT[self.problem]}{detail}"


def _details(text: object) -> str:
    """The canonical JSON of a stored ``details`` value (read as text on every database)."""
    if not isinstance(text, str):
        raise TypeError
    value = json.loads(text)
    if not isinstance(value, dict):
        raise TypeError
    return canonical_details(value)


def _columns(vendor: str, qn: Callable[[str], str]) -> str:
    """The select list. The database already renders what is cheap for it to render: the time
    as ``YYYY-MM-DDTHH:MM:SS.ffffff`` in UTC, the foreign keys as text or ``null``, and
    ``details`` as text. A tampered value renders differently and fails the hash."""
    at = qn("at")
    if vendor == "postgresql":
        at_text = f"to_char({at} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
    else:
        # Django stores naive UTC as text and leaves out a zero fraction of a second.
        at_text = (
            f"CASE WHEN length({at}) = 19 THEN replace({at}, ' ', 'T') || '.000000' "
            f"ELSE replace({at}, ' ', 'T') END"
        )
    nullable_int = "COALESCE(CAST({} AS TEXT), 'null')"
    return ", ".join(
        [
            qn("seq"),
            at_text,
            nullable_int.format(qn("actor_id")),
            qn("actor_role"),
            nullable_int.format(qn("centre_id")),
            qn("action"),
            qn("object_type"),
            qn("object_id"),
            qn("request_id"),
            qn("reason"),
            f"CAST({qn('details')} AS TEXT)",
            qn("prev_hash"),
            qn("hash"),
        ]
    )


def verify_chain(
    *,
    anchor: Anchor | None = None,
    using: str = DEFAULT_DB_ALIAS,
    batch_size: int = DEFAULT_BATCH,
    key: bytes | None = None,
    checkpoints: Sequence[Checkpoint] = (),
    since: Checkpoint | None = None,
) -> VerifyResult:
    """Walk every event in ``seq`` order (keyset pagination, raw rows) and recompute its hash.

    Stops at the first problem. With ``anchor``, the event at ``anchor.seq`` must exist and
    carry ``anchor.hash``: this catches a deleted tail, which the chain alone cannot show.
    ``checkpoints`` (signed, already checked) do the same for every checkpointed head.

    With ``since`` (a signed checkpoint, already checked), only the events after
    ``since.seq`` are walked, starting from the checkpoint's hash as the previous one: the
    signed checkpoint stands for the chain up to it (it commits to events 1..seq as a signed
    tree head does). The events the walk skips are not rehashed; the checkpointed event
    itself, every other checkpointed event and the anchored event before it are looked up by
    ``seq`` (one query per 1,000) and must still carry the hash their checkpoint names.
    """
    key = audit_key() if key is None else key
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(AuditEvent._meta.db_table)
    columns = _columns(connection.vendor, qn)
    start = since.seq if since is not None else 0
    next_page = (
        f"SELECT {columns} FROM {table} WHERE {qn('seq')} > %s "  # noqa: S608
        f"ORDER BY {qn('seq')} LIMIT %s"
    )
    # The full walk starts at the very first row (one numbered below 1 is caught too).
    first_page, first_args = (
        (f"SELECT {columns} FROM {table} ORDER BY {qn('seq')} LIMIT %s", [batch_size])  # noqa: S608
        if since is None
        else (next_page, [start, batch_size])
    )

    enc = encode_basestring_ascii
    digest = hmac.digest
    sha256 = hashlib.sha256
    expected = start + 1
    prev = since.hash if since is not None else GENESIS_HASH
    anchor_seq = anchor.seq if anchor is not None else -1
    # Details repeat a lot (``{}``, ``{"format": "pdf"}``): canonicalise each text once.
    details_cache: dict[str, str] = {"{}": "{}"}
    # seq -> the hashes checkpoints give it (two different ones cannot both hold).
    wanted: dict[int, set[str]] = {}
    for checkpoint in checkpoints:
        wanted.setdefault(checkpoint.seq, set()).add(checkpoint.hash)
    last_checkpoint = max(checkpoints, key=lambda c: (c.seq, c.at), default=None)

    def broken(seq: int, problem: Problem, detail: str = "") -> VerifyResult:
        return VerifyResult(
            ok=False,
            checked=expected - 1 - start,
            first_broken_seq=seq,
            problem=problem,
            head=Anchor(seq=expected - 1, hash=prev),
            detail=detail,
            checkpoints=len(checkpoints),
            last_checkpoint=last_checkpoint,
            since=since,
        )

    with connection.cursor() as cursor:
        failed = (
            None
            if since is None
            else _check_points(
                cursor,
                table=table,
                qn=qn,
                wanted=wanted,
                anchor=anchor,
                since=since,
                checkpoints=len(checkpoints),
                last_checkpoint=last_checkpoint,
            )
        )
        if failed is not None:
            return failed
        cursor.execute(first_page, first_args)
        while True:
            rows = cursor.fetchall()
            if not rows:
                break
            for (
                seq,
                at,
                actor_id,
                actor_role,
                centre_id,
                action,
                object_type,
                object_id,
                request_id,
                reason,
                details,
                prev_hash,
                hash_,
            ) in rows:
                if seq != expected:
                    if not isinstance(seq, int) or isinstance(seq, bool):
                        return broken(expected, Problem.UNREADABLE)
                    return broken(
                        min(seq, expected), Problem.GAP if seq > expected else Problem.START
                    )
                if prev_hash != prev:
                    return broken(seq, Problem.PREV_HASH)
                try:
                    canonical_details_ = details_cache.get(details)
                    if canonical_details_ is None:
                        canonical_details_ = _details(details)
                        if len(details_cache) < DETAILS_CACHE_SIZE:
                            details_cache[details] = canonical_details_
                    message = (
                        f'{prev}{{"action":{enc(action)},"actor_id":{actor_id},'
                        f'"actor_role":{enc(actor_role)},"at":"{at}+00:00",'
                        f'"centre_id":{centre_id},"details":{canonical_details_},'
                        f'"object_id":{enc(object_id)},"object_type":{enc(object_type)},'
                        f'"reason":{enc(reason)},"request_id":{enc(request_id)},"seq":{seq}}}'
                    ).encode("ascii")
                except (TypeError, ValueError, UnicodeError):  # JSONDecodeError is a ValueError
                    return broken(seq, Problem.UNREADABLE)
                if digest(key, message, sha256).hex() != hash_:
                    return broken(seq, Problem.HASH)
                if seq == anchor_seq and hash_ != anchor.hash:  # type: ignore[union-attr]
                    return broken(seq, Problem.ANCHOR_MISMATCH)
                if seq in wanted and wanted[seq] != {hash_}:
                    return broken(seq, Problem.CHECKPOINT_MISMATCH)
                prev = hash_
                expected += 1
            cursor.execute(next_page, [rows[-1][0], batch_size])

    if anchor is not None:
        head = expected - 1
        if anchor.seq > head:
            return broken(head + 1, Problem.TRUNCATED)
        if anchor.seq == 0 and anchor.hash != GENESIS_HASH:
            return broken(0, Problem.ANCHOR_MISMATCH)
    if last_checkpoint is not None and last_checkpoint.seq > expected - 1:
        return broken(
            expected,
            Problem.CHECKPOINT_TRUNCATED,
            f"checkpoint of {last_checkpoint.at} names #{last_checkpoint.seq}, "
            f"the chain ends at #{expected - 1}",
        )
    return VerifyResult(
        ok=True,
        checked=expected - 1 - start,
        head=Anchor(seq=expected - 1, hash=prev),
        checkpoints=len(checkpoints),
        last_checkpoint=last_checkpoint,
        since=since,
    )


def _check_points(
    cursor: CursorWrapper,
    *,
    table: str,
    qn: Callable[[str], str],
    wanted: dict[int, set[str]],
    anchor: Anchor | None,
    since: Checkpoint,
    checkpoints: int,
    last_checkpoint: Checkpoint | None,
) -> VerifyResult | None:
    """Before an incremental walk: every checkpointed (and the anchored) event up to ``since``
    still exists and carries the hash named for it. None when they all do."""
    points = {seq: set(hashes) for seq, hashes in wanted.items() if 0 < seq <= since.seq}
    if anchor is not None and 0 < anchor.seq <= since.seq:
        points.setdefault(anchor.seq, set()).add(anchor.hash)
    found = _point_lookup(cursor, table, qn, sorted(points))
    for seq in sorted(points):
        if seq not in found:
            # The checkpointed (or anchored) event is gone: the log was cut or rewritten.
            problem = Problem.CHECKPOINT_TRUNCATED if seq == since.seq else Problem.GAP
            detail = f"event #{seq}, named by a signed checkpoint, does not exist"
        elif points[seq] != {found[seq]}:
            in_checkpoint = seq in wanted and wanted[seq] != {found[seq]}
            problem = Problem.CHECKPOINT_MISMATCH if in_checkpoint else Problem.ANCHOR_MISMATCH
            detail = ""
        else:
            continue
        return VerifyResult(
            ok=False,
            checked=0,
            first_broken_seq=seq,
            problem=problem,
            head=Anchor(seq=0, hash=GENESIS_HASH),
            detail=detail,
            checkpoints=checkpoints,
            last_checkpoint=last_checkpoint,
            since=since,
        )
    return None


def _point_lookup(
    cursor: CursorWrapper, table: str, qn: Callable[[str], str], seqs: Sequence[int]
) -> dict[int, str]:
    """seq -> stored hash of the events at ``seqs`` (absent ones are left out)."""
    found: dict[int, str] = {}
    for offset in range(0, len(seqs), 1000):
        chunk = list(seqs[offset : offset + 1000])
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"SELECT {qn('seq')}, {qn('hash')} FROM {table} "  # noqa: S608
            f"WHERE {qn('seq')} IN ({marks})",
            chunk,
        )
        found.update({int(seq): str(hash_) for seq, hash_ in cursor.fetchall()})
    return found


def cases_exist(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """How many cases the database holds (across every centre: the row-level-security scope
    'all', as the verification is not a web request)."""
    from vern.cases.models import Case
    from vern.centres.tenancy import system_scope

    with system_scope():
        return Case.objects.using(using).count()


def verify_log(
    *,
    anchor: Anchor | None = None,
    using: str = DEFAULT_DB_ALIAS,
    key: bytes | None = None,
    batch_size: int = DEFAULT_BATCH,
    since_checkpoint: bool = False,
) -> VerifyResult:
    """The whole verification: the chain, the optional anchor, every signed checkpoint (the
    database's and this node's VERN_AUDIT_CHECKPOINT_DIR), and "no events while cases
    exist". No person needs to have exported anything for a deleted tail or an emptied log to
    be found.

    ``since_checkpoint``: rehash only the events after the last signed checkpoint (every
    checkpoint must still be validly signed, and every checkpointed event must still carry
    its hash). With no checkpoint the whole chain is walked and the result's ``since`` is
    None, so the caller can say so."""
    found = all_checkpoints(using=using, key=key)
    if found.problems:
        return VerifyResult(
            ok=False,
            checked=0,
            problem=Problem.CHECKPOINT_INVALID,
            detail="; ".join(found.problems[:3]),
            checkpoints=len(found.checkpoints),
            last_checkpoint=found.last,
        )
    result = verify_chain(
        anchor=anchor,
        using=using,
        key=key,
        batch_size=batch_size,
        checkpoints=found.checkpoints,
        since=found.last if since_checkpoint else None,
    )
    if result.ok and result.head.seq == 0:
        cases = cases_exist(using=using)
        if cases:
            return VerifyResult(
                ok=False,
                checked=0,
                first_broken_seq=1,
                problem=Problem.EMPTY_WITH_CASES,
                detail=f"{cases} cases",
                checkpoints=result.checkpoints,
                last_checkpoint=result.last_checkpoint,
                since=result.since,
            )
    return result


def current_anchor(*, using: str = DEFAULT_DB_ALIAS) -> tuple[Anchor, dt.datetime | None]:
    """The head as stored (not verified): its seq, hash and time."""
    last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash", "at").first()
    if last is None:
        return Anchor(seq=0, hash=GENESIS_HASH), None
    return Anchor(seq=last[0], hash=last[1]), last[2]
