"""``vern files import [--remove]`` and ``vern files verify`` (issue 20, ADR 0013)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.consent.filestore import import_from_disk, verify_stored


class Command(BaseCommand):
    help = (
        "Move the signed consent forms kept on this node's disk (MEDIA_ROOT) into the database, "
        "or verify that every stored form is in the database with its upload checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{import,verify}")
        imp = sub.add_parser(
            "import",
            help="Copy each form still only on this node's disk into the database, checked "
            "against its upload SHA-256 and read back (idempotent; run it on every node).",
        )
        imp.add_argument(
            "--remove",
            action="store_true",
            help="Delete each disk copy once the database holds the same bytes.",
        )
        sub.add_parser(
            "verify",
            help="Exit 0 when every signed consent form is in the database and matches its "
            "checksum, 1 otherwise (naming each one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "import":
            report = import_from_disk(remove=options["remove"])
            self.stdout.write(f"signed consent files: {report.summary()}")
            for pk in report.mismatched:
                self.stderr.write(
                    f"signed consent file {pk}: the bytes on disk differ from the checksum "
                    "recorded at upload; not imported"
                )
            if report.missing:
                self.stdout.write(
                    "not on this node (imported elsewhere, or still on another node's disk: "
                    "run this command there): " + ", ".join(str(pk) for pk in report.missing)
                )
            if not report.ok:
                msg = f"{len(report.mismatched)} files do not match their checksum"
                raise CommandError(msg, returncode=1)
            return
        result = verify_stored()
        for problem in result.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"signed consent files: {result.files} checked, {result.bytes} bytes, "
            f"{len(result.problems)} problems"
        )
        if result.problems:
            msg = f"{len(result.problems)} signed consent files are not in the database intact"
            raise CommandError(msg, returncode=1)
