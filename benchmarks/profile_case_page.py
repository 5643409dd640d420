"""Where the case page's time goes, beside the framework floor, in one run (issue 19 target 1).

``--page`` profiles another page of the load benchmark's mix the same way (issue 19 target 2:
the case list, the assessment form, the consent form); the time split (4.) is the case page's.

Seeds a small dataset (``vern bench seed``, one centre, SQLite in a temporary directory unless
``DATABASE_URL`` is set), logs an ansatt in through the real login and MFA pages (password + a
fresh backup code, as benchmarks/load.py does), then requests the case page of the probe case
(open, assessed, with a consent: ``vern.bench.pages.probe_case``) and the framework floor
(``GET /bench/floor/``) N times each through Django's test Client, interleaved so both see the
same machine load. Prints:

1. queries per request, with the SQL grouped by the code location (in src/vern) that issued it;
2. the wall time of both (mean, p50, p95) and their ratio;
3. cProfile's top functions by cumulative and by own time, for the case page and the floor;
4. the time split of the case page: the case selector, the state summary, the timeline, each
   panel, template rendering, and the rest (middleware with the read audit event, the view's
   own reads and forms, the framework), with the queries of each part.

    PYTHONPATH=src .venv/bin/python benchmarks/profile_case_page.py [--requests 200] [--cases 30]
        [--top 30] [--page case|list|assessment_form|consent_form]

The machine is shared: compare the ratios of one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
# Frames that only pass a query on (the tenant scope, the audit plumbing are reported as such).
_PLUMBING = ("/vern/core/db", "/vern/centres/managers")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests of each (200)")
    parser.add_argument("--cases", type=int, default=30, help="cases to seed (30)")
    parser.add_argument("--top", type=int, default=30, help="cProfile lines to print (30)")
    parser.add_argument(
        "--page", choices=sorted(PAGES), default="case", help="the page to profile (case)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vern-profile-") as data_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "vern.settings"
        os.environ["VERN_DATA_DIR"] = data_dir
        os.environ["VERN_ENV"] = "development"
        os.environ["VERN_ALLOWED_HOSTS"] = "testserver"
        os.environ["VERN_BENCH_ENDPOINTS"] = "1"
        os.environ.pop("VERN_SQLITE_PATH", None)
        sys.path.insert(0, str(SRC))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return run(requests=args.requests, cases=args.cases, top=args.top, page=args.page)


def _location(stack: list[traceback.FrameSummary]) -> str:
    """The innermost frame in src/vern (not the query plumbing), as ``path:line function``."""
    for frame in reversed(stack):
        name = frame.filename
        if "/vern/" in name and "/site-packages/" not in name and not name.endswith(__file__):
            if any(part in name for part in _PLUMBING):
                continue
            short = name[name.rindex("/vern/") + 1 :]
            return f"{short}:{frame.lineno} {frame.name}"
    for frame in reversed(stack):  # no Vern frame: the framework's (sessions, auth)
        if "/django/" in frame.filename:
            short = frame.filename[frame.filename.rindex("/django/") + 1 :]
            return f"{short}:{frame.lineno} {frame.name}"
    return "?"


@contextmanager
def _queries_by_location() -> Iterator[list[tuple[str, str]]]:
    from django.db import connection

    found: list[tuple[str, str]] = []

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        found.append((_location(traceback.extract_stack()[:-1]), sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield found


class _Timers:
    """Wall time and queries inside wrapped functions, outermost calls only per name."""

    def __init__(self) -> None:
        self.total: dict[str, float] = defaultdict(float)
        self.queries: dict[str, int] = defaultdict(int)
        self.executed = 0
        self._depth: Counter[str] = Counter()

    def count(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        self.executed += 1
        return execute(sql, params, many, ctx)

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)

        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth[name] += 1
            before = self.executed
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self._depth[name] -= 1
                if not self._depth[name]:
                    self.total[name] += time.perf_counter() - start
                    self.queries[name] += self.executed - before

        setattr(owner, attribute, timed)


def _instrument(timers: _Timers) -> list[str]:
    """Wrap the case page's parts; returns their names in the order printed."""
    from importlib import import_module

    from vern.cases import panels, selectors, views
    from vern.desk import views as desk_views

    names = ["case_get (selector)", "state summary (desk)", "timeline", "responsible form"]
    timers.wrap(selectors, "case_get", names[0])
    # The desk's part of the case page (vern.desk.views._case_page_context) calls these two.
    timers.wrap(desk_views, "case_state", names[1])
    timers.wrap(desk_views, "timeline_lines", names[2])
    timers.wrap(views, "_responsible_form", names[3])
    for module_name in panels.PANEL_MODULES:
        label = f"panel {module_name.split('.')[1]}"
        timers.wrap(import_module(module_name), "case_panel", label)
        names.append(label)
    timers.wrap(views, "render", "template rendering")
    names.append("template rendering")
    return names


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _profile(get: Callable[[], object], requests: int, top: int, title: str) -> None:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        get()
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    for order in ("cumulative", "tottime"):
        out.seek(0)
        out.truncate()
        stats.strip_dirs().sort_stats(order).print_stats(top)
        print(f"\n--- cProfile, {title}: {requests} requests, top {top} by {order} time ---")
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print("\n".join(line for line in lines[start:] if line.strip()))


