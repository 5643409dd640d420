"""Reads for centres and staff, always scoped to what the acting user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from vern.accounts.models import Role, User
from vern.centres.models import Centre


def manageable_users(*, acting_user: User) -> QuerySet[User]:
    """Accounts the acting user may deactivate or send a reset: a leader sees the staff of
    her own centre; an administrator sees leaders and administrators. Nobody else sees any."""
    if acting_user.is_administrator:
        return User.objects.filter(role__in=[Role.LEDER, Role.ADMINISTRATOR]).exclude(
            pk=acting_user.pk
        )
    if acting_user.is_leader and acting_user.centre_id is not None:
        return User.objects.filter(
            centre_id=acting_user.centre_id, role__in=[Role.ANSATT, Role.LEDER]
        ).exclude(pk=acting_user.pk)
    return User.objects.none()


def centre_list(*, acting_user: User) -> QuerySet[Centre]:
    if acting_user.is_administrator:
        return Centre.objects.all()
    return Centre.objects.none()
