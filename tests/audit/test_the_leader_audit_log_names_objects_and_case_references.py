"""Issue 6 point 4: the leader's audit log names each object in words ("Vurdering", "Avvik", not
"assessment 54") and shows the reference of the case it belongs to, looked up only in the
leader's own centre: an event that points at another centre's case never names that case."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.documents.conftest import make_assessment
from tests.factories import make_user

from vern.accounts.models import Role, User
from vern.audit import selectors
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases import services as case_services
from vern.centres.models import Centre

pytestmark = pytest.mark.django_db
URL = "/senter/tilgang/hendelser/"


def test_issue6_objects_are_named_in_words_with_their_case_reference(
    leder_client: Client, ansatt: User
) -> None:
    case = case_services.case_create(acting_user=ansatt, reference="REF-Lyng")
    assessment = make_assessment(ansatt, case, offences=[])
    audit_record(
        action=AuditAction.ASSESSMENT_SAVED, actor=ansatt, centre=case.centre,
        object_type="assessment", object_id=assessment.pk,
    )  # fmt: skip
    audit_record(
        action=AuditAction.CASE_LISTED, actor=ansatt, centre=case.centre, object_type="case_list"
    )
    body = leder_client.get(URL).content.decode()
    assert "Vurdering, <a" in body
    assert ">sak REF-Lyng</a>" in body
    assert f"assessment {assessment.pk}" not in body
    assert f"sak {case.pk}<" not in body  # the reference, not the database id
    assert "<td>Saksliste</td>" in body
    assert "case_list" not in body


def test_issue6_another_centres_case_is_never_named(
    leder_client: Client, leder: User, ansatt: User, other_centre: Centre
) -> None:
    other_staff = make_user(Role.ANSATT, other_centre)
    foreign = case_services.case_create(acting_user=other_staff, reference="KANARI-fremmed")
    # An event of the leader's centre that names another centre's case id (should never
    # happen, but the log must not turn it into that case's reference).
    audit_record(
        action=AuditAction.CASE_VIEWED, actor=ansatt, centre=leder.centre,
        object_type="case", object_id=foreign.pk,
    )  # fmt: skip
    body = leder_client.get(URL).content.decode()
    assert "KANARI-fremmed" not in body
    assert f"Sak nr. {foreign.pk}" in body
    rows = selectors.event_rows(
        leader=leder, events=selectors.centre_events(leader=leder).filter(object_type="case")
    )
    assert all(row.case_reference != "KANARI-fremmed" for row in rows)


@pytest.mark.parametrize(
    ("code", "label"), [("deviation", "Avvik"), ("police_contact", "Politikontakt"),
                        ("case_child", "Medfølgende barn"), ("no_such_type", "Annet objekt")]
)  # fmt: skip
def test_issue6_object_codes_have_words_and_an_unknown_code_is_not_shown_raw(
    code: str, label: str
) -> None:
    assert selectors.object_label(code) == label
