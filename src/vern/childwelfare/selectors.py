"""Reads for the child welfare duty (B1), scoped to the requesting user's centre."""

from __future__ import annotations

from django.db.models import QuerySet

from vern.accounts.models import Role, User
from vern.cases.models import Case, CaseChild
from vern.cases.panels import CaseReads, read_list_once, register_probe
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification


def _pending(queryset: QuerySet[ChildWelfareConcern]) -> QuerySet[ChildWelfareConcern]:
    return queryset.filter(notification__isnull=True, resolved_at__isnull=True)


def pending_concerns(case: Case) -> QuerySet[ChildWelfareConcern]:
    """Concerns of ``case`` recorded with no notification and not resolved (B1), oldest first."""
    return (
        _pending(ChildWelfareConcern.objects.filter(case=case))
        .select_related("child")
        .order_by("recorded_at", "id")
    )


def case_has_pending_concern(case: Case) -> bool:
    """Whether the duty to notify the child welfare service is triggered and not yet fulfilled
    for ``case``: the engine's ``child_welfare_concern`` fact (rulebook contract v2)."""
    return _pending(ChildWelfareConcern.objects.filter(case=case)).exists()


def concerns_for_case(case: Case) -> QuerySet[ChildWelfareConcern]:
    return (
        ChildWelfareConcern.objects.filter(case=case)
        .select_related("child", "notification", "recorded_by", "resolved_by")
        .order_by("recorded_at", "id")
    )


def case_concerns(*, case: Case, reads: CaseReads | None = None) -> list[ChildWelfareConcern]:
    """``concerns_for_case`` as a list, read once per case page (the panel and the state).

    The related rows are prefetched rather than joined: most cases have no concern, and the
    wide join costs more to compile than the query costs to run."""
    fields = ("child", "notification", "recorded_by", "resolved_by")
    return read_list_once(
        reads,
        "childwelfare.concerns",
        lambda: list(concerns_for_case(case).select_related(None).prefetch_related(*fields)),
    )


def notifications_for_case(case: Case) -> QuerySet[ChildWelfareNotification]:
    return (
        ChildWelfareNotification.objects.filter(case=case)
        .select_related("sent_by")
        .prefetch_related("concerns__child")
        .order_by("sent_on", "id")
    )


def centre_pending_concerns(*, user: User) -> QuerySet[ChildWelfareConcern]:
    """Every pending concern of the user's centre, oldest first (the leader's list)."""
    return (
        _pending(ChildWelfareConcern.objects.for_user(user))
        .select_related("case", "child", "recorded_by")
        .order_by("recorded_at", "id")
    )


def child_get(*, user: User, case: Case, pk: int) -> CaseChild:
    """An accompanying child of ``case`` still in the stay, else Http404 (never 403)."""
    return CaseChild.objects.get_for_user_or_404(
        user, pk=pk, case_id=case.pk, removed_at__isnull=True
    )


def concern_get(*, user: User, case: Case, pk: int) -> ChildWelfareConcern:
    return ChildWelfareConcern.objects.select_related("case", "child").get_for_user_or_404(
        user, pk=pk, case_id=case.pk
    )


def staff_choices(*, user: User) -> list[tuple[int, str]]:
    """Active staff of the user's centre who work with cases (who can send a notification)."""
    if user.centre_id is None:
        return []
    staff = User.objects.filter(
        centre_id=user.centre_id, is_active=True, role__in=[Role.ANSATT, Role.LEDER]
    ).order_by("full_name", "username")
    return [(u.pk, str(u)) for u in staff]


def case_notifications(
    *, case: Case, reads: CaseReads | None = None
) -> list[ChildWelfareNotification]:
    """``notifications_for_case`` as a list, no query on the case page when it has none."""
    return read_list_once(
        reads, "childwelfare.notifications", lambda: list(notifications_for_case(case))
    )


register_probe("childwelfare.concerns", ChildWelfareConcern)
register_probe("childwelfare.notifications", ChildWelfareNotification)
