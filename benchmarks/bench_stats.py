"""The statistics pages at 100,000 cases beside the framework floor, in one run (issue 19, 3).

Seeds ``--cases`` cases (default 100,000) with ``vern bench seed`` (realistic related rows: risk
mappings, superseding assessments with real rules-engine outcomes, consents and withdrawals,
refusals, police contacts, deviations, relocations; no audit events, which the statistics do not
read) and adds child-welfare concerns and notifications for some of the children. The cases are
spread over three years; the statistics period is the current year (the page's default).

Then, through Django's test Client after the real login and MFA pages (password + backup code):

* the centre page ``/statistikk/`` as a leder of the biggest centre (``--centres 1``, the
  default, puts every case in one centre, the worst case for a centre), and the national page
  ``/statistikk/nasjonal/`` as an administrator, each beside the framework floor
  ``/bench/floor/`` (same middleware, no work), interleaved: best, median, and query counts;
* the selector the views use (``vern.stats.selectors.statistics``) alone, for both scopes;
* the profile: every query of one page request with its time, slowest first, and the split of
  the page into selector, charts and template.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_stats.py [--cases N] [--centres C]
        [--repeat R] [--data-dir DIR] [--reuse]
    DATABASE_URL=postgres://vern:vern@127.0.0.1:5432/vern PYTHONPATH=src .venv/bin/python \\
        benchmarks/bench_stats.py     # PostgreSQL: a scratch database vern_bench_stats

``--reuse`` keeps an earlier run's data (``--data-dir`` for SQLite; the scratch database on
PostgreSQL) and seeds only when it is empty. Exit 1 when a page fails or a target is missed
(each page within 300 ms at its median).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics as pystats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
TARGET_MS = 300.0
SCRATCH_DB = "vern_bench_stats"
ADMIN = "benk-statistikk-admin"
FLOOR_URL = "/bench/floor/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases to seed (100,000)")
    parser.add_argument("--centres", type=int, default=1, help="centres (1: all in one)")
    parser.add_argument("--repeat", type=int, default=7, help="requests of each page (7)")
    parser.add_argument("--data-dir", help="SQLite: keep the data here (default: temporary)")
    parser.add_argument("--reuse", action="store_true", help="reuse an earlier run's data")
    args = parser.parse_args(argv)
    if args.cases < 1 or args.centres < 1 or args.repeat < 1:
        parser.error("--cases, --centres and --repeat must be at least 1")

    with tempfile.TemporaryDirectory(prefix="vern-bench-stats-") as tmp:
        data_dir = args.data_dir or tmp
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        os.environ["DJANGO_SETTINGS_MODULE"] = "vern.settings"
        os.environ["VERN_DATA_DIR"] = data_dir
        os.environ["VERN_ENV"] = "development"
        os.environ["VERN_ALLOWED_HOSTS"] = "testserver"
        os.environ["VERN_BENCH_ENDPOINTS"] = "1"
        os.environ.pop("VERN_SQLITE_PATH", None)
        url = os.environ.get("DATABASE_URL", "")
        if url:
            os.environ["DATABASE_URL"] = _scratch_postgres(url, SCRATCH_DB, keep=args.reuse)
        sys.path.insert(0, str(SRC))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return run(cases=args.cases, centres=args.centres, repeat=args.repeat)


def _scratch_postgres(url: str, name: str, *, keep: bool) -> str:
    """A database next to the one in DATABASE_URL: fresh (dropped first) unless ``keep``."""
    import psycopg

    base, _slash, _db = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not keep:
            conn.execute(f'DROP DATABASE "{name}"')
        if not exists or not keep:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


# --------------------------------------------------------------------------- data


def _seed(cases: int, centres: int) -> None:
    from vern.bench.seed import seed
    from vern.cases.models import Case
    from vern.centres.tenancy import system_scope

    with system_scope():
        present = Case.objects.count()
    if present:
        print(f"reusing {present:,} cases", flush=True)
        _summary_current()
        return
    print(f"seeding {cases:,} cases in {centres} centre(s), no audit events ...", flush=True)
    start = time.perf_counter()
    result = seed(cases=cases, centres=centres, audit_events=0, progress=None)
    _seed_child_welfare()
    rows = sum(s.rows for s in result.stats.values())
    print(f"seeded {rows:,} rows in {time.perf_counter() - start:.1f} s", flush=True)
    # The seeder rebuilt the statistics summary (its plain INSERTs send no signals); the
    # child-welfare rows above went in with bulk_create, which the summary follows.
    print(f"statistics summary rebuilt by the seeder in {result.summary_seconds:.1f} s")


def _rebuild_summary(why: str) -> None:
    from vern.stats.summary import rebuild

    report = rebuild()
    print(
        f"statistics summary rebuilt {why}: {report.contributions:,} contributions, "
        f"{report.days:,} day rows in {report.seconds:.1f} s",
        flush=True,
    )


def _summary_current() -> None:
    """Reused data: rebuild the summary when it is not marked built, is empty or does not hold
    every row (data seeded before the summary existed, or by an older seeder)."""
    from django.db.models import Max

    from vern.centres.tenancy import system_scope
    from vern.stats.models import StatContribution
    from vern.stats.selectors import summary_built
    from vern.stats.summary import SOURCES

    with system_scope():
        # Not built (SummaryState): the pages would count from the rows, not read the summary.
        stale = not summary_built() or not StatContribution.objects.exists()
        for source in SOURCES:
            newest = source.model._base_manager.aggregate(pk=Max("pk"))["pk"]
            counted = StatContribution.objects.filter(source=source.name).aggregate(
                pk=Max("source_id")
            )["pk"]
            # Every case, consent, refusal, deviation, relocation, concern and notification
            # contributes; assessments and contacts may not (re-derivations, planned).
            if source.name not in {"assessment", "contact"} and newest != counted:
                stale = True
    if stale:
        _rebuild_summary("(the reused data's summary was empty or stale)")
    else:
        print("statistics summary present for every row", flush=True)


def _seed_child_welfare() -> None:
    """Concerns for about one child in twelve, a notification for two in three of them."""
    import datetime as dt

    from vern.accounts.models import Role, User
    from vern.cases.models import CaseChild
    from vern.centres.tenancy import system_scope
    from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
    from vern.core import clock

    rng = random.Random(19)
    now = clock.now()
    with system_scope():
        staff = dict(
            User.objects.filter(role=Role.LEDER).values_list("centre_id", "pk").order_by("pk")
        )
        children = list(
            CaseChild.objects.order_by("pk").values_list(
                "pk", "case_id", "centre_id", "case__opened_at"
            )
        )[::12]
        notifications: list[ChildWelfareNotification] = []
        concerns: list[ChildWelfareConcern] = []
        for child_id, case_id, centre_id, opened_at in children:
            recorded_at = min(opened_at + dt.timedelta(days=rng.randint(0, 10)), now)
            notification = None
            if rng.random() < 2 / 3:
                notification = ChildWelfareNotification(
                    centre_id=centre_id,
                    case_id=case_id,
                    sent_on=min(
                        recorded_at.date() + dt.timedelta(days=rng.randint(0, 3)), now.date()
                    ),
                    service="Barneverntjenesten",
                    channel="phone",
                    shared_categories=["child_situation"],
                    sent_by_id=staff[centre_id],
                    user_told="yes",
                    user_told_on=recorded_at.date(),
                    user_told_how="Samtale",
                    recorded_by_id=staff[centre_id],
                )
                notifications.append(notification)
            concerns.append(
                ChildWelfareConcern(
                    centre_id=centre_id,
                    case_id=case_id,
                    child_id=child_id,
                    grounds=["mistreated"],
                    reason="Syntetisk",
                    recorded_by_id=staff[centre_id],
                    recorded_at=recorded_at,
                    notification=notification,
                )
            )
        ChildWelfareNotification.objects.bulk_create(notifications, batch_size=2000)
        for concern in concerns:
            if concern.notification is not None:
                concern.notification_id = concern.notification.pk
        ChildWelfareConcern.objects.bulk_create(concerns, batch_size=2000)
    print(f"child welfare: {len(concerns):,} concerns, {len(notifications):,} notifications")


# --------------------------------------------------------------------------- measuring


@contextmanager
def _timed_queries() -> Iterator[list[tuple[float, str]]]:
    from django.db import connection

    found: list[tuple[float, str]] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            found.append(((time.perf_counter() - start) * 1000, sql))

    with connection.execute_wrapper(wrapper):
        yield found


def _login(username: str) -> Any:
    from django.test import Client

    from vern.accounts import mfa
    from vern.accounts.models import User
    from vern.bench.seed import BENCH_PASSWORD

    client = Client()
    client.post("/konto/logg-inn/", {"username": username, "password": BENCH_PASSWORD})
    user = User.objects.get(username=username)
    response = client.post("/konto/mfa/", {"code": mfa.new_backup_codes(user)[0]})
    if response.status_code != 302:
        msg = f"MFA for {username} failed: HTTP {response.status_code}"
        raise RuntimeError(msg)
    return client


def _admin() -> str:
    from django.contrib.auth.hashers import make_password
    from django_otp.util import random_hex

    from vern.accounts import mfa, otp_secrets
    from vern.accounts.models import Role, User
    from vern.accounts.models import VernTOTPDevice as TOTPDevice
    from vern.bench.seed import BENCH_PASSWORD

    user, created = User.objects.get_or_create(
        username=ADMIN,
        defaults={"role": Role.ADMINISTRATOR, "password": make_password(BENCH_PASSWORD)},
    )
    if created:
        key = otp_secrets.encrypt_totp_key(random_hex(20), user_id=user.pk)
        TOTPDevice.objects.create(user=user, name=mfa.TOTP_NAME, confirmed=True, key=key)
    return ADMIN


def _ms(values: list[float]) -> str:
    return f"best {min(values):8.1f}  median {pystats.median(values):8.1f}"


def run(*, cases: int, centres: int, repeat: int) -> int:
    from django.db import connection
    from django.db.models import Count

    from vern.bench.pages import staff_of
    from vern.cases.models import Case
    from vern.centres.models import Centre
    from vern.centres.tenancy import system_scope
    from vern.stats import selectors, views
    from vern.stats.period import parse_period

    _seed(cases, centres)
    with system_scope():
        per_centre = dict(Case.objects.values_list("centre_id").annotate(n=Count("pk")).order_by())
        biggest = max(per_centre, key=lambda pk: (per_centre[pk], -pk))
        centre = Centre.objects.get(pk=biggest)
        in_centre, total = per_centre[biggest], sum(per_centre.values())
    leader = staff_of(centre)["leder"]
    pages = (
        ("centre page", "/statistikk/", _login(leader.username), leader),
        ("national page", "/statistikk/nasjonal/", _login(_admin()), None),
    )
    period = parse_period(None)
    print(
        f"\n{connection.vendor}: {total:,} cases, {in_centre:,} in the centre measured "
        f"({centre.name}); period {period.label}; {repeat} requests each, interleaved "
        "with the floor"
    )

    failed = False
    print(f"\n{'what':<34}{'ms':>34}{'queries':>9}")
    for title, url, client, user in pages:
        centre_id = None if user is None else user.centre_id
        for _ in range(2):  # warm: templates, translations, the session
            client.get(url)
            client.get(FLOOR_URL)
        page_ms: list[float] = []
        floor_ms: list[float] = []
        queries = {"page": 0, "floor": 0}
        for _ in range(repeat):
            for key, target, into in (("page", url, page_ms), ("floor", FLOOR_URL, floor_ms)):
                with _timed_queries() as found:
                    start = time.perf_counter()
                    response = client.get(target)
                    into.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    print(f"{target}: HTTP {response.status_code}")
                    return 1
                queries[key] = len(found)
        selector_ms: list[float] = []
        with system_scope() if user is None else _centre_scope(user):
            for _ in range(repeat):
                with _timed_queries() as found:
                    start = time.perf_counter()
                    selectors.statistics(centre_id=centre_id, period=period, scope_label="x")
                    selector_ms.append((time.perf_counter() - start) * 1000)
        ok = pystats.median(page_ms) <= TARGET_MS
        failed = failed or not ok
        print(f"{title + ' ' + url:<34}{_ms(page_ms):>34}{queries['page']:>9}")
        print(f"{'  floor, same run':<34}{_ms(floor_ms):>34}{queries['floor']:>9}")
        print(f"{'  selector statistics() alone':<34}{_ms(selector_ms):>34}{len(found):>9}")
        ratio = pystats.median(page_ms) / pystats.median(floor_ms)
        print(
            f"  page / floor (median) {ratio:.1f}x; target {TARGET_MS:.0f} ms: "
            + ("met" if ok else "MISSED")
        )

    for title, url, client, _user in pages:
        _profile(title, url, client, views)
    return 1 if failed else 0


@contextmanager
def _centre_scope(user: Any) -> Iterator[None]:
    """The scope of a request by ``user`` (PostgreSQL RLS: only the user's centre)."""
    from django.db import transaction

    from vern.centres.tenancy import set_request_scope

    with transaction.atomic():
        set_request_scope(user)
        yield
        transaction.set_rollback(True)


def _profile(title: str, url: str, client: Any, views: Any) -> None:
    """Every query of one request with its time, slowest first; the split of the request."""
    from vern.stats import charts

    spent: dict[str, float] = {"selector": 0.0, "charts": 0.0, "render": 0.0}

    def wrap(owner: Any, attribute: str, key: str) -> Callable[[], None]:
        original = getattr(owner, attribute)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] += (time.perf_counter() - start) * 1000

        setattr(owner, attribute, timed)
        return lambda: setattr(owner, attribute, original)

    undo = [
        wrap(views, "statistics", "selector"),
        wrap(charts, "bar_chart", "charts"),
        wrap(views, "render", "render"),
    ]
    try:
        with _timed_queries() as found:
            start = time.perf_counter()
            client.get(url)
            wall = (time.perf_counter() - start) * 1000
    finally:
        for restore in undo:
            restore()
    render_only = spent["render"]  # the charts are drawn before render() is called
    in_sql = sum(ms for ms, _sql in found)
    print(f"\n--- profile of one request: {title} {url}, {wall:.1f} ms ---")
    print(
        f"selector {spent['selector']:.1f} ms, charts {spent['charts']:.1f} ms, "
        f"template {render_only:.1f} ms, the rest (middleware, session, audit) "
        f"{wall - spent['selector'] - spent['charts'] - render_only:.1f} ms"
    )
    print(f"{len(found)} queries, {in_sql:.1f} ms in the database driver; slowest first:")
    for ms, sql in sorted(found, reverse=True):
        print(f"{ms:8.2f} ms  {' '.join(sql.split())[:160]}")


if __name__ == "__main__":
    raise SystemExit(main())
