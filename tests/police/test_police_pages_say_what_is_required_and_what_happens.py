"""Wording of the police pages: what will happen (not what has happened) before saving, an
expired consent is not "not yet", fields required only with some answers say when, G9 on the
pages, the leader's review shows what was shared and on which ground, and free text has a
maximum length with a clear error that keeps the text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.police.conftest import (
    AVERT_RECORD,
    OFFENCE_196,
    REPRISAL,
    give_consent,
    hours_ago,
    inform,
    record,
)
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent.models import Consent, InformationCategory
from vern.core import clock
from vern.police.models import Deviation, PoliceContact

pytestmark = pytest.mark.django_db


def _local(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def _url(case: Case) -> str:
    return f"/saker/{case.pk}/politi/ny/"


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": "done",
        "contact_at": _local(hours_ago(1)),
        "police_district": "oslo",
        "contact_role": "family_violence_coordinator",
        "channel": "phone",
        "shared_categories": ["identity"],
        "legal_ground": "consent",
        "reprisal_routes": REPRISAL["routes"],
        "reprisal_risk": REPRISAL["risk"],
        "reprisal_protections": REPRISAL["protections"],
    }
    data.update(overrides)
    return data


def _label_of(html: str, field_id: str) -> str:
    """The text of the label (or legend) of ``field_id``, tags stripped."""
    label = re.search(rf'<label class="ds-label" for="{field_id}">(.*?)</label>', html, re.S)
    if label is None:
        label = re.search(
            rf'<legend class="ds-label">((?:(?!</legend>).)*?)</legend>\s*'
            rf'(?:<p[^>]*id="{field_id}_help"[^>]*>.*?</p>\s*)?'
            rf'<div class="ds-field">\s*<input[^>]*id="{field_id}_0"',
            html,
            re.S,
        )
    assert label is not None, field_id
    return re.sub(r"<[^>]+>", "", label.group(1)).strip()


# --------------------------------------------------------------------------- finding 4


def test_before_saving_the_warning_does_not_say_the_contact_was_recorded(
    ansatt_client: Client, case: Case
) -> None:
    html = ansatt_client.post(_url(case), _form(legal_ground="none")).content.decode()
    assert "Det er ikke valgt noe rettslig grunnlag for kontakten." in html
    assert "ble registrert" not in html
    assert not PoliceContact.objects.exists()


def test_g3_the_form_warns_before_saving_an_anonymous_discussion_naming_the_perpetrator(
    ansatt_client: Client, case: Case
) -> None:
    html = ansatt_client.post(
        _url(case), _form(legal_ground="anonymous", shared_categories=["perpetrator"])
    ).content.decode()
    assert "Kontakten har ikke gyldig rettslig grunnlag" in html
    assert "En anonym drøfting kan bare inneholde hva som har skjedd" in html
    assert not PoliceContact.objects.exists()


def test_a_plan_on_an_expired_consent_says_it_has_expired_not_not_yet(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(case, ansatt, hours_ago(72))
    consent = give_consent(case, ansatt, given_at=hours_ago(48), expires_at=hours_ago(1))
    soon = _local(clock.now() + dt.timedelta(days=1))
    response = ansatt_client.post(
        _url(case), _form(status="planned", contact_at=soon, consent=consent.pk), follow=True
    )
    html = response.content.decode()
    assert "Samtykket har utløpt." in html
    assert "ikke gyldig ennå" not in html
    assert "Planen har ikke gyldig grunnlag ennå" not in html
    assert "Planen har ikke gyldig grunnlag" in html


@pytest.mark.parametrize(
    ("field_id", "when"),
    [
        ("id_consent", "påkrevd ved samtykke"),
        ("id_duty_to_avert_offences", "påkrevd ved avvergeplikt"),
        ("id_duty_to_avert_why", "påkrevd ved avvergeplikt"),
        ("id_reprisal_routes", "påkrevd ved samtykke, avvergeplikt"),
        ("id_reprisal_risk", "påkrevd ved samtykke, avvergeplikt"),
        ("id_reprisal_protections", "påkrevd ved samtykke, avvergeplikt"),
        ("id_reprisal_routes_other", "påkrevd når «Annet» er valgt"),
        ("id_reprisal_protections_other", "påkrevd når «Annet» er valgt"),
    ],
)
def test_a_field_required_only_with_some_answers_says_when_not_optional(
    ansatt_client: Client, case: Case, field_id: str, when: str
) -> None:
    label = _label_of(ansatt_client.get(_url(case)).content.decode(), field_id)
    assert when in label
    assert "valgfritt" not in label


def test_truly_optional_fields_still_say_optional(ansatt_client: Client, case: Case) -> None:
    html = ansatt_client.get(_url(case)).content.decode()
    assert "valgfritt" in _label_of(html, "id_police_unit")
    assert "valgfritt" in _label_of(html, "id_reprisal_note")
    assert "valgfritt" not in _label_of(html, "id_police_district")


# --------------------------------------------------------------------------- finding 2 on pages


def test_g9_a_done_contact_without_the_check_shows_the_errors_with_the_ground_warning(
    ansatt_client: Client, case: Case
) -> None:
    no_check = {"reprisal_routes": [], "reprisal_risk": "", "reprisal_protections": []}
    response = ansatt_client.post(
        _url(case), _form(legal_ground="none", confirm_deviation="on", **no_check)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_reprisal_risk_error"' in html
    assert "Kontakten har ikke gyldig rettslig grunnlag" in html
    assert not PoliceContact.objects.exists()


def test_g9_the_completion_page_asks_for_a_missing_check(
    ansatt_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=clock.now() + dt.timedelta(minutes=1),
        consent=valid_consent,
    )
    PoliceContact.objects.filter(pk=contact.pk).update(reprisal_check={})
    url = f"/saker/{case.pk}/politi/{contact.pk}/gjennomfort/"
    assert 'name="reprisal_risk"' in ansatt_client.get(url).content.decode()
    now = _local(clock.now())
    refused = ansatt_client.post(url, {"contact_at": now})
    assert 'id="id_reprisal_risk_error"' in refused.content.decode()
    done = ansatt_client.post(
        url,
        {
            "contact_at": now,
            "reprisal_routes": REPRISAL["routes"],
            "reprisal_risk": "high",
            "reprisal_protections": REPRISAL["protections"],
        },
    )
    assert done.status_code == 302
    contact.refresh_from_db()
    assert contact.status == "done"
    assert contact.reprisal_check["risk"] == "high"


def test_g9_g11_the_leader_sees_a_duty_to_avert_contact_without_the_check(
    leder_client: Client, ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        legal_ground="duty_to_avert",
        **AVERT_RECORD,
        duty_to_avert_offences=[OFFENCE_196],
        duty_to_avert_why="Han er på vei nå.",
        reprisal_check=None,
    )
    html = leder_client.get("/senter/politi/").content.decode()
    assert "Vurdering av represalier" in html
    assert "Mangler" in html
    detail = leder_client.get(f"/saker/{case.pk}/politi/{contact.pk}/").content.decode()
    assert "Vurderingen av represalier mangler (G9)" in detail


# --------------------------------------------------------------------------- finding 5


def test_the_deviation_review_shows_what_was_shared_the_ground_the_consent_and_why(
    leder_client: Client, ansatt: User, case: Case, valid_consent: Consent
) -> None:
    record(
        ansatt,
        case,
        consent=valid_consent,
        shared_categories=[InformationCategory.IDENTITY, InformationCategory.CHILDREN],
    )
    deviation = Deviation.objects.get(case=case)
    html = leder_client.get(f"/senter/politi/avvik/{deviation.pk}/").content.decode()
    assert "Navn, fødselsdato og kontaktopplysninger" in html
    assert "Opplysninger om barna" in html
    assert "Samtykke (krisesenterlova § 5)" in html
    assert f"Gitt {timezone.localtime(valid_consent.given_at):%-d}." in html
    assert "Samtykket omfatter" in html
    assert "Hva som har skjedd (volden og truslene)" in html  # what the consent covers
    assert "Samtykket omfatter ikke alle opplysningene (C1)." in html


def test_the_deviation_review_of_a_contact_without_consent_says_so(
    leder_client: Client, ansatt: User, case: Case
) -> None:
    record(ansatt, case, legal_ground="none")
    deviation = Deviation.objects.get(case=case)
    html = leder_client.get(f"/senter/politi/avvik/{deviation.pk}/").content.decode()
    assert "Uten gyldig grunnlag" in html
    assert "Intet samtykke er knyttet til kontakten." in html
    assert "Det er ikke valgt noe rettslig grunnlag for kontakten." in html


# --------------------------------------------------------------------------- finding 6


# Choosing "Annet" makes its text field count (otherwise an empty "other" is dropped).
WITH_OTHER = {
    "reprisal_routes_other": {"reprisal_routes": ["other"]},
    "reprisal_protections_other": {"reprisal_protections": ["other"]},
}


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("police_unit", 200),
        ("reprisal_routes_other", 300),
        ("reprisal_protections_other", 300),
        ("reprisal_note", 4000),
        ("duty_to_avert_why", 4000),
        ("outcome_note", 4000),
    ],
)
def test_free_text_over_its_maximum_gets_a_clear_error_and_is_kept(
    ansatt_client: Client, case: Case, valid_consent: Consent, field: str, limit: int
) -> None:
    extra = WITH_OTHER.get(field, {})
    text = "å" * (limit + 1)
    response = ansatt_client.post(
        _url(case), _form(consent=valid_consent.pk, **{field: text}, **extra)
    )
    html = response.content.decode()
    assert response.status_code == 200
    error = re.search(rf'id="id_{field}_error">(.*?)</div>', html, re.S)
    assert error is not None
    assert f"høyst {limit} tegn" in error.group(1)
    assert f"har nå {limit + 1}" in error.group(1)
    assert text in html  # nothing typed is lost
    assert f'maxlength="{limit}"' not in html  # the browser does not cut a pasted text
    assert not PoliceContact.objects.exists()


def test_deviation_texts_have_a_maximum_length(
    ansatt_client: Client, leder_client: Client, ansatt: User, case: Case
) -> None:
    text = "x" * 4001
    response = ansatt_client.post(
        f"/saker/{case.pk}/politi/avvik/ny/", {"reason": "other", "description": text}
    )
    assert 'id="id_description_error"' in response.content.decode()
    assert not Deviation.objects.exists()
    record(ansatt, case, legal_ground="none")
    deviation = Deviation.objects.get(case=case)
    closing = leder_client.post(f"/senter/politi/avvik/{deviation.pk}/", {"comment": text})
    assert 'id="id_comment_error"' in closing.content.decode()
    deviation.refresh_from_db()
    assert deviation.is_open
