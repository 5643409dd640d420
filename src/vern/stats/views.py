"""Statistics pages: a centre's own (ansatt and leder of the centre) and the national view
(administrators), each with CSV export. Aggregates only, suppressed; no case-level data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.accounts.request import request_user
from vern.accounts.views import step_up_for_export
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.stats import charts
from vern.stats.export import statistics_csv
from vern.stats.forms import PeriodForm
from vern.stats.period import Period, parse_period
from vern.stats.selectors import Statistics, statistics


def _centre_user(request: HttpRequest) -> User:
    user = request_user(request)
    if not user.works_with_cases or user.centre_id is None:
        raise PermissionDenied
    return user


def _admin_user(request: HttpRequest) -> User:
    user = request_user(request)
    if not user.is_administrator:
        raise PermissionDenied
    return user


def _period(request: HttpRequest, *, national: bool) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None, allow_quarter=not national)
    period = parse_period(None)
    if form.is_bound and form.is_valid():
        try:
            period = parse_period(
                form.cleaned_data.get("aar"),
                form.cleaned_data.get("kvartal"),
                allow_quarter=not national,
            )
        except ValidationError as exc:  # pragma: no cover - the choices already limit it
            form.add_error(None, exc)
    return form, period


def _stats(user: User, period: Period, *, national: bool) -> Statistics:
    if national:
        return statistics(centre_id=None, period=period, scope_label=_("Alle krisesentre"))
    return statistics(centre_id=user.centre_id, period=period, scope_label=str(user.centre))


def _page(request: HttpRequest, user: User, *, national: bool) -> HttpResponse:
    form, period = _period(request, national=national)
    stats = _stats(user, period, national=national)
    return render(
        request,
        "stats/statistics.html",
        {
            "form": form,
            "stats": stats,
            "national": national,
            "pairs": [(table, charts.bar_chart(table)) for table in stats.tables],
            "csv_query": request.GET.urlencode(),
        },
    )


def _csv(request: HttpRequest, user: User, *, national: bool) -> HttpResponse:
    _form, period = _period(request, national=national)
    stats = _stats(user, period, national=national)
    audit_record(
        action=AuditAction.EXPORT,
        actor=user,
        centre=user.centre,
        object_type="statistics",
        request=request,
        details={
            "scope": stats.scope,
            "format": "csv",
            "year": period.year,
            "quarter": period.quarter,
        },
    )
    scope = "nasjonal" if national else "senter"
    response = HttpResponse(statistics_csv(stats), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="vern-statistikk-{scope}-{period.slug}.csv"'
    )
    return response


def centre_statistics(request: HttpRequest) -> HttpResponse:
    return _page(request, _centre_user(request), national=False)


@step_up_for_export
def centre_statistics_csv(request: HttpRequest) -> HttpResponse:
    return _csv(request, _centre_user(request), national=False)


def national_statistics(request: HttpRequest) -> HttpResponse:
    return _page(request, _admin_user(request), national=True)


@step_up_for_export
def national_statistics_csv(request: HttpRequest) -> HttpResponse:
    return _csv(request, _admin_user(request), national=True)
