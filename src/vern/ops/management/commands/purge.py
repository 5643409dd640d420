"""``vern purge [--dry-run]``: delete closed cases whose retention period has run out.

Retention is VERN_RETENTION_DAYS after the case was closed (0 = never). Each purged case
leaves one ``case_purged`` audit event (ids and counts, no content). See docs/operations.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.ops import retention


class Command(BaseCommand):
    help = (
        "Delete closed cases older than VERN_RETENTION_DAYS, with every row and file that "
        "belongs to them; the audit log keeps only ids."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )
        parser.add_argument(
            "--vacuum",
            action="store_true",
            help="Afterwards rewrite the case tables so no deleted bytes stay in free space "
            "(locks them: run in a maintenance window).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        report = retention.purge_expired(dry_run=dry_run)
        if report.days <= 0:
            self.stdout.write("retention is off (VERN_RETENTION_DAYS=0): nothing purged")
            return
        assert report.cutoff is not None  # noqa: S101
        verb = "would purge" if dry_run else "purged"
        self.stdout.write(
            f"retention {report.days} days: cases closed on or before "
            f"{report.cutoff:%Y-%m-%d %H:%M} UTC are expired"
        )
        for plan in report.plans:
            counts = ", ".join(f"{label} {n}" for label, n in sorted(plan.counts().items()))
            self.stdout.write(
                f"  {verb} case #{plan.case_id} (centre #{plan.centre_id}, closed "
                f"{plan.closed_at:%Y-%m-%d}): {plan.row_count} rows, {len(plan.files)} files"
                f" [{counts}]"
            )
        files = sum(len(p.files) for p in report.plans)
        summary = f"{verb} {len(report.plans)} cases, {report.rows} rows, {files} files"
        if not dry_run:
            summary += f" ({report.files_deleted} deleted, {report.files_missing} already gone)"
        self.stdout.write(summary)
        if report.checkpoint_busy:
            self.stderr.write(
                "warning: the SQLite write-ahead log could not be checkpointed (the database "
                "is busy); deleted bytes stay in vern.sqlite3-wal until the next checkpoint"
            )
        if options["vacuum"] and not dry_run:
            retention.vacuum()
            self.stdout.write("vacuum done")
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"  not purged: {error}")
            msg = f"{len(report.errors)} case(s) could not be purged (nothing of them deleted)"
            raise CommandError(msg)
