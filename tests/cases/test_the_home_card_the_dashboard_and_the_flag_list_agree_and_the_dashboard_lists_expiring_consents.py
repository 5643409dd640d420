"""G8: the home page's card "Ny hendelse krever revurdering", the dashboard list and
``/saker/?flag=trigger`` count the same cases (finding 6: the card counted every open case,
also those without any trigger); the dashboard's "Samtykke utløper" list shows the consent's
last day, not the case's reassessment date (finding 5, C1), and lists only the cases whose
consent expires soon."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.utils import timezone, translation

from tests.documents.conftest import make_assessment, make_consent
from vern.accounts.models import User
from vern.cases import services
from vern.cases.models import Case, ReassessmentTrigger
from vern.core import clock
from vern.desk import selectors as desk_selectors

pytestmark = pytest.mark.django_db


def _trigger(user: User, case: Case) -> ReassessmentTrigger:
    return services.trigger_add(acting_user=user, case=case, kind="new_threat")


def test_g8_the_home_card_the_dashboard_and_the_flag_list_count_the_same_cases(
    ansatt_client: Client, ansatt: User
) -> None:
    services.case_create(acting_user=ansatt, reference="T-none")  # no trigger at all
    triggered = services.case_create(acting_user=ansatt, reference="T-open")
    _trigger(ansatt, triggered)
    _trigger(ansatt, triggered)  # two triggers, still one case
    resolved = services.case_create(acting_user=ansatt, reference="T-resolved")
    _trigger(ansatt, resolved)
    ReassessmentTrigger.objects.filter(case=resolved).update(
        resolved_by=make_assessment(ansatt, resolved, offences=[])
    )
    closed = services.case_create(acting_user=ansatt, reference="T-closed")
    _trigger(ansatt, closed)
    services.case_close(acting_user=ansatt, case=closed, reason="other")

    home = ansatt_client.get("/").context["counts"]["triggered"]
    dashboard = [c.reference for c in ansatt_client.get("/saker/revurdering/").context["triggered"]]
    listed = [c.reference for c in ansatt_client.get("/saker/?flag=trigger").context["page"]]
    assert home == 1
    assert dashboard == ["T-open"]
    assert listed == ["T-open"]


def test_g8_a_centre_without_triggers_shows_zero_on_the_home_card(
    ansatt_client: Client, ansatt: User
) -> None:
    services.case_create(acting_user=ansatt, reference="U-1")
    services.case_create(acting_user=ansatt, reference="U-2")
    assert desk_selectors.home_counts(user=ansatt)["triggered"] == 0
    html = ansatt_client.get("/").content.decode()
    card = html[html.index("?flag=trigger") :]
    assert re.search(r'class="vern-count">0<', card[:400])


def test_c1_the_expiring_consent_list_shows_the_consents_last_day(
    ansatt_client: Client, ansatt: User
) -> None:
    case = services.case_create(acting_user=ansatt, reference="E-1")
    reassess_on = clock.today() + dt.timedelta(days=40)
    Case.objects.filter(pk=case.pk).update(next_reassessment_on=reassess_on)
    last_day = clock.today() + dt.timedelta(days=5)
    make_consent(
        ansatt,
        case,
        given_at=clock.now() - dt.timedelta(days=30),
        expires_at=timezone.make_aware(
            dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min)
        ),
    )
    response = ansatt_client.get("/saker/revurdering/")
    (row,) = response.context["consent_expiring"]
    assert row.consent_last_day == last_day
    html = response.content.decode()
    section = html[html.index("Samtykke utløper eller har nettopp utløpt") :]
    section = section[: section.index("</section>")]
    with translation.override("nb"):
        shown, reassess_shown = date_filter(last_day, "j. F Y"), date_filter(reassess_on, "j. F Y")
    assert "E-1" in section
    assert f"samtykket gjelder til og med {shown}" in section
    assert reassess_shown not in section


def test_the_dashboard_lists_cases_whose_consent_expires_soon(
    ansatt_client: Client, ansatt: User
) -> None:
    import datetime as dt

    from vern.consent.services import consent_create, information_record
    from vern.core import clock

    case = services.case_create(acting_user=ansatt, reference="Utløper-1")
    information_record(acting_user=ansatt, case=case, kind="public_prosecution", language="nb")
    consent_create(
        acting_user=ansatt,
        case=case,
        recipient_kind="police",
        police_district="oslo",
        purpose="Sikkerhetstiltak",
        categories=["identity"],
        form="written",
        written_method="on_screen",
        signed_by_name="Bruker",
        signature_confirmed=True,
        expires_at=clock.now() + dt.timedelta(days=3),
    )
    services.case_create(acting_user=ansatt, reference="Uten-samtykke")
    html = ansatt_client.get("/saker/revurdering/").content.decode()
    section = html.split("Samtykke utløper eller har nettopp utløpt")[1].split("</section>")[0]
    assert "Utløper-1" in section
    assert "Uten-samtykke" not in section
