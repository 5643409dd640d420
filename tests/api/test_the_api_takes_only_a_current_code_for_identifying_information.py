"""Issue 15 point 1, the API's side: sharing identifying information through the API needs a
one-time code in ``X-Vern-OTP`` on that very request. A code from the app older than
VERN_STEP_UP_SECONDS is refused, a code is taken once, and a fresh step-up in the same person's
browser session never stands in for the header."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP

from tests.api.conftest import Api
from tests.api.test_casework_through_the_api_uses_the_services import REPRISAL, _contact
from tests.factories import current_totp, login_verified
from vern.accounts.models import User
from vern.accounts.models import VernTOTPDevice as TOTPDevice
from vern.cases.models import Case

pytestmark = pytest.mark.django_db

IDENTIFYING = _contact(
    legal_ground="duty_to_avert",
    shared_categories=["identity", "violence"],
    duty_to_avert_offences=["straffeloven-274"],
    duty_to_avert_why="Utøveren har sagt at det skjer i kveld.",
    avert_action="report",
    avert_action_note="Ringte operasjonssentralen.",
    necessity_why="Politiet trengte navnet for å verne brukeren i kveld.",
    reprisal_check=REPRISAL,
)


def _code_from(user: User, *, seconds_ago: int) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.time = time.time() - seconds_ago
    return f"{generator.token():0{device.digits}d}"


def _share(api: Api, case: Case, code: str | None) -> int:
    headers = {"X-Vern-OTP": code} if code is not None else {}
    body = IDENTIFYING | {"contact_at": _contact()["contact_at"]}
    return int(api.post(f"/cases/{case.pk}/police-contacts", body, headers).status_code)


@pytest.fixture
def case(ansatt: User) -> Case:
    from vern.cases import services as case_services

    return case_services.case_create(acting_user=ansatt, reference="API-OTP-1")


def test_a_code_older_than_the_step_up_window_is_refused(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    old = _code_from(ansatt, seconds_ago=settings.VERN_STEP_UP_SECONDS + 30)

    assert _share(ansatt_api, case, old) == 403


def test_a_code_from_within_the_form_window_is_refused_too(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    """The API has no form window: a code ten minutes old is as good as none."""
    old = _code_from(ansatt, seconds_ago=600)

    assert _share(ansatt_api, case, old) == 403


def test_the_current_code_is_accepted_once(ansatt_api: Api, ansatt: User, case: Case) -> None:
    code = current_totp(ansatt)

    assert _share(ansatt_api, case, code) == 201
    assert _share(ansatt_api, case, code) == 403  # a code is spent when used


def test_a_fresh_step_up_in_the_browser_does_not_stand_in_for_the_header(
    ansatt_api: Api, ansatt: User, case: Case
) -> None:
    browser = Client()
    login_verified(browser, ansatt)  # the code at login counts as a step-up on the web
    api_in_browser = Api(browser, ansatt_api.token)

    assert _share(api_in_browser, case, None) == 403
