"""Pages for information duties, consent, refusal and the signed consent form. (The
withdrawal page is police's, ``vern.police.withdrawal_views``: it reaches the police contacts;
it uses ``_consent``, ``_add_errors`` and ``_recipient_label`` from here.)

Thin: parse the form, call the service, show the result. Reads are audited once per request
by vern.audit.middleware.CaseAccessAuditMiddleware; writes audit through their service. Every
page is scoped to the user's centre (a case or consent of another centre is 404) and needs
login + MFA (deny by default).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.accounts.request import case_worker
from vern.accounts.views import step_up_for_export
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case
from vern.cases.selectors import case_get
from vern.consent import filestore, selectors, services, uploads
from vern.consent.forms import (
    ConsentCreateForm,
    InformationForm,
    RefusalForm,
    SignedFileForm,
)
from vern.consent.information import (
    measures_catalogue,
    text_language,
    two_year_rule,
    user_texts,
)
from vern.consent.models import Consent, InformationKind, RecipientKind
from vern.core import clock

logger = logging.getLogger(__name__)


def _case(request: HttpRequest, case_pk: int) -> tuple[User, Case]:
    user = case_worker(request)
    return user, case_get(user=user, pk=case_pk)


def _closed(request: HttpRequest, case: Case) -> HttpResponse | None:
    """Closed cases are read-only: every write page sends staff back to the case."""
    if case.is_closed:
        messages.error(request, _("Saken er avsluttet og kan ikke endres."))
        return redirect("cases:detail", pk=case.pk)
    return None


def _add_errors(form: Any, exc: ValidationError) -> None:
    """Put each service error on the form's field of the same meaning (the form may name a
    field differently, see ``SERVICE_FIELDS``), else in the summary."""
    if hasattr(exc, "error_dict"):
        renamed: dict[str, str] = getattr(form, "SERVICE_FIELDS", {})
        for field, errors in exc.error_dict.items():
            name = renamed.get(field, field)
            target = name if name in form.fields else None
            for error in errors:
                reworded = (
                    form.service_error(target, error)
                    if field in renamed and target is not None
                    else error
                )
                form.add_error(target, reworded)
    else:
        form.add_error(None, exc)


def _user_language_context(case: Case) -> dict[str, Any]:
    lang = text_language(case.language)
    return {"user_lang": lang, "texts": user_texts(lang)}


# --------------------------------------------------------------------------- information


def _information_page(request: HttpRequest, case_pk: int, kind: str) -> HttpResponse:
    user, case = _case(request, case_pk)
    closed = _closed(request, case)
    if closed is not None:
        return closed
    form = InformationForm(request.POST or None, case_language=case.language)
    if request.method == "POST" and form.is_valid():
        try:
            services.information_record(
                acting_user=user,
                case=case,
                kind=kind,
                language=form.cleaned_data["language_value"],
                interpreter_used=form.cleaned_data["interpreter_used"],
                given_at=form.cleaned_data["given_at"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Registrert at informasjonen er gitt."))
            return redirect("cases:detail", pk=case.pk)
    today = clock.today()
    context: dict[str, Any] = {"case": case, "form": form, **_user_language_context(case)}
    if kind == InformationKind.PUBLIC_PROSECUTION:
        context["rule"] = two_year_rule(
            offence_ids=selectors.suspected_offences(case=case),
            lang=context["user_lang"],
            on=today,
        )
        context["previous"] = selectors.public_prosecution_information(case=case)
        template = "consent/inform_prosecution.html"
    else:
        context["catalogue"] = measures_catalogue(lang=context["user_lang"], on=today)
        context["previous"] = selectors.police_help_information(case=case)
        template = "consent/inform_police_help.html"
    return render(request, template, context)


def inform_prosecution(request: HttpRequest, case_pk: int) -> HttpResponse:
    """G5, G15: explain public prosecution and the two-year rule, then record it."""
    return _information_page(request, case_pk, InformationKind.PUBLIC_PROSECUTION)


def inform_police_help(request: HttpRequest, case_pk: int) -> HttpResponse:
    """G12, G13, G2, P1: what the police can do and the measures, in her language."""
    return _information_page(request, case_pk, InformationKind.POLICE_HELP_AND_MEASURES)


# --------------------------------------------------------------------------- consent


def _initial_from(user: User, case: Case, pk: str | None) -> dict[str, Any]:
    """Prefill a written consent from an earlier (verbal) one: same scope (G4)."""
    if not pk or not pk.isdigit():
        return {}
    try:
        earlier = selectors.consent_get(user=user, case=case, pk=int(pk))
    except Http404:
        return {}
    initial: dict[str, Any] = {
        "recipient_kind": earlier.recipient_kind,
        "police_district": earlier.police_district,
        "recipient_unit": earlier.recipient_unit,
        "purpose": earlier.purpose,
        "categories": list(earlier.categories or []),
        "form": "written",
    }
    if earlier.last_day is not None:
        # C1: the last day she agreed to, inclusive (expires_at is the midnight after it).
        initial["expires_on"] = earlier.last_day
    return initial


def consent_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    closed = _closed(request, case)
    if closed is not None:
        return closed
    if request.method == "POST":
        form = ConsentCreateForm(request.POST, request.FILES)
    else:
        form = ConsentCreateForm(initial=_initial_from(user, case, request.GET.get("fra")))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_create(
                acting_user=user, case=case, request=request, **form.service_kwargs()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Samtykket er registrert. Det er gitt til krisesenteret."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "consent/create.html",
        {
            "case": case,
            "form": form,
            "informed": selectors.public_prosecution_information(case=case),
        },
    )


def _consent(request: HttpRequest, case_pk: int, pk: int) -> tuple[User, Case, Consent]:
    user, case = _case(request, case_pk)
    return user, case, selectors.consent_get(user=user, case=case, pk=pk)


def _recipient_label(consent: Consent) -> str:
    if consent.recipient_kind == RecipientKind.POLICE:
        label = consent.get_police_district_display()
        return f"{label} – {consent.recipient_unit}" if consent.recipient_unit else label
    return str(RecipientKind(consent.recipient_kind).label)


def signed_file_upload(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Issue 7: the signed consent form uploaded back (checked by content, cleaned)."""
    user, case, consent = _consent(request, case_pk, pk)
    closed = _closed(request, case)
    if closed is not None:
        return closed
    form = SignedFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["signed_file"]
        try:
            services.signed_consent_upload(
                acting_user=user,
                consent=consent,
                signed_file=upload,
                signed_file_size=getattr(upload, "size", None),
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Det signerte skjemaet er lastet opp."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "consent/upload.html",
        {
            "case": case,
            "form": form,
            "consent": consent,
            "recipient": _recipient_label(consent),
        },
    )


