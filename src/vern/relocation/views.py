"""Relocation pages (G14, R1-R3): plan, police involvement, complete, cancel, and the
step-up-protected reveal of the destination. Views are thin: the rules are in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from vern.accounts.models import User
from vern.accounts.request import case_worker
from vern.accounts.views import step_up_for_export
from vern.cases import selectors as case_selectors
from vern.cases.models import Case
from vern.core import clock
from vern.relocation import selectors, services
from vern.relocation.forms import (
    RelocationCancelForm,
    RelocationCompleteForm,
    RelocationPlanForm,
    RelocationPoliceForm,
    RelocationUserChoiceForm,
)
from vern.relocation.models import Handover, Relocation
from vern.relocation.panels import checklist


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
    form = RelocationPlanForm(request.POST if request.method == "POST" else None)
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
    return {"case": case, "relocation": relocation, "checklist": checklist(relocation)}


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
    user, case, relocation, stop = _write_target(request, case_pk, pk)
    if stop is not None:
        return stop
    form = RelocationPoliceForm(
        request.POST if request.method == "POST" else None,
        initial={
            "current_involved_at": relocation.police_current_involved_at,
            "destination_involved_at": relocation.police_destination_involved_at,
            "chosen_with_police": relocation.chosen_with_police,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.relocation_record_police(
                acting_user=user,
                relocation=relocation,
                current_involved_at=form.cleaned_data["current_involved_at"],
                destination_involved_at=form.cleaned_data["destination_involved_at"],
                chosen_with_police=form.cleaned_data["chosen_with_police"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Politiets involvering er registrert."))
            return _to_case(case)
    return render(request, "relocation/police.html", {"case": case, "form": form})


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
            services.relocation_cancel(acting_user=user, relocation=relocation)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Den planlagte flyttingen er avbrutt."))
            return _to_case(case)
    return render(request, "relocation/cancel.html", {"case": case, "form": form})
