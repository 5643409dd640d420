"""Issue 14: one case walked through consent, a planned police contact, a withdrawal, a new
event, a refusal and closing. After each step the case page's "Hva nå?" summary, the case
list's row and ``GET /api/v1/cases/N`` say the same (they read one derivation,
``vern.desk.state``), in bokmål, nynorsk and English, with axe on every page.

The steps are recorded through the services (the pages for each have their own workflow tests);
this test is about what the readers show afterwards. The case summary PDF, the fourth reader,
says for each pending contact whether its ground is valid, as the state does. Before closing,
the case is moved to another centre in the same Vern and handed over with the user's consent
(R1–R3): the receiving centre's staff see the new case, the sending centre's do not."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.documents.conftest import pdf_text
from tests.e2e.conftest import Walk, log_in
from tests.factories import make_centre, make_user
from tests.police.conftest import REPRISAL, give_consent, inform
from tests.relocation.conftest import handover_consent, plan
from vern.api.services import api_token_create
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent import services as consent_services
from vern.core import clock
from vern.documents import render
from vern.documents.texts import Translator, language
from vern.police import services as police_services
from vern.police import withdrawal
from vern.relocation import handover

pytestmark = pytest.mark.django_db(transaction=True)

LANGS = ("nb", "nn", "en")


def _pdf_agrees(case: Case, state: dict[str, Any], lang: str, tmp_path: Path) -> None:
    """The case summary PDF in ``lang`` says "valid ground: yes" once per pending contact the
    state calls valid, and "no" for the rest (the case has no done contacts here)."""
    t = Translator(language(lang))
    pdf = render.case_summary_pdf(
        case, lang, sections=render.SummarySections(timeline=False), today=clock.today()
    )
    text = pdf_text(pdf, tmp_path)
    valid = sum(1 for c in state["pending_contacts"] if c["ground_valid"])
    assert text.count(t("summary.valid_yes")) == valid, (lang, state["pending_contacts"])
    invalid = len(state["pending_contacts"]) - valid
    assert text.count(f"{t('summary.col_valid')} {t('summary.valid_no')}") == invalid, lang


def _agree(walk: Walk, case: Case, token: str, step: str, **expected: Any) -> None:
    """The summary, the list row, the API and the summary PDF agree on next step, consent,
    tags and contacts."""
    page = walk.page
    tmp_path = Path(tempfile.mkdtemp(prefix="vern-state-"))
    api = page.request.get(f"/api/v1/cases/{case.pk}", headers={"Authorization": f"Bearer {token}"})
    assert api.ok, api.text()
    state = api.json()["state"]
    for key, value in expected.items():
        assert state[key] == value, (step, key, state[key])
    for lang in LANGS:
        page.context.add_cookies([{"name": "django_language", "value": lang, "url": page.url}])
        page.goto(f"/saker/{case.pk}/")
        summary = page.get_by_test_id("case-summary")
        expect(summary).to_be_visible()
        expect(page.get_by_test_id("summary-next-step")).to_have_attribute(
            "data-code", state["next_step"]
        )
        expect(page.get_by_test_id("summary-consent")).to_have_attribute(
            "data-consent", state["consent"]
        )
        shown = summary.locator("[data-tag]").evaluate_all("nodes => nodes.map(n => n.dataset.tag)")
        assert shown == state["tags"], (step, lang, shown)
        for contact in state["pending_contacts"]:
            expect(summary.locator(f"[data-contact='{contact['id']}']")).to_have_attribute(
                "data-valid", "true" if contact["ground_valid"] else "false"
            )
        if state["open_triggers"]:
            expect(page.get_by_test_id("summary-trigger")).to_be_visible()
        walk.check(f"{step}-case-{lang}")
        page.goto("/saker/")
        row = page.locator(f"tr[data-case='{case.pk}']")
        listed = row.locator("[data-tag]").evaluate_all("nodes => nodes.map(n => n.dataset.tag)")
        assert listed == state["tags"], (step, lang, listed)
        walk.check(f"{step}-list-{lang}")
        _pdf_agrees(case, state, lang, tmp_path)


def test_one_case_shows_the_same_state_on_its_page_in_the_list_and_in_the_api(
    page: Any,
) -> None:
    centre = make_centre()
    user = make_user(centre=centre)
    token = api_token_create(acting_user=user, name="e2e", days=1).raw
    walk = Walk(page, "case-state")
    log_in(walk, user)
    case = case_services.case_create(acting_user=user, reference="Tilstand 1")

    # Consent: informed first (G5, G15), then a written consent to the police.
    inform(case, user, clock.now() - dt.timedelta(hours=2))
    consent = give_consent(case, user, given_at=clock.now() - dt.timedelta(hours=1))
    _agree(walk, case, token, "consent", consent="active", tags=[])

    # A planned contact on the consent, tomorrow: valid.
    police_services.police_contact_record(
        acting_user=user,
        case=case,
        data=police_services.ContactInput(
            status="planned",
            contact_at=clock.now() + dt.timedelta(days=1),
            police_district="oslo",
            contact_role="family_violence_coordinator",
            channel="phone",
            shared_categories=["identity"],
            legal_ground="consent",
            consent=consent,
            reprisal_check=REPRISAL,
        ),
        confirm_deviation=True,
    )
    _agree(walk, case, token, "planned", consent="active", tags=[])

    # Withdrawal: the plan has no valid ground any more, everywhere.
    withdrawal.consent_withdraw_with_contacts(acting_user=user, consent=consent, manner="phone")
    _agree(walk, case, token, "withdrawn", consent="withdrawn", tags=["contact_without_ground"])

    # A new event: reassess now.
    case_services.trigger_add(acting_user=user, case=case, kind="perpetrator_contact")
    _agree(
        walk,
        case,
        token,
        "new-event",
        next_step="reassess",
        reassess_now=True,
        tags=["trigger", "contact_without_ground"],
    )

    # A refusal: a state of the case until a consent is given.
    consent_services.consent_refusal_record(
        acting_user=user, case=case, reasons="Vil tenke på det.", information_offered=True
    )
    _agree(
        walk,
        case,
        token,
        "refused",
        consent="refused",
        tags=["trigger", "contact_without_ground", "refused"],
    )

    # The summary reflows at 320 px (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/saker/{case.pk}/")
    expect(page.get_by_test_id("case-summary")).to_be_visible()
    walk.check("refused-case-320")

    # A move to another centre in the same Vern (R1-R3): pending until it is completed; the
    # handover with the user's consent creates the case there with only what it covers.
    receiving = make_centre("Mottakersenteret")
    receiver = make_user(centre=receiving)
    move = plan(user, case, destination_name="", destination_centre=receiving)
    _agree(
        walk,
        case,
        token,
        "relocation",
        pending_relocation=True,
        tags=["trigger", "contact_without_ground", "refused", "relocation"],
    )
    handover_consent(user, case, recipient_unit=receiving.name)
    handover.relocation_hand_over(acting_user=user, relocation=move, reference="Mottatt 1")
    received = Case.objects.for_user(receiver).get()
    assert received.reference == "Mottatt 1"
    assert not Case.objects.for_user(user).filter(pk=received.pk).exists()
    assert page.request.get(f"/saker/{received.pk}/").status == 404

    # Closing: the close page lists the planned contact; a closed case has no live tags.
    page.goto(f"/saker/{case.pk}/avslutt/")
    expect(page.get_by_test_id("close-live")).to_be_visible()
    walk.check("close-page-320")
    page.set_viewport_size({"width": 1280, "height": 800})
    walk.check("close-page")
    page.get_by_role("radio").first.check()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Avslutt saken").click()
    expect(page.locator("h1 + .ds-tag")).to_have_text("Avsluttet")
    _agree(walk, case, token, "closed", closed=True, next_step="closed", tags=[])
