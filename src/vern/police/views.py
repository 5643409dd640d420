"""Police contacts on a case, deviations, and the leader's review page (issue 5 parts 6-7).

Views are thin: selectors scope every object to the user's centre (404 otherwise) and the
services enforce the rules. Recording a contact may share identifying information with the
police, so those views need a fresh step-up code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from vern.accounts.request import case_worker
from vern.accounts.views import step_up_required
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases import selectors as case_selectors
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.consent.models import InformationCategory
from vern.core import clock
from vern.police import selectors, services
from vern.police.forms import (
    ContactCompleteForm,
    ContactPlanForm,
    ContactReviewForm,
    DeviationCloseForm,
    DeviationOpenForm,
    PoliceContactForm,
    ReprisalCheckForm,
    UserToldForm,
    add_service_error,
)
from vern.police.ground import NO_CONSENT_GROUNDS, DeviationNeedsConfirmation
from vern.police.models import (
    ContactStatus,
    Deviation,
    LegalGround,
    PoliceContact,
    ReprisalProtection,
    ReprisalRisk,
    ReprisalRoute,
)

DEVIATION_OPENED_MESSAGE = gettext_lazy(
    "Kontakten er registrert uten gyldig grunnlag. Et avvik er åpnet for leder."
)


def _closed(request: HttpRequest, case: Case) -> HttpResponse:
    messages.error(request, _("Saken er avsluttet og kan ikke endres."))
    return redirect("cases:detail", pk=case.pk)


def _labelled(reasons: list[str], *, done: bool = False) -> list[str]:
    return [services.reason_label(code, done=done) for code in reasons]


def _deviation_reasons(deviation: Deviation) -> list[str]:
    """A deviation's reasons: about a contact that has happened (``done``)."""
    return _labelled(list(deviation.reasons), done=True)


def _added_at(check: dict[str, Any]) -> dt.datetime | None:
    """When a G9 check was recorded after the contact (``added_at``), else None."""
    try:
        return dt.datetime.fromisoformat(str(check["added_at"]))
    except (KeyError, ValueError):
        return None


@step_up_required
def contact_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record a planned or done contact (step-up: it may share identifying information)."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    if case.is_closed:
        return _closed(request, case)
    ground = request.GET.get("grunnlag", "")
    initial = {"legal_ground": ground} if ground in LegalGround.values else {}
    form = PoliceContactForm(request.POST or None, case=case, user=user, initial=initial)
    warning: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.contact_input()
        try:
            contact = services.police_contact_record(
                acting_user=user,
                case=case,
                data=data,
                confirm_deviation=bool(form.cleaned_data.get("confirm_deviation")),
            )
        except DeviationNeedsConfirmation as exc:
            # Never refused, but never a deviation by mistake either: say why and ask.
            warning = exc.labels()
        except ValidationError as exc:
            add_service_error(form, exc)
            warning = _labelled(getattr(exc, "reasons", []))
        else:
            _saved_message(request, contact)
            return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    duty_path = selectors.newest_next_step(case=case) == selectors.DUTY_TO_AVERT_STEP
    return render(
        request,
        "police/contact_form.html",
        {
            "case": case,
            "form": form,
            "warning": warning,
            "duty_path": duty_path,
            "identifying": sorted(
                str(InformationCategory(c).label) for c in services.IDENTIFYING_CATEGORIES
            ),
        },
    )


def _saved_message(request: HttpRequest, contact: PoliceContact) -> None:
    if contact.ground_valid:
        messages.success(request, _("Kontakten med politiet er registrert."))
    elif contact.status == ContactStatus.DONE:
        messages.warning(request, str(DEVIATION_OPENED_MESSAGE))
    else:
        messages.warning(request, _plan_warning(services.contact_reasons(contact)))


def _plan_warning(reasons: list[str]) -> str:
    # An expired or withdrawn consent is not "not yet": say what is wrong and what to do.
    return _(
        "Planen er lagret, men den har ikke gyldig grunnlag: %(reasons)s Endre planen før "
        "kontakten. Registreres den som gjennomført uten gyldig grunnlag, åpnes et avvik."
    ) % {"reasons": " ".join(_labelled(reasons))}


