"""Staff accounts, roles, invitations and the sessions each account holds."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vern.centres.models import Centre


class Role(models.TextChoices):
    ANSATT = "ansatt", _("Ansatt")
    LEDER = "leder", _("Leder")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A staff member. ``ansatt`` and ``leder`` belong to one centre; an ``administrator``
    belongs to none and never sees case content."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("fullt navn"), max_length=200, blank=True)
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.ANSATT)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("krisesenter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    preferred_language = models.CharField(max_length=8, default="nb")

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_centre_matches_role",
                condition=(
                    Q(role="administrator", centre__isnull=True)
                    | Q(role__in=["ansatt", "leder"], centre__isnull=False)
                    | Q(is_superuser=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEDER

    @property
    def works_with_cases(self) -> bool:
        return self.role in {Role.ANSATT, Role.LEDER} and self.centre_id is not None


class Invitation(models.Model):
    """An invitation to create an account: nobody ever sets another person's password."""

    email = models.EmailField(_("e-post"))
    username = models.CharField(_("brukernavn"), max_length=150)
    full_name = models.CharField(_("fullt navn"), max_length=200, blank=True)
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    def is_open(self, at: dt.datetime) -> bool:
        return self.accepted_at is None and at < self.expires_at


class UserSession(models.Model):
    """Which server sessions belong to which account, so deactivation can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"
