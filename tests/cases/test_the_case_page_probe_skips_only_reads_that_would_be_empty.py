"""The case page asks once which of its often-empty row sets (refusals, police contacts,
deviations, relocations, concerns, notifications, the user's views, triggers) have any row of
the case, and skips the reads of the empty ones (``vern.cases.panels.CaseReads.has_rows``,
issue 19). Skipping must change nothing but the number of queries: for every seeded case the
page is the same with the probe as with every read made."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.fuzz.helpers import login_seeded
from vern.bench.pages import staff_of
from vern.bench.seed import seed
from vern.cases.models import Case
from vern.cases.panels import CaseReads
from vern.centres.models import Centre

pytestmark = pytest.mark.django_db

_VARYING = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def _page(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return _VARYING.sub("", response.content.decode()), len(queries)


def test_the_page_is_the_same_with_the_probe_as_with_every_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(cases=14, centres=1, audit_events=10)
    centre = Centre.objects.get()
    client = login_seeded(Client(), staff_of(centre)["ansatt"])
    saved = 0
    for case in Case.objects.filter(centre=centre).order_by("pk"):
        url = reverse("cases:detail", kwargs={"pk": case.pk})
        client.get(url)  # warm
        with monkeypatch.context() as patch:
            patch.setattr(CaseReads, "has_rows", lambda self, key: True)
            every_read, all_queries = _page(client, url)
        probed, fewer = _page(client, url)
        assert probed == every_read, case.reference
        assert fewer <= all_queries + 1  # the probe itself, at most
        saved += all_queries + 1 - fewer
    assert saved > 0  # some seeded case has an empty row set the probe skipped