def _contact_context(contact: PoliceContact) -> dict[str, Any]:
    categories = dict(InformationCategory.choices)
    check = contact.reprisal_check or {}
    return {
        "categories": [categories.get(code, code) for code in contact.shared_categories],
        "offences": [
            selectors.offence_labels().get(code, code) for code in contact.duty_to_avert_offences
        ],
        "measures": [
            selectors.measure_labels().get(code, code) for code in contact.measures_decided
        ],
        "routes": [dict(ReprisalRoute.choices).get(code, code) for code in check.get("routes", [])],
        "risk": dict(ReprisalRisk.choices).get(check.get("risk", ""), ""),
        "protections": [
            dict(ReprisalProtection.choices).get(code, code)
            for code in check.get("protections", [])
        ],
        "check": check,
        "consent_categories": [
            categories.get(code, code) for code in (contact.consent.categories or [])
        ]
        if contact.consent
        else [],
        "check_added_at": _added_at(check),
        "deviations": [
            {"deviation": deviation, "reasons": _deviation_reasons(deviation)}
            for deviation in contact.deviations.order_by("-opened_at", "-id")
        ],
        "ground_reasons": _labelled(selectors.ground_reason_codes(contact), done=True),
        "is_duty_to_avert": contact.legal_ground == LegalGround.DUTY_TO_AVERT,
        "is_danger": contact.legal_ground == LegalGround.DANGER,
        "is_no_consent": contact.legal_ground in NO_CONSENT_GROUNDS,
        "reprisal_missing": services.reprisal_check_missing(contact),
        "user_told_missing": services.user_told_missing(contact),
    }


