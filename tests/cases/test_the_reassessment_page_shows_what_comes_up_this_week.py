"""Issue 14: "Kommer denne uken" on the reassessment page: the open cases' next reassessments
(G8) and the last days of their consents (C1) in the seven days after today, by date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.documents.conftest import make_consent
from vern.accounts.models import User
from vern.cases import services
from vern.cases.models import Case
from vern.core import clock
from vern.desk import selectors

pytestmark = pytest.mark.django_db


def _case(user: User, reference: str, *, reassess_in: int | None) -> Case:
    case = services.case_create(acting_user=user, reference=reference)
    if reassess_in is not None:
        case.next_reassessment_on = clock.today() + dt.timedelta(days=reassess_in)
        case.save(update_fields=["next_reassessment_on"])
    return case


def _ends_after(days: int) -> dt.datetime:
    """The exclusive end of a consent whose last day is ``days`` after today (C1)."""
    day = clock.today() + dt.timedelta(days=days + 1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def test_the_coming_week_lists_reassessments_and_consents_after_today_sorted_by_date(
    ansatt: User,
) -> None:
    _case(ansatt, "today", reassess_in=0)  # on "Skal revurderes i dag", not here
    in_three = _case(ansatt, "in-three", reassess_in=3)
    in_seven = _case(ansatt, "in-seven", reassess_in=7)
    _case(ansatt, "in-eight", reassess_in=8)
    _case(ansatt, "overdue", reassess_in=-1)
    closed = _case(ansatt, "closed", reassess_in=2)
    services.case_close(acting_user=ansatt, case=closed, reason="other")
    consent_case = _case(ansatt, "consent", reassess_in=None)
    make_consent(ansatt, consent_case, expires_at=_ends_after(1))
    make_consent(ansatt, consent_case, expires_at=_ends_after(9))  # outside the week
    withdrawn = _case(ansatt, "withdrawn", reassess_in=None)
    make_consent(ansatt, withdrawn, expires_at=_ends_after(2), withdrawn_at=clock.now())
    ends_today = _case(ansatt, "ends-today", reassess_in=None)
    make_consent(ansatt, ends_today, expires_at=_ends_after(0))

    rows = selectors.coming_up(cases=Case.objects.for_user(ansatt))
    assert [(row.case.reference, row.kind) for row in rows] == [
        ("consent", "consent_expiry"),
        ("in-three", "reassessment"),
        ("in-seven", "reassessment"),
    ]
    today = clock.today()
    assert [row.on for row in rows] == [
        today + dt.timedelta(days=1),
        in_three.next_reassessment_on,
        in_seven.next_reassessment_on,
    ]


def test_a_consent_and_a_reassessment_on_the_same_day_both_stand_reassessment_first(
    ansatt: User,
) -> None:
    case = _case(ansatt, "both", reassess_in=4)
    make_consent(ansatt, case, expires_at=_ends_after(4))
    rows = selectors.coming_up(cases=Case.objects.for_user(ansatt))
    assert [row.kind for row in rows] == ["reassessment", "consent_expiry"]
    assert rows[0].on == rows[1].on


def test_the_reassessment_page_shows_the_coming_week_of_the_centre_only(
    ansatt_client: Client, ansatt: User, other_centre: object
) -> None:
    from tests.factories import make_user
    from vern.accounts.models import Role

    _case(ansatt, "Uke-1", reassess_in=2)
    stranger = make_user(Role.ANSATT, other_centre)  # type: ignore[arg-type]
    _case(stranger, "KANARI-uke", reassess_in=2)
    html = ansatt_client.get("/saker/revurdering/").content.decode()
    section = html[html.index('id="coming-up-h"') :]
    assert "Kommer denne uken" in html
    assert "Uke-1" in section
    assert "revurdering" in section
    assert "KANARI-uke" not in html


def test_an_empty_coming_week_says_so(ansatt_client: Client) -> None:
    html = ansatt_client.get("/saker/revurdering/").content.decode()
    assert "Ingenting de neste sju dagene." in html