@step_up_for_export
def signed_file_download(request: HttpRequest, case_pk: int, pk: int, file_pk: int) -> HttpResponse:
    """The stored signed form, only for the same centre (else 404), audited, as an
    attachment that the browser never renders or sniffs. Step-up first: it leaves Vern."""
    user, case, consent = _consent(request, case_pk, pk)
    signed = selectors.signed_file_get(user=user, consent=consent, pk=file_pk)
    try:
        content = filestore.read_content(signed)
    except (OSError, filestore.StoredFileError):
        # Not stored (a pre-issue-20 file still on another node's disk) or not the bytes
        # that were uploaded: never serve other bytes than the ones the checksum names.
        logger.exception("signed consent file %s cannot be served", signed.pk)
        raise Http404 from None
    audit_record(
        action=AuditAction.EXPORT,
        actor=user,
        centre=case.centre,
        object_type="signed_consent_file",
        object_id=signed.pk,
        request=request,
        reason="signed_consent_download",
        details={"consent_id": consent.pk, "content_type": signed.content_type},
    )
    extension = uploads.EXTENSIONS.get(signed.content_type, "bin")
    response = HttpResponse(content, content_type=signed.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"samtykke-{consent.pk}-{signed.pk}.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --------------------------------------------------------------------------- refusal


def refusal(request: HttpRequest, case_pk: int) -> HttpResponse:
    """G13, G8: record a no, calmly; the case stays open under reassessment."""
    user, case = _case(request, case_pk)
    closed = _closed(request, case)
    if closed is not None:
        return closed
    form = RefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_refusal_record(
                acting_user=user,
                case=case,
                reasons=form.cleaned_data["reasons"],
                information_offered=form.cleaned_data["information_offered"],
                refused_at=form.cleaned_data["refused_at"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            case.refresh_from_db(fields=["next_reassessment_on"])
            date = (
                formats.date_format(case.next_reassessment_on, "DATE_FORMAT")
                if case.next_reassessment_on
                else ""
            )
            messages.success(
                request,
                _("Registrert. Saken er fortsatt åpen og vurderes på nytt senest %(date)s.")
                % {"date": date},
            )
            return redirect("cases:detail", pk=case.pk)
    lang_context = _user_language_context(case)
    return render(
        request,
        "consent/refusal.html",
        {
            "case": case,
            "form": form,
            **lang_context,
            "catalogue": measures_catalogue(lang=lang_context["user_lang"], on=clock.today()),
            "active_police": [
                consent
                for consent in selectors.consent_list(case=case)
                if consent.recipient_kind == RecipientKind.POLICE
                and selectors.consent_status(consent=consent, at=clock.now()) == selectors.ACTIVE
            ],
        },
    )
