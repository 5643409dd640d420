"""How does the case summary PDF grow with the timeline (issue 19 target 4)? Builds one case
whose timeline holds 100, 500 and 1,000 events (a mix of the codes staff records make, one
assessment row per ten events, as a long case has), renders the case summary (every section,
records -> HTML -> tagged PDF) for each, and prints the time of each size with its pages and
queries, beside a one-line WeasyPrint document of the same run. Targets: 1,000 events within
3 s, and no worse than linear (time(1,000) / time(100) at most 10, the ratio of the sizes).
Both are judged on the best of the timed renders (on a shared machine the best is the figure
least disturbed by other jobs); the median is printed beside it.

    .venv/bin/python benchmarks/bench_case_summary.py [--sizes 100,500,1000] [--repeat 3]
        [--profile]      # also print cProfile's top functions of the largest render

Uses a fresh temporary SQLite database (migrated here).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 3.0

# A long case's timeline: codes made with a value (assessment, consent, police, trigger,
# information) and fixed ones, in the proportions a case with many follow-ups has.
MIX = (
    "assessment",
    "trigger",
    "case_updated",
    "consent_given",
    "police_contact_planned",
    "information_given",
    "risk_mapping",
    "police_contact_user_told",
    "child_added",
    "case_updated",
)


def _timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return min(samples), statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100,500,1000", help="timeline sizes, ascending")
    parser.add_argument("--repeat", type=int, default=3, help="timed renders of each size")
    parser.add_argument("--profile", action="store_true", help="profile the largest render")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(size) for size in args.sizes.split(",")})
    except ValueError:
        parser.error(f"--sizes must be whole numbers separated by commas, not {args.sizes!r}")
    if not sizes or sizes[0] < 1:
        parser.error("--sizes must be positive")

    data_dir = Path(tempfile.mkdtemp(prefix="vern-bench-summary-"))
    os.environ["VERN_DATA_DIR"] = str(data_dir)
    os.environ["VERN_SQLITE_PATH"] = str(data_dir / "bench.db")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
    os.environ["VERN_ENV"] = "development"
    sys.path.insert(0, str(ROOT / "src"))

    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return run(sizes, args.repeat, profile=args.profile)


def run(sizes: list[int], repeat: int, *, profile: bool) -> int:  # noqa: PLR0915
    import platform

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from weasyprint import HTML

    from vern.cases.models import Case, CaseEvent
    from vern.core import clock
    from vern.documents import render

    case, make_assessment = _case()
    today = clock.today()
    sections = render.SummarySections(
        timeline=True, assessments=True, consents=True, police=True, relocations=True,
        relocation_destination=False, child_welfare=True,
    )  # fmt: skip
    start = clock.now() - dt.timedelta(days=400)
    made = 0

    def grow_to(size: int) -> None:
        nonlocal made
        events = []
        for n in range(made, size):
            kind = MIX[n % len(MIX)]
            object_id = None
            at = start + dt.timedelta(minutes=37 * n)
            if kind == "assessment":
                object_id = make_assessment(at)
            elif kind == "consent_given":
                object_id = case.consents.values_list("pk", flat=True).first()
            elif kind == "police_contact_planned":
                object_id = case.police_contacts.values_list("pk", flat=True).first()
            elif kind == "information_given":
                object_id = case.information.values_list("pk", flat=True).first()
            events.append(
                CaseEvent(
                    centre=case.centre,
                    case=case,
                    at=at,
                    kind=kind,
                    summary=f"Hendelse {n + 1}",
                    object_type=kind,
                    object_id=object_id,
                )
            )
        CaseEvent.objects.bulk_create(events)
        made = size

    def summary() -> bytes:
        fresh = Case.objects.select_related("centre").get(pk=case.pk)
        return render.case_summary_pdf(fresh, "nb", sections=sections, today=today)

    def floor() -> bytes:
        return HTML(string="<p>Vern</p>").write_pdf()  # type: ignore[no-any-return]

    floor()
    summary()  # the first render of a process instances the fonts: not timed
    floor_best, floor_median = _timed(floor, repeat * 3)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores (shared with other jobs), "
        f"Python {platform.python_version()}; {repeat} timed renders of each size"
    )
    print(
        f"floor: one-line WeasyPrint document, best {floor_best * 1000:.1f} ms, "
        f"median {floor_median * 1000:.1f} ms"
    )
    print(f"{'events':>7} {'PDF kB':>7} {'queries':>8} {'HTML ms':>9} {'best s':>8} "
          f"{'median s':>9} {'ms/event':>9} {'x floor':>8}")  # fmt: skip
    results: list[tuple[int, float]] = []
    for size in sizes:
        grow_to(size)
        assert case.events.count() == size  # noqa: S101
        with CaptureQueriesContext(connection) as queries:
            pdf = summary()
        fresh = Case.objects.select_related("centre").get(pk=case.pk)
        html_best, _html_median = _timed(
            lambda fresh=fresh: render.case_summary_html(  # type: ignore[misc]
                fresh, "nb", sections=sections, today=today
            ),
            repeat,
        )
        best, median = _timed(summary, repeat)
        results.append((size, best))
        print(
            f"{size:>7} {len(pdf) / 1024:>7.0f} {len(queries):>8} "
            f"{html_best * 1000:>9.1f} {best:>8.2f} {median:>9.2f} "
            f"{best * 1000 / size:>9.2f} {best / floor_best:>7.0f}x"
        )
    (small, t_small), (large, t_large) = results[0], results[-1]
    growth = t_large / t_small
    linear = large / small
    within = t_large <= LIMIT_SECONDS if large >= 1000 else None
    print(
        f"growth {small:,} -> {large:,} events: {growth:.2f}x for {linear:.0f}x the events "
        f"({'no worse than' if growth <= linear else 'WORSE than'} linear)"
    )
    if within is not None:
        print(
            f"{large:,} events: {t_large:.2f} s ({'within' if within else 'OVER'} the "
            f"{LIMIT_SECONDS:g} s target)"
        )
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(summary)
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
    return 0 if growth <= linear and within is not False else 1


def _case() -> tuple[Any, Callable[[dt.datetime], int]]:
    from vern.accounts.models import Role, User
    from vern.assessments.models import Assessment, MappingMethod, RiskMapping, RiskResult
    from vern.cases.models import Case
    from vern.centres.models import Centre, PoliceDistrict
    from vern.consent.models import Consent, InformationRecord
    from vern.core import clock
    from vern.police.models import PoliceContact
    from vern.rules import evaluate, load_rulebook, parse_facts

    centre = Centre.objects.create(name="Senter A", municipality="By", police_district="oslo")
    user = User.objects.create(username="bench", full_name="Bench", role=Role.ANSATT, centre=centre)
    case = Case.objects.create(centre=centre, reference="B-1", created_by=user)
    mapping = RiskMapping.objects.create(
        centre=centre, case=case, mapped_by=user, mapped_at=clock.now(),
        method=MappingMethod.GUIDANCE_QUESTIONS, result=RiskResult.YES,
    )  # fmt: skip
    book = load_rulebook()
    facts = parse_facts(
        {"risk_of_new_serious_violence": "yes", "factors": {"great_danger": True},
         "suspected_offences": ["straffeloven-271", "straffeloven-274"]},
        rulebook=book,
    )  # fmt: skip
    outcome = evaluate(facts, book)
    consent = Consent.objects.create(
        centre=centre, case=case, police_district=PoliceDistrict.OSLO,
        recipient_unit="Familievoldskoordinator", purpose="Vurdere voldsalarm.",
        categories=["identity", "violence", "risk_mapping"], form="written",
        given_at=clock.now(), recorded_by=user,
    )  # fmt: skip
    InformationRecord.objects.create(
        centre=centre, case=case, kind="police_options", given_by=user, given_at=clock.now(),
        language="norsk",
    )  # fmt: skip
    PoliceContact.objects.create(
        centre=centre, case=case, status="planned", contact_at=clock.now(),
        police_district=PoliceDistrict.OSLO, contact_role="family_violence_coordinator",
        channel="phone", shared_categories=["identity"], legal_ground="consent",
        ground_valid=True, consent=consent, recorded_by=user,
    )  # fmt: skip

    def make_assessment(at: dt.datetime) -> int:
        return int(
            Assessment.objects.create(
                centre=centre,
                case=case,
                assessed_by=user,
                assessed_at=at,
                risk_mapping=mapping,
                user_participated=True,
                suspected_offences=list(facts.suspected_offences),
                facts=facts.to_dict(),
                outcome=outcome.to_dict("nb"),
                rulebook_id=book.id,
                rulebook_version=book.version,
                police_involvement=outcome.police_involvement,
                next_step=outcome.next_step,
                next_reassessment_on=at.date() + dt.timedelta(days=7),
            ).pk
        )

    return case, make_assessment


if __name__ == "__main__":
    raise SystemExit(main())
