"""Issue 17 point 1: a second screen paired with a short code shown to the staff member.

- The code is shown once, works once and for 10 minutes; a wrong, used or expired code gets the
  same neutral answer with nothing about any case, and wrong codes are throttled per address.
- The paired browser has no account: it reaches the mode's screens for that one case and
  nothing else (the canary of the together tests is in every other field and in another case),
  and what it saves is the user's view with the staff member who paired it as present.
- Ending the pairing (on the staff device, or with the staff code on the paired screen) sends
  the paired browser to the neutral pairing page at its next request; the idle lock holds there.
- Every step is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from tests.factories import backup_code, current_totp, login_verified
from tests.together.test_the_mode_shows_no_other_case_data_and_saves_the_users_view_as_theirs import (  # noqa: E501
    CANARY,
    SCREENS,
    _case_with_canaries,
    _walk_to_summary,
)
from vern.accounts.models import User
from vern.assessments.models import UserView
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.core import clock
from vern.together import services as pairing_services
from vern.together import session as mode_session
from vern.together.models import Pairing

pytestmark = pytest.mark.django_db

NEUTRAL = "Koden virker ikke. Den kan være skrevet feil, brukt eller utløpt."


def _show_code(staff: Client, case: Case) -> str:
    response = staff.post(f"/saker/{case.pk}/vurder-sammen/koble/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'data-testid="pairing-code"[^>]*>([^<]+)<', response.content.decode())
    assert match is not None
    return match.group(1).replace(" ", "")


def _pair(code: str, **extra: str) -> tuple[Client, Any]:
    screen = Client()
    return screen, screen.post("/sammen/koble/", {"code": code, **extra})


def _assert_every_screen_is_clean(screen: Client) -> None:
    for step in SCREENS:
        response = screen.get(f"/sammen/{step}/")
        assert response.status_code == 200, step
        body = response.content.decode()
        assert CANARY not in body, step
        assert "vern-nav" not in body
        assert 'id="quick-exit" href="/konto/forlat/"' in body


def test_the_paired_screen_reaches_only_the_mode_of_that_case_and_saves_as_the_mode_does(
    client: Client, ansatt: User
) -> None:
    case = _case_with_canaries(ansatt)
    other = Case.objects.get(reference=f"R-{CANARY}")
    login_verified(client, ansatt)
    code = _show_code(client, case)
    assert len(code) == 6
    assert not set(code) & set("0O1IL2Z5S8B")
    pairing = Pairing.objects.get(case=case)
    assert pairing.code_hash != code
    assert code not in pairing.code_hash
    assert AuditEvent.objects.filter(action="pairing_created", object_id=str(case.pk)).exists()
    page = Client().get("/sammen/koble/?sprak=en")
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()
    assert 'id="quick-exit" href="/konto/forlat/"' in page.content.decode()

    # Typed in lower case with a space: still the code.
    screen, paired = _pair(f"{code[:3].lower()} {code[3:]}")
    assert (paired.status_code, paired["Location"]) == (302, "/sammen/start/")
    claimed = AuditEvent.objects.get(action="pairing_claimed")
    assert (claimed.actor, claimed.object_id) == (ansatt, str(case.pk))
    assert "_auth_user_id" not in screen.session  # nobody is logged in there

    # Nothing but the mode: the case, another case, the opening page, the desk, the API.
    for path in (f"/saker/{case.pk}/", f"/saker/{other.pk}/", f"/saker/{case.pk}/vurder-sammen/",
                 f"/saker/{other.pk}/vurder-sammen/", "/", "/saker/", "/konto/api-nokler/",
                 f"/saker/{case.pk}/vurder-sammen/koble/{pairing.pk}/", "/api/v1/cases/",
                 "/sammen/koble/"):  # fmt: skip
        response = screen.get(path)
        assert (response.status_code, response["Location"]) == (302, "/sammen/"), path
    before = AuditEvent.objects.filter(action="case_viewed", object_id=str(case.pk)).count()
    _assert_every_screen_is_clean(screen)
    viewed = AuditEvent.objects.filter(action="case_viewed", object_id=str(case.pk))
    assert viewed.count() - before == len(SCREENS)
    assert viewed.last().actor == ansatt  # type: ignore[union-attr]

    _walk_to_summary(screen)
    assert screen.post("/sammen/summary/")["Location"] == "/sammen/saved/"
    view = UserView.objects.get(case=case)
    assert view.present_staff == ansatt
    assert view.answers["danger"] == "yes"

    # The code is used up: a second browser gets the neutral answer.
    _third, again = _pair(code)
    assert again.status_code == 200
    assert NEUTRAL in again.content.decode()
    assert CANARY not in again.content.decode()
    assert "T-17" not in again.content.decode()

    # The staff device sees the pairing and ends it; the screen is neutral at its next request.
    status = client.get(f"/saker/{case.pk}/vurder-sammen/koble/{pairing.pk}/")
    assert "Skjermen er koblet" in status.content.decode()
    ended = client.post(f"/saker/{case.pk}/vurder-sammen/koble/{pairing.pk}/")
    assert ended["Location"] == f"/saker/{case.pk}/"
    assert AuditEvent.objects.filter(action="pairing_ended", actor=ansatt).count() == 1
    locked = screen.get("/sammen/saved/")
    assert locked["Location"] == "/sammen/koble/?slutt=1"
    neutral = screen.get(locked["Location"]).content.decode()
    assert "Skjermen er ikke koblet til noe nå." in neutral
    assert CANARY not in neutral
    assert "Redd hver kveld" not in neutral
    assert screen.get("/sammen/saved/")["Location"].startswith("/konto/logg-inn/")
    assert screen.get(f"/saker/{case.pk}/")["Location"].startswith("/konto/logg-inn/")


def test_an_expired_code_and_a_pairing_of_another_staff_member_are_neutral_refusals(
    client: Client, ansatt: User, leder: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="P-2")
    login_verified(client, ansatt)
    old = _show_code(client, case)
    new = _show_code(client, case)  # a new code ends the one before
    assert _pair(old)[1].status_code == 200
    later = clock.now() + dt.timedelta(minutes=pairing_services.PAIRING_MINUTES, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    _screen, expired = _pair(new)
    assert NEUTRAL in expired.content.decode()
    assert (
        AuditEvent.objects.filter(action="pairing_claim_failed", reason="wrong_code").count() == 2
    )
    # The staff status page of another staff member's pairing is not found.
    pairing = Pairing.objects.filter(case=case).last()
    other_staff = Client()
    login_verified(other_staff, leder)
    assert other_staff.get(f"/saker/{case.pk}/vurder-sammen/koble/{pairing.pk}/").status_code == 404  # type: ignore[union-attr]


def test_wrong_codes_are_throttled_per_address_before_the_code_is_looked_at(
    client: Client, ansatt: User
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="P-3")
    login_verified(client, ansatt)
    code = _show_code(client, case)
    screen = Client(REMOTE_ADDR="203.0.113.7")
    for _n in range(pairing_services.PAIRING_FAILURES_PER_CLIENT):
        refused = screen.post("/sammen/koble/", {"code": "AAAAAA"})
        assert NEUTRAL in refused.content.decode()
    throttled = screen.post("/sammen/koble/", {"code": code})
    assert "For mange feil koder" in throttled.content.decode()
    assert AuditEvent.objects.filter(action="pairing_claim_failed", reason="throttled").count() == 1
    # Another address still pairs with the right code.
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert elsewhere.post("/sammen/koble/", {"code": code})["Location"] == "/sammen/start/"


def test_the_paired_screen_locks_when_idle_and_the_staff_code_finishes_the_pairing(
    client: Client, ansatt: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="P-4")
    login_verified(client, ansatt)
    screen, _paired = _pair(_show_code(client, case), language="nn")
    assert screen.get("/sammen/start/").status_code == 200
    later = clock.now() + dt.timedelta(seconds=mode_session.idle_seconds() + 5)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert screen.get("/sammen/danger/")["Location"] == "/sammen/pause/"
    resumed = screen.post("/sammen/pause/", {"code": backup_code(ansatt), "continue": "1"})
    assert resumed["Location"] == "/sammen/start/"
    finished = screen.post("/sammen/avslutt/", {"code": current_totp(ansatt)})
    assert finished["Location"] == "/sammen/koble/?slutt=1"
    assert Pairing.objects.get(case=case).ended_at is not None
    assert AuditEvent.objects.filter(action="pairing_ended").count() == 1
    assert screen.get("/sammen/start/")["Location"].startswith("/konto/logg-inn/")
