"""The main pages whose SQL query counts must not grow with the number of cases (issue 9).

Shared by ``benchmarks/query_counts.py`` (10 vs 100,000 cases) and the fast test
``tests/fuzz/test_query_counts_do_not_grow.py`` (3 vs 30 cases)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vern.accounts.models import Role, User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.consent.models import Consent


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # who opens it: ansatt or leder
    url: Callable[[Case, Assessment], str]


PAGES: tuple[Page, ...] = (
    Page("home", Role.ANSATT, lambda c, a: reverse("desk:home")),
    Page("case list", Role.ANSATT, lambda c, a: reverse("cases:list")),
    Page("reassessment dashboard", Role.ANSATT, lambda c, a: reverse("cases:dashboard")),
    Page("case page", Role.ANSATT, lambda c, a: reverse("cases:detail", kwargs={"pk": c.pk})),
    Page(
        "assessment history",
        Role.ANSATT,
        lambda c, a: reverse("assessments:history", kwargs={"case_pk": c.pk}),
    ),
    Page(
        "assessment page",
        Role.ANSATT,
        lambda c, a: reverse("assessments:detail", kwargs={"case_pk": c.pk, "pk": a.pk}),
    ),
    Page(
        "assessment form",
        Role.ANSATT,
        lambda c, a: reverse("assessments:create", kwargs={"case_pk": c.pk}),
    ),
    Page(
        "consent form",
        Role.ANSATT,
        lambda c, a: reverse("consent:create", kwargs={"case_pk": c.pk}),
    ),
    Page(
        "consent refusal",
        Role.ANSATT,
        lambda c, a: reverse("consent:refusal", kwargs={"case_pk": c.pk}),
    ),
    Page(
        "public prosecution information",
        Role.ANSATT,
        lambda c, a: reverse("consent:inform_prosecution", kwargs={"case_pk": c.pk}),
    ),
    Page("police leader overview", Role.LEDER, lambda c, a: reverse("police_centre:overview")),
)


def probe_case(centre: Centre) -> tuple[Case, Assessment]:
    """An open case of ``centre`` with an assessment, a consent if any has one (the richest
    case page), always the same one for the same data."""
    with system_scope():
        with_consent = Consent.objects.filter(centre=centre).values("case_id")
        assessments = Assessment.objects.filter(centre=centre, case__status="open").order_by("pk")
        assessment = assessments.filter(case_id__in=with_consent).first() or assessments.first()
        if assessment is None:
            msg = f"no open case with an assessment in {centre}: seed more cases"
            raise LookupError(msg)
        return assessment.case, assessment


def query_counts(
    clients: dict[str, Client], case: Case, assessment: Assessment
) -> dict[str, tuple[int, int]]:
    """Page name -> (status, queries) for a second, warm request to each page."""
    counts: dict[str, tuple[int, int]] = {}
    for page in PAGES:
        client = clients[page.role]
        url = page.url(case, assessment)
        client.get(url)  # warm: sessions, caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[page.name] = (response.status_code, len(queries.captured_queries))
    return counts


def staff_of(centre: Centre) -> dict[str, User]:
    """One ansatt and the leder of a seeded centre."""
    users = User.objects.filter(centre=centre).order_by("username")
    return {
        Role.ANSATT: users.filter(role=Role.ANSATT).first(),  # type: ignore[dict-item]
        Role.LEDER: users.filter(role=Role.LEDER).first(),  # type: ignore[dict-item]
    }