# The pages of benchmarks/load.py's mix: URL name (with the probe case's pk or not) and the
# read audit event each request writes.
PAGES = {
    "case": ("cases:detail", "pk", "case_viewed"),
    "list": ("cases:list", None, "case_listed"),
    "assessment_form": ("assessments:create", "case_pk", "case_viewed"),
    "consent_form": ("consent:create", "case_pk", "case_viewed"),
}


def run(*, requests: int, cases: int, top: int, page: str = "case") -> int:
    from django.test import Client
    from django.urls import reverse

    from vern.accounts import mfa
    from vern.bench.pages import probe_case, staff_of
    from vern.bench.seed import BENCH_PASSWORD, seed
    from vern.centres.models import Centre

    print(f"seeding {cases} cases ...", flush=True)
    seed(cases=cases, centres=1, progress=None)
    centre = Centre.objects.get()
    user = staff_of(centre)["ansatt"]
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": BENCH_PASSWORD})
    response = client.post(reverse("accounts:mfa"), {"code": mfa.new_backup_codes(user)[0]})
    if response.status_code != 302:
        print(f"MFA failed: {response.status_code}")
        return 1
    case, _assessment = probe_case(centre)
    url_name, case_kwarg, action = PAGES[page]
    case_url = reverse(url_name, kwargs={case_kwarg: case.pk} if case_kwarg else None)

    def get(url: str) -> None:
        status = client.get(url).status_code
        if status != 200:
            msg = f"{url}: {status}"
            raise RuntimeError(msg)

    for _ in range(5):  # warm: sessions, caches, the rulebook, templates
        get(case_url)
        get(FLOOR_URL)

    print(f"\nprobe case {case.reference} (pk {case.pk}), {cases} cases in the centre")
    print(f"page: {page} ({case_url}); /proc/loadavg: {_loadavg()}")
    title = "case page" if page == "case" else page
    _print_queries(get, case_url, title)
    viewed = _print_wall_time(get, case_url, requests, title, action)
    # cProfile before the parts are wrapped for the split.
    _profile(lambda: get(case_url), requests, top, title)
    _profile(lambda: get(FLOOR_URL), requests, top, "floor")
    if page == "case":
        _print_split(get, case_url, requests)
    print(f"\n/proc/loadavg at the end: {_loadavg()}")
    return 0 if viewed == requests else 1


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "n/a"


FLOOR_URL = "/bench/floor/"


