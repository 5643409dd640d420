"""``vern serve``: run Vern under gunicorn (the production server) on 127.0.0.1:8000."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Vern with gunicorn (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("VERN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("VERN_WORKERS", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        bind = options["bind"]
        # A new rulebook version reaches the open cases before the first request (issue 13
        # point 6), also when the release had no migration to run.
        from vern.assessments.upgrade import upgrade_if_needed

        upgrade_if_needed()
        from django.db import connections

        connections.close_all()  # nothing of this process's database connection crosses exec
        self.stdout.write(f"Vern: serving on http://{bind}/ (Ctrl+C to stop)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "vern.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # Query strings can carry search terms: log method and path only.
            "--access-logformat",
            '%(t)s "%(m)s %(U)s" %(s)s %(L)ss',
        ]
        os.execvp(argv[0], argv)  # noqa: S606  (replaces this process with gunicorn)
