"""How fast is the statistics page on a big centre? Builds N cases (default 100,000) with their
assessments, consents, police contacts, deviations and relocations in a fresh temporary SQLite
database (bulk inserts inside system_scope), then requests the statistics page and the CSV as a
logged-in leader and prints the time and the number of database queries of each.

    .venv/bin/python benchmarks/bench_stats.py [--cases N] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BATCH = 5000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of R timings")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vern-bench-stats-") as data_dir:
        for name in ("DATABASE_URL", "VERN_SQLITE_PATH"):
            os.environ.pop(name, None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "vern.settings"
        os.environ["VERN_DATA_DIR"] = data_dir
        os.environ["VERN_ENV"] = "development"
        os.environ["VERN_ALLOWED_HOSTS"] = "testserver,localhost"
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return run(args.cases, args.repeat)


def build(n_cases: int) -> tuple[object, str]:
    """Bulk rows for one centre in the current year; returns the leader and her password."""
    from vern.accounts.models import User
    from vern.accounts.models import VernStaticDevice as StaticDevice
    from vern.accounts.models import VernTOTPDevice as TOTPDevice
    from vern.assessments.models import Assessment, RiskMapping
    from vern.cases.models import Case
    from vern.centres.models import Centre
    from vern.centres.tenancy import system_scope
    from vern.consent.models import Consent, ConsentRefusal
    from vern.core import clock
    from vern.police.models import Deviation, PoliceContact
    from vern.relocation.models import Relocation

    rng = random.Random(8)
    centre = Centre.objects.create(name="Benk", municipality="Oslo", police_district="oslo")
    leader = User(username="leder", role="leder", centre=centre)
    password = "benk-passord-som-er-langt"  # noqa: S105
    leader.set_password(password)
    leader.save()
    TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    device = StaticDevice.objects.create(user=leader, name="backup", confirmed=True)
    device.add_codes([f"benk{n:04d}" for n in range(5)])

    year_start = dt.datetime(clock.today().year, 1, 1, tzinfo=dt.UTC)
    span = max((clock.now() - year_start).total_seconds() - 3600, 3600)

    def when() -> dt.datetime:
        return year_start + dt.timedelta(seconds=rng.uniform(0, span))

    involvements = ["required", "recommended", "not_indicated"]
    steps = [
        "contact_police",
        "obtain_consent",
        "inform_about_public_prosecution",
        "no_police_contact",
    ]
    grounds = ["consent", "consent", "duty_to_avert", "anonymous", "none"]
    t0 = time.perf_counter()
    with system_scope():
        for start in range(0, n_cases, BATCH):
            size = min(BATCH, n_cases - start)
            opened = [when() for _ in range(size)]
            cases = Case.objects.bulk_create(
                [
                    Case(centre=centre, reference=f"B-{start + i}", created_by=leader)
                    for i in range(size)
                ]
            )
            for case, at in zip(cases, opened, strict=True):
                case.opened_at = at
            Case.objects.bulk_update(cases, ["opened_at"])
            mappings = RiskMapping.objects.bulk_create(
                [
                    RiskMapping(
                        centre=centre,
                        case=case,
                        mapped_by=leader,
                        mapped_at=at,
                        method="guidance_questions",
                        result="yes",
                    )
                    for case, at in zip(cases, opened, strict=True)
                ]
            )
            firsts = Assessment.objects.bulk_create(
                [
                    Assessment(
                        centre=centre,
                        case=case,
                        assessed_by=leader,
                        assessed_at=at,
                        risk_mapping=mapping,
                        user_participated=True,
                        facts={},
                        outcome={},
                        rulebook_id="bench",
                        rulebook_version="1.0.0",
                        police_involvement=rng.choice(involvements),
                        next_step=rng.choice(steps),
                        next_reassessment_on=(at + dt.timedelta(days=14)).date(),
                    )
                    for case, mapping, at in zip(cases, mappings, opened, strict=True)
                ]
            )
            later = [
                (first, first.assessed_at + dt.timedelta(days=rng.randint(5, 25)))
                for first in firsts[: size // 2]
            ]
            Assessment.objects.bulk_create(
                [
                    Assessment(
                        centre=centre,
                        case_id=first.case_id,
                        assessed_by=leader,
                        assessed_at=at,
                        risk_mapping_id=first.risk_mapping_id,
                        user_participated=True,
                        facts={},
                        outcome={},
                        rulebook_id="bench",
                        rulebook_version="1.0.0",
                        police_involvement=rng.choice(involvements),
                        next_step=rng.choice(steps),
                        next_reassessment_on=(at + dt.timedelta(days=14)).date(),
                        supersedes=first,
                    )
                    for first, at in later
                ]
            )
            third = cases[: size // 3]
            Consent.objects.bulk_create(
                [
                    Consent(
                        centre=centre,
                        case=case,
                        purpose="Benk",
                        categories=["violence"],
                        form=rng.choice(["written", "written", "verbal"]),
                        given_at=at,
                        withdrawn_at=at + dt.timedelta(days=3) if rng.random() < 0.2 else None,
                        recorded_by=leader,
                    )
                    for case, at in zip(third, opened, strict=False)
                ]
            )
            ConsentRefusal.objects.bulk_create(
                [
                    ConsentRefusal(centre=centre, case=case, recorded_by=leader, refused_at=at)
                    for case, at in zip(cases[size // 3 : size // 2], opened, strict=False)
                ]
            )
            contacts = PoliceContact.objects.bulk_create(
                [
                    PoliceContact(
                        centre=centre,
                        case=case,
                        status="done",
                        contact_at=at + dt.timedelta(days=rng.randint(0, 20)),
                        police_district="oslo",
                        contact_role="investigator",
                        channel="phone",
                        legal_ground=rng.choice(grounds),
                        ground_valid=True,
                        recorded_by=leader,
                    )
                    for case, at in zip(third, opened, strict=False)
                ]
            )
            Deviation.objects.bulk_create(
                [
                    Deviation(
                        centre=centre,
                        case_id=contact.case_id,
                        kind="contact_without_ground",
                        police_contact=contact,
                        opened_at=contact.contact_at,
                        opened_by=leader,
                    )
                    for contact in contacts
                    if contact.legal_ground == "none"
                ]
            )
            Relocation.objects.bulk_create(
                [
                    Relocation(
                        centre=centre,
                        case=case,
                        reason="Benk",
                        destination_name="Annet",
                        destination_police_district="vest",
                        recorded_by=leader,
                    )
                    for case in cases[: size // 50]
                ]
            )
    print(f"built {n_cases:,} cases in {time.perf_counter() - t0:.1f} s", flush=True)
    return leader, password


def run(n_cases: int, repeat: int) -> int:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    leader, password = build(n_cases)
    client = Client()
    client.post("/konto/logg-inn/", {"username": "leder", "password": password})
    client.post("/konto/mfa/", {"code": "benk0000"})
    del leader
    for label, url in (("page", "/statistikk/"), ("csv", "/statistikk/csv/")):
        best = float("inf")
        queries = 0
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - t0
            if response.status_code != 200:
                print(f"{url}: HTTP {response.status_code}")
                return 1
            best = min(best, elapsed)
            queries = len(captured)
        print(f"statistics {label:4}: {best * 1000:8.1f} ms, {queries} queries ({url})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
