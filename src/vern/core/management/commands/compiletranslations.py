"""``vern compiletranslations``: compile every .po catalogue to .mo in pure Python (polib).

Unlike Django's compilemessages it needs no GNU gettext, so a fresh machine can build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the gettext catalogues (.po -> .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as exc:
                    msg = f"{po_path}: cannot be read as a gettext catalogue: {exc}"
                    raise CommandError(msg) from exc
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {count} catalogue(s).")
