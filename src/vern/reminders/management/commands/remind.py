"""``vern remind``: build every staff member's tasks and send the opted-in e-mails of the day.

Run it from cron or a systemd timer (docs/operations.md); running it again the same day sends
nothing twice. ``--dry-run`` sends nothing and prints counts only. Exit status 1 when an
e-mail could not be sent (the next run tries it again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.reminders.services import RunReport, reminders_run

COLUMNS = (
    ("people", "people"),
    ("with_tasks", "with tasks"),
    ("tasks", "tasks"),
    ("opted_in", "opted in"),
    ("sent", "e-mails sent"),
    ("already_sent", "already sent today"),
    ("no_address", "opted in without an address"),
    ("failed", "failed"),
)


def summary_lines(report: RunReport) -> list[str]:
    """Counts only: per centre (by id) and in total; never a case, a name or an address."""
    mode = " (dry run: nothing sent)" if report.dry_run else ""
    lines = [f"vern remind {report.day.isoformat()}{mode}"]
    for run in report.centres:
        figures = ", ".join(f"{label} {getattr(run, name)}" for name, label in COLUMNS)
        lines.append(f"centre {run.centre_id}: {figures}")
    total = ", ".join(f"{label} {report.total(name)}" for name, label in COLUMNS)
    lines.append(f"total: {total}")
    return lines


class Command(BaseCommand):
    help = (
        "Build each staff member's tasks and e-mail those who opted in (once a day): "
        "the e-mail says only how many tasks there are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="send nothing, record nothing as sent; print the counts only",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = reminders_run(dry_run=bool(options["dry_run"]))
        for line in summary_lines(report):
            self.stdout.write(line)
        failed = report.total("failed")
        if failed:
            msg = f"{failed} e-mail(s) could not be sent; the next run tries again"
            raise CommandError(msg, returncode=1)
