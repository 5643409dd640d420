"""The ``vern`` command: Django's manage.py with Vern's settings preset, plus Vern's own commands.

``vern assess`` runs the rules engine alone (no database, no Django); every other command is a
Django management command (``vern migrate``, ``vern check``, ``vern serve``, ``vern demo`` …).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "assess":
        from vern.rules.cli import main as assess_main

        return assess_main(args[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
    from vern.env import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(args)
    except ConfigError as exc:
        print(f"vern: configuration error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
