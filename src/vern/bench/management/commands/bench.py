"""``vern bench seed --cases N [--centres C] [--audit-events M]``: a synthetic dataset, fast.

Benchmark data only (docs/performance.md): refused with VERN_ENV=production. Every seeded
account has the password printed at the end and a TOTP device; the load benchmark gives them
fresh backup codes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vern.bench.seed import BENCH_PASSWORD, DEFAULT_AUDIT_EVENTS_PER_CASE, seed


class Command(BaseCommand):
    help = "Benchmarks: `seed` builds a realistic synthetic dataset quickly (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{seed}")
        seed_parser = sub.add_parser(
            "seed", help="Centres, staff, cases with their records and a valid audit chain."
        )
        seed_parser.add_argument("--cases", type=int, required=True, help="Number of cases.")
        seed_parser.add_argument(
            "--centres", type=int, default=None, help="Number of centres (default: N/200, 2-46)."
        )
        seed_parser.add_argument(
            "--audit-events",
            type=int,
            default=None,
            help=f"Audit events (default: {DEFAULT_AUDIT_EVENTS_PER_CASE} per case).",
        )
        seed_parser.add_argument(
            "--reuse",
            action="store_true",
            help="Add the cases to the synthetic centres of an earlier run.",
        )
        seed_parser.add_argument(
            "--chunk", type=int, default=1000, help="Cases per transaction (default 1000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            msg = "vern bench refuses to run with VERN_ENV=production (synthetic data only)."
            raise CommandError(msg)
        cases: int = options["cases"]
        centres: int | None = options["centres"]
        events: int | None = options["audit_events"]
        if (
            cases < 1
            or (centres is not None and centres < 1)
            or (events is not None and events < 0)
        ):
            msg = "--cases and --centres must be at least 1, --audit-events at least 0."
            raise CommandError(msg)
        write = self.stdout.write
        write(f"seeding {cases:,} cases ...")
        result = seed(
            cases=cases,
            centres=centres,
            audit_events=events,
            chunk=options["chunk"],
            reuse=options["reuse"],
            progress=write if options["verbosity"] >= 1 else None,
        )
        write("")
        write(f"{'table':<34} {'rows':>11} {'seconds':>9} {'rows/s':>11}")
        for table, stat in sorted(result.stats.items()):
            rate = stat.rows / stat.seconds if stat.seconds else 0.0
            write(f"{table:<34} {stat.rows:>11,} {stat.seconds:>9.2f} {rate:>11,.0f}")
        total_rows = sum(s.rows for s in result.stats.values())
        write("")
        write(
            f"total: {result.centres} centres, {result.staff} staff, {result.cases:,} cases, "
            f"{result.audit_events:,} audit events, {total_rows:,} rows in "
            f"{result.seconds:.1f} s ({total_rows / max(result.seconds, 1e-9):,.0f} rows/s)"
        )
        write(f"staff log in as e.g. {result.usernames[0]} with the password {BENCH_PASSWORD}")
