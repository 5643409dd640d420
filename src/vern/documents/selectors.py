"""Reads for the documents: the case's access log and the objects a document is made from."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from vern.assessments.models import Assessment
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.consent.models import Consent, ConsentRefusal, InformationRecord, SignedConsentFile
from vern.police.models import Deviation, PoliceContact
from vern.relocation.models import Relocation


def consent_get(*, case: Case, pk: int) -> Consent:
    """A consent of ``case`` (already scoped to the user's centre), else 404."""
    return get_object_or_404(Consent.objects.select_related("case__centre"), case=case, pk=pk)


def assessment_get(*, case: Case, pk: int) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("case__centre"), case=case, pk=pk)


def assessment_newest(*, case: Case) -> Assessment | None:
    return case.assessments.order_by("-assessed_at", "-id").first()


def _child_objects(case: Case) -> dict[str, list[int]]:
    """The case's child objects by the ``object_type`` their audit events use."""
    consents = list(case.consents.values_list("pk", flat=True))
    return {
        "consent": consents,
        "consent_refusal": list(
            ConsentRefusal.objects.filter(case=case).values_list("pk", flat=True)
        ),
        "information_record": list(
            InformationRecord.objects.filter(case=case).values_list("pk", flat=True)
        ),
        "signed_consent_file": list(
            SignedConsentFile.objects.filter(consent_id__in=consents).values_list("pk", flat=True)
        ),
        "assessment": list(case.assessments.values_list("pk", flat=True)),
        "risk_mapping": list(case.risk_mappings.values_list("pk", flat=True)),
        "police_contact": list(
            PoliceContact.objects.filter(case=case).values_list("pk", flat=True)
        ),
        "deviation": list(Deviation.objects.filter(case=case).values_list("pk", flat=True)),
        "relocation": list(Relocation.objects.filter(case=case).values_list("pk", flat=True)),
        "case_child": list(case.children.values_list("pk", flat=True)),
        "reassessment_trigger": list(case.triggers.values_list("pk", flat=True)),
    }


def access_events(*, case: Case) -> QuerySet[AuditEvent]:
    """Every audit event on the case and on its child objects, oldest first (issue 6)."""
    condition = Q(object_type="case", object_id=str(case.pk))
    for object_type, pks in _child_objects(case).items():
        if pks:
            condition |= Q(object_type=object_type, object_id__in=[str(pk) for pk in pks])
    return AuditEvent.objects.filter(condition).select_related("centre").order_by("seq")
