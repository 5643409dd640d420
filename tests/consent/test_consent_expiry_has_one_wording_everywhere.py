"""A consent's duration reads the same everywhere (issue 14 point 13, C1): "gjelder til og med"
the inclusive last day, never the stored exclusive moment ("til 16. januar" for a consent that
lasts through 15 January)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import login_verified
from tests.police.conftest import give_consent, hours_ago, record
from vern.accounts.models import User
from vern.cases.models import Case
from vern.police.models import Deviation

pytestmark = pytest.mark.django_db


def test_the_deviation_page_shows_the_consent_s_last_day_inclusive(
    client: Client, ansatt: User, leder: User, case: Case
) -> None:
    last_day = timezone.localdate() + dt.timedelta(days=40)
    midnight = timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()))
    consent = give_consent(
        case, ansatt, given_at=hours_ago(3), categories=["violence"], expires_at=midnight
    )
    record(ansatt, case, consent=consent, shared_categories=["identity"])
    deviation = Deviation.objects.get(case=case)
    login_verified(client, leder)

    page = client.get(f"/senter/politi/avvik/{deviation.pk}/").content.decode()

    shown = f"{last_day.day}. "
    assert re.search(rf"gjelder til og med {shown}", page), page[-3000:]
    assert f"gjelder til {(last_day + dt.timedelta(days=1)).day}. " not in page


def test_no_template_shows_a_consent_s_stored_end_as_a_date() -> None:
    """Every template that shows how long a consent lasts uses consent/_expiry.html."""
    root = Path(__file__).resolve().parents[2] / "src" / "vern" / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if path.name != "_expiry.html"
        and re.search(r"consent\w*\.expires_at\|date", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
