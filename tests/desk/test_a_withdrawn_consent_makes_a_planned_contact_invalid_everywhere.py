"""Issue 14 point 1 and issue 22: a planned police contact on a consent that is withdrawn has
no valid ground any more: on its page, in the case page's table and summary, and in
``GET /api/v1/cases/N`` (``ground_valid`` is the *current* validity). One rule says "withdrawn
before this moment" (``consent.selectors.withdrawn_by``): contact times are typed to the
minute, a withdrawal is stamped with seconds, so a contact in the withdrawal's minute counts
as after it (it may have been made after the withdrawal)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import Api
from tests.desk.conftest import minute, plan, summary
from tests.police.conftest import hours_ago, record
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent import selectors as consent_selectors
from vern.consent.models import Consent
from vern.desk.state import case_state
from vern.police import withdrawal
from vern.police.models import Deviation

pytestmark = pytest.mark.django_db


def _dd(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", html, re.S)
    assert match is not None, label
    return match.group(1)


def test_a_withdrawn_consent_makes_the_planned_contact_invalid(
    ansatt: User,
    ansatt_client: Client,
    ansatt_api: Api,
    case: Case,
    valid_consent: Consent,
) -> None:
    contact = plan(ansatt, case, consent=valid_consent)
    assert contact.ground_valid is True
    assert case_state(case=case).pending_contacts[0].ground_valid is True

    withdrawal.consent_withdraw_with_contacts(
        acting_user=ansatt, consent=valid_consent, manner="phone"
    )

    contact.refresh_from_db()
    assert contact.ground_valid is False  # stored in the withdrawal's transaction too
    page = ansatt_client.get(f"/saker/{case.pk}/politi/{contact.pk}/").content.decode()
    assert _dd(page, "Gyldig grunnlag").startswith("Nei")
    case_page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    row = re.search(rf"<tr>\s*<td><a[^>]*/politi/{contact.pk}/.*?</tr>", case_page, re.S)
    assert row is not None
    assert "Nei – planen må rettes" in row.group(0)
    assert 'data-valid="false"' in summary(ansatt_client, case)
    body = ansatt_api.get(f"/cases/{case.pk}").json()
    (api_contact,) = body["police_contacts"]
    assert api_contact["ground_valid"] is False
    assert "withdrawn" in api_contact["reasons"]
    assert body["state"]["pending_contacts"][0]["ground_valid"] is False
    assert "contact_without_ground" in body["state"]["tags"]


def test_a_contact_at_the_exact_moment_of_the_withdrawal_is_not_covered(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    withdrawn_at = minute(timezone.now() - dt.timedelta(hours=3))
    Consent.objects.filter(pk=valid_consent.pk).update(withdrawn_at=withdrawn_at)
    valid_consent.refresh_from_db()
    assert consent_selectors.consent_covers(
        consent=valid_consent, categories=["identity"], at=withdrawn_at
    ) == ["withdrawn"]
    assert consent_selectors.consent_status(consent=valid_consent, at=withdrawn_at) == "withdrawn"
    assert consent_selectors.valid_police_consent(case=case, at=withdrawn_at) is None
    one_before = withdrawn_at - dt.timedelta(minutes=1)
    assert consent_selectors.consent_status(consent=valid_consent, at=one_before) == "active"


def test_a_contact_typed_in_the_minute_of_the_withdrawal_counts_as_after_it(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    """Withdrawn at 14:05:30; a contact typed 14:05 may have been at 14:05:59."""
    typed = minute(timezone.localtime(hours_ago(3)))
    assert not consent_selectors.withdrawn_by(
        typed + dt.timedelta(seconds=30), typed - dt.timedelta(seconds=1)
    )
    assert consent_selectors.withdrawn_by(typed + dt.timedelta(seconds=30), typed)
    done = record(ansatt, case, consent=valid_consent, contact_at=typed)
    assert done.ground_valid is True

    withdrawal.consent_withdraw_with_contacts(
        acting_user=ansatt,
        consent=valid_consent,
        withdrawn_at=typed + dt.timedelta(seconds=30),
        manner="phone",
    )

    done.refresh_from_db()
    assert done.ground_valid is False
    assert Deviation.objects.get(case=case).police_contact_id == done.pk


def test_a_contact_in_the_minute_before_the_withdrawal_keeps_its_ground(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    typed = minute(timezone.localtime(hours_ago(3)))
    done = record(ansatt, case, consent=valid_consent, contact_at=typed - dt.timedelta(minutes=1))
    withdrawal.consent_withdraw_with_contacts(
        acting_user=ansatt, consent=valid_consent, withdrawn_at=typed, manner="phone"
    )
    done.refresh_from_db()
    assert done.ground_valid is True
    assert not Deviation.objects.filter(case=case).exists()
