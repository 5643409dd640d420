"""Issue 14 point 9: the access report for the user is grouped per day, role, action and reason,
with the count and the times, so that forty openings of the case are one line, not pages of
"the case was opened". In nb, nn and en, read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.documents.conftest import pdf_objects, pdf_text, save_screenshot
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record
from vern.cases.models import Case
from vern.core import clock
from vern.documents import render
from vern.documents.selectors import access_events
from vern.documents.texts import Translator, language

pytestmark = pytest.mark.django_db
LANGS = ("nb", "nn", "en")
VIEWS = 40


@pytest.fixture
def viewed_case(ansatt: User, leder: User, full_case: Case) -> Case:
    if connection.vendor == "postgresql":
        # The fixture back-dates audit events, which PostgreSQL's append-only trigger refuses
        # (as it should); the grouping itself is database-independent and runs on SQLite.
        pytest.skip("back-dating audit events is refused on PostgreSQL (append-only)")
    for _ in range(VIEWS):
        audit_record(
            action=AuditAction.CASE_VIEWED, actor=ansatt, centre=full_case.centre,
            object_type="case", object_id=full_case.pk,
        )  # fmt: skip
    audit_record(
        action=AuditAction.CASE_VIEWED, actor=leder, centre=full_case.centre,
        object_type="case", object_id=full_case.pk,
    )  # fmt: skip
    # Three openings the day before.
    yesterday = clock.now() - dt.timedelta(days=1)
    for _ in range(3):
        event = audit_record(
            action=AuditAction.CASE_VIEWED, actor=ansatt, centre=full_case.centre,
            object_type="case", object_id=full_case.pk,
        )  # fmt: skip
        AuditEvent.objects.filter(seq=event.seq).update(at=yesterday)
    return full_case


def _pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "access.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(next(li for li in info.stdout.splitlines() if li.startswith("Pages:")).split()[1])


@pytest.mark.parametrize("lang", LANGS)
def test_the_same_action_by_the_same_role_on_one_day_is_one_line_with_its_count(
    lang: str, viewed_case: Case, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    events = list(access_events(case=viewed_case))
    pdf = render.access_report_pdf(viewed_case, lang, events=events, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    save_screenshot(pdf, f"access_report-grouped-{lang}", tmp_path)
    # One line per day for the staff member's openings, one for the manager's.
    assert text.count(t("action.case_viewed")) == 3
    groups = [
        (day.date, g.role, g.action, g.count)
        for day in render.access_days(events, lang)
        for g in day.groups
        if g.action == t("action.case_viewed")
    ]
    today = render.date_text(lang, clock.now())
    yesterday = render.date_text(lang, clock.now() - dt.timedelta(days=1))
    assert groups == [
        (today, t("access.role_ansatt"), t("action.case_viewed"), VIEWS),
        (today, t("access.role_leder"), t("action.case_viewed"), 1),
        (yesterday, t("access.role_ansatt"), t("action.case_viewed"), 3),
    ]
    assert f" {VIEWS} " in text
    assert t("access.count", count=len(events)) in text
    assert text.index(today) < text.index(yesterday)  # newest day first
    assert t("access.day_count", count=3) in text
    assert t("access.grouped") in text
    assert _pages(pdf, tmp_path) == 1
    assert b"/StructTreeRoot" in pdf_objects(pdf)


def test_every_time_stays_in_the_group(viewed_case: Case) -> None:
    events = list(access_events(case=viewed_case))
    days = render.access_days(events, "nb")
    counts = sum(group.count for day in days for group in day.groups)
    times = sum(
        int(time.split("×")[1]) if "×" in time else 1
        for day in days
        for group in day.groups
        for time in group.times.split(", ")
    )
    assert counts == times == len(events)
