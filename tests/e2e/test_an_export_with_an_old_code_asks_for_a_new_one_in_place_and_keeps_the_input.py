"""Issue 15 point 1 in the browser: a new API key is an export. The form is opened right after
the login code; six minutes later (a code older than VERN_STEP_UP_SECONDS, inside the form
window) submitting it shows the step-up form in place (axe: 0 violations), and the right code
there creates the key with the name typed before: nothing typed is lost."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Walk, log_in, pass_step_up, time_passes
from tests.factories import make_centre, make_user
from vern.api.models import ApiToken

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Kommunens journalsystem"


def test_a_new_api_key_after_six_minutes_asks_for_a_code_in_place_and_keeps_the_name(
    page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(centre=make_centre())
    walk = Walk(page, "export-step-up-in-place")
    log_in(walk, user)
    page.goto("/konto/api-nokler/ny/")
    expect(page.get_by_role("heading", level=1, name="Lag ny API-nøkkel")).to_be_visible()
    page.get_by_label("Navn på nøkkelen").fill(NAME)
    page.get_by_label("Gyldig i antall dager").fill("14")
    walk.check("token-form")

    time_passes(monkeypatch, 6)
    page.get_by_role("button", name="Lag nøkkel").click()

    expect(page.get_by_text("Det du valgte, er tatt vare på.")).to_be_visible()
    assert not ApiToken.objects.exists()
    pass_step_up(walk, user)
    expect(page.get_by_role("heading", level=1, name="API-nøkler")).to_be_visible()
    expect(page.locator("#new-token")).to_contain_text("vern_")
    walk.check("token-created")
    token = ApiToken.objects.get()
    assert token.name == NAME
    assert (token.expires_at - token.created_at).days in {13, 14}
