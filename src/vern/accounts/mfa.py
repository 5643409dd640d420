"""Multi-factor authentication with django-otp: TOTP devices and single-use backup codes.

The devices are Vern's proxies of django-otp's models (vern.accounts.models): TOTP secrets are
stored encrypted with VERN_OTP_KEY and backup codes as keyed hashes (issue 15)."""

from __future__ import annotations

import base64

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticToken

from vern.accounts.models import User
from vern.accounts.models import VernStaticDevice as StaticDevice
from vern.accounts.models import VernTOTPDevice as TOTPDevice
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record

BACKUP_CODE_COUNT = 10
TOTP_NAME = "app"
BACKUP_NAME = "backup"


def has_confirmed_totp(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device of an enrolment in progress (created on first call)."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as a QR code, an SVG data URI (no third-party service sees it)."""
    qr = segno.make(device.config_url, error="m")
    return str(qr.svg_data_uri(scale=5, border=2, dark="#000", light="#fff"))


def new_backup_codes(user: User) -> list[str]:
    """Replace the user's backup codes with fresh ones and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    device.add_codes(codes)
    return codes


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm an enrolment; returns the first backup codes, or None if the code is wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(user)
    audit_record(action=AuditAction.MFA_ENROLLED, actor=user, centre=user.centre)
    return codes


TOTP_DIGITS = 6


def _fits(device: object, token: str) -> bool:
    """Whether ``token`` has the shape of a code of ``device``: TOTP codes are six digits,
    backup codes (``StaticToken.random_token``) eight letters and digits."""
    if isinstance(device, TOTPDevice):
        return token.isdigit() and len(token) == device.digits
    return not (token.isdigit() and len(token) == TOTP_DIGITS)


def match_code(user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The confirmed device (TOTP or backup code) that accepts ``token``, else None.

    django-otp throttles repeated failures per device, so a code is offered only to the kind
    of device it could belong to: a backup code must not count as a failed TOTP code (which
    would throttle the app after every login with a backup code), nor the other way round."""
    token = token.replace(" ", "").strip()
    if not token:
        return None
    devices: list[TOTPDevice | StaticDevice] = [
        *TOTPDevice.objects.devices_for_user(user, confirmed=True),
        *StaticDevice.objects.devices_for_user(user, confirmed=True),
    ]
    for device in devices:
        if not _fits(device, token):
            continue
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None
