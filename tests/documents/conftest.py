"""Fixtures for the documents (issue 7): a case with an assessment, a consent, a police contact
and a relocation, built directly with the ORM; helpers that read PDFs with poppler-utils."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import current_totp, make_user
from vern.accounts.models import Role, User
from vern.assessments.models import Assessment, MappingMethod, RiskMapping, RiskResult
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre, PoliceDistrict
from vern.consent.models import Consent, ConsentForm, RecipientKind
from vern.core import clock
from vern.police.models import Channel, ContactRole, ContactStatus, LegalGround, PoliceContact
from vern.relocation.models import Relocation
from vern.rules import Rulebook, evaluate, load_rulebook, parse_facts

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "documents"
PURPOSE = "Be politiet vurdere voldsalarm og besøksforbud."
UNIT = "Familievoldskoordinator Oslo sentrum"
DESTINATION = "Fjellby krisesenter HEMMELIG"


def make_assessment(
    user: User,
    case: Case,
    *,
    offences: list[str],
    factors: dict[str, bool] | None = None,
    risk: str = "yes",
    rulebook: Rulebook | None = None,
) -> Assessment:
    """An assessment as the assessments service stores it (facts, nb outcome snapshot), made
    with ``rulebook`` (default: the packaged one)."""
    book = rulebook if rulebook is not None else load_rulebook()
    mapping = RiskMapping.objects.create(
        centre=case.centre, case=case, mapped_by=user, mapped_at=clock.now(),
        method=MappingMethod.GUIDANCE_QUESTIONS, result=RiskResult.YES,
    )  # fmt: skip
    facts = parse_facts(
        {
            "on": clock.today().isoformat(),
            "risk_of_new_serious_violence": risk,
            "factors": factors
            or {"great_danger": True, "needs_police_or_court_safety_measures": True},
            "suspected_offences": offences,
        },
        rulebook=book,
    )
    outcome = evaluate(facts, book)
    return Assessment.objects.create(
        centre=case.centre, case=case, assessed_by=user, assessed_at=clock.now(),
        risk_mapping=mapping, factors=facts.factors.to_dict(), user_participated=True,
        suspected_offences=list(facts.suspected_offences), facts=facts.to_dict(),
        outcome=outcome.to_dict("nb"), rulebook_id=outcome.rulebook_id,
        rulebook_version=outcome.rulebook_version,
        police_involvement=outcome.police_involvement, next_step=outcome.next_step,
        next_reassessment_on=clock.today() + dt.timedelta(days=7),
    )  # fmt: skip


def make_consent(user: User, case: Case, **overrides: object) -> Consent:
    values: dict[str, object] = {
        "centre": case.centre, "case": case, "recipient_kind": RecipientKind.POLICE,
        "police_district": PoliceDistrict.OSLO, "recipient_unit": UNIT, "purpose": PURPOSE,
        "categories": ["identity", "violence", "risk_mapping"], "form": ConsentForm.WRITTEN,
        "given_at": clock.now(), "expires_at": clock.now() + dt.timedelta(days=90),
        "recorded_by": user,
    }  # fmt: skip
    values.update(overrides)
    return Consent.objects.create(**values)


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="D-1")


@pytest.fixture
def assessment(ansatt: User, case: Case) -> Assessment:
    # § 271 (1 year: within the two-year line) and § 274 (10 years: above it).
    return make_assessment(ansatt, case, offences=["straffeloven-271", "straffeloven-274"])


@pytest.fixture
def consent(ansatt: User, case: Case, assessment: Assessment) -> Consent:
    return make_consent(ansatt, case)


@pytest.fixture
def police_contact(ansatt: User, case: Case, consent: Consent) -> PoliceContact:
    return PoliceContact.objects.create(
        centre=case.centre, case=case, status=ContactStatus.DONE, contact_at=clock.now(),
        police_district=PoliceDistrict.OSLO, contact_role=ContactRole.FAMILY_VIOLENCE_COORDINATOR,
        channel=Channel.PHONE, shared_categories=["identity", "violence"],
        legal_ground=LegalGround.CONSENT, ground_valid=True, consent=consent, recorded_by=ansatt,
    )  # fmt: skip


@pytest.fixture
def relocation(ansatt: User, case: Case) -> Relocation:
    return Relocation.objects.create(
        centre=case.centre, case=case, reason="Ikke trygt nok.", destination_name=DESTINATION,
        destination_police_district=PoliceDistrict.VEST, recorded_by=ansatt,
        planned_on=clock.today() + dt.timedelta(days=3),
    )  # fmt: skip


@pytest.fixture
def full_case(
    case: Case,
    assessment: Assessment,
    consent: Consent,
    police_contact: PoliceContact,
    relocation: Relocation,
) -> Case:
    return case


@pytest.fixture
def other_staff(other_centre: Centre) -> User:
    return make_user(Role.ANSATT, other_centre)


@pytest.fixture
def other_case(other_staff: User) -> Case:
    return case_services.case_create(acting_user=other_staff, reference="KANARI-dok")


def step_up(client: Client, user: User) -> None:
    response = client.post(reverse("accounts:step_up"), {"code": current_totp(user)})
    assert response.status_code == 302


# ------------------------------------------------------------------------------ PDF helpers


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    """The PDF's text as ``pdftotext`` extracts it (real text, not images), whitespace joined."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    out = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    return " ".join(out.split())


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (object streams hide the catalogue)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        # A stream whose last byte is a CR loses it to the pattern: inflate what is there
        # (zlib.decompress refused the whole stream, and a tagged PDF looked untagged).
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def save_screenshot(pdf: bytes, name: str, tmp_path: Path) -> list[Path]:
    """Every page as PNG at 60 dpi in artifacts/documents/ (CI keeps artifacts/):
    ``<name>-1.png``, ``<name>-2.png``… (the consent form's signatures are on its last page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob(f"{name}-*.png"):
        stale.unlink()
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    prefix = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(prefix)], check=True)
    pages = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    assert pages, f"pdftoppm made no page image of {name}"
    return pages


def arabic_font_available() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=ar", "family"], capture_output=True, check=False)
    return bool(out.stdout.strip())


# ------------------------------------------------------------------------------ user texts


def doc_text(lang: str, key: str) -> str:
    """A document text (``texts/<lang>.yaml``), whitespace joined as the documents print it."""
    from vern.documents.texts import language

    return language(lang).texts[key]


def consent_text(lang: str, key: str) -> str:
    """A text of ``consent/user_texts.yaml`` in ``lang``; a list of paragraphs is joined."""
    from vern.consent.information import user_texts

    value = user_texts(lang)[key]
    return " ".join(value) if isinstance(value, list) else value


def every_user_text(lang: str) -> dict[str, str]:
    """Every user-facing text in ``lang`` of the files this area owns: the document texts
    (``doc:<key>``) and the consent information texts (``consent:<key>``)."""
    from vern.consent.information import user_texts
    from vern.documents.texts import language

    texts = {f"doc:{key}": text for key, text in language(lang).texts.items()}
    texts.update({f"consent:{key}": consent_text(lang, key) for key in user_texts(lang)})
    return texts
