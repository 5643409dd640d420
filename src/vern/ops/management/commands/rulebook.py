"""``vern rulebook report | impact | upgrade`` (issue 13 points 5 and 6; docs/rulebook.md).

* ``report [--output DIR] [--lang nb|nn|en] [--rulebook DIR]``: the review document for a
  jurist, as HTML and tagged PDF (vern.documents.rulebook_report).
* ``impact [--against FILE_OR_DIR]``: for the open cases, the counts by change between the
  version each latest assessment was made with and the packaged rulebook (or the rulebook at
  ``--against``). Writes nothing.
* ``upgrade``: apply the packaged rulebook to the open cases (vern.assessments.upgrade).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.assessments.upgrade import last_applied, rulebook_impact, rulebook_upgrade
from vern.documents.rulebook_report import write_rulebook_report
from vern.rules import Rulebook, RulebookError, load_rulebook

LANGS = ("nb", "nn", "en")


def _load(path: Path | None) -> Rulebook:
    try:
        return load_rulebook(path)
    except RulebookError as exc:
        problems = "\n  ".join(exc.problems)
        msg = f"the rulebook at {path or 'the package'} does not load:\n  {problems}"
        raise CommandError(msg) from exc


class Command(BaseCommand):
    help = "Review and apply the rulebook: report (for a jurist), impact (dry run), upgrade."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{report,impact,upgrade}"
        )
        report = sub.add_parser("report", help="Write the review document (HTML and tagged PDF).")
        report.add_argument("--output", type=Path, default=Path(), help="Directory (default .).")
        report.add_argument("--lang", choices=LANGS, default="nb", help="Language (default nb).")
        report.add_argument(
            "--rulebook", type=Path, help="A rulebook directory (default: the packaged one)."
        )
        impact = sub.add_parser(
            "impact", help="Count how the open cases' outcomes would change (writes nothing)."
        )
        impact.add_argument(
            "--against",
            type=Path,
            help="Compare with the rulebook in this file or directory instead of the packaged one.",
        )
        sub.add_parser("upgrade", help="Apply the packaged rulebook to the open cases.")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        if command == "report":
            self._report(options["output"], options["lang"], options["rulebook"])
        elif command == "impact":
            self._impact(options["against"])
        else:
            self._upgrade()

    def _report(self, output: Path, lang: str, path: Path | None) -> None:
        book = _load(path)
        # WeasyPrint and fontTools log every step at INFO; the command prints what it wrote.
        for name in ("weasyprint", "fontTools"):
            logging.getLogger(name).setLevel(logging.WARNING)
        try:
            html_path, pdf_path = write_rulebook_report(book, output, lang)
        except OSError as exc:
            msg = f"cannot write to {output}: {exc.strerror}"
            raise CommandError(msg) from exc
        self.stdout.write(f"Rulebook {book.id} {book.version} ({lang}):")
        self.stdout.write(f"  {html_path}")
        self.stdout.write(f"  {pdf_path}")

    def _impact(self, against: Path | None) -> None:
        book = _load(against)
        impact = rulebook_impact(rulebook=book)
        applied = last_applied()
        w = self.stdout.write
        source = str(against) if against else "packaged"
        w(f"Rulebook {book.id} {book.version} ({source}); nothing is written.")
        w(f"Last applied to the open cases: {applied or 'none recorded'}")
        w(
            f"Open cases with an assessment: {impact.open_with_assessment}; "
            f"already made with {book.version}: {impact.already_current}; "
            f"evaluated again: {impact.evaluated}; outcome changes: {len(impact.changed)}."
        )
        if impact.evaluated:
            versions = ", ".join(
                f"{version}: {count}" for version, count in sorted(impact.from_versions().items())
            )
            w(f"Made with: {versions}")
        counts = impact.counts()
        if not counts:
            w("No outcome changes.")
            return
        w("Changes (a case can have several):")
        for line, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            w(f"  {line}: {count} {'case' if count == 1 else 'cases'}")

    def _upgrade(self) -> None:
        result = rulebook_upgrade(rulebook=_load(None))
        self.stdout.write(
            f"Rulebook {result.rulebook_id} {result.version}: {result.evaluated} open cases "
            f"evaluated, {result.changed} with another outcome, {result.triggers_added} "
            f"reassessment triggers added"
            + (" (version already applied before)." if result.already_applied else ".")
        )
