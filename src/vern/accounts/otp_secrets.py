"""MFA secrets at rest (issue 15 point 3): TOTP keys encrypted, backup codes hashed.

The key is ``settings.VERN_OTP_KEY`` (or ``VERN_OTP_KEY_FILE``), kept outside the database like
the audit and backup keys: a copy of the database or of a ``vern backup`` archive alone does not
reveal any TOTP secret or backup code. Two subkeys are derived from it with HKDF-SHA-256:

- TOTP secrets: AES-256-GCM, a random 96-bit nonce per secret, the owner's user id as associated
  data (a ciphertext copied onto another account does not decrypt). Stored in django-otp's
  ``TOTPDevice.key`` column as ``v1$`` + base64url(nonce | ciphertext | tag).
- Backup codes: HMAC-SHA-256 over the user id and the code, truncated to 96 bits, base64url,
  16 characters (the width of django-otp's ``StaticToken.token`` column). Keyed on purpose: a
  backup code has only 40 random bits, so an unkeyed hash, even Argon2, could be reversed by
  trying every code; without VERN_OTP_KEY the stored value reveals nothing.

A wrong or changed key fails closed: no code is accepted and the log says which key is wrong.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "v1$"
HASHED_TOKEN_LENGTH = 16
_NONCE = 12


class OTPSecretError(RuntimeError):
    """A stored TOTP secret cannot be decrypted (wrong VERN_OTP_KEY) or is not encrypted."""


def _key_text(key: str | None) -> bytes:
    text = settings.VERN_OTP_KEY if key is None else key
    if not text:
        msg = "VERN_OTP_KEY is empty: TOTP secrets cannot be encrypted or checked."
        raise OTPSecretError(msg)
    return str(text).encode("utf-8")


def _subkey(purpose: bytes, key: str | None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        _key_text(key)
    )


def _aad(user_id: int) -> bytes:
    return b"vern.totp.v1:" + str(int(user_id)).encode("ascii")


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def encrypt_totp_key(hex_key: str, *, user_id: int, key: str | None = None) -> str:
    """django-otp's hex-encoded key -> the stored ``v1$...`` form."""
    secret = bytes.fromhex(hex_key)
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(_subkey(b"vern otp totp v1", key)).encrypt(nonce, secret, _aad(user_id))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")


def decrypt_totp_key(stored: str, *, user_id: int, key: str | None = None) -> bytes:
    """The raw TOTP secret; raises OTPSecretError (never returns a wrong secret)."""
    if not is_encrypted(stored):
        msg = (
            "A TOTP secret is stored unencrypted; run `vern migrate` (accounts 0002) so it is "
            "encrypted with VERN_OTP_KEY. It is not used until then."
        )
        raise OTPSecretError(msg)
    body = stored[len(PREFIX) :]
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return AESGCM(_subkey(b"vern otp totp v1", key)).decrypt(
            blob[:_NONCE], blob[_NONCE:], _aad(user_id)
        )
    except (InvalidTag, ValueError):
        msg = (
            "VERN_OTP_KEY does not decrypt the stored TOTP secrets: it is not the key they were "
            "encrypted with (or the row was altered). No code is accepted until the right "
            "VERN_OTP_KEY is configured."
        )
        raise OTPSecretError(msg) from None


def normalise_backup_code(code: str) -> str:
    return code.replace(" ", "").replace("-", "").strip().lower()


def hash_backup_code(code: str, *, user_id: int, key: str | None = None) -> str:
    digest = hmac.new(
        _subkey(b"vern otp backup code v1", key),
        f"{int(user_id)}:{normalise_backup_code(code)}".encode(),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode("ascii")
