"""Child welfare pages (B1): record a concern for a child, resolve one registered in error,
record the notification, and the leader's list of pending concerns. Views are thin: the rules
are in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vern.accounts.models import User
from vern.accounts.request import case_worker
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases import selectors as case_selectors
from vern.cases.models import Case
from vern.childwelfare import selectors, services
from vern.childwelfare.forms import ConcernForm, NotificationForm, ResolveForm
from vern.core import clock


def _closed_redirect(request: HttpRequest, case: Case) -> HttpResponse | None:
    if case.is_closed:
        messages.error(request, _("Saken er avsluttet og kan ikke endres."))
        return redirect("cases:detail", pk=case.pk)
    return None


def _to_case(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#childwelfare-h")


def concern_create(request: HttpRequest, case_pk: int, child_pk: int) -> HttpResponse:
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    child = selectors.child_get(user=user, case=case, pk=child_pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_record(acting_user=user, case=case, child=child, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.warning(
                request,
                _(
                    "Bekymringen er registrert. Opplysningsplikten gjelder uavhengig av samtykke "
                    "og taushetsplikt: meld fra til barnevernstjenesten, og registrer meldingen "
                    "her."
                ),
            )
            return _to_case(case)
    return render(
        request, "childwelfare/concern_form.html", {"case": case, "child": child, "form": form}
    )


def concern_resolve(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    concern = selectors.concern_get(user=user, case=case, pk=pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    if not concern.is_pending:
        messages.info(request, _("Bekymringen er allerede avsluttet eller meldt."))
        return _to_case(case)
    form = ResolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_resolve(acting_user=user, concern=concern, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Bekymringen er avsluttet uten melding."))
            return _to_case(case)
    return render(
        request,
        "childwelfare/concern_resolve.html",
        {"case": case, "concern": concern, "form": form},
    )


def notification_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = case_worker(request)
    case = case_selectors.case_get(user=user, pk=case_pk)
    if (closed := _closed_redirect(request, case)) is not None:
        return closed
    pending = list(selectors.pending_concerns(case))
    if not pending:
        messages.info(
            request,
            _("Det er ingen bekymring uten melding i saken. Registrer en bekymring for et barn."),
        )
        return _to_case(case)
    wanted = request.GET.get("bekymring", "")
    initial = {
        "concerns": [str(c.pk) for c in pending if not wanted or str(c.pk) == wanted],
        "sent_on": clock.today(),
        "sent_by": user.pk,
    }
    form = NotificationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        concerns=pending,
        staff=selectors.staff_choices(user=user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = {str(pk) for pk in data.pop("concerns")}
        sent_by = User.objects.filter(pk=data.pop("sent_by"), centre_id=case.centre_id).first()
        try:
            services.notification_record(
                acting_user=user,
                case=case,
                concerns=[c for c in pending if str(c.pk) in chosen],
                sent_by=sent_by,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Meldingen til barnevernet er registrert."))
            return _to_case(case)
    return render(request, "childwelfare/notification_form.html", {"case": case, "form": form})


@require_GET
def leader_pending(request: HttpRequest) -> HttpResponse:
    """Every concern of the centre with no notification and not resolved (leaders, B1)."""
    user = case_worker(request)
    if not user.is_leader:
        raise PermissionDenied
    pending = list(selectors.centre_pending_concerns(user=user))
    # The page lists case references: one read event, like the case list.
    audit_record(
        action=AuditAction.CASE_LISTED,
        actor=user,
        centre=user.centre,
        request=request,
        details={"list": "child_welfare_pending"},
    )
    return render(request, "childwelfare/leader_pending.html", {"pending": pending})
