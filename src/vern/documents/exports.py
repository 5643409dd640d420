"""The one audit-then-render path of every document that leaves Vern (issue 7, issue 21).

The web downloads (``vern.documents.views``) and the API (``vern.api.documents``) both call
these: each function writes the document's audit event first, in the caller's transaction,
and only then renders the PDF (fail closed: no event, no document). The caller has already
done the step-up (a fresh one-time code) and found the case and its object in the user's
centre; what it gets back is the PDF and its file name without names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.assessments.models import Assessment
from vern.cases.models import Case
from vern.consent.models import Consent
from vern.core import clock
from vern.documents import render as docs
from vern.documents import selectors, services
from vern.documents.texts import REQUIRED_LANGS, RULEBOOK_FALLBACK_LANG, languages_for

# What a case summary can include (the checkboxes of the web form, the booleans of the API).
SUMMARY_SECTIONS = ("timeline", "assessments", "consents", "police", "relocations", "child_welfare")
SUMMARY_CHOICES = (*SUMMARY_SECTIONS, "relocation_destination")


@dataclass(frozen=True)
class Pdf:
    content: bytes
    filename: str


def offered(kind: docs.DocumentKind, lang: str) -> bool:
    """Whether ``kind`` can be made in ``lang`` (every text it uses exists in that language)."""
    return lang in {language.code for language in languages_for(kind.sections)}


def fallback_lang(code: str) -> str:
    """The language a document is made in when it does not exist in ``code``: the rulebook's
    fallback (English) for other languages, bokmål for nb/nn (which are always complete)."""
    if code in REQUIRED_LANGS:
        return code
    return RULEBOOK_FALLBACK_LANG


def default_lang(case: Case, kind: docs.DocumentKind) -> str:
    """The case's language when ``kind`` exists in it, else its fallback (never silently
    bokmål, G13)."""
    return case.language if offered(kind, case.language) else fallback_lang(case.language)


def check_lang(kind: docs.DocumentKind, lang: str) -> None:
    if not offered(kind, lang):
        raise ValidationError({"lang": _("Dokumentet finnes ikke på dette språket.")})


def check_summary_sections(chosen: Mapping[str, object]) -> None:
    """What a case summary must include: at least one part; the destination of a move only
    with the part on relocation (the destination is sensitive, R1)."""
    if not any(chosen.get(name) for name in SUMMARY_SECTIONS):
        raise ValidationError(_("Velg minst én del som skal være med i sammendraget."))
    if chosen.get("relocation_destination") and not chosen.get("relocations"):
        raise ValidationError(
            {
                "relocation_destination": _(
                    "Flyttemålet kan bare tas med sammen med delen «Flytting»."
                )
            }
        )


def audited_pdf(
    case: Case,
    kind: docs.DocumentKind,
    lang: str,
    *,
    audit: Callable[[], None],
    make_pdf: Callable[[dt.date], bytes],
    object_pk: int | None = None,
) -> Pdf:
    """Audit, then render: the one shape of every document. The audit event is written first:
    if writing it fails, no PDF is made (fail closed)."""
    audit()
    return Pdf(make_pdf(clock.today()), docs.filename(kind, case.pk, lang, object_pk))


def _for_the_user(
    *,
    acting_user: User,
    case: Case,
    kind: docs.DocumentKind,
    lang: str,
    make_pdf: Callable[[dt.date], bytes],
    request: HttpRequest | None,
    object_pk: int | None = None,
) -> Pdf:
    """A document for the user in ``lang``, audited as ``document_generated`` (issue 7)."""
    check_lang(kind, lang)
    return audited_pdf(
        case,
        kind,
        lang,
        audit=lambda: services.document_generated(
            acting_user=acting_user,
            case=case,
            document=kind.code,
            lang=lang,
            request=request,
            object_pk=object_pk,
        ),
        make_pdf=make_pdf,
        object_pk=object_pk,
    )


def information_sheet(
    *, acting_user: User, case: Case, lang: str, request: HttpRequest | None = None
) -> Pdf:
    return _for_the_user(
        acting_user=acting_user,
        case=case,
        kind=docs.INFORMATION_SHEET,
        lang=lang,
        make_pdf=lambda today: docs.information_sheet_pdf(case, lang, today=today),
        request=request,
    )


def consent_form(
    *,
    acting_user: User,
    case: Case,
    consent: Consent,
    lang: str,
    request: HttpRequest | None = None,
) -> Pdf:
    """The form of a registered consent (``consent`` from ``selectors.consent_get``)."""
    return _for_the_user(
        acting_user=acting_user,
        case=case,
        kind=docs.CONSENT_FORM,
        lang=lang,
        make_pdf=lambda today: docs.consent_form_pdf(consent, lang, today=today),
        request=request,
        object_pk=consent.pk,
    )


def assessment_explained(
    *,
    acting_user: User,
    case: Case,
    assessment: Assessment,
    lang: str,
    request: HttpRequest | None = None,
) -> Pdf:
    return _for_the_user(
        acting_user=acting_user,
        case=case,
        kind=docs.ASSESSMENT_EXPLAINED,
        lang=lang,
        make_pdf=lambda today: docs.assessment_explained_pdf(assessment, lang, today=today),
        request=request,
        object_pk=assessment.pk,
    )


def case_summary(
    *,
    acting_user: User,
    case: Case,
    lang: str,
    chosen: Mapping[str, bool],
    request: HttpRequest | None = None,
) -> Pdf:
    """The case summary with the parts ``chosen`` (``SUMMARY_CHOICES``), audited as an export
    with what was chosen."""
    kind = docs.CASE_SUMMARY
    check_lang(kind, lang)
    check_summary_sections(chosen)
    sections = {name: bool(chosen.get(name)) for name in SUMMARY_CHOICES}
    return audited_pdf(
        case,
        kind,
        lang,
        audit=lambda: services.summary_exported(
            acting_user=acting_user, case=case, lang=lang, sections=sections, request=request
        ),
        make_pdf=lambda today: docs.case_summary_pdf(
            case, lang, sections=docs.SummarySections(**sections), today=today
        ),
    )


def access_report(
    *, acting_user: User, case: Case, lang: str, request: HttpRequest | None = None
) -> Pdf:
    """The access report (innsynslogg) as a PDF, audited as ``access_report`` (issue 6)."""
    kind = docs.ACCESS_REPORT
    check_lang(kind, lang)
    return audited_pdf(
        case,
        kind,
        lang,
        audit=lambda: services.access_report_produced(
            acting_user=acting_user, case=case, lang=lang, pdf=True, request=request
        ),
        make_pdf=lambda today: docs.access_report_pdf(
            case, lang, events=selectors.access_events(case=case), today=today
        ),
    )
