"""SQL query counts of the main pages at 10 cases and at a big size: they must be equal.

Seeds a fresh database (`vern bench seed`, one centre), counts the queries of each main page
(home, case list, dashboard, case page, assessment pages, consent pages, police leader
overview) for one fixed case, adds cases to the same centre up to the big size, counts again.
Exit 1 if any count differs (an N+1 query) or a page fails.

    .venv/bin/python benchmarks/query_counts.py              # 10 vs 2,000 cases (SQLite)
    .venv/bin/python benchmarks/query_counts.py --full       # 10 vs 100,000 cases
    .venv/bin/python benchmarks/query_counts.py --cases 20000
    DATABASE_URL=postgres://vern:vern@127.0.0.1:5432/vern .venv/bin/python \\
        benchmarks/query_counts.py   # PostgreSQL: a scratch database vern_query_counts
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

SMALL = 10


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="the big size (default 2,000)")
    parser.add_argument("--full", action="store_true", help="the big size is 100,000 cases")
    args = parser.parse_args(argv)
    big = 100_000 if args.full else args.cases
    if big <= SMALL:
        parser.error(f"--cases must be more than {SMALL}")

    with tempfile.TemporaryDirectory(prefix="vern-query-counts-") as data_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "vern.settings"
        os.environ["VERN_DATA_DIR"] = data_dir
        os.environ["VERN_ENV"] = "development"
        os.environ["VERN_ALLOWED_HOSTS"] = "testserver"
        os.environ.pop("VERN_SQLITE_PATH", None)
        url = os.environ.get("DATABASE_URL", "")
        if url:
            os.environ["DATABASE_URL"] = _scratch_postgres(url, "vern_query_counts")
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return run(big)


def _scratch_postgres(url: str, name: str) -> str:
    """A fresh, empty database next to the one in DATABASE_URL (dropped first)."""
    import psycopg

    base, _slash, _db = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def run(big: int) -> int:
    from django.test import Client

    from vern.accounts import mfa
    from vern.bench.pages import probe_case, query_counts, staff_of
    from vern.bench.seed import BENCH_PASSWORD, seed
    from vern.centres.models import Centre

    print(f"seeding {SMALL} cases ...", flush=True)
    seed(cases=SMALL, centres=1)
    centre = Centre.objects.get()
    clients: dict[str, Client] = {}
    for role, user in staff_of(centre).items():
        client = Client()
        client.post("/konto/logg-inn/", {"username": user.username, "password": BENCH_PASSWORD})
        client.post("/konto/mfa/", {"code": mfa.new_backup_codes(user)[0]})
        clients[role] = client
    case, assessment = probe_case(centre)
    small = query_counts(clients, case, assessment)

    print(f"adding {big - SMALL:,} cases to the same centre ...", flush=True)
    seed(cases=big - SMALL, centres=1, reuse=True, seed=7, progress=None)
    large = query_counts(clients, case, assessment)

    failed = False
    print()
    print(f"{'page':<34} {'status':>6} {f'{SMALL} cases':>10} {f'{big:,} cases':>14}")
    for name, (status, n_small) in small.items():
        status_big, n_big = large[name]
        bad = status != 200 or status_big != 200 or n_small != n_big
        failed = failed or bad
        mark = "  <-- DIFFERENT" if n_small != n_big else ("  <-- FAILED" if bad else "")
        print(f"{name:<34} {status_big:>6} {n_small:>10} {n_big:>14}{mark}")
    print()
    print("query counts equal: " + ("NO" if failed else "yes"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
