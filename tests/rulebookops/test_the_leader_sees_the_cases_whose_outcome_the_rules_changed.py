"""The leader sees the cases whose outcome a rulebook upgrade changed, old → new in words
(issue 13 point 6); staff see them on the reassessment list; a joint assessment answers it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import login_verified
from vern.accounts.models import User
from vern.assessments.upgrade import rulebook_upgrade
from vern.cases.models import Case, ReassessmentTrigger
from vern.rules import Rulebook


def test_the_leader_list_shows_old_and_new_in_words(
    client: Client, leder: User, cases: dict[str, Case], modified: Rulebook
) -> None:
    rulebook_upgrade(rulebook=modified)
    login_verified(client, leder)

    page = client.get(reverse("cases:rules_changed")).content.decode()

    assert "A-endres" in page
    assert "B-samme" not in page
    assert "D-annet-senter" not in page  # another centre's case
    assert "1.1.0 → 1.2.0" in page
    assert (
        "«Påkrevd – politiet skal kontaktes» → «Anbefalt – det er grunn til å involvere politiet»"
        in page
    )
    assert (
        "«Kontakt politiet etter avvergeplikten» → «Informer brukeren om offentlig påtale»" in page
    )
    dashboard = client.get(reverse("cases:dashboard")).content.decode()
    assert reverse("cases:rules_changed") in dashboard


def test_staff_see_the_case_on_the_reassessment_list_but_not_the_leader_page(
    client: Client, ansatt: User, cases: dict[str, Case], modified: Rulebook
) -> None:
    rulebook_upgrade(rulebook=modified)
    login_verified(client, ansatt)

    dashboard = client.get(reverse("cases:dashboard")).content.decode()

    assert "A-endres" in dashboard
    assert reverse("cases:rules_changed") not in dashboard
    assert client.get(reverse("cases:rules_changed")).status_code == 403


def test_a_resolved_trigger_leaves_the_leader_list(
    client: Client, leder: User, cases: dict[str, Case], modified: Rulebook
) -> None:
    rulebook_upgrade(rulebook=modified)
    latest = cases["changed"].assessments.first()
    ReassessmentTrigger.objects.filter(case=cases["changed"]).update(resolved_by=latest)
    login_verified(client, leder)

    page = client.get(reverse("cases:rules_changed")).content.decode()

    assert "A-endres" not in page
