"""Building blocks for the assessment tests: cases, children, mappings, consent records."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping

from vern.accounts.models import User
from vern.assessments import services
from vern.assessments.models import Assessment, RiskMapping
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild
from vern.consent.models import Consent, InformationRecord
from vern.core import clock

_seq = itertools.count(1)


def make_case(user: User) -> Case:
    return case_services.case_create(acting_user=user, reference=f"V-{next(_seq)}")


def make_child(user: User, case: Case, label: str = "Barn 1") -> CaseChild:
    return case_services.child_add(acting_user=user, case=case, label=label, birth_year=2018)


def map_user(user: User, case: Case, result: str = "no", **kwargs: object) -> RiskMapping:
    return services.risk_mapping_record(
        acting_user=user,
        case=case,
        method=str(kwargs.pop("method", "guidance_questions")),
        result=result,
        **kwargs,  # type: ignore[arg-type]
    )


def assess(
    user: User,
    case: Case,
    mapping: RiskMapping | None,
    factors: Mapping[str, bool] | None = None,
    offences: tuple[str, ...] = (),
) -> Assessment:
    return services.assessment_record(
        acting_user=user,
        case=case,
        risk_mapping=mapping,
        factors=factors or {},
        user_participated=True,
        user_view="Hun vil tenke på det.",
        staff_judgement="Vi ser behov.",
        suspected_offences=offences,
    )


def inform(user: User, case: Case, at: dt.datetime | None = None) -> InformationRecord:
    """The user was told about public prosecution (G5, G15): factor 8."""
    return InformationRecord.objects.create(
        centre_id=case.centre_id,
        case=case,
        kind="public_prosecution",
        given_by=user,
        given_at=at or clock.now() - dt.timedelta(minutes=5),
        language="nb",
    )


def consent_to_police(
    user: User,
    case: Case,
    *,
    form: str = "written",
    given_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
) -> Consent:
    """A consent to the police (G3, C1): factor 7."""
    return Consent.objects.create(
        centre_id=case.centre_id,
        case=case,
        recipient_kind="police",
        purpose="Vurdere sikkerhetstiltak",
        categories=["identity", "violence"],
        form=form,
        verbal_witness="Kollega" if form == "verbal" else "",
        verbal_reason="Ikke tid" if form == "verbal" else "",
        given_at=given_at or clock.now() - dt.timedelta(minutes=1),
        expires_at=expires_at,
        recorded_by=user,
    )
