"""After a risk mapping is saved the page offers the next step, the joint assessment (issue 14
point 13); a closed case offers none."""

from __future__ import annotations

import pytest
from django.test import Client

from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case

pytestmark = pytest.mark.django_db


def test_saving_a_mapping_leads_to_a_page_with_a_link_to_the_assessment(
    ansatt_client: Client, ansatt: User
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="K-1")
    response = ansatt_client.post(
        f"/saker/{case.pk}/vurdering/kartlegging/ny/",
        {
            "subject": "user",
            "mapped_at": "2026-01-05T10:30",
            "method": "b_safer",
            "result": "yes",
            "reasoning": "Høy risiko.",
        },
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain, page[:2000]
    assert "Neste steg" in page
    assert f'href="/saker/{case.pk}/vurdering/ny/"' in page


def test_a_closed_case_s_mapping_offers_no_next_step(ansatt_client: Client, ansatt: User) -> None:
    from tests.assessments.helpers import map_user

    case = case_services.case_create(acting_user=ansatt, reference="K-2")
    mapping = map_user(ansatt, case, "no")
    case_services.case_close(
        acting_user=ansatt, case=Case.objects.get(pk=case.pk), reason="moved_out_safe"
    )

    page = ansatt_client.get(f"/saker/{case.pk}/vurdering/kartlegging/{mapping.pk}/")

    assert page.status_code == 200
    assert "Gå videre til vurderingen" not in page.content.decode()
