"""A consent the service refuses at the last step (here: the case was closed in another window
while the user was signing) is explained on the user's screen in the screen's language, and
the service's own reason follows for the staff member, in the staff's language and marked as
such (``lang``/``dir``), never as an unmarked Norwegian sentence on an Arabic screen."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import login_verified
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.documents.texts import language

pytestmark = pytest.mark.django_db


def _to_sign(client: Client, case: Case, lang: str) -> None:
    assert client.post(f"/saker/{case.pk}/vurder-sammen/", {"language": lang}).status_code == 302
    for screen, data in (("start", {}), ("danger", {"choice": "yes"}), ("wants", {}),
                         ("report", {"choice": "unsure"}), ("move", {"choice": "no"}),
                         ("police", {}), ("prosecution", {}), ("no", {}),
                         ("consent", {"choice": "yes"})):  # fmt: skip
        client.post(f"/sammen/{screen}/", data)
    assert client.post("/sammen/summary/")["Location"] == "/sammen/saved/"
    scope = client.post(
        "/sammen/scope/",
        {"district": "oslo", "purpose": "x", "categories": ["identity"], "until": "2030-01-31"},
    )
    assert scope["Location"] == "/sammen/sign/"


@pytest.mark.parametrize("lang", ["ar", "en", "nb"])
def test_a_consent_refused_at_signing_is_explained_in_the_screen_language(
    client: Client, ansatt: User, lang: str
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="R-1", language=lang)
    login_verified(client, ansatt)
    _to_sign(client, case, lang)
    case_services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")

    page = client.post("/sammen/sign/", {"name": "A B", "agree": "on"})
    assert page.status_code == 200
    html = page.content.decode()
    assert not Consent.objects.filter(case=case).exists()
    screen = language(lang).texts
    assert screen["together.error_consent_save"] in html
    staff_reason = "Saken er avsluttet og kan ikke endres."  # the staff's language: nb
    if lang == "nb":
        assert f"{screen['together.error_consent_save']} {staff_reason}" in html
        assert f'lang="nb" dir="ltr">{staff_reason}' not in html
    else:
        assert f'<span lang="nb" dir="ltr">{staff_reason}</span>' in html
    # Nothing else on the page says the reason unmarked.
    unmarked = re.sub(r'<span lang="nb" dir="ltr">[^<]*</span>', "", html)
    if lang != "nb":
        assert staff_reason not in unmarked
