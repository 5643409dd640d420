"""``vern serve``: run Vern under gunicorn (the production server) on 127.0.0.1:8000."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from vern.assessments.upgrade import upgrade_if_needed

# A Unix socket path must fit in sun_path (108 bytes on Linux, 104 on macOS).
MAX_SOCKET_PATH: Final = 100


def control_socket(bind: str) -> Path | None:
    """This instance's gunicorn control socket: under VERN_DATA_DIR/run, named after the bind
    address, so two `vern serve` of one OS user never share (and take over) one socket (issue
    15 point 8). None (no control socket) when the path would be too long for a socket."""
    name = hashlib.sha256(bind.encode("utf-8")).hexdigest()[:12]
    path = Path(settings.DATA_DIR) / "run" / f"gunicorn-{name}.ctl"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        return None
    return path


class Command(BaseCommand):
    help = "Serve Vern with gunicorn (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("VERN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("VERN_WORKERS", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        bind = options["bind"]
        # A new rulebook version reaches the open cases before the first request (issue 13
        # point 6), also when the release had no migration to run.
        upgrade_if_needed()

        connections.close_all()  # nothing of this process's database connection crosses exec
        socket = control_socket(bind)
        if socket is not None:
            socket.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            control = ["--control-socket", str(socket)]
        else:
            control = ["--no-control-socket"]
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
            *control,
        ]
        os.execvp(argv[0], argv)  # noqa: S606  (replaces this process with gunicorn)
