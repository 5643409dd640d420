"""The desk's pages: the home page's counts, the case list with its tags, the reassessment
dashboard, the rules-changed page, the case page (with the "what now?" summary first and the
timeline in the reader's language) and closing a case with what is still live."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vern.accounts.request import case_worker, request_user
from vern.assessments.selectors import case_mappings
from vern.assessments.upgrade import change_lines
from vern.cases import selectors as case_selectors
from vern.cases import views as case_views
from vern.cases.forms import CaseSearchForm
from vern.cases.models import Case
from vern.cases.panels import CaseReads
from vern.consent.selectors import case_consents, case_information
from vern.desk import selectors, services
from vern.desk.forms import CloseWithLiveItemsForm
from vern.desk.state import CaseState, case_state, tag_list
from vern.desk.timeline import timeline_lines


def home(request: HttpRequest) -> HttpResponse:
    """The overview: what needs attention now at the user's centre (counts only)."""
    context: dict[str, object] = {}
    user = request_user(request)
    if user.works_with_cases:
        context["counts"] = selectors.home_counts(user=user)
    return render(request, "desk/home.html", context)


def case_list(request: HttpRequest) -> HttpResponse:
    user = case_worker(request)
    form = CaseSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        user=user,
        query=data.get("q", ""),
        status=data.get("status", ""),
        flag=data.get("flag", ""),
        mine=bool(data.get("mine")),
    )
    page = Paginator(cases, 50).get_page(request.GET.get("side"))
    rows = selectors.case_rows(list(page))
    return render(
        request,
        "cases/list.html",
        {"form": form, "page": page, "rows": rows, "mine": bool(data.get("mine"))},
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    user = case_worker(request)
    return render(request, "cases/dashboard.html", selectors.reassessment_dashboard(user=user))


def rules_changed(request: HttpRequest) -> HttpResponse:
    """Leaders: the open cases whose outcome a new rulebook version changed, old → new in
    words (issue 13 point 6). Each stays until a joint assessment answers its trigger."""
    user = case_worker(request)
    if not user.is_leader:
        raise PermissionDenied
    lang = (get_language() or "nb")[:2]
    rows = [
        {
            "trigger": trigger,
            "from_version": trigger.outcome_change.get("from_version", ""),
            "to_version": trigger.outcome_change.get("to_version", ""),
            "lines": change_lines(trigger.outcome_change, lang),
        }
        for trigger in case_selectors.rules_changed_triggers(user=user)
    ]
    return render(request, "cases/rules_changed.html", {"rows": rows})


def summary_context(state: CaseState) -> dict[str, object]:
    """What ``cases/_summary.html`` needs besides the state itself."""
    return {"state": state, "state_tags": tag_list(state)}


def _timeline_known(case: Case, reads: CaseReads | None) -> dict[str, dict[int, Model]] | None:
    """The timeline's objects the case page's panels have already read (the same case): the
    mappings, information records and consents, so the timeline does not read them again."""
    if reads is None:
        return None
    return {
        "risk_mapping": {m.pk: m for m in case_mappings(case=case, reads=reads)},
        "information_given": {r.pk: r for r in case_information(case=case, reads=reads)},
        "consent_given": {c.pk: c for c in case_consents(case=case, reads=reads)},
    }


def _case_page_context(case: Case, reads: CaseReads | None = None) -> dict[str, object]:
    """The desk's part of the case page: the state summary, derived from the rows the panels
    read (``CaseReads``: each read once per request), and the timeline (its lines read the
    labels of consent, police and child welfare, so they are rendered up here)."""
    return {
        **summary_context(case_state(case=case, reads=reads)),
        "timeline": timeline_lines(
            case_selectors.case_timeline(case=case), known=_timeline_known(case, reads)
        ),
    }


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page (``cases.views.case_detail``) with the state summary at the top and the
    timeline in the reader's language."""
    return case_views.case_detail(request, pk, extra_context=_case_page_context)


def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a case; what is still live is listed first and must be confirmed (issue 14)."""
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=pk)
    if case.is_closed:
        messages.info(request, _("Saken er allerede avsluttet."))
        return redirect("cases:detail", pk=case.pk)
    state = case_state(case=case)
    form = CloseWithLiveItemsForm(request.POST or None, live=state.has_live_items)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                acting_user=user,
                case=case,
                reason=form.cleaned_data["reason"],
                confirmed=bool(form.cleaned_data.get("confirm_live")),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "confirm_live" in exc.error_dict:
                if "confirm_live" in form.fields:
                    form.add_error("confirm_live", exc.error_dict["confirm_live"])
                else:  # something became live since the page was shown: ask again
                    form = CloseWithLiveItemsForm(request.POST, live=True)
                    form.is_valid()
                    form.add_error("confirm_live", exc.error_dict["confirm_live"])
                state = case_state(case=case)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Saken er avsluttet. Den kan leses, men ikke endres."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/close.html", {"case": case, "form": form, "state": state})
