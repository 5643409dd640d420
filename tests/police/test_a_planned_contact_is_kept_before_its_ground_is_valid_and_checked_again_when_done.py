"""A planned contact is saved even before its ground is valid, and the ground is checked again
when it is marked done (C1); a done contact cannot lie in the future; the outcome takes the
measures from the catalogue (P1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.police.conftest import (
    REPRISAL,
    give_consent,
    hours_ago,
    inform,
    record,
)
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.core import clock
from vern.police import services
from vern.police.models import ContactStatus, Deviation

pytestmark = pytest.mark.django_db


def tomorrow() -> dt.datetime:
    return clock.now() + dt.timedelta(days=1)


def test_a_planned_contact_without_valid_ground_is_kept_without_a_deviation_yet(
    ansatt: User, case: Case
) -> None:
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=tomorrow(),
        consent=None,
        reprisal_check=REPRISAL,
    )
    assert contact.ground_valid is False
    assert not Deviation.objects.filter(case=case).exists()


def test_a_done_contact_cannot_lie_in_the_future(ansatt: User, case: Case) -> None:
    with pytest.raises(ValidationError) as info:
        record(ansatt, case, contact_at=tomorrow(), legal_ground="anonymous", shared_categories=[])
    assert "contact_at" in info.value.message_dict


def test_p1_the_outcome_takes_measures_from_the_catalogue_without_any_report(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(
        ansatt,
        case,
        consent=valid_consent,
        measures_decided=["mobil-voldsalarm"],
        follow_up_on=clock.today() + dt.timedelta(days=7),
        outcome_note="Alarm utlevert.",
    )
    assert contact.measures_decided == ["mobil-voldsalarm"]
    with pytest.raises(ValidationError) as info:
        record(ansatt, case, consent=valid_consent, measures_decided=["finnes-ikke"])
    assert "measures_decided" in info.value.message_dict


def test_completing_a_plan_with_a_valid_consent_records_the_outcome(
    ansatt: User, case: Case, valid_consent: Consent
) -> None:
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=clock.now() + dt.timedelta(minutes=1),
        consent=valid_consent,
        reprisal_check=REPRISAL,
    )
    done = services.police_contact_complete(
        acting_user=ansatt,
        contact=contact,
        contact_at=clock.now(),
        measures_decided=["mobil-voldsalarm"],
        outcome_note="Alarm utlevert.",
    )
    assert done.status == ContactStatus.DONE
    assert done.ground_valid is True
    assert done.measures_decided == ["mobil-voldsalarm"]
    assert not Deviation.objects.filter(case=case).exists()
    with pytest.raises(ValidationError):
        services.police_contact_complete(acting_user=ansatt, contact=done)


def test_c1_consent_withdrawn_between_plan_and_contact_opens_a_deviation_on_completion(
    ansatt: User, case: Case
) -> None:
    inform(case, ansatt, hours_ago(72))
    consent = give_consent(case, ansatt, given_at=hours_ago(48))
    contact = record(
        ansatt,
        case,
        status="planned",
        contact_at=hours_ago(0.5),
        consent=consent,
        reprisal_check=REPRISAL,
    )
    assert contact.ground_valid is True
    consent.withdrawn_at = hours_ago(1)
    consent.save()
    services.police_contact_complete(acting_user=ansatt, contact=contact, confirm_deviation=True)
    contact.refresh_from_db()
    assert contact.ground_valid is False
    assert Deviation.objects.get(case=case).reasons == ["withdrawn"]
