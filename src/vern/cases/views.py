"""Case list, creation, the case page with its timeline, children, triggers and closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vern.accounts.request import case_worker
from vern.cases import panels, selectors, services
from vern.cases.forms import (
    CaseForm,
    CaseSearchForm,
    CaseUpdateForm,
    ChildForm,
    CloseCaseForm,
    TriggerForm,
)


def case_list(request: HttpRequest) -> HttpResponse:
    user = case_worker(request)
    form = CaseSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        user=user,
        query=data.get("q", ""),
        status=data.get("status", ""),
        flag=data.get("flag", ""),
    )
    page = Paginator(cases, 50).get_page(request.GET.get("side"))
    return render(request, "cases/list.html", {"form": form, "page": page})


def case_create(request: HttpRequest) -> HttpResponse:
    user = case_worker(request)
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saken er opprettet."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/create.html", {"form": form})


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    context = {
        "case": case,
        "timeline": selectors.case_timeline(case=case),
        "children": case.children.all(),
        "panels": panels.case_panels(case=case, user=user),
        "close_form": CloseCaseForm(),
        "child_form": ChildForm(),
        "trigger_form": TriggerForm(),
        "update_form": CaseUpdateForm(initial={"name": case.name, "language": case.language}),
    }
    return render(request, "cases/detail.html", context)


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


def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
    form = CloseCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(acting_user=user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saken er avsluttet. Den kan leses, men ikke endres."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/close.html", {"case": case, "form": form})


def child_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
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


def trigger_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = selectors.case_get(user=user, pk=pk)
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


def dashboard(request: HttpRequest) -> HttpResponse:
    user = case_worker(request)
    return render(request, "cases/dashboard.html", selectors.reassessment_dashboard(user=user))
