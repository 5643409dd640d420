"""Rows for statistics tests and the benchmark, written directly (bulk) inside system_scope.

The statistics only count; they do not care how a row was made, so these builders skip the
services (which the other apps test) and set the timestamps the tests need."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from vern.accounts.models import User
from vern.assessments.models import Assessment, RiskMapping
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope
from vern.consent.models import Consent, ConsentRefusal
from vern.police.models import Deviation, PoliceContact
from vern.relocation.models import Relocation

_seq = itertools.count(1)


def case(centre: Centre, user: User, *, opened_at: dt.datetime | None = None) -> Case:
    with system_scope():
        row = Case.objects.create(centre=centre, reference=f"ST-{next(_seq)}", created_by=user)
        if opened_at is not None:
            Case.objects.filter(pk=row.pk).update(opened_at=opened_at)
            row.opened_at = opened_at
    return row


def mapping(case: Case, user: User, at: dt.datetime) -> RiskMapping:
    with system_scope():
        return RiskMapping.objects.create(
            centre_id=case.centre_id,
            case=case,
            mapped_by=user,
            mapped_at=at,
            method="guidance_questions",
            result="yes",
        )


def assessment(
    case: Case,
    user: User,
    at: dt.datetime,
    *,
    involvement: str = "recommended",
    next_step: str = "obtain_consent",
    next_on: dt.date | None = None,
    supersedes: Assessment | None = None,
    cause: str = "",
) -> Assessment:
    with system_scope():
        risk = RiskMapping.objects.filter(case=case).first() or mapping(case, user, at)
        return Assessment.objects.create(
            centre_id=case.centre_id,
            case=case,
            assessed_by=user,
            assessed_at=at,
            risk_mapping=risk,
            user_participated=True,
            facts={},
            outcome={},
            rulebook_id="test",
            rulebook_version="1.0.0",
            police_involvement=involvement,
            next_step=next_step,
            next_reassessment_on=next_on or (at.date() + dt.timedelta(days=14)),
            supersedes=supersedes,
            cause=cause,
        )


def consent(
    case: Case,
    user: User,
    at: dt.datetime,
    *,
    form: str = "written",
    withdrawn_at: dt.datetime | None = None,
) -> Consent:
    with system_scope():
        return Consent.objects.create(
            centre_id=case.centre_id,
            case=case,
            purpose="Test",
            categories=["violence"],
            form=form,
            given_at=at,
            withdrawn_at=withdrawn_at,
            recorded_by=user,
        )


def refusal(case: Case, user: User, at: dt.datetime) -> ConsentRefusal:
    with system_scope():
        return ConsentRefusal.objects.create(
            centre_id=case.centre_id, case=case, recorded_by=user, refused_at=at
        )


def contact(
    case: Case,
    user: User,
    at: dt.datetime,
    *,
    ground: str = "consent",
    status: str = "done",
) -> PoliceContact:
    with system_scope():
        return PoliceContact.objects.create(
            centre_id=case.centre_id,
            case=case,
            status=status,
            contact_at=at,
            police_district="oslo",
            contact_role="investigator",
            channel="phone",
            legal_ground=ground,
            ground_valid=ground != "none",
            recorded_by=user,
        )


def deviation(
    case: Case, user: User, at: dt.datetime, *, closed_at: dt.datetime | None = None
) -> Deviation:
    with system_scope():
        return Deviation.objects.create(
            centre_id=case.centre_id,
            case=case,
            kind="other",
            opened_at=at,
            opened_by=user,
            closed_at=closed_at,
            closed_by=user if closed_at else None,
        )


def relocation(case: Case, user: User, *, completed_at: dt.datetime | None = None) -> Relocation:
    with system_scope():
        fields: dict[str, Any] = {}
        if completed_at is not None:
            fields = {"status": "completed", "completed_at": completed_at}
        return Relocation.objects.create(
            centre_id=case.centre_id,
            case=case,
            reason="Test",
            destination_name="Et annet senter",
            destination_police_district="vest",
            recorded_by=user,
            **fields,
        )
