"""Relocation pages (G14, R1-R3): plan, police involvement, complete, cancel, and the
step-up-protected reveal of the destination. Views are thin: the rules are in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from vern.accounts.models import User
from vern.accounts.request import case_worker
from vern.accounts.views import step_up_for_export, step_up_required
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases import selectors as case_selectors
from vern.cases.models import Case
from vern.consent.models import InformationCategory
from vern.core import clock
from vern.police import selectors as police_selectors
from vern.police import services as police_services
from vern.police.forms import PoliceContactForm, add_service_error
from vern.police.ground import DeviationNeedsConfirmation
from vern.police.models import ContactStatus
from vern.relocation import handover, selectors, services
from vern.relocation.forms import (
    RelocationCancelForm,
    RelocationCompleteForm,
    RelocationHandoverForm,
    RelocationNoPoliceForm,
    RelocationPlanForm,
    RelocationPoliceChoiceForm,
    RelocationPoliceLinkForm,
    RelocationUserChoiceForm,
)
from vern.relocation.models import Handover, PoliceEnd, Relocation
from vern.relocation.panels import SLUG_ENDS, checklist, police_ends


def _closed_redirect(request: HttpRequest, case: Case) -> HttpResponse | None:
    """Closed cases are read-only: the write pages send the user back to the case."""
    if case.is_closed:
        messages.error(request, _("Saken er avsluttet og kan ikke endres."))
        return redirect("cases:detail", pk=case.pk)
    return None


def _to_case(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#relocation-h")


def relocation_plan(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    form = RelocationPlanForm(
        request.POST if request.method == "POST" else None,
        centres=selectors.destination_centres(user=user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_plan(acting_user=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Flyttingen er registrert. Husk å involvere politiet her og på det nye stedet "
                    "før flyttingen, og gjør en ny vurdering."
                ),
            )
            return _to_case(case)
    return render(request, "relocation/plan.html", {"case": case, "form": form})


def _detail_context(case: Case, relocation: Relocation) -> dict[str, object]:
    labels = dict(InformationCategory.choices)
    return {
        "case": case,
        "relocation": relocation,
        "checklist": checklist(relocation),
        "police_ends": police_ends(relocation),
        "handover_problem": handover.handover_problem(relocation, at=clock.now()),
        "handed_over_labels": [
            labels.get(code, code) for code in relocation.handed_over_categories or []
        ],
    }


@require_safe
def relocation_detail(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """The relocation without its destination (shown only by ``relocation_reveal``).

    The read is audited once by vern.audit.middleware.CaseAccessAuditMiddleware."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    relocation = selectors.relocation_get(user=user, case=case, pk=pk)
    return render(request, "relocation/detail.html", _detail_context(case, relocation))


