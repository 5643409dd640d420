"""Documents as PDF downloads over the API (issue 21): the information sheet, a consent's form,
an assessment explained, the access report and the case summary.

Each is what the web download gives, through the same service (``vern.documents.exports``):
the case and its object in the token owner's centre (404 otherwise), a fresh one-time code in
``X-Vern-OTP`` (403 ``step_up_required``, as for identifying information to the police), the
audit event of the document (``document_generated``, ``export``, ``access_report``) written
before the PDF is made. Documents are read also from a closed case, as on the web.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import P, QueryEx, Router
from pydantic import Field, StrictBool

from vern.accounts.models import User
from vern.api import schemas as s
from vern.api.common import (
    OTP_HEADER,
    READ,
    CaseId,
    ObjectId,
    case_step,
    require_fresh_code,
)
from vern.cases.models import Case
from vern.documents import exports
from vern.documents import render as docs
from vern.documents import selectors as document_selectors
from vern.documents.texts import languages

router = Router(tags=["documents"])

DOCUMENT_LANGS = tuple(languages())
LANG_PATTERN = "^(" + "|".join(DOCUMENT_LANGS) + ")$"
LANG_DESCRIPTION = (
    "The document's language (default: the case's language, or English where the document "
    "does not exist in it). Not every document exists in every language: 422 on `lang`."
)


def _pdf_operation() -> dict[str, Any]:
    """The OpenAPI of a download: a PDF and the step-up header (a fresh copy per operation)."""
    return {
        "responses": {
            200: {
                "description": "The PDF: an attachment, file name without names, never cached",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
        "parameters": [
            {
                "name": OTP_HEADER,
                "in": "header",
                "required": False,
                "description": (
                    "A fresh one-time code (the authenticator app's current code, or a backup "
                    "code); without a valid one: 403 step_up_required."
                ),
                "schema": {"type": "string"},
            }
        ],
    }


LangQuery = QueryEx[str | None, P(pattern=LANG_PATTERN, description=LANG_DESCRIPTION)]


def _pdf(pdf: exports.Pdf) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _prepare(
    request: HttpRequest, case_id: int, kind: docs.DocumentKind, lang: str | None
) -> tuple[User, Case, str]:
    """The steps before a document is made, in this order: the caller, the case of the caller's
    centre (404), the language (422), then the fresh code (403): a code is never spent on a
    request that fails for another reason."""
    user, case = case_step(request, case_id, query=("lang",))
    return user, case, lang or exports.default_lang(case, kind)


def _check(request: HttpRequest, user: User, kind: docs.DocumentKind, lang: str) -> None:
    exports.check_lang(kind, lang)
    require_fresh_code(request, user)


@router.get(
    "/{case_id}/documents/information-sheet",
    response=READ,
    summary="The information sheet for the user (PDF, G5, G13, G15)",
    openapi_extra=_pdf_operation(),
)
def information_sheet(request: HttpRequest, case_id: CaseId, lang: LangQuery = None) -> Any:
    kind = docs.INFORMATION_SHEET
    user, case, code = _prepare(request, case_id, kind, lang)
    _check(request, user, kind, code)
    return _pdf(exports.information_sheet(acting_user=user, case=case, lang=code, request=request))


@router.get(
    "/{case_id}/documents/consent-form/{consent_id}",
    response=READ,
    summary="The form of a registered consent (PDF, C1)",
    openapi_extra=_pdf_operation(),
)
def consent_form(
    request: HttpRequest, case_id: CaseId, consent_id: ObjectId, lang: LangQuery = None
) -> Any:
    kind = docs.CONSENT_FORM
    user, case, code = _prepare(request, case_id, kind, lang)
    consent = document_selectors.consent_get(case=case, pk=consent_id)
    _check(request, user, kind, code)
    return _pdf(
        exports.consent_form(
            acting_user=user, case=case, consent=consent, lang=code, request=request
        )
    )


@router.get(
    "/{case_id}/documents/assessment-explained/{assessment_id}",
    response=READ,
    summary="An assessment explained to the user (PDF)",
    openapi_extra=_pdf_operation(),
)
def assessment_explained(
    request: HttpRequest, case_id: CaseId, assessment_id: ObjectId, lang: LangQuery = None
) -> Any:
    kind = docs.ASSESSMENT_EXPLAINED
    user, case, code = _prepare(request, case_id, kind, lang)
    assessment = document_selectors.assessment_get(case=case, pk=assessment_id)
    _check(request, user, kind, code)
    return _pdf(
        exports.assessment_explained(
            acting_user=user, case=case, assessment=assessment, lang=code, request=request
        )
    )


@router.get(
    "/{case_id}/documents/access-report",
    response=READ,
    summary="The access report of the case: who read or changed it, by role (PDF, issue 6)",
    openapi_extra=_pdf_operation(),
)
def access_report(request: HttpRequest, case_id: CaseId, lang: LangQuery = None) -> Any:
    kind = docs.ACCESS_REPORT
    user, case, code = _prepare(request, case_id, kind, lang)
    _check(request, user, kind, code)
    return _pdf(exports.access_report(acting_user=user, case=case, lang=code, request=request))


class SummaryIn(s.Input):
    """What the summary includes (the web form's choices and defaults). At least one part; the
    destination of a move only with ``relocations`` (422 otherwise)."""

    lang: str | None = Field(default=None, pattern=LANG_PATTERN, description=LANG_DESCRIPTION)
    timeline: StrictBool = True
    assessments: StrictBool = True
    consents: StrictBool = True
    police: StrictBool = True
    relocations: StrictBool = False
    relocation_destination: StrictBool = Field(
        default=False,
        description="Sensitive: the name of the new centre, only with relocations (R1).",
    )
    child_welfare: StrictBool = False


@router.post(
    "/{case_id}/documents/case-summary",
    response=READ,
    summary="The case summary with the parts chosen (PDF, audited as an export)",
    openapi_extra=_pdf_operation(),
)
def case_summary(request: HttpRequest, case_id: CaseId, payload: SummaryIn) -> Any:
    kind = docs.CASE_SUMMARY
    user, case = case_step(request, case_id)
    code = payload.lang or exports.default_lang(case, kind)
    chosen = payload.model_dump(include=set(exports.SUMMARY_CHOICES))
    exports.check_lang(kind, code)
    exports.check_summary_sections(chosen)
    require_fresh_code(request, user)
    return _pdf(
        exports.case_summary(acting_user=user, case=case, lang=code, chosen=chosen, request=request)
    )
