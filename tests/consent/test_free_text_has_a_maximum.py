"""Finding 7: every free-text field of the consent pages has a maximum length. Over it, the
field says how long it may be and how long it is, keeps every character typed (no maxlength
attribute that would cut a paste silently) and nothing is saved. The services refuse the same
for API clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.consent.conftest import inform, local_input, police_consent, withdraw_data
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent import services
from vern.consent.limits import (
    PURPOSE_MAX,
    REFUSAL_REASONS_MAX,
    VERBAL_REASON_MAX,
    WITHDRAWAL_NOTE_MAX,
)
from vern.consent.models import Consent, ConsentRefusal
from vern.core import clock

pytestmark = pytest.mark.django_db

CONSENT = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "purpose": "Vurdere tiltak",
    "categories": ["identity", "violence"],
    "form": "verbal",
    "verbal_witness": "Kollega",
    "verbal_reason": "På telefon",
}


def _assert_too_long(response: object, field: str, limit: int, text: str) -> None:
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert f'id="id_{field}_error"' in html
    assert f"høyst {limit} tegn, og har nå {len(text)}" in html
    assert text in html  # nothing typed is lost
    assert f'maxlength="{limit}"' not in html


@pytest.mark.parametrize(
    ("field", "limit"), [("purpose", PURPOSE_MAX), ("verbal_reason", VERBAL_REASON_MAX)]
)
def test_consent_text_over_its_maximum_is_a_field_error_and_kept(
    ansatt_client: Client, ansatt: User, case: Case, field: str, limit: int
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    text = "ord " * (limit // 4) + "x"
    data = dict(CONSENT, given_at=local_input(clock.now()), **{field: text})
    _assert_too_long(ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", data), field, limit, text)
    assert not Consent.objects.exists()
    # At the maximum it is accepted.
    data[field] = text[:limit]
    assert ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", data).status_code == 302


def test_g13_refusal_reasons_over_the_maximum_are_a_field_error_and_kept(
    ansatt_client: Client, case: Case
) -> None:
    text = "a" * (REFUSAL_REASONS_MAX + 1)
    data = {"refused_at": local_input(clock.now()), "reasons": text}
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/nei/", data)
    _assert_too_long(response, "reasons", REFUSAL_REASONS_MAX, text)
    assert not ConsentRefusal.objects.exists()


def test_c1_a_withdrawal_note_over_the_maximum_is_a_field_error_and_kept(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case)
    consent = police_consent(ansatt, case)
    text = "b" * (WITHDRAWAL_NOTE_MAX + 1)
    url = f"/saker/{case.pk}/samtykke/{consent.pk}/trekk-tilbake/"
    _assert_too_long(
        ansatt_client.post(url, withdraw_data(note=text)), "note", WITHDRAWAL_NOTE_MAX, text
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_services_refuse_text_over_the_maximum_from_api_clients(
    ansatt: User, case: Case
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        police_consent(ansatt, case, purpose="p" * (PURPOSE_MAX + 1))
    assert "purpose" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.consent_refusal_record(
            acting_user=ansatt, case=case, reasons="r" * (REFUSAL_REASONS_MAX + 1),
            information_offered=False,
        )  # fmt: skip
    assert "reasons" in exc.value.message_dict
    consent = police_consent(ansatt, case)
    with pytest.raises(ValidationError) as exc:
        services.consent_withdraw(
            acting_user=ansatt, consent=consent, note="n" * (WITHDRAWAL_NOTE_MAX + 1)
        )
    assert "note" in exc.value.message_dict
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert not ConsentRefusal.objects.exists()
