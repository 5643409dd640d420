"""``vern audit verify [--anchor FILE] [--since-checkpoint]``, ``vern audit checkpoint`` and
``vern audit anchor [--output FILE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, transaction

from vern.audit.actions import AuditAction
from vern.audit.chain import canonical_time
from vern.audit.checkpoints import checkpoint_path, write_checkpoint
from vern.audit.services import audit_record
from vern.audit.verify import Anchor, current_anchor, verify_chain, verify_log


class Command(BaseCommand):
    help = (
        "Verify the audit chain (against its signed checkpoints), write a checkpoint, or "
        "export its head (anchor) to keep outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,checkpoint,anchor}"
        )
        verify = sub.add_parser(
            "verify",
            help="Walk the chain; exit 0 when intact, 1 naming the first broken sequence number.",
        )
        verify.add_argument(
            "--anchor",
            type=Path,
            help="An anchor file from `vern audit anchor`: also detect a truncated tail.",
        )
        verify.add_argument(
            "--since-checkpoint",
            action="store_true",
            help="Rehash only the events after the last signed checkpoint (every checkpoint "
            "must still be validly signed and match its event); with no checkpoint, the "
            "whole chain.",
        )
        verify.add_argument(
            "--record",
            action="store_true",
            help="Append an audit_verified event with the result.",
        )
        sub.add_parser(
            "checkpoint",
            help="Verify the chain, then store a signed checkpoint of its head in the "
            "database and append it to VERN_AUDIT_CHECKPOINT_DIR (cron or a systemd timer).",
        )
        anchor = sub.add_parser(
            "anchor", help="Print (or write) the current head: sequence number and hash."
        )
        anchor.add_argument("--output", type=Path, help="Write the anchor to this file.")
        anchor.add_argument(
            "--skip-verify",
            action="store_true",
            help="Do not verify the chain before taking the anchor.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        using: str = options["database"]
        if options["subcommand"] == "verify":
            self._verify(
                using,
                options["anchor"],
                record=options["record"],
                since_checkpoint=options["since_checkpoint"],
            )
        elif options["subcommand"] == "checkpoint":
            self._checkpoint(using)
        else:
            self._anchor(using, options["output"], skip_verify=options["skip_verify"])

    def _verify(
        self, using: str, anchor_path: Path | None, *, record: bool, since_checkpoint: bool
    ) -> None:
        anchor = None
        if anchor_path is not None:
            try:
                anchor = Anchor.read(anchor_path)
            except (OSError, ValueError) as exc:
                msg = f"cannot read the anchor {anchor_path}: {exc}"
                raise CommandError(msg, returncode=2) from exc
        result = verify_log(anchor=anchor, using=using, since_checkpoint=since_checkpoint)
        if since_checkpoint and result.since is None and result.problem is None:
            self.stdout.write(
                f"no signed checkpoint in the database or in {checkpoint_path()}: verifying "
                "the whole chain instead (`vern audit checkpoint` writes one)"
            )
        if record:
            with transaction.atomic(using=using):
                audit_record(
                    action=AuditAction.AUDIT_VERIFIED,
                    details={
                        "ok": result.ok,
                        "checked": result.checked,
                        "first_broken_seq": result.first_broken_seq,
                        "anchored": anchor is not None,
                        "checkpoints": result.checkpoints,
                        "since_seq": result.since.seq if result.since is not None else None,
                    },
                )
        if not result.ok:
            raise CommandError(result.message, returncode=1)
        suffix = f" (anchor #{anchor.seq} matches)" if anchor is not None else ""
        self.stdout.write(f"{result.message} {result.head.hash}{suffix}")

    def _checkpoint(self, using: str) -> None:
        result = verify_log(using=using)
        if not result.ok:
            msg = f"{result.message}; refusing to checkpoint a broken chain"
            raise CommandError(msg, returncode=1)
        try:
            # Autocommit: the database's row stays even when this node's file cannot be
            # written (that is still exit status 2, to alert on).
            checkpoint = write_checkpoint(seq=result.head.seq, hash_=result.head.hash, using=using)
        except OSError as exc:
            msg = (
                f"checkpoint #{result.head.seq} stored in the database, but it cannot be "
                f"appended to {checkpoint_path()}: {exc}"
            )
            raise CommandError(msg, returncode=2) from exc
        self.stdout.write(
            f"checkpoint #{checkpoint.seq} {checkpoint.hash} at {checkpoint.at} "
            f"stored in the database and appended to {checkpoint_path()}"
        )

    def _anchor(self, using: str, output: Path | None, *, skip_verify: bool) -> None:
        if skip_verify:
            head, at = current_anchor(using=using)
        else:
            result = verify_chain(using=using)
            if not result.ok:
                msg = f"{result.message}; refusing to anchor a broken chain"
                raise CommandError(msg, returncode=1)
            head = result.head
            stored, at = current_anchor(using=using)
            if stored.seq != head.seq:  # appended meanwhile: anchor what was verified
                at = None
        text = head.to_json(at=canonical_time(at) if at is not None else None)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"anchor #{head.seq} {head.hash} written to {output}")
