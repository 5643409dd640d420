"""Issue 6 canary test: unique strings put into every free-text field of a case never appear in
the audit table, the logs, error pages or outgoing e-mail."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from tests.factories import login_verified

from vern.accounts.models import User
from vern.assessments.services import assessment_record, risk_mapping_record
from vern.audit.models import AuditEvent
from vern.cases import services as cases
from vern.consent import services as consent
from vern.core import clock
from vern.police import services as police
from vern.relocation import services as relocation

pytestmark = pytest.mark.django_db

REPRISAL = {
    "routes": ["other"],
    "routes_other": "",
    "risk": "high",
    "protections": ["other"],
    "protections_other": "",
    "note": "",
}


def _fill_a_case_with_canaries(staff: User, canary: str) -> int:
    case = cases.case_create(acting_user=staff, reference=f"{canary}-ref", name=f"{canary}-navn")
    child = cases.child_add(acting_user=staff, case=case, label=f"{canary}-barn", birth_year=2019)
    mapping = risk_mapping_record(
        acting_user=staff,
        case=case,
        method="guidance_questions",
        result="yes",
        answers={"why_now": f"{canary}-svar"},
        reasoning=f"{canary}-begrunnelse",
    )
    risk_mapping_record(
        acting_user=staff,
        case=case,
        child=child,
        method="other",
        method_other=f"{canary}-verktoy",
        result="unknown",
        reasoning=f"{canary}-barn-begrunnelse",
    )
    consent.information_record(
        acting_user=staff, case=case, kind="public_prosecution", language=f"{canary}-sprak"[:40]
    )
    given = consent.consent_create(
        acting_user=staff,
        case=case,
        recipient_kind="police",
        police_district="oslo",
        recipient_unit=f"{canary}-enhet",
        purpose=f"{canary}-formal",
        categories=["identity", "violence"],
        form="verbal",
        verbal_witness=f"{canary}-vitne",
        verbal_reason=f"{canary}-hvorfor",
    )
    assessment_record(
        acting_user=staff,
        case=case,
        risk_mapping=mapping,
        factors={"great_danger": True},
        factor_notes={"great_danger": f"{canary}-notat"},
        user_participated=True,
        user_view=f"{canary}-syn",
        staff_judgement=f"{canary}-vurdering",
        suspected_offences=["straffeloven-263"],
    )
    consent.consent_refusal_record(
        acting_user=staff, case=case, reasons=f"{canary}-nei", information_offered=True
    )
    reprisal = dict(
        REPRISAL,
        routes_other=f"{canary}-rute",
        protections_other=f"{canary}-vern",
        note=f"{canary}-represalier",
    )
    police.police_contact_record(
        acting_user=staff,
        case=case,
        data=police.ContactInput(
            status="done",
            contact_at=clock.now(),
            police_district="oslo",
            contact_role="other",
            channel="phone",
            legal_ground="consent",
            shared_categories=["identity"],
            police_unit=f"{canary}-politienhet",
            consent=given,
            reprisal_check=reprisal,
            outcome_note=f"{canary}-utfall",
        ),
    )
    # L1, L2: the records of the no-consent grounds are free text too.
    for ground in ("danger_to_life_or_health", "duty_to_avert"):
        police.police_contact_record(
            acting_user=staff,
            case=case,
            data=police.ContactInput(
                contact_at=clock.now(),
                police_district="oslo",
                contact_role="operations_centre",
                channel="phone",
                legal_ground=ground,
                shared_categories=["identity"],
                duty_to_avert_offences=["straffeloven-274"],
                duty_to_avert_why=f"{canary}-sikkert",
                avert_action="other_way",
                avert_action_note=f"{canary}-avverget",
                necessity_why=f"{canary}-nodvendig",
                danger_what=f"{canary}-fare",
                danger_consent="refused",
                danger_consent_why=f"{canary}-nektet",
                decided_as="staff_leader_told",
                leader_told_at=clock.now(),
                user_not_told_why=f"{canary}-ikke-informert",
                reprisal_check=reprisal,
            ),
        )
    police.deviation_open(
        acting_user=staff,
        case=case,
        reasons=["shared_outside_system"],
        description=f"{canary}-avvik",
    )
    move = relocation.relocation_plan(
        acting_user=staff,
        case=case,
        reason=f"{canary}-grunn",
        destination_name=f"{canary}-flyttemal",
        destination_police_district="vest",
        chosen_with_user=True,
        chosen_with_police=True,
        planned_on=clock.today() + dt.timedelta(days=2),
    )
    relocation.relocation_cancel(acting_user=staff, relocation=move, reason=f"{canary}-avbrutt")
    return case.pk


def _audit_table_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        return "\n".join(repr(row) for row in cursor.fetchall())


def test_case_text_stays_out_of_audit_logs_error_pages_and_email(
    client: Client,
    ansatt: User,
    leder: User,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    canary = f"KANARI{uuid.uuid4().hex[:10]}"
    caplog.set_level(logging.DEBUG)
    case_pk = _fill_a_case_with_canaries(ansatt, canary)

    login_verified(client, ansatt)
    page = client.get(f"/saker/{case_pk}/")
    assert canary in page.content.decode()  # it is there, inside the case page
    client.get(f"/saker/?q={canary}")
    client.post("/saker/ny/", {"reference": f"{canary}-ny", "language": "xx"})

    # An error while a case page is built: the 500 page shows nothing of the case.
    def explode(**kwargs: object) -> None:
        msg = f"{canary} must not reach the error page"
        raise RuntimeError(msg)

    monkeypatch.setattr("vern.cases.views.panels.case_panels", explode)
    client.raise_request_exception = False
    error = client.get(f"/saker/{case_pk}/")
    assert error.status_code == 500
    assert canary not in error.content.decode()

    # E-mail that Vern sends (a reset started by the leader) carries nothing of the case.
    login_verified(Client(), leder)
    leader_client = Client()
    login_verified(leader_client, leder)
    leader_client.post(f"/senter/brukere/{ansatt.pk}/tilbakestill/")
    assert mail.outbox
    for message in mail.outbox:
        assert canary not in message.subject + message.body

    assert AuditEvent.objects.count() > 20
    assert canary not in _audit_table_text()
    # The logs: nothing but the exception message we raised ourselves on purpose.
    logged = "\n".join(
        record.getMessage() for record in caplog.records if "must not reach" not in str(record.msg)
    )
    assert canary not in logged
