"""Issue 15 point 3: TOTP secrets are stored encrypted with VERN_OTP_KEY (outside the
database) and backup codes as keyed hashes; verification still works; a wrong key fails
closed with a clear error; existing plaintext rows are migrated."""

from __future__ import annotations

import base64
import importlib
import logging
from typing import Any

import pytest
from django.apps import apps
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import current_totp, make_centre, make_user
from vern.accounts import mfa, otp_secrets
from vern.accounts.models import Role, User, VernStaticDevice, VernTOTPDevice

pytestmark = pytest.mark.django_db


def staff() -> User:
    return make_user(Role.ANSATT, make_centre())


def stored_key(user: User) -> str:
    return str(TOTPDevice.objects.get(user=user).key)


def stored_tokens(user: User) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_the_totp_row_holds_no_plaintext_secret_and_codes_still_verify() -> None:
    user = staff()
    device = VernTOTPDevice.objects.get(user=user)
    secret = device.bin_key
    row = stored_key(user)
    assert row.startswith(otp_secrets.PREFIX)
    assert secret.hex() not in row
    assert base64.b32encode(secret).decode() not in row.upper()
    assert mfa.match_code(user, current_totp(user)) is not None


def test_a_new_enrolment_is_encrypted_before_it_reaches_the_database() -> None:
    user = staff()
    TOTPDevice.objects.filter(user=user).delete()
    device = mfa.pending_totp_device(user)
    assert stored_key(user).startswith(otp_secrets.PREFIX)
    assert mfa.secret_base32(device).replace(" ", "") not in stored_key(user).upper()


def test_backup_codes_are_stored_as_hashes_and_each_works_once() -> None:
    user = staff()
    codes = mfa.new_backup_codes(user)
    rows = stored_tokens(user)
    assert len(rows) == len(codes)
    assert not set(codes) & set(rows)
    assert all(len(row) == otp_secrets.HASHED_TOKEN_LENGTH for row in rows)
    assert mfa.match_code(user, codes[0].upper()) is not None
    assert mfa.match_code(user, codes[0]) is None  # single use
    assert len(stored_tokens(user)) == len(codes) - 1


def test_a_wrong_otp_key_accepts_no_code_and_says_which_key(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    user = staff()
    code = current_totp(user)
    backup = mfa.new_backup_codes(user)[0]
    settings.VERN_OTP_KEY = "another-key-" + "k" * 40
    device = VernTOTPDevice.objects.get(user=user)
    with pytest.raises(otp_secrets.OTPSecretError, match="VERN_OTP_KEY"):
        _ = device.bin_key
    with caplog.at_level(logging.ERROR, logger="vern.accounts.mfa"):
        assert mfa.match_code(user, code) is None
    assert "VERN_OTP_KEY does not decrypt" in caplog.text
    assert mfa.match_code(user, backup) is None


def test_a_secret_copied_onto_another_account_does_not_decrypt() -> None:
    owner, victim = staff(), staff()
    TOTPDevice.objects.filter(user=victim).update(key=stored_key(owner))
    with pytest.raises(otp_secrets.OTPSecretError):
        _ = VernTOTPDevice.objects.get(user=victim).bin_key


def test_the_data_migration_encrypts_existing_keys_and_hashes_existing_codes() -> None:
    user = staff()
    TOTPDevice.objects.filter(user=user).delete()
    plain = TOTPDevice.objects.create(user=user, name=mfa.TOTP_NAME, confirmed=True)
    hex_key = plain.key
    static = StaticDevice.objects.create(user=user, name=mfa.BACKUP_NAME, confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    with pytest.raises(otp_secrets.OTPSecretError, match="unencrypted"):
        _ = VernTOTPDevice.objects.get(user=user).bin_key  # plaintext is never used as is
    migration = importlib.import_module("vern.accounts.migrations.0002_otp_secrets_at_rest")
    migration.protect_existing_secrets(apps, None)
    assert hex_key not in stored_key(user)
    assert stored_tokens(user) != ["abcd2345"]
    device = VernTOTPDevice.objects.get(user=user)
    assert device.bin_key.hex() == hex_key
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    assert mfa.match_code(user, f"{code:06d}") is not None
    assert VernStaticDevice.objects.get(pk=static.pk).verify_token("abcd2345")
