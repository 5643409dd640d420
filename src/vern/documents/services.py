"""The audit of documents leaving the system (issue 6, issue 7).

Every download is audited in the request's transaction before the bytes leave (fail closed):
a document for the user as ``document_generated``, the case summary as ``export`` (after
step-up), the access report as ``access_report``. Details are codes only, never content."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case
from vern.cases.services import ensure_same_centre, require_case_worker


@transaction.atomic
def document_generated(
    *,
    acting_user: User,
    case: Case,
    document: str,
    lang: str,
    request: HttpRequest | None = None,
    object_pk: int | None = None,
) -> None:
    """A document for the user was made (consent form, information sheet, assessment)."""
    require_case_worker(acting_user)
    ensure_same_centre(case, acting_user)
    details: dict[str, object] = {"document": document, "lang": lang}
    if object_pk is not None:
        details["object"] = object_pk
    audit_record(
        action=AuditAction.DOCUMENT_GENERATED, actor=acting_user, centre=case.centre,
        object_type="case", object_id=case.pk, request=request, details=details,
    )  # fmt: skip


@transaction.atomic
def summary_exported(
    *,
    acting_user: User,
    case: Case,
    lang: str,
    sections: dict[str, bool],
    request: HttpRequest | None = None,
) -> None:
    """The case summary left the system (export after step-up; the sections chosen)."""
    require_case_worker(acting_user)
    ensure_same_centre(case, acting_user)
    details: dict[str, object] = {"document": "case_summary", "lang": lang, **sections}
    audit_record(
        action=AuditAction.EXPORT, actor=acting_user, centre=case.centre,
        object_type="case", object_id=case.pk, request=request, details=details,
    )  # fmt: skip


@transaction.atomic
def access_report_produced(
    *, acting_user: User, case: Case, lang: str, pdf: bool, request: HttpRequest | None = None
) -> None:
    """The access report (innsynslogg) was shown or printed (issue 6 point 3)."""
    require_case_worker(acting_user)
    ensure_same_centre(case, acting_user)
    audit_record(
        action=AuditAction.ACCESS_REPORT, actor=acting_user, centre=case.centre,
        object_type="case", object_id=case.pk, request=request,
        details={"lang": lang, "format": "pdf" if pdf else "page"},
    )  # fmt: skip
