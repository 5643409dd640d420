"""Views of the documents (issue 7) and the access report (issue 6 point 3): thin.

Every view: login + MFA (AccessPolicyMiddleware), case workers only (administrators never see
case content), the case of the user's own centre (404 otherwise). Downloads are PDF
attachments with file names without names, never cached, audited before the bytes leave."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vern.accounts.models import User
from vern.accounts.request import case_worker
from vern.accounts.views import step_up_for_export
from vern.assessments.models import Assessment
from vern.cases import selectors as case_selectors
from vern.cases.models import Case
from vern.consent.forms import ConsentCreateForm, ConsentPrintForm
from vern.consent.selectors import public_prosecution_information
from vern.documents import exports, selectors, services
from vern.documents import render as docs
from vern.documents.exports import fallback_lang
from vern.documents.forms import LanguageForm, SummaryForm, ui_name
from vern.documents.texts import (
    Language,
    languages,
    languages_for,
)

LANG_PARAM = "sprak"


def _case(request: HttpRequest, case_pk: int) -> tuple[User, Case]:
    user = case_worker(request)
    return user, case_selectors.case_get(user=user, pk=case_pk)


def _lang(request: HttpRequest, case: Case, kind: docs.DocumentKind) -> str:
    """The document language: ``?sprak=``, else the case's language; 404 if not offered."""
    code = request.GET.get(LANG_PARAM) or case.language
    if not exports.offered(kind, code):
        raise Http404
    return code


