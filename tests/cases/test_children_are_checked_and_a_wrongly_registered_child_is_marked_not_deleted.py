"""Accompanying children (K1): a plausible birth year, one label per child in a case, and a way
to mark a child registered in error - audited, with a reason, never deleting what was saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from vern.accounts.models import User
from vern.assessments import services as assessment_services
from vern.assessments.models import RiskMapping
from vern.audit.models import AuditEvent
from vern.cases import services
from vern.cases.models import Case, CaseChild, CaseEvent
from vern.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(ansatt: User) -> Case:
    return services.case_create(acting_user=ansatt, reference="B-1")


def test_a_birth_year_in_the_future_or_too_far_back_is_refused(ansatt: User, case: Case) -> None:
    year = clock.today().year
    for wrong in (year + 1, 2035, year - 21, 1900):
        with pytest.raises(ValidationError) as info:
            services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=wrong)
        assert "birth_year" in info.value.message_dict
    for right in (year, year - 17, None):
        services.child_add(acting_user=ansatt, case=case, label=f"Barn {right}", birth_year=right)


def test_the_form_names_the_birth_year_and_keeps_the_label(
    ansatt_client: Client, case: Case
) -> None:
    response = ansatt_client.post(
        f"/saker/{case.pk}/barn/", {"label": "Minstemann", "birth_year": "2035"}
    )
    assert response.status_code == 200
    assert "Fødselsåret kan ikke være fram i tid" in " ".join(
        response.context["form"].errors["birth_year"]
    )
    assert 'value="Minstemann"' in response.content.decode()
    assert not case.children.exists()


def test_a_duplicate_label_in_the_same_case_is_refused(ansatt: User, case: Case) -> None:
    services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=None)
    with pytest.raises(ValidationError) as info:
        services.child_add(acting_user=ansatt, case=case, label=" barn 1 ", birth_year=None)
    assert "label" in info.value.message_dict
    other = services.case_create(acting_user=ansatt, reference="B-2")
    services.child_add(acting_user=ansatt, case=other, label="Barn 1", birth_year=None)


def test_marking_a_child_registered_in_error_keeps_the_row_and_is_audited(
    ansatt: User, case: Case
) -> None:
    child = services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=None)
    services.child_remove(
        acting_user=ansatt, case=case, child=child, reason="duplicate", note="Lagt inn to ganger"
    )
    child.refresh_from_db()
    assert child.is_removed
    assert child.removed_by == ansatt
    assert child.removal_reason == "duplicate"
    assert CaseChild.objects.filter(pk=child.pk).exists()
    assert not CaseChild.objects.filter(removed_at__isnull=True, case=case).exists()
    assert CaseEvent.objects.filter(case=case, kind="child_removed", object_id=child.pk).exists()
    event = AuditEvent.objects.get(
        object_type="case_child", object_id=str(child.pk), reason="duplicate"
    )
    assert event.details == {"step": "removed", "had_mapping": False}
    # The label is free again for a child who is in the stay.
    services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=None)
    with pytest.raises(ValidationError):
        services.child_remove(acting_user=ansatt, case=case, child=child, reason="duplicate")


def test_a_mapped_child_is_marked_only_with_confirmation_and_the_mapping_stays(
    ansatt: User, case: Case
) -> None:
    child = services.child_add(acting_user=ansatt, case=case, label="Barn 1", birth_year=None)
    mapping = assessment_services.risk_mapping_record(
        acting_user=ansatt, case=case, child=child, method="guidance_questions", result="no"
    )
    with pytest.raises(ValidationError) as info:
        services.child_remove(acting_user=ansatt, case=case, child=child, reason="wrong_case")
    assert "confirm_mapped" in info.value.message_dict
    child.refresh_from_db()
    assert not child.is_removed
    services.child_remove(
        acting_user=ansatt, case=case, child=child, reason="wrong_case", confirm_mapped=True
    )
    assert RiskMapping.objects.filter(pk=mapping.pk, child=child).exists()
    with pytest.raises(ValidationError) as info:
        assessment_services.risk_mapping_record(
            acting_user=ansatt, case=case, child=child, method="guidance_questions", result="no"
        )
    assert "child" in info.value.message_dict


def test_the_removal_page_asks_for_a_reason_and_hides_the_child_afterwards(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    child = services.child_add(acting_user=ansatt, case=case, label="Feilbarn", birth_year=None)
    url = f"/saker/{case.pk}/barn/feilregistrert/"
    missing = ansatt_client.post(url, {"child": str(child.pk), "note": "x" * 501})
    assert missing.status_code == 200
    errors = missing.context["form"].errors
    assert "reason" in errors
    assert "høyst 500 tegn" in " ".join(errors["note"])
    response = ansatt_client.post(url, {"child": str(child.pk), "reason": "duplicate"})
    assert response.status_code == 302
    page = ansatt_client.get(f"/saker/{case.pk}/").content.decode()
    assert "1 barn er markert som feilregistrert" in page
    assert "Feilbarn (" not in page
    mapping_form = ansatt_client.get(f"/saker/{case.pk}/vurdering/kartlegging/ny/")
    assert "Feilbarn" not in mapping_form.content.decode()
