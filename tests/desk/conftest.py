"""Fixtures for the desk tests (issue 14): a case with a valid consent to the police, an API
client, helpers to read the case page's summary and the case list row."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import Api, token_for
from tests.police.conftest import (
    hours_ago,
    record,
    valid_consent,  # noqa: F401 (a fixture)
)
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.police.models import PoliceContact


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="S-1")


@pytest.fixture
def ansatt_api(ansatt: User) -> Api:
    return Api(Client(), token_for(ansatt))


def plan(user: User, case: Case, **overrides: Any) -> PoliceContact:
    """A planned contact on consent, tomorrow."""
    values: dict[str, Any] = {"status": "planned", "contact_at": hours_ago(-24)}
    values.update(overrides)
    return record(user, case, **values)


def summary(client: Client, case: Case) -> str:
    """The "what now?" box of the case page."""
    html = client.get(f"/saker/{case.pk}/").content.decode()
    match = re.search(r'<section[^>]*data-testid="case-summary".*?</section>', html, re.S)
    assert match is not None, "no summary on the case page"
    return match.group(0)


def list_row(client: Client, case: Case, query: str = "") -> str:
    html = client.get(f"/saker/{query}").content.decode()
    match = re.search(rf'<tr data-case="{case.pk}">.*?</tr>', html, re.S)
    assert match is not None, "the case is not in the list"
    return match.group(0)


def tags_in(html: str) -> list[str]:
    return re.findall(r'data-tag="([a-z_]+)"', html)


def minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)
