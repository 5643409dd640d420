"""``vern stats rebuild`` and ``vern stats verify`` (the statistics summary, ADR 0019)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.stats.selectors import summary_built
from vern.stats.summary import rebuild
from vern.stats.verify import first_difference


class Command(BaseCommand):
    help = (
        "Rebuild the statistics summary from the rows (one transaction), or verify it against "
        "the full computation for every centre and period with data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{rebuild,verify}")
        sub.add_parser(
            "rebuild", help="Recompute StatContribution and StatDay from the rows, printing counts."
        )
        sub.add_parser(
            "verify",
            help="Compare the summary with the full computation; exit 0 when equal, 1 naming "
            "the first difference.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "rebuild":
            report = rebuild()
            self.stdout.write(
                f"statistics summary rebuilt: {report.contributions} contributions, "
                f"{report.days} day rows, {report.seconds:.1f} s"
            )
            return
        problem, compared = first_difference()
        if not problem and not summary_built():
            problem = (
                "it has not been built on this database (the pages count from the rows "
                "until `vern stats rebuild`)"
            )
        if problem:
            msg = f"statistics summary differs: {problem}"
            raise CommandError(msg, returncode=1)
        self.stdout.write(f"statistics summary verified: {compared} periods equal the rows")
