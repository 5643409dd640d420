"""Issue 14 point 9: the case summary shows, per police contact, whether its ground is valid and
the deviations recorded on it (open or closed, with the reason); a move is dated by the day it
happened, the planned day only labelled as planned; the summary never ends on a page that
holds nothing but the closing line. In nb, nn and en, read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from tests.documents.conftest import pdf_objects, pdf_text, save_screenshot
from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent
from vern.centres.models import PoliceDistrict
from vern.consent.models import Consent
from vern.core import clock
from vern.documents import render
from vern.documents.texts import Translator, language
from vern.police.models import (
    Channel,
    ContactRole,
    ContactStatus,
    Deviation,
    DeviationKind,
    LegalGround,
    PoliceContact,
)
from vern.relocation.models import Relocation, RelocationStatus

pytestmark = pytest.mark.django_db
LANGS = ("nb", "nn", "en")
OSLO = dt.timezone(dt.timedelta(hours=1))
MOVED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=OSLO)
PLANNED = dt.date(2026, 11, 24)
MOVED_TEXT = {"nb": "20. november 2026", "nn": "20. november 2026", "en": "20 November 2026"}
PLANNED_TEXT = {"nb": "24. november 2026", "nn": "24. november 2026", "en": "24 November 2026"}
CLOSED = dt.datetime(2026, 11, 26, 9, 0, tzinfo=OSLO)
CLOSED_TEXT = {"nb": "26. november 2026", "nn": "26. november 2026", "en": "26 November 2026"}


@pytest.fixture
def contact_without_ground(ansatt: User, leder: User, full_case: Case) -> PoliceContact:
    """A done contact recorded without a valid ground, with an open and a closed deviation."""
    contact = PoliceContact.objects.create(
        centre=full_case.centre, case=full_case, status=ContactStatus.DONE,
        contact_at=clock.now(), police_district=PoliceDistrict.OSLO,
        contact_role=ContactRole.PATROL, channel=Channel.PHONE, shared_categories=["identity"],
        legal_ground=LegalGround.NONE, ground_valid=False, recorded_by=ansatt,
    )  # fmt: skip
    Deviation.objects.create(
        centre=full_case.centre, case=full_case, kind=DeviationKind.CONTACT_WITHOUT_GROUND,
        police_contact=contact, reasons=["consent_missing"], opened_at=clock.now(),
        opened_by=ansatt,
    )  # fmt: skip
    Deviation.objects.create(
        centre=full_case.centre, case=full_case, kind=DeviationKind.SHARED_OUTSIDE_CONSENT,
        police_contact=contact, reasons=["out_of_scope"], opened_at=clock.now(),
        opened_by=ansatt, closed_at=CLOSED, closed_by=leder,
    )  # fmt: skip
    return contact


def _inline(text: str) -> str:
    return text[:1].lower() + text[1:]


def _summary(case: Case, lang: str, tmp_path: Path, **parts: bool) -> tuple[bytes, str]:
    sections = render.SummarySections(**parts)
    pdf = render.case_summary_pdf(case, lang, sections=sections, today=clock.today())
    return pdf, pdf_text(pdf, tmp_path)


@pytest.mark.parametrize("lang", LANGS)
def test_each_police_contact_says_whether_its_ground_is_valid_and_lists_its_deviations(
    lang: str, full_case: Case, contact_without_ground: PoliceContact, tmp_path: Path
) -> None:
    t = Translator(language(lang))
    pdf, text = _summary(full_case, lang, tmp_path, timeline=False, relocations=True)
    assert t("summary.col_valid") in text
    # The fixture's contact on a valid consent: valid; the contact without a ground: not.
    assert text.count(t("summary.valid_yes")) == 1
    assert f"{t('summary.col_valid')} {t('summary.valid_no')}" in text
    assert t("summary.ground_none") in text
    missing = _inline(t("reason.consent_missing"))
    open_line = f"{t('summary.deviation_contact_without_ground')} ({missing}) – " + t(
        "summary.deviation_open", date=render.date_text(lang, clock.now())
    )
    closed_line = (
        f"{t('summary.deviation_shared_outside_consent')} ({_inline(t('reason.out_of_scope'))}) – "
        + t("summary.deviation_closed", date=CLOSED_TEXT[lang])
    )
    assert open_line in text
    assert closed_line in text
    assert t("summary.no_deviations") in text  # the valid contact has none
    assert b"/StructTreeRoot" in pdf_objects(pdf)
    save_screenshot(pdf, f"case_summary-police-{lang}", tmp_path)


def test_the_validity_comes_from_one_function_the_ground_and_the_contacts_deviation(
    full_case: Case, police_contact: PoliceContact, contact_without_ground: PoliceContact
) -> None:
    assert render._contact_validity(police_contact).valid
    assert not render._contact_validity(contact_without_ground).valid
    assert len(render._contact_validity(contact_without_ground).deviations) == 2
    # A deviation for a contact without a ground makes it invalid even if ground_valid says so.
    Deviation.objects.create(
        centre=full_case.centre, case=full_case, kind=DeviationKind.CONTACT_WITHOUT_GROUND,
        police_contact=police_contact, reasons=["withdrawn"], opened_at=clock.now(),
        opened_by=police_contact.recorded_by,
    )  # fmt: skip
    assert not render._contact_validity(PoliceContact.objects.get(pk=police_contact.pk)).valid


@pytest.mark.parametrize("lang", LANGS)
def test_a_completed_move_is_dated_by_the_day_it_happened_and_the_plan_is_labelled(
    lang: str, full_case: Case, relocation: Relocation, tmp_path: Path
) -> None:
    Relocation.objects.filter(pk=relocation.pk).update(
        status=RelocationStatus.COMPLETED, completed_at=MOVED, planned_on=PLANNED
    )
    t = Translator(language(lang))
    _, text = _summary(
        full_case, lang, tmp_path, timeline=False, assessments=False, consents=False,
        police=False, relocations=True,
    )  # fmt: skip
    moved_at = text.index(MOVED_TEXT[lang])
    assert t("summary.planned_on", date=PLANNED_TEXT[lang]) in text
    assert text.index(t("summary.status_completed")) > moved_at
    # The planned day never stands alone as the move's date.
    assert text.count(PLANNED_TEXT[lang]) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_a_planned_move_is_labelled_as_planned(
    lang: str, full_case: Case, relocation: Relocation, tmp_path: Path
) -> None:
    Relocation.objects.filter(pk=relocation.pk).update(planned_on=PLANNED)
    t = Translator(language(lang))
    _, text = _summary(full_case, lang, tmp_path, timeline=False, relocations=True)
    assert t("summary.planned_on", date=PLANNED_TEXT[lang]) in text


def _page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    pages = int(next(li for li in info.stdout.splitlines() if li.startswith("Pages:")).split()[1])
    texts = []
    for page in range(1, pages + 1):
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],
            check=True, capture_output=True,
        ).stdout.decode("utf-8")  # fmt: skip
        texts.append(" ".join(out.split()))
    return texts


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lines", [2, 33])
def test_the_summary_never_ends_on_a_page_with_only_the_closing_line(
    lang: str, lines: int, ansatt: User, full_case: Case, tmp_path: Path
) -> None:
    for _ in range(lines):
        CaseEvent.objects.create(
            centre=full_case.centre, case=full_case, at=clock.now(), kind="case_updated",
            summary="Saksopplysninger endret", actor=ansatt,
        )  # fmt: skip
    t = Translator(language(lang))
    pdf, _ = _summary(full_case, lang, tmp_path, relocations=True)
    pages = _page_texts(pdf, tmp_path)
    last = pages[-1]
    closing = t("common.questions", centre="Senter A")
    assert closing in last
    footer = f"{t('common.reference', reference='D-1')} {t('common.page')}"
    body = last.replace(closing, "")
    body = body[: body.index(footer)] if footer in body else body
    assert len(body.split()) >= 8, f"page {len(pages)} holds only the closing line: {last!r}"
    if lines == 33:
        save_screenshot(pdf, f"case_summary-long-{lang}", tmp_path)


@pytest.mark.parametrize("lang", LANGS)
def test_a_planned_contact_whose_consent_was_withdrawn_is_not_valid_in_the_summary_or_the_state(
    lang: str, ansatt: User, case: Case, consent: Consent, tmp_path: Path
) -> None:
    """The summary and the case state (page, list, API) judge the ground the same way: a plan
    resting on a consent withdrawn since has no valid ground, even where the stored flag was
    set when the plan was made (issue 14 points 1 and 9)."""
    from vern.desk.state import case_state

    plan = PoliceContact.objects.create(
        centre=case.centre, case=case, status=ContactStatus.PLANNED,
        contact_at=clock.now() + dt.timedelta(days=2), police_district=PoliceDistrict.OSLO,
        contact_role=ContactRole.PATROL, channel=Channel.PHONE, shared_categories=["identity"],
        legal_ground=LegalGround.CONSENT, ground_valid=True, consent=consent, recorded_by=ansatt,
    )  # fmt: skip
    t = Translator(language(lang))
    assert render._contact_validity(plan).valid
    _pdf, text = _summary(case, lang, tmp_path, timeline=False)
    assert text.count(t("summary.valid_yes")) == 1
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=clock.now() - dt.timedelta(hours=1))
    plan = PoliceContact.objects.select_related("consent").get(pk=plan.pk)
    assert plan.ground_valid  # the stored flag, not updated here: the reading must not trust it
    assert not render._contact_validity(plan).valid
    line = next(c for c in case_state(case=case).contacts if c.id == plan.pk)
    assert line.ground_valid is False
    _pdf, text = _summary(case, lang, tmp_path, timeline=False)
    assert t("summary.valid_yes") not in text
    assert f"{t('summary.col_valid')} {t('summary.valid_no')}" in text
