"""R1-R3, C1, issue 7 point 4: the new crisis centre's name leaves in a case summary only when
staff tick "relocation_destination". A canary name is put everywhere it could travel: the
relocation's destination, the recipient of a consent to the new centre, a timeline line, and the
police contact's unit and note. Without the tick it must be in no section of the PDF."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.documents.conftest import make_consent, pdf_text
from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent
from vern.consent.models import RecipientKind
from vern.core import clock
from vern.documents import render
from vern.documents.texts import Translator, language
from vern.police.models import PoliceContact
from vern.relocation.models import Relocation

pytestmark = pytest.mark.django_db

EVERYTHING = {"timeline": True, "assessments": True, "consents": True, "police": True}


@pytest.fixture
def canary(
    ansatt: User, full_case: Case, relocation: Relocation, police_contact: PoliceContact
) -> str:
    name = f"Krisesenteret i Kanari{uuid.uuid4().hex[:8]}"
    Relocation.objects.filter(pk=relocation.pk).update(destination_name=name)
    make_consent(
        ansatt, full_case, recipient_kind=RecipientKind.CRISIS_CENTRE, police_district="",
        recipient_unit=name, categories=["identity", "risk_mapping"],
    )  # fmt: skip
    CaseEvent.objects.create(
        centre=full_case.centre, case=full_case, at=clock.now(), kind="note",
        summary=f"Flytting til {name.upper()} avtalt", actor=ansatt,
    )  # fmt: skip
    PoliceContact.objects.filter(pk=police_contact.pk).update(
        police_unit=f"Politiet ved {name}", outcome_note=f"Avtalt mottak på {name}."
    )
    return name


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("relocations", [False, True])
def test_r1_the_new_centre_is_in_no_section_without_the_explicit_choice(
    lang: str, relocations: bool, full_case: Case, canary: str, tmp_path: Path
) -> None:
    sections = render.SummarySections(**EVERYTHING, relocations=relocations)
    html = render.case_summary_html(full_case, lang, sections=sections, today=clock.today())
    assert canary.lower() not in html.lower()
    pdf = render.case_summary_pdf(full_case, lang, sections=sections, today=clock.today())
    text = pdf_text(pdf, tmp_path).lower()
    assert canary.lower() not in text
    assert canary.rsplit(maxsplit=1)[-1].lower() not in text  # not even the distinctive part
    t = Translator(language(lang))
    assert t("summary.recipient_new_centre") in pdf_text(pdf, tmp_path)  # the consent is listed


def test_c1_with_the_choice_the_new_centre_is_named_in_the_relocation_and_the_consent(
    full_case: Case, canary: str, tmp_path: Path
) -> None:
    sections = render.SummarySections(**EVERYTHING, relocations=True, relocation_destination=True)
    pdf = render.case_summary_pdf(full_case, "nb", sections=sections, today=clock.today())
    text = pdf_text(pdf, tmp_path)
    nb = Translator(language("nb"))
    assert nb("summary.recipient_new_centre_named", unit=canary) in text
    assert text.count(canary) >= 2  # the relocation table and the consents table
