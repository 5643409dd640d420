"""Case creation, the case page frame (the desk adds its state summary and timeline), editing,
children, triggers, handing a case on and reopening."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vern.accounts.models import User
from vern.accounts.request import case_worker
from vern.cases import panels, selectors, services
from vern.cases.forms import (
    CaseForm,
    CaseUpdateForm,
    ChildForm,
    ChildRemoveForm,
    CloseCaseForm,
    ReopenCaseForm,
    ResponsibleForm,
    TriggerForm,
)
from vern.cases.models import Case, CaseChild


def _closed_redirect(request: HttpRequest, case: Case) -> HttpResponse | None:
    """Write pages of a closed case send the user back to the case with a clear message,
    before a form is shown (never a form that fails only after submit)."""
    if case.is_closed:
        messages.error(request, _("Saken er avsluttet og kan ikke endres. Åpne den igjen først."))
        return redirect("cases:detail", pk=case.pk)
    return None


def case_create(request: HttpRequest) -> HttpResponse:
    user = case_worker(request)
    assert user.centre_id is not None  # noqa: S101 (case_worker)
    form = CaseForm(
        request.POST or None,
        staff=services.responsible_candidates(centre_id=user.centre_id),
        creator=user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saken er opprettet."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/create.html", {"form": form})


def case_detail(
    request: HttpRequest,
    pk: int,
    *,
    extra_context: Callable[[Case, panels.CaseReads], dict[str, object]] | None = None,
) -> HttpResponse:
    """The case page. ``extra_context(case, reads)`` adds to the context: the desk's state
    summary and the timeline (``vern.desk.views.case_detail``, which the URL ``cases:detail``
    points to), the summary from the same reads as the panels (``panels.CaseReads``: each row
    set read once)."""
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    reads = panels.CaseReads(case)  # read once, shared by the panels below
    children = reads.children
    context = {
        "case": case,
        "children": reads.children_in_stay,
        "removed_children": [child for child in children if child.is_removed],
        "panels": panels.case_panels(case=case, user=user, reads=reads),
        "close_form": CloseCaseForm(),
        "child_form": ChildForm(),
        "trigger_form": TriggerForm(),
        "update_form": CaseUpdateForm(initial={"name": case.name, "language": case.language}),
        "responsible_form": _responsible_form(user, case),
    }
    if extra_context is not None:
        context.update(extra_context(case, reads))
    return render(request, "cases/detail.html", context)


def _responsible_form(user: User, case: Case, data: Any = None) -> ResponsibleForm | None:
    """The form to hand the case on, for those who may (services.may_change_responsible)."""
    if case.is_closed or not services.may_change_responsible(user=user, case=case):
        return None
    staff = services.responsible_candidates(centre_id=case.centre_id)
    if case.responsible_id is not None:
        staff = staff.exclude(pk=case.responsible_id)
    return ResponsibleForm(data, staff=staff)


@require_POST
def case_responsible(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand the case to another staff member of the centre (leader or the responsible)."""
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    form = _responsible_form(user, case, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.case_responsible_set(
                acting_user=user, case=case, responsible=form.cleaned_data["responsible"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Ny ansvarlig er lagret."))
    else:
        messages.error(request, _("Ansvarlig ble ikke endret: velg en ansatt ved senteret."))
    return redirect(f"{reverse('cases:detail', args=[case.pk])}#responsible-h")


@require_POST
def case_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    form = CaseUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.case_update(acting_user=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Endringen er lagret."))
    else:
        messages.error(request, _("Endringen ble ikke lagret: sjekk feltene."))
    return redirect("cases:detail", pk=case.pk)


def child_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_add(acting_user=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Barnet er registrert. Husk egen kartlegging."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/child_add.html", {"case": case, "form": form})


def child_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a wrongly registered child (kept, audited, with a reason)."""
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    children = list(CaseChild.objects.filter(removed_at__isnull=True, case=case))
    if not children:
        # A page, not a redirect: the case was read (and is audited once as a read).
        return render(request, "cases/child_remove.html", {"case": case, "form": None})
    form = ChildRemoveForm(request.POST or None, children=children)
    if request.method == "GET" and request.GET.get("barn") in form.children:
        form.initial["child"] = request.GET["barn"]
    if request.method == "POST" and form.is_valid():
        child = form.chosen_child
        assert child is not None  # noqa: S101 (a valid choice)
        try:
            services.child_remove(
                acting_user=user,
                case=case,
                child=child,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                confirm_mapped=form.cleaned_data["confirm_mapped"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Barnet er markert som feilregistrert. Det som var lagret, er beholdt.")
            )
            return redirect("cases:detail", pk=case.pk)
    mapped = {str(c.pk) for c in children if c.risk_mappings.exists()}
    return render(
        request,
        "cases/child_remove.html",
        {"case": case, "form": form, "mapped_labels": [form.children[k].label for k in mapped]},
    )


def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a closed case again (any case worker of the centre; see services.case_reopen)."""
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    if not case.is_closed:
        # A page, not a redirect: the case was read (and is audited once as a read).
        return render(request, "cases/reopen.html", {"case": case, "form": None})
    form = ReopenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(acting_user=user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Saken er åpnet igjen og står på listen over saker som skal revurderes nå."),
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/reopen.html", {"case": case, "form": form})


def trigger_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    form = TriggerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trigger_add(acting_user=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Registrert. Saken står nå på listen over saker som bør revurderes.")
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/trigger_add.html", {"case": case, "form": form})
