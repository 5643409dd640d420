"""Staff accounts, roles, invitations and the sessions each account holds."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vern.accounts import otp_secrets
from vern.centres.models import Centre

_log = logging.getLogger("vern.accounts.mfa")


class Role(models.TextChoices):
    ANSATT = "ansatt", _("Ansatt")
    LEDER = "leder", _("Leder")
    ADMINISTRATOR = "administrator", _("Administrator")


# OIDCIdentity below is a django-otp Device, an untyped base: the stubs cannot resolve the
# reverse manager it adds here (oidcidentity_set).
class User(AbstractUser):  # type: ignore[django-manager-missing]
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


# --- MFA devices with their secrets protected at rest (issue 15 point 3) ----------------------
# Proxies of django-otp's own models (same tables, same verification code); only how the
# secret is read and stored differs. See vern.accounts.otp_secrets.


class VernTOTPDevice(TOTPDevice):  # type: ignore[misc]
    """django-otp's TOTP device whose ``key`` column holds the secret encrypted."""

    class Meta:
        proxy = True
        app_label = "accounts"

    def save(self, *args: object, **kwargs: object) -> None:
        stored = str(self.key)  # type: ignore[has-type]
        if not otp_secrets.is_encrypted(stored):
            self.key = otp_secrets.encrypt_totp_key(stored, user_id=self.user_id)
        super().save(*args, **kwargs)

    @property
    def bin_key(self) -> bytes:
        return otp_secrets.decrypt_totp_key(str(self.key), user_id=self.user_id)

    def verify_token(self, token: object) -> bool:
        try:
            otp_secrets.decrypt_totp_key(str(self.key), user_id=self.user_id)
        except otp_secrets.OTPSecretError as exc:
            _log.error("TOTP code refused: %s", exc)
            return False
        return bool(super().verify_token(token))


class VernStaticDevice(StaticDevice):  # type: ignore[misc]
    """django-otp's backup-code device whose tokens are stored as keyed hashes."""

    class Meta:
        proxy = True
        app_label = "accounts"

    def add_codes(self, codes: list[str]) -> None:
        StaticToken.objects.bulk_create(
            [
                StaticToken(
                    device=self, token=otp_secrets.hash_backup_code(c, user_id=self.user_id)
                )
                for c in codes
            ]
        )

    def verify_token(self, token: str) -> bool:
        """django-otp's StaticDevice.verify_token, comparing hashes instead of the codes."""
        verify_allowed, _ = self.verify_is_allowed()
        if not verify_allowed:
            return False
        try:
            hashed = otp_secrets.hash_backup_code(str(token), user_id=self.user_id)
        except otp_secrets.OTPSecretError:
            return False
        match = self.token_set.filter(token=hashed).first()
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


# --- OpenID Connect identities (issue 18 point 1, vern.accounts.oidc) ----------------------


class OIDCIdentity(Device):  # type: ignore[misc]
    """An account's identity at the municipality's OpenID provider: the issuer and the
    subject claim of its ID tokens. Signing in with OIDC works only for a linked identity;
    accounts are never created by signing in.

    It is also a django-otp device: when the provider's token says a second factor was used
    (``amr``/``acr``), the session is verified with this device. It accepts no code
    (``verify_token`` is django-otp's default, False), so it never answers a code form."""

    issuer = models.CharField(_("utsteder"), max_length=255)
    subject = models.CharField(_("identitet hos utstederen"), max_length=255)
    linked_at = models.DateTimeField(_("koblet"), auto_now_add=True)
    linked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "accounts"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique"),
            models.UniqueConstraint(fields=["user", "issuer"], name="oidc_one_identity_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"OIDC identity {self.pk}"
