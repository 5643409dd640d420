"""``vern restore FILE [--yes]``: replace the database and files from a backup, then verify.

Exit status: 0 restored and verified; 1 restored but verification failed (audit chain broken,
a table or a file differs from the backup's manifest) or failed part-way; 2 refused, nothing
changed (wrong key, altered or damaged file, other database vendor, not confirmed)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from vern.ops.backup import RestoreError, RestoreRefusedError, Staged, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `vern backup` archive over the configured database and MEDIA_ROOT, then "
        "verify every table, every file and the audit chain. Stop the server first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .vernbk archive.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the data."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def _confirm(self, staged: Staged, using: str) -> bool:
        settings_dict = connections[using].settings_dict
        manifest = staged.manifest
        rows = sum(t.rows for t in staged.expected.values())
        self.stdout.write(
            f"The backup of {staged.header.created_at} ({len(staged.expected)} tables, {rows} "
            f"rows, {len(manifest['files'])} files, audit head "
            f"#{manifest.get('audit_head', {}).get('seq')}) is decrypted and intact."
        )
        self.stdout.write(
            f"Restoring REPLACES the database {settings_dict['NAME']} and every uploaded file."
        )
        if not sys.stdin.isatty():
            self.stderr.write("Not a terminal: pass --yes to restore without asking.")
            return False
        answer = input("Type 'restore' to continue: ")
        return answer.strip() == "restore"

    def handle(self, *args: Any, **options: Any) -> None:
        using: str = options["database"]
        confirm = None if options["yes"] else (lambda staged: self._confirm(staged, using))
        try:
            result = restore_backup(options["file"], using=using, confirm=confirm)
        except RestoreRefusedError as exc:
            raise CommandError(f"restore refused: {exc}", returncode=2) from None
        except RestoreError as exc:
            raise CommandError(f"restore failed: {exc}", returncode=1) from None
        self.stdout.write(
            f"restored the {result.vendor} backup of {result.created_at}: {result.tables} "
            f"tables, {result.rows} rows, {result.files} files"
        )
        self.stdout.write(
            f"  restore time: {result.seconds:.2f} s (decrypt and check "
            f"{result.decrypt_seconds:.2f} s, replace {result.apply_seconds:.2f} s, "
            f"verify {result.verify_seconds:.2f} s)"
        )
        self.stdout.write(
            "  tables: "
            + ("all match the backup's manifest" if not result.table_problems else "DIFFER")
        )
        self.stdout.write("  files: " + ("all match" if not result.file_problems else "DIFFER"))
        self.stdout.write(f"  {result.chain.message}")
        problems = [*result.table_problems, *result.file_problems]
        for problem in problems[:20]:
            self.stderr.write(f"  - {problem}")
        if not result.ok:
            what = "the audit chain is broken" if not result.chain.ok else "the data differs"
            raise CommandError(f"restore did not verify: {what}", returncode=1)
