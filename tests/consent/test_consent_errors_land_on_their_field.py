"""Finding 3: an error the consent service raises on its own field name (``expires_at``)
appears on the form's field (``expires_on``, "Gjelder til og med"): inline, linked from the
error summary, worded after the field's label, never only as a loose line in the summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.consent.conftest import inform
from vern.accounts.models import User
from vern.cases.models import Case
from vern.consent.forms import ConsentCreateForm
from vern.consent.models import Consent
from vern.consent.services import EXPIRES_BEFORE_GIVEN
from vern.consent.views import _add_errors
from vern.core import clock

pytestmark = pytest.mark.django_db

DATA = {
    "recipient_kind": "police",
    "police_district": "oslo",
    "purpose": "Vurdere tiltak",
    "categories": ["identity", "violence"],
    "form": "written",
    "written_method": "on_screen",
    "signed_by_name": "Kari",
    "signature_confirmed": "on",
}


def test_c1_a_last_day_before_the_consent_is_an_error_on_that_field(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    inform(ansatt, case, given_at=clock.now() - dt.timedelta(days=3))
    given = timezone.localtime(clock.now() - dt.timedelta(days=1)).replace(hour=12, minute=0)
    day_before = (given - dt.timedelta(days=1)).date()
    data = dict(
        DATA,
        given_at=given.strftime("%Y-%m-%dT%H:%M"),
        expires_on=day_before.isoformat(),
    )
    response = ansatt_client.post(f"/saker/{case.pk}/samtykke/ny/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_expires_on_error"' in html
    assert "«Gjelder til og med» kan ikke være før dagen samtykket ble gitt" in html
    assert 'href="#id_expires_on"' in html  # the summary links to the field
    assert f'value="{day_before.isoformat()}"' in html
    assert not Consent.objects.exists()


def test_c1_the_service_error_on_the_stored_moment_is_mapped_to_the_typed_day() -> None:
    """The view's mapping itself (the service and the form name the field differently)."""
    given = timezone.localtime(clock.now()).replace(hour=12, minute=0, second=0, microsecond=0)
    form = ConsentCreateForm(
        dict(DATA, given_at=given.strftime("%Y-%m-%dT%H:%M"), expires_on=str(given.date()))
    )
    assert form.is_valid(), form.errors
    error = ValidationError("Utløpstidspunktet må være etter …", code=EXPIRES_BEFORE_GIVEN)
    _add_errors(form, ValidationError({"expires_at": error}))
    assert list(form.errors) == ["expires_on"]
    assert "«Gjelder til og med»" in form.errors["expires_on"][0]
    assert not form.non_field_errors()
