"""Issue 17: "Assess together" on the same device, walked with the test client (no browser).

- A canary string sits in every other field of the case (its name, the staff judgement and the
  staff-typed user view of an assessment, a risk mapping's reasoning, a refusal's reasons), in
  another case of the same centre and in the staff member's name: no screen of the mode shows it.
- The user's answers become a ``UserView`` marked as given by the user in the mode, written
  with its audit event and timeline line; the staff judgement is untouched.
- While the mode is open, every other page of Vern answers with the mode; leaving takes the
  staff member's one-time code; an idle mode locks to a neutral screen (server side).
- The consent is signed on screen with a PNG signature and the text read; without JavaScript
  the typed name and the tick box sign it, stated as such.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from tests.factories import backup_code, current_totp, login_verified
from vern.accounts.models import User
from vern.assessments.factors import TICKED
from vern.assessments.models import Assessment, UserView
from vern.assessments.services import assessment_record, risk_mapping_record
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent.models import Consent, SignedConsentFile, WrittenMethod
from vern.consent.services import consent_refusal_record
from vern.core import clock
from vern.together import session as mode_session

pytestmark = pytest.mark.django_db

CANARY = "KANARIFUGL-17"
SCREENS = ("start", "danger", "wants", "report", "move", "police", "prosecution", "no",
           "consent", "summary")  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _case_with_canaries(ansatt: User) -> Case:
    ansatt.full_name = f"Ansatt {CANARY}"
    ansatt.save()
    case = case_services.case_create(acting_user=ansatt, reference="T-17", name=f"Navn {CANARY}")
    mapping = risk_mapping_record(
        acting_user=ansatt, case=case, method="guidance_questions", result="yes",
        reasoning=f"Begrunnelse {CANARY}", answers={},
    )  # fmt: skip
    assessment_record(
        acting_user=ansatt, case=case, risk_mapping=mapping,
        factors={name: name == "great_danger" for name in TICKED}, user_participated=True,
        user_view=f"Skrevet av ansatt {CANARY}", staff_judgement=f"Vurdering {CANARY}",
        suspected_offences=["straffeloven-263"],
    )  # fmt: skip
    consent_refusal_record(
        acting_user=ansatt, case=case, reasons=f"Grunner {CANARY}", information_offered=True
    )
    case_services.case_create(acting_user=ansatt, reference=f"R-{CANARY}", name=CANARY)
    return case


def _png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "white").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _walk_to_summary(client: Client) -> None:
    client.post("/sammen/start/")
    # A NUL (never from a keyboard; PostgreSQL cannot store it) is dropped, not a 500.
    client.post("/sammen/danger/", {"choice": "yes", "words": "Redd hver kveld\x00"})
    client.post("/sammen/wants/", {"words": "Å være trygg"})
    client.post("/sammen/report/", {"choice": "unsure"})
    client.post("/sammen/move/", {"choice": "no"})
    for screen in ("police", "prosecution", "no"):
        client.post(f"/sammen/{screen}/")
    client.post("/sammen/consent/", {"choice": "yes"})


def test_no_other_case_data_reaches_the_mode_and_the_view_is_saved_as_given_by_the_user(
    client: Client, ansatt: User
) -> None:
    case = _case_with_canaries(ansatt)
    login_verified(client, ansatt)
    opened = client.post(f"/saker/{case.pk}/vurder-sammen/", {"language": "nb"})
    assert opened.status_code == 302
    assert opened["Location"] == "/sammen/start/"
    # The rest of Vern answers with the mode: the case page, the home page, the logout form.
    for path in (f"/saker/{case.pk}/", "/", "/saker/", "/konto/api-nokler/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/sammen/"), path
    before = AuditEvent.objects.filter(action="case_viewed", object_id=str(case.pk)).count()
    pages = []
    for screen in SCREENS:
        response = client.get(f"/sammen/{screen}/")
        assert response.status_code == 200, screen
        pages.append(response.content.decode())
    # Each screen reads the case: one case_viewed event per request (issue 6).
    viewed = AuditEvent.objects.filter(action="case_viewed", object_id=str(case.pk)).count()
    assert viewed - before == len(SCREENS)
    _walk_to_summary(client)
    # Correct an answer from the summary: back to the summary afterwards.
    corrected = client.post("/sammen/move/", {"choice": "yes", "words": "Et annet sted",
                                              "return": "summary"})  # fmt: skip
    assert corrected["Location"] == "/sammen/summary/"
    summary = client.get("/sammen/summary/").content.decode()
    assert "Redd hver kveld" in summary
    assert "Et annet sted" in summary
    pages.append(summary)
    saved = client.post("/sammen/summary/")
    assert saved["Location"] == "/sammen/saved/"
    pages.extend(client.get(f"/sammen/{screen}/").content.decode() for screen in ("saved", "scope"))
    scope = client.post("/sammen/scope/", {"district": "oslo", "purpose": "Vurdere vern",
                                           "categories": ["identity", "violence"]})  # fmt: skip
    assert scope["Location"] == "/sammen/sign/"
    pages.append(client.get("/sammen/sign/").content.decode())
    pages.append(client.get("/sammen/pause/").content.decode())
    for page in pages:
        assert CANARY not in page
        assert "vern-nav" not in page  # no navigation
        assert 'id="quick-exit" href="/konto/forlat/"' in page  # the quick exit, on every screen
    view = UserView.objects.get(case=case)
    assert view.source == "together"
    assert view.answers == {"danger": "yes", "report": "unsure", "move": "yes", "consent": "yes"}
    assert view.words == {"danger": "Redd hver kveld", "wants": "Å være trygg",
                          "move": "Et annet sted"}  # fmt: skip
    assert view.present_staff == ansatt
    assert AuditEvent.objects.filter(action="user_view_given", object_id=str(view.pk)).exists()
    # The staff judgement is untouched: the user's view is a record of its own.
    assert Assessment.objects.filter(case=case).first().staff_judgement == f"Vurdering {CANARY}"


def test_leaving_needs_the_staff_code_and_the_signed_consent_keeps_image_and_text(
    client: Client, ansatt: User
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="T-18", language="en")
    login_verified(client, ansatt)
    client.post(f"/saker/{case.pk}/vurder-sammen/", {"language": "en"})
    _walk_to_summary(client)
    client.post("/sammen/summary/")
    client.post("/sammen/scope/", {"district": "oslo", "purpose": "Protection",
                                   "categories": ["identity"], "until": "2027-01-31"})  # fmt: skip
    refused = client.post("/sammen/sign/", {"name": "", "signature": "data:text/html,x"})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Write your name." in body
    assert "Tick the box to consent." in body
    signed = client.post("/sammen/sign/", {"name": "A User", "agree": "on", "signature": _png()})
    assert signed.status_code == 302, re.findall(
        r"<li>.{0,300}?</li>", signed.content.decode(), re.S
    )
    assert signed["Location"] == "/sammen/signed/"
    consent = Consent.objects.get(case=case)
    assert consent.form == "written"
    assert consent.written_method == WrittenMethod.ON_SCREEN
    assert consent.read_language == "en"
    assert "The consent is in force until and including" not in consent.read_text
    assert "31 January 2027" in consent.read_text
    assert "Protection" in consent.read_text
    image = SignedConsentFile.objects.get(consent=consent)
    assert image.content_type == "image/png"
    # A wrong code keeps the mode; the right one ends it and shows the case again.
    wrong = client.post("/sammen/avslutt/", {"code": "00000000"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert client.get(f"/saker/{case.pk}/")["Location"] == "/sammen/"
    # (the wrong code throttles the backup codes for a while: the app code still works)
    left = client.post("/sammen/avslutt/", {"code": current_totp(ansatt)})
    assert left["Location"] == f"/saker/{case.pk}/"
    page = client.get(f"/saker/{case.pk}/")
    assert page.status_code == 200
    assert consent.signed_by_name == "A User"
    assert "Signert i «Vurder sammen», lest på språket «en»" in page.content.decode()


def test_without_javascript_the_typed_name_and_tick_sign_and_an_idle_mode_locks(
    client: Client, ansatt: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="T-19")
    login_verified(client, ansatt)
    client.post(f"/saker/{case.pk}/vurder-sammen/", {"language": "nb"})
    client.post("/sammen/start/")
    later = clock.now() + dt.timedelta(seconds=mode_session.idle_seconds() + 5)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert client.get("/sammen/danger/")["Location"] == "/sammen/pause/"
    assert client.get("/sammen/danger/")["Location"] == "/sammen/pause/"
    lock = client.get("/sammen/pause/").content.decode()
    assert "Skjermen er låst" in lock
    assert "Redd" not in lock
    # Staff come back long after the lock: the code unlocks, and the mode stays unlocked.
    much_later = later + dt.timedelta(seconds=3 * mode_session.idle_seconds())
    monkeypatch.setattr(clock, "now", lambda: much_later)
    resumed = client.post("/sammen/pause/", {"code": backup_code(ansatt), "continue": "1"})
    assert resumed["Location"] == "/sammen/start/"  # where it was locked
    assert client.get("/sammen/start/").status_code == 200  # not locked again at once
    _walk_to_summary(client)
    client.post("/sammen/summary/")
    client.post("/sammen/scope/", {"district": "oslo", "purpose": "Vern",
                                   "categories": ["identity"]})  # fmt: skip
    signed = client.post("/sammen/sign/", {"name": "Navn Navnesen", "agree": "on"})
    assert signed["Location"] == "/sammen/signed/"
    consent = Consent.objects.get(case=case)
    assert consent.signed_by_name == "Navn Navnesen"
    assert not SignedConsentFile.objects.filter(consent=consent).exists()


def test_the_quick_exit_ends_the_mode_with_its_unsaved_answers(
    client: Client, ansatt: User
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="T-20")
    login_verified(client, ansatt)
    client.post(f"/saker/{case.pk}/vurder-sammen/", {"language": "nb"})
    client.post("/sammen/danger/", {"choice": "yes"})
    assert client.get("/konto/forlat/").status_code == 302
    assert not UserView.objects.filter(case=case).exists()
    assert client.get("/sammen/danger/").status_code == 302  # to the login page


def test_the_case_the_assessment_and_the_explained_document_show_the_users_own_view(
    client: Client, ansatt: User
) -> None:
    from vern.documents.render import assessment_explained_html

    case = case_services.case_create(acting_user=ansatt, reference="T-21")
    login_verified(client, ansatt)
    client.post(f"/saker/{case.pk}/vurder-sammen/", {"language": "nb"})
    _walk_to_summary(client)
    client.post("/sammen/summary/")
    client.post("/sammen/avslutt/", {"code": current_totp(ansatt)})
    page = client.get(f"/saker/{case.pk}/").content.decode()
    assert "Gitt av brukeren selv i «Vurder sammen»" in page
    assert "Redd hver kveld" in page
    mapping = risk_mapping_record(
        acting_user=ansatt, case=case, method="guidance_questions", result="yes", answers={}
    )
    assessment = assessment_record(
        acting_user=ansatt, case=case, risk_mapping=mapping,
        factors=dict.fromkeys(TICKED, False), user_participated=True,
        user_view="Skrevet av den ansatte", staff_judgement="Den ansattes vurdering",
    )  # fmt: skip
    detail = client.get(f"/saker/{case.pk}/vurdering/{assessment.pk}/").content.decode()
    assert "Gitt av brukeren selv i «Vurder sammen»" in detail
    assert "Skrevet av den ansatte" in detail
    explained = assessment_explained_html(assessment, "nb", today=clock.today())
    assert "Det du selv sa" in explained
    assert "Redd hver kveld" in explained
    assert "Den ansattes vurdering" not in explained
