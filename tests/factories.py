"""Shared test users and centres, built in code (no fixtures files)."""

from __future__ import annotations

import itertools

from django.test import Client
from django_otp.oath import totp

from vern.accounts import mfa
from vern.accounts.models import Role, User
from vern.accounts.models import VernTOTPDevice as TOTPDevice
from vern.centres.models import Centre, PoliceDistrict

PASSWORD = "korrekt-hest-batteri-stift"
_seq = itertools.count(1)


def make_centre(name: str | None = None) -> Centre:
    n = next(_seq)
    return Centre.objects.create(
        name=name or f"Testsenter {n}",
        municipality="Testby",
        police_district=PoliceDistrict.OSLO,
    )


def make_user(
    role: str = Role.ANSATT, centre: Centre | None = None, *, username: str | None = None
) -> User:
    n = next(_seq)
    user = User(
        username=username or f"{role}-{n}",
        email=f"{role}-{n}@example.invalid",
        full_name=f"Test {role.capitalize()} {n}",
        role=role,
        centre=None if role == Role.ADMINISTRATOR else centre,
    )
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name=mfa.TOTP_NAME, confirmed=True)
    return user


def current_totp(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def backup_code(user: User) -> str:
    return mfa.new_backup_codes(user)[0]


def login_verified(client: Client, user: User) -> None:
    """Log in through the real pages: password, then a backup code."""
    response = client.post("/konto/logg-inn/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    response = client.post("/konto/mfa/", {"code": backup_code(user)})
    assert response.status_code == 302, response.content[:500]