def _pdf(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def index(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The case's documents, with the language chosen for them (default: the case's)."""
    _, case = _case(request, case_pk)
    all_langs = list(languages().values())
    form = LanguageForm(request.GET or None, langs=all_langs, initial={LANG_PARAM: case.language})
    lang = form.cleaned_data[LANG_PARAM] if form.is_bound and form.is_valid() else case.language

    def offered(kind: docs.DocumentKind) -> bool:
        return lang in {language.code for language in languages_for(kind.sections)}

    kinds = {
        "information_sheet": docs.INFORMATION_SHEET,
        "consent_forms": docs.CONSENT_FORM,
        "assessment_explained": docs.ASSESSMENT_EXPLAINED,
        "case_summary": docs.CASE_SUMMARY,
        "access_report": docs.ACCESS_REPORT,
    }
    # A document not available in the chosen language (the Arabic sample covers only the
    # information sheet) is offered in the fallback language, and the page says so: never a
    # silent switch to bokmål (issue 7, G13: information in the user's language).
    fallback = fallback_lang(lang)
    newest = selectors.assessment_newest(case=case)
    context = {
        "case": case,
        "form": form,
        "lang": lang,
        "lang_name": ui_name(languages()[lang], in_text=True) if lang in languages() else lang,
        **{name: offered(kind) for name, kind in kinds.items()},
        "doc_lang": {name: lang if offered(kind) else fallback for name, kind in kinds.items()},
        "fallback": fallback,
        "fallback_name": ui_name(languages()[fallback], in_text=True),
        "consents": [
            {"consent": c, "date": ui_date(c.given_at)}
            for c in case.consents.order_by("-given_at", "-id")
        ],
        "newest_assessment": newest,
        "assessments": [
            {"assessment": a, "label": assessment_link_label(a)}
            for a in case.assessments.order_by("-assessed_at", "-id")
        ],
    }
    return render(request, "documents/index.html", context)


def ui_date(value: dt.datetime) -> str:
    """A date in the staff's language: "1. desember 2026", "1 December 2026"."""
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def ui_when(value: dt.datetime) -> str:
    """A date and time in the staff's language: "1. desember 2026 kl. 14:05",
    "1 December 2026, 14:05" (month names from Django's translations)."""
    local = timezone.localtime(value)
    day = formats.date_format(local, "DATE_FORMAT")
    time = formats.time_format(local, "TIME_FORMAT")
    if (get_language() or "nb").startswith("en"):
        return f"{day}, {time}"
    return f"{day} kl. {time}"


def assessment_link_label(assessment: Assessment) -> str:
    """Which assessment a link explains (issue 14 point 13): its date and time, and whether the
    system made it automatically after a new record (``Assessment.cause``)."""
    when = ui_when(assessment.assessed_at)
    if not assessment.cause:
        return _("Vurderingen %(when)s, forklart (PDF)") % {"when": when}
    causes = {
        "information_given": _("informasjon registrert"),
        "consent_given": _("samtykke registrert"),
        "signed_form_uploaded": _("signert samtykkeskjema lastet opp"),
        "consent_withdrawn": _("samtykke trukket tilbake"),
        "consent_refused": _("nei til samtykke registrert"),
    }
    cause = causes.get(assessment.cause, _("ny registrering"))
    return _(
        "Vurderingen %(when)s, laget automatisk etter en ny registrering (%(cause)s), "
        "forklart (PDF)"
    ) % {"when": when, "cause": cause}


def _audited_pdf(pdf: exports.Pdf) -> HttpResponse:
    """The response of a download: the PDF ``vern.documents.exports`` made after writing its
    audit event (fail closed), as a nameless, uncached attachment."""
    return _pdf(pdf.content, pdf.filename)


@step_up_for_export
def information_sheet(request: HttpRequest, case_pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    lang = _lang(request, case, docs.INFORMATION_SHEET)
    return _audited_pdf(
        exports.information_sheet(acting_user=user, case=case, lang=lang, request=request)
    )


@step_up_for_export
def consent_form(request: HttpRequest, case_pk: int, consent_pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    consent = selectors.consent_get(case=case, pk=consent_pk)
    lang = _lang(request, case, docs.CONSENT_FORM)
    return _audited_pdf(
        exports.consent_form(
            acting_user=user, case=case, consent=consent, lang=lang, request=request
        )
    )


@step_up_for_export
@require_POST
def consent_form_print(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The consent form to print and sign *before* the consent is registered (issue 14 point
    13): from the scope typed on the consent page (recipient, purpose, categories, last day),
    in the chosen language, with the signature lines. Nothing is saved but the audit event;
    the consent is registered afterwards on the same page, with the signed form uploaded."""
    user, case = _case(request, case_pk)
    if case.is_closed:
        messages.error(request, _("Saken er avsluttet og kan ikke endres."))
        return redirect("cases:detail", pk=case.pk)
    form = ConsentPrintForm(request.POST)
    if not form.is_valid():
        # Back to the consent page with what was typed, the errors on the scope's fields only.
        page = ConsentCreateForm(request.POST)
        page._errors = ErrorDict()  # type: ignore[attr-defined]  # only these errors yet
        page.cleaned_data = {}
        for name, errors in form.errors.items():
            page.add_error(name if name in page.fields else None, errors)
        messages.error(request, _("Skjemaet ble ikke laget. Sjekk feltene som er merket."))
        return render(
            request,
            "consent/create.html",
            {
                "case": case,
                "form": page,
                "informed": public_prosecution_information(case=case),
                "print_language": request.POST.get(LANG_PARAM, case.language),
            },
            status=200,
        )
    consent = form.unsaved_consent(case)
    kind = docs.CONSENT_FORM
    lang = request.POST.get(LANG_PARAM) or case.language
    if not exports.offered(kind, lang):
        lang = fallback_lang(lang)
    return _audited_pdf(
        exports.audited_pdf(
            case,
            kind,
            lang,
            audit=lambda: services.document_generated(
                acting_user=user, case=case, document=kind.code, lang=lang, request=request
            ),
            make_pdf=lambda today: docs.consent_form_pdf(consent, lang, today=today),
        )
    )


def print_languages() -> list[tuple[str, str]]:
    """The languages the consent form can be printed in (nb, nn, en and any other complete)."""
    return [
        (language.code, language.name) for language in languages_for(docs.CONSENT_FORM.sections)
    ]


@step_up_for_export
def assessment_explained(request: HttpRequest, case_pk: int, assessment_pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    assessment = selectors.assessment_get(case=case, pk=assessment_pk)
    lang = _lang(request, case, docs.ASSESSMENT_EXPLAINED)
    return _audited_pdf(
        exports.assessment_explained(
            acting_user=user, case=case, assessment=assessment, lang=lang, request=request
        )
    )


def _offered_or_fallback(case: Case, langs: list[Language]) -> str:
    return (
        case.language if case.language in {x.code for x in langs} else fallback_lang(case.language)
    )


def _not_offered_note(case: Case, langs: list[Language]) -> str:
    """'' when the summary exists in the case's language; else which language is used instead
    (the Arabic sample has no summary texts: never a silent switch, G13)."""
    if case.language in {x.code for x in langs}:
        return ""
    known = languages()
    name = ui_name(known[case.language], in_text=True) if case.language in known else case.language
    return _(
        "Sammendraget finnes ikke på %(name)s. Det lages på %(fallback)s hvis du ikke velger "
        "et annet språk."
    ) % {"name": name, "fallback": ui_name(known[fallback_lang(case.language)], in_text=True)}


@step_up_for_export
def case_summary(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Staff choose what to include; the export needs step-up and is audited (issue 7)."""
    user, case = _case(request, case_pk)
    kind = docs.CASE_SUMMARY
    langs = languages_for(kind.sections)
    if request.method == "POST":
        form = SummaryForm(request.POST, langs=langs)
        if form.is_valid():
            data = form.cleaned_data
            chosen = {name: bool(data[name]) for name in exports.SUMMARY_CHOICES}
            return _audited_pdf(
                exports.case_summary(
                    acting_user=user,
                    case=case,
                    lang=data[LANG_PARAM],
                    chosen=chosen,
                    request=request,
                )
            )
    else:
        form = SummaryForm(langs=langs, initial={LANG_PARAM: _offered_or_fallback(case, langs)})
    return render(request, "documents/summary.html", {
        "case": case, "form": form, "missing": _not_offered_note(case, langs),
        "heading": _("Sammendrag av saken"),
        "intro": _("Velg hva som skal være med. Utskriften logges, og flyttemålet tas bare med "
                   "når du velger det."),
        "submit": _("Last ned sammendraget (PDF)"),
    })  # fmt: skip


def access_report(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The access report as a page for staff (roles and centres, never staff names)."""
    user, case = _case(request, case_pk)
    kind = docs.ACCESS_REPORT
    lang = _lang(request, case, kind)
    services.access_report_produced(
        acting_user=user, case=case, lang=lang, pdf=False, request=request
    )
    rows = docs.access_rows(selectors.access_events(case=case), lang)
    form = LanguageForm(initial={LANG_PARAM: lang}, langs=languages_for(kind.sections))
    return render(
        request,
        "documents/access_report.html",
        {"case": case, "rows": rows, "lang": lang, "form": form},
    )


@step_up_for_export
def access_report_pdf(request: HttpRequest, case_pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    kind = docs.ACCESS_REPORT
    lang = _lang(request, case, kind)
    return _audited_pdf(
        exports.access_report(acting_user=user, case=case, lang=lang, request=request)
    )