@require_GET
def contact_detail(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    contact = selectors.contact_get(user=user, case=case, pk=pk)
    case_services.case_viewed(acting_user=user, case=case, request=request)
    context = {"case": case, "contact": contact, **_contact_context(contact)}
    now = clock.now()
    # The ground as it stands now (issue 14): a consent withdrawn since a plan leaves the plan
    # without a ground, on this page as on the case page and in the API.
    context["ground_valid_now"] = selectors.ground_valid_now(contact, at=now)
    lapse = selectors.consent_lapse(contact, at=now)
    if contact.status == ContactStatus.PLANNED and not contact.ground_valid:
        context["plan_reasons"] = _labelled(services.contact_reasons(contact))
    elif contact.status == ContactStatus.PLANNED and lapse:
        context["plan_reasons"] = _labelled([lapse])
    context["ground_reasons_now"] = context["ground_reasons"] or context.get(
        "plan_reasons", _labelled([lapse] if lapse else [], done=True)
    )
    return render(request, "police/contact_detail.html", context)


@step_up_required
def contact_edit(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Correct a planned contact: ground, consent, what is shared, district, G9 check (step-up:
    it may add identifying information). A done contact is not edited."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    contact = selectors.contact_get(user=user, case=case, pk=pk)
    if case.is_closed:
        return _closed(request, case)
    if contact.status != ContactStatus.PLANNED:
        messages.info(request, _("En gjennomført kontakt kan ikke endres."))
        return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    form = ContactPlanForm(request.POST or None, contact=contact, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.police_contact_update(
                acting_user=user, contact=contact, data=form.contact_input()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if contact.ground_valid:
                messages.success(request, _("Planen er endret, og grunnlaget er gyldig."))
            else:
                messages.warning(request, _plan_warning(services.contact_reasons(contact)))
            return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    return render(
        request,
        "police/contact_edit.html",
        {
            "case": case,
            "contact": contact,
            "form": form,
            "duty_path": selectors.newest_next_step(case=case) == selectors.DUTY_TO_AVERT_STEP,
        },
    )


@step_up_required
def contact_complete(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Mark a planned contact as done, with the outcome (the ground is checked again)."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    contact = selectors.contact_get(user=user, case=case, pk=pk)
    if case.is_closed:
        return _closed(request, case)
    if contact.status != ContactStatus.PLANNED:
        messages.info(request, _("Kontakten er allerede registrert som gjennomført."))
        return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    initial = {"contact_at": min(contact.contact_at, clock.now())}
    # G9: a plan without the reprisal check gets it on this page (see services).
    form = ContactCompleteForm(
        request.POST or None,
        initial=initial,
        ask_reprisal_check=services.reprisal_check_missing(contact),
    )
    warning: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.police_contact_complete(
                acting_user=user,
                contact=contact,
                contact_at=data["contact_at"],
                measures_decided=data.get("measures_decided") or [],
                follow_up_on=data.get("follow_up_on"),
                outcome_note=data.get("outcome_note", ""),
                reprisal_check=form.completion_reprisal_check(),
                confirm_deviation=bool(data.get("confirm_deviation")),
            )
        except DeviationNeedsConfirmation as exc:
            warning = exc.labels()
        except ValidationError as exc:
            add_service_error(form, exc)
            warning = _labelled(getattr(exc, "reasons", []))
        else:
            if contact.ground_valid:
                messages.success(request, _("Kontakten er registrert som gjennomført."))
            else:
                messages.warning(request, str(DEVIATION_OPENED_MESSAGE))
            return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    return render(
        request,
        "police/contact_complete.html",
        {
            "case": case,
            "contact": contact,
            "form": form,
            "warning": warning,
            "can_correct_plan": True,
        },
    )


@step_up_required
def contact_reprisal_check(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """G9, G11: record the missing reprisal-risk check afterwards on a done contact (under the
    duty to avert the check never blocks, and the leader sees it missing). Step-up, like the
    other pages that write a police contact."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    contact = selectors.contact_get(user=user, case=case, pk=pk)
    if case.is_closed:
        return _closed(request, case)
    if contact.status != ContactStatus.DONE or not services.reprisal_check_missing(contact):
        # The answer tells something about the contact: one read event, as for the page.
        case_services.case_viewed(acting_user=user, case=case, request=request)
    if contact.status != ContactStatus.DONE:
        messages.info(
            request, _("En planlagt kontakt får vurderingen av represalier ved å endre planen.")
        )
        return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    if not services.reprisal_check_missing(contact):
        messages.info(
            request, _("Kontakten har allerede en vurdering av represalier, eller trenger ingen.")
        )
        return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    form = ReprisalCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.police_contact_reprisal_check_add(
                acting_user=user, contact=contact, reprisal_check=form.reprisal_check()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Vurderingen av represalier er registrert."))
            return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    return render(
        request,
        "police/contact_reprisal_check.html",
        {
            "case": case,
            "contact": contact,
            "form": form,
            "is_duty_to_avert": contact.legal_ground == LegalGround.DUTY_TO_AVERT,
        },
    )


def deviation_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A staff member opens a deviation on a case by hand (kind ``other``)."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    if case.is_closed:
        return _closed(request, case)
    form = DeviationOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deviation_open(
                acting_user=user,
                case=case,
                reasons=[form.cleaned_data["reason"]],
                description=form.cleaned_data.get("description", ""),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Avviket er registrert. Leder får det til gjennomgang."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "police/deviation_form.html", {"case": case, "form": form})


# --------------------------------------------------------------------------- leader pages


@require_GET
def leader_overview(request: HttpRequest) -> HttpResponse:
    """Open and closed deviations and every contact of the centre without consent (duty to
    avert and danger to life or health, G11, L1, L2), with what their records lack (leaders)."""
    user = case_worker(request)
    services.require_leader(user)
    unreviewed_only = request.GET.get("unreviewed") == "1"
    overview = selectors.leader_overview(user=user, unreviewed_only=unreviewed_only)
    # The page lists case references: one read event, like the case list.
    audit_record(
        action=AuditAction.CASE_LISTED,
        actor=user,
        centre=user.centre,
        request=request,
        reason="deviation_review",
    )
    offences = selectors.offence_labels()
    return render(
        request,
        "police/leader_overview.html",
        {
            "overview": overview,
            "open_rows": [
                {"deviation": deviation, "reasons": _deviation_reasons(deviation)}
                for deviation in overview.open
            ],
            "no_consent_rows": [
                _no_consent_row(contact, offences) for contact in overview.no_consent
            ],
            "unreviewed_only": unreviewed_only,
            "unreviewed_count": sum(
                1 for contact in overview.no_consent if not contact.is_leader_reviewed
            ),
        },
    )


def contact_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader reads a contact without consent and marks it as reviewed, with an optional
    note (issue 14). Leaders of the contact's centre only (403 for others, 404 for a contact
    of another centre or one with consent)."""
    user = case_worker(request)
    services.require_leader(user)
    contact = selectors.no_consent_contact_get(user=user, pk=pk)
    if request.method != "POST":
        case_services.case_viewed(acting_user=user, case=contact.case, request=request)
    form = ContactReviewForm(request.POST or None)
    if request.method == "POST" and not contact.is_leader_reviewed and form.is_valid():
        try:
            services.police_contact_review(
                acting_user=user, contact=contact, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Kontakten er merket som gjennomgått."))
            return redirect("police_centre:overview")
    return render(
        request,
        "police/contact_review.html",
        {
            "contact": contact,
            "form": form,
            **_contact_context(contact),
        },
    )


def _no_consent_row(contact: PoliceContact, offences: dict[str, str]) -> dict[str, Any]:
    """One contact without consent in the leader's overview, with what its record lacks."""
    reasons = selectors.ground_reason_codes(contact) if contact.status == ContactStatus.DONE else []
    if contact.status == ContactStatus.PLANNED and not contact.ground_valid:
        reasons = services.contact_reasons(contact)
    return {
        "contact": contact,
        "offences": [offences.get(code, code) for code in contact.duty_to_avert_offences],
        # G9/G11: the check never blocks these paths; the leader sees it missing.
        "reprisal_missing": services.reprisal_check_missing(contact),
        "reprisal_added_after": _added_at(contact.reprisal_check or {}) is not None,
        "user_told_missing": services.user_told_missing(contact),
        "missing": _labelled(reasons, done=contact.status == ContactStatus.DONE),
    }


@step_up_required
def contact_user_told(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """L1, L2: record afterwards when and how the user was told of a done no-consent contact."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    contact = selectors.contact_get(user=user, case=case, pk=pk)
    if case.is_closed:
        return _closed(request, case)
    if contact.status != ContactStatus.DONE or not services.user_told_missing(contact):
        case_services.case_viewed(acting_user=user, case=case, request=request)
        messages.info(
            request,
            _("Det er allerede registrert at brukeren er informert, eller det trengs ikke."),
        )
        return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    form = UserToldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.police_contact_user_told_add(
                acting_user=user,
                contact=contact,
                user_told_at=form.cleaned_data["user_told_at"],
                user_told_how=form.cleaned_data["user_told_how"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Det er registrert at brukeren er informert."))
            return redirect("police:detail", case_pk=case.pk, pk=contact.pk)
    return render(
        request, "police/contact_user_told.html", {"case": case, "contact": contact, "form": form}
    )


def deviation_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = case_worker(request)
    services.require_leader(user)
    deviation = selectors.deviation_get(user=user, pk=pk)
    if request.method != "POST":
        case_services.case_viewed(acting_user=user, case=deviation.case, request=request)
    form = DeviationCloseForm(request.POST or None, kind=deviation.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.deviation_close(
                acting_user=user,
                deviation=deviation,
                comment=form.cleaned_data["comment"],
                justification=form.cleaned_data.get("justification", ""),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Avviket er lukket."))
            return redirect("police_centre:overview")
    contact = deviation.police_contact
    return render(
        request,
        "police/deviation_close.html",
        {
            "deviation": deviation,
            "form": form,
            "reasons": _deviation_reasons(deviation),
            # What was shared, on which ground and consent, so the leader can judge it.
            "contact": contact,
            **(_contact_context(contact) if contact is not None else {}),
        },
    )