@require_safe
@never_cache
def relocation_reveal(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Show the destination on this response only, after step-up; every reveal is audited.

    The lookups come first (another centre's relocation is 404 whether or not the session
    has a fresh step-up), then ``step_up_for_export``. Nothing is stored in the session: the
    next page shows "hidden" again."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    relocation = selectors.relocation_get(user=user, case=case, pk=pk)
    return _reveal(request, user=user, case=case, relocation=relocation)


@step_up_for_export
def _reveal(
    request: HttpRequest, *, user: User, case: Case, relocation: Relocation
) -> HttpResponse:
    services.relocation_destination_revealed(
        acting_user=user, relocation=relocation, request=request
    )
    context = _detail_context(case, relocation)
    context["revealed"] = True
    return render(request, "relocation/detail.html", context)


def _write_target(
    request: HttpRequest, case_pk: int, pk: int
) -> tuple[User, Case, Relocation, HttpResponse | None]:
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    relocation = selectors.relocation_get(user=user, case=case, pk=pk)
    stop = _closed_redirect(request, case)
    if stop is None and not relocation.is_planned:
        messages.error(request, _("Flyttingen er ikke lenger planlagt og kan ikke endres."))
        stop = _to_case(case)
    return user, case, relocation, stop


def relocation_police(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """The police at both ends of the move (G14, R2): each end's contact with its ground as it
    stands now, and the ways to record it; and whether the centre was chosen with the police."""
    user, case, relocation, stop = _write_target(request, case_pk, pk)
    if stop is not None:
        return stop
    form = RelocationPoliceChoiceForm(
        request.POST if request.method == "POST" else None,
        initial={"chosen_with_police": relocation.chosen_with_police},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_record_police_choice(
                acting_user=user,
                relocation=relocation,
                chosen_with_police=form.cleaned_data["chosen_with_police"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Politiets involvering er registrert."))
            return _to_police(case, relocation)
    contacts = selectors.linkable_contacts(case=case)
    ends = police_ends(relocation)
    return render(
        request,
        "relocation/police.html",
        {
            "case": case,
            "relocation": relocation,
            "form": form,
            "police_ends": ends,
            "ends": [
                (
                    item,
                    RelocationPoliceLinkForm(contacts=contacts, auto_id=f"id_{item.slug}_%s")
                    if contacts.exists()
                    else None,
                )
                for item in ends
            ],
        },
    )


def _to_police(case: Case, relocation: Relocation) -> HttpResponse:
    return redirect("relocation:police", case_pk=case.pk, pk=relocation.pk)


def _end_of(slug: str) -> PoliceEnd:
    end = SLUG_ENDS.get(slug)
    if end is None:
        raise Http404
    return end


@step_up_required
def relocation_police_contact(
    request: HttpRequest, case_pk: int, pk: int, end: str
) -> HttpResponse:
    """Record the police contact at one end with the police contact form, pre-filled (the
    district of that end, done): the same ground check, what was shared and G9 check as any
    contact (``vern.police``); then back to the relocation. Step-up, like the police pages."""
    which = _end_of(end)
    user, case, relocation, stop = _write_target(request, case_pk, pk)
    if stop is not None:
        return stop
    district = (
        case.centre.police_district
        if which == PoliceEnd.DEPARTURE
        else relocation.destination_police_district
    )
    form = PoliceContactForm(
        request.POST or None,
        case=case,
        user=user,
        initial={"police_district": district, "status": ContactStatus.DONE},
    )
    warning: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.relocation_police_contact_record(
                acting_user=user,
                relocation=relocation,
                end=which,
                data=form.contact_input(),
                confirm_deviation=bool(form.cleaned_data.get("confirm_deviation")),
            )
        except DeviationNeedsConfirmation as exc:
            warning = exc.labels()
        except ValidationError as exc:
            add_service_error(form, exc)
            warning = [police_services.reason_label(code) for code in getattr(exc, "reasons", [])]
        else:
            if contact.ground_valid:
                messages.success(request, _("Politikontakten er registrert på flyttingen."))
            elif contact.status == ContactStatus.DONE:
                messages.warning(
                    request,
                    _(
                        "Politikontakten er registrert på flyttingen uten gyldig grunnlag. "
                        "Et avvik er åpnet for leder."
                    ),
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Den planlagte politikontakten er registrert, men den har ikke gyldig "
                        "grunnlag. Endre planen før kontakten."
                    ),
                )
            return _to_police(case, relocation)
    return render(
        request,
        "relocation/police_contact.html",
        {
            "case": case,
            "relocation": relocation,
            "end": which,
            "form": form,
            "warning": warning,
            "duty_path": police_selectors.newest_next_step(case=case)
            == police_selectors.DUTY_TO_AVERT_STEP,
            "identifying": sorted(
                str(InformationCategory(c).label) for c in police_services.IDENTIFYING_CATEGORIES
            ),
        },
    )


@require_POST
def relocation_police_link(request: HttpRequest, case_pk: int, pk: int, end: str) -> HttpResponse:
    """Link a police contact already recorded in the case to one end of the move."""
    which = _end_of(end)
    user, case, relocation, stop = _write_target(request, case_pk, pk)
    if stop is not None:
        return stop
    form = RelocationPoliceLinkForm(request.POST, contacts=selectors.linkable_contacts(case=case))
    contact = form.selected() if form.is_valid() else None
    if contact is None:
        messages.error(request, _("Velg en politikontakt i denne saken."))
        return _to_police(case, relocation)
    try:
        services.relocation_police_link(
            acting_user=user, relocation=relocation, end=which, contact=contact
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Politikontakten er koblet til flyttingen."))
    return _to_police(case, relocation)


def relocation_no_police(request: HttpRequest, case_pk: int, pk: int, end: str) -> HttpResponse:
    """Record why the police at one end were not contacted: opens a deviation for the leader."""
    which = _end_of(end)
    user, case, relocation, stop = _write_target(request, case_pk, pk)
    if stop is not None:
        return stop
    form = RelocationNoPoliceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_police_not_involved(
                acting_user=user,
                relocation=relocation,
                end=which,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.warning(
                request,
                _("Begrunnelsen er registrert, og et avvik er åpnet for leder."),
            )
            return _to_police(case, relocation)
    return render(
        request,
        "relocation/no_police.html",
        {"case": case, "relocation": relocation, "end": which, "form": form},
    )


@step_up_required
def relocation_hand_over(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """R3, same Vern: create the case at the new centre with only what the consent covers
    (step-up: it gives the user's information to another centre)."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    relocation = selectors.relocation_get(user=user, case=case, pk=pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    now = clock.now()
    problem = handover.handover_problem(relocation, at=now)
    if problem in {"outside_vern", "already", "cancelled"}:
        # The case and its move were read to decide this: one read event, as for a page
        # (issue 6; the middleware logs redirects of POSTs only).
        audit_record(
            action=AuditAction.CASE_VIEWED,
            actor=user,
            centre=user.centre,
            object_type="case",
            object_id=case.pk,
            request=request,
        )
        messages.info(request, _("Saken kan ikke overleveres fra denne flyttingen."))
        return redirect("relocation:detail", case_pk=case.pk, pk=relocation.pk)
    consent = handover.handover_consent_for(relocation=relocation, at=now)
    form = RelocationHandoverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            handover.relocation_hand_over(
                acting_user=user,
                relocation=relocation,
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Saken er overlevert til det nye senteret med det samtykket omfatter. "
                    "Kvitteringen står på flyttingen."
                ),
            )
            return redirect("relocation:detail", case_pk=case.pk, pk=relocation.pk)
    labels = dict(InformationCategory.choices)
    kinds = handover.handover_kinds(consent) if consent is not None else []
    return render(
        request,
        "relocation/handover.html",
        {
            "case": case,
            "relocation": relocation,
            "form": form,
            "consent": consent,
            "kinds": [labels.get(code, code) for code in kinds],
            "left_out": [
                label
                for code, label in InformationCategory.choices
                if consent is not None and code in (consent.categories or []) and code not in kinds
            ],
        },
    )


def relocation_user_choice(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Record after planning that the new centre was chosen with the user (R1)."""
    user, case, relocation, stop = _write_target(request, case_pk, pk)
    if stop is not None:
        return stop
    if relocation.chosen_with_user:
        messages.info(
            request,
            _("Det er allerede registrert at det nye senteret er valgt sammen med brukeren."),
        )
        return _to_case(case)
    form = RelocationUserChoiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_record_user_choice(acting_user=user, relocation=relocation)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Brukerens valg av nytt senter er registrert."))
            return _to_case(case)
    return render(request, "relocation/user_choice.html", {"case": case, "form": form})


def relocation_complete(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    user, case, relocation, stop = _write_target(request, case_pk, pk)
    if stop is not None:
        return stop
    consent = services.valid_handover_consent(case=case, at=clock.now())
    form = RelocationCompleteForm(
        request.POST if request.method == "POST" else None,
        initial={
            "completed_at": clock.now(),
            "handover": Handover.CONSENT if consent is not None else Handover.POLICE_BRIEF,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_complete(
                acting_user=user, relocation=relocation, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Flyttingen er registrert som gjennomført. Saken er fortsatt åpen: avslutt den "
                    "med årsaken «Flyttet til et annet krisesenter» når dere er ferdige."
                ),
            )
            return _to_case(case)
    context = _detail_context(case, relocation)
    context.update({"form": form, "handover_consent": consent})
    return render(request, "relocation/complete.html", context)


def relocation_cancel(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    user, case, relocation, stop = _write_target(request, case_pk, pk)
    if stop is not None:
        return stop
    form = RelocationCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_cancel(
                acting_user=user, relocation=relocation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Den planlagte flyttingen er avbrutt."))
            return _to_case(case)
    return render(request, "relocation/cancel.html", {"case": case, "form": form})