def _print_queries(get: Callable[[str], None], case_url: str, page_title: str) -> None:
    """1. Queries per request, grouped by the code location that issued them."""
    for title, url in ((page_title, case_url), ("floor", FLOOR_URL)):
        with _queries_by_location() as found:
            get(url)
        print(f"\n--- queries per request, {title}: {len(found)} ---")
        groups: dict[str, list[str]] = defaultdict(list)
        for location, sql in found:
            groups[location].append(sql)
        for location, sqls in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print(f"{len(sqls):>3}  {location}")
            for sql in dict.fromkeys(sqls):
                print(f"       {' '.join(sql.split())[:150]}")


def _print_wall_time(
    get: Callable[[str], None], case_url: str, requests: int, title: str, action: str
) -> int:
    """2. Wall time of both, interleaved; returns the read audit events the page wrote."""
    from vern.audit.models import AuditEvent

    events_before = AuditEvent.objects.filter(action=action).count()
    page_ms: list[float] = []
    floor_ms: list[float] = []
    # CPU time of this process (the test Client runs the request in it): less sensitive to
    # the other jobs on a shared machine than the wall time, so before/after compare better.
    cpu_ms: dict[str, list[float]] = {case_url: [], FLOOR_URL: []}
    for _ in range(requests):
        for url, into in ((case_url, page_ms), (FLOOR_URL, floor_ms)):
            start = time.perf_counter()
            cpu = time.process_time()
            get(url)
            cpu_ms[url].append((time.process_time() - cpu) * 1000)
            into.append((time.perf_counter() - start) * 1000)
    viewed = AuditEvent.objects.filter(action=action).count() - events_before
    print(f"\n--- wall time, {requests} requests each, interleaved ---")
    print(f"{'':<16}{'mean ms':>10}{'p50 ms':>10}{'p95 ms':>10}{'CPU ms':>10}")
    for name, values, url in ((title, page_ms, case_url), ("floor", floor_ms, FLOOR_URL)):
        print(
            f"{name:<16}{statistics.fmean(values):>10.2f}"
            f"{_percentile(values, 50):>10.2f}{_percentile(values, 95):>10.2f}"
            f"{statistics.fmean(cpu_ms[url]):>10.2f}"
        )
    mean_ratio = statistics.fmean(page_ms) / statistics.fmean(floor_ms)
    p95_ratio = _percentile(page_ms, 95) / _percentile(floor_ms, 95)
    cpu_ratio = statistics.fmean(cpu_ms[case_url]) / statistics.fmean(cpu_ms[FLOOR_URL])
    print(
        f"ratio {title} / floor: mean {mean_ratio:.2f}x, p95 {p95_ratio:.2f}x, CPU {cpu_ratio:.2f}x"
    )
    print(f"{action} audit events written: {viewed} for {requests} requests")
    return viewed


def _print_split(get: Callable[[str], None], case_url: str, requests: int) -> None:
    """4. The time split of the case page, with the queries of each part."""
    from django.db import connection

    timers = _Timers()
    names = _instrument(timers)
    with connection.execute_wrapper(timers.count):
        start = time.perf_counter()
        for _ in range(requests):
            get(case_url)
        wall = time.perf_counter() - start
    print(f"\n--- time split of the case page, {requests} requests ---")
    print(f"{'part':<28}{'ms/request':>12}{'share':>8}{'queries':>9}")
    rows = [(name, timers.total[name], timers.queries[name]) for name in names]
    inner = sum(spent for _name, spent, _n in rows)
    inner_queries = sum(n for _name, _spent, n in rows)
    rows.append(("rest (middleware, view)", wall - inner, timers.executed - inner_queries))
    rows.append(("whole request", wall, timers.executed))
    for name, spent, queries in rows:
        print(
            f"{name:<28}{spent / requests * 1000:>12.2f}{spent / wall:>8.0%}"
            f"{queries / requests:>9.1f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
