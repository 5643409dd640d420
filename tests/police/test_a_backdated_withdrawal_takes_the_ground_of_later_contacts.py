"""C1: a consent withdrawn with a moment in the past stops covering anything from that moment.
A done police contact under it at or after the moment did not have a valid ground after all:
``contact_ground_lost`` (called by the withdrawal) marks it not valid, with the reason, and
opens one deviation for the leader in the same transaction (reality is never refused, it is
flagged). The contact page and the case panel then say "Nei" with the reason, never "Ja" next
to the open deviation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.police.conftest import hours_ago, record
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases.models import Case, CaseEvent
from vern.consent.models import Consent
from vern.police import services, withdrawal
from vern.police.models import Deviation, DeviationKind, PoliceContact

pytestmark = pytest.mark.django_db

REASON = "Samtykket var trukket tilbake da kontakten skjedde (C1)."


def _minute(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def _withdraw_last_night(user: User, consent: Consent) -> None:
    withdrawal.consent_withdraw_with_contacts(
        acting_user=user, consent=consent, withdrawn_at=_minute(hours_ago(14)), manner="phone"
    )


def _dd(html: str, label: str) -> str:
    """The <dd> after the <dt> ``label`` on a page."""
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(.*?)</dd>", html, re.S)
    assert match is not None, label
    return match.group(1)


def test_c1_a_contact_after_a_backdated_withdrawal_loses_its_ground_with_one_deviation(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    before = record(ansatt, case, consent=valid_consent, contact_at=hours_ago(20))
    after = record(ansatt, case, consent=valid_consent, contact_at=hours_ago(2))
    assert after.ground_valid is True

    _withdraw_last_night(ansatt, valid_consent)

    after.refresh_from_db()
    before.refresh_from_db()
    assert after.ground_valid is False
    assert before.ground_valid is True  # before the stated moment the consent held
    deviation = Deviation.objects.get(case=case)
    assert deviation.police_contact_id == after.pk
    assert deviation.kind == DeviationKind.CONTACT_WITHOUT_GROUND
    assert deviation.reasons == ["withdrawn"]
    assert deviation.is_open


def test_c1_the_contact_page_says_not_valid_with_the_reason(
    ansatt_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, consent=valid_consent, contact_at=hours_ago(2))
    _withdraw_last_night(ansatt, valid_consent)

    html = ansatt_client.get(f"/saker/{case.pk}/politi/{contact.pk}/").content.decode()

    ground = _dd(html, "Gyldig grunnlag")
    assert ground.startswith("Nei")
    assert "Ja" not in ground
    assert REASON in ground
    assert html.count("Åpent avvik") == 1


def test_c1_the_case_panel_says_not_valid_with_the_reason(
    ansatt_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, consent=valid_consent, contact_at=hours_ago(2))
    _withdraw_last_night(ansatt, valid_consent)

    html = ansatt_client.get(f"/saker/{case.pk}/").content.decode()

    row = html[html.index(f"/saker/{case.pk}/politi/{contact.pk}/") :]
    row = row[: row.index("</tr>")]
    assert "Nei – åpent avvik" in row
    assert REASON in row
    assert 'data-color="success"' not in row  # no "Ja"
    assert "1 åpent avvik" in html


def test_c1_losing_the_ground_is_audited_with_codes_and_on_the_timeline(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, consent=valid_consent, contact_at=hours_ago(2))
    _withdraw_last_night(ansatt, valid_consent)

    event = AuditEvent.objects.get(
        action="police_contact_recorded", object_id=str(contact.pk), reason="ground_lost"
    )
    assert event.details == {
        "status": "done",
        "ground": "consent",
        "ground_valid": False,
        "was_valid": True,
        "cause": "withdrawn",
    }
    assert CaseEvent.objects.filter(case=case, kind="police_contact_ground_lost").count() == 1
    assert AuditEvent.objects.filter(action="deviation_opened", reason="withdrawn").count() == 1


def test_c1_only_a_done_contact_can_lose_its_ground(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    plan = record(ansatt, case, consent=valid_consent, status="planned", contact_at=hours_ago(-24))
    with pytest.raises(ValidationError):
        services.contact_ground_lost(acting_user=ansatt, contact=plan, reason="withdrawn")
    plan.refresh_from_db()
    assert plan.ground_valid is True
    assert not Deviation.objects.exists()


def test_c1_a_bad_reason_code_changes_nothing(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(ansatt, case, consent=valid_consent, contact_at=hours_ago(2))
    with pytest.raises(ValidationError) as info:
        services.contact_ground_lost(acting_user=ansatt, contact=contact, reason="Ikke en kode")
    assert "reason" in info.value.message_dict
    assert PoliceContact.objects.get(pk=contact.pk).ground_valid is True
    assert not Deviation.objects.exists()
