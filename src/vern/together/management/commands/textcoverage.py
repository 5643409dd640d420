"""``vern textcoverage``: what each language lacks of the "Assess together" texts (issue 17).

For translators: lists, per language file in ``documents/texts/``, whether it is reviewed,
whether the mode offers it (every ``together`` text is there), and each missing key of the
sections the mode shows. ``--fail-on-missing`` exits 1 when any language lacks a text (CI or
a translator's own check)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vern.together.texts import SECTIONS, coverage


class Command(BaseCommand):
    help = "List the texts of the Assess together mode that each language lacks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--fail-on-missing", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = coverage()
        self.stdout.write(f"Sections: {', '.join(SECTIONS)}")
        for row in rows:
            flags = [
                "reviewed" if row.reviewed else "NOT REVIEWED (the mode says so on screen)",
                "offered in the mode" if row.offered else "not offered (together texts missing)",
                f"{len(row.missing)} missing",
            ]
            self.stdout.write(f"{row.code} ({row.name}): {'; '.join(flags)}")
            for key in row.missing:
                self.stdout.write(f"  missing {key}")
        if options["fail_on_missing"] and any(row.missing for row in rows):
            raise CommandError("some languages lack texts of the mode (listed above)")
