"""``vern backup [--output FILE]``: a consistent, encrypted backup of the database and files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from vern.ops.backup import BackupError, create_backup
from vern.ops.crypto import BackupCryptoError


class Command(BaseCommand):
    help = (
        "Back up the database (online, consistent) and MEDIA_ROOT into one archive encrypted "
        "with VERN_BACKUP_KEY (AES-256-GCM). See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the archive (default: DATA_DIR/backups/vern-<db>-<time>.vernbk).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(output=options["output"], using=options["database"])
        except (BackupError, BackupCryptoError) as exc:
            raise CommandError(f"backup failed, nothing written: {exc}") from None
        self.stdout.write(f"backup written: {result.path}")
        self.stdout.write(f"  size: {result.size_text} ({result.size} bytes)")
        self.stdout.write(
            f"  database: {result.vendor}, {result.tables} tables, {result.rows} rows, "
            f"audit head #{result.audit_seq}"
        )
        self.stdout.write(f"  files: {result.files}")
        self.stdout.write(f"  time: {result.seconds:.2f} s")
