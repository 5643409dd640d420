"""The encrypted backup container (``.vernbk``): AES-256-GCM in chunks, key from a secret.

Layout (all integers big-endian)::

    b"VERNBK1\\0"                     magic, 8 bytes
    uint32 header_length
    header                            UTF-8 JSON (format, vendor, created_at, salt, ...)
    repeated:  uint32 length, ciphertext (chunk plaintext + 16-byte GCM tag)

- The file key is HKDF-SHA256(secret, salt=16 random bytes per file, info="vern-backup/1
  key"): 32 bytes for AES-256-GCM. A second HKDF output ("... key check") is stored in the
  header so that a wrong key is told apart from a damaged file before anything is decrypted.
- Every chunk is authenticated together with the whole preamble (magic, length, header) as
  associated data, so the header (vendor, time, salt) cannot be altered either.
- The nonce is ``prefix(7 random bytes) || chunk number (4) || last-chunk flag (1)``
  (the STREAM construction): chunks cannot be reordered, dropped or cut off at the end
  without the tag check failing; a file that ends before its last chunk is refused.

Nothing here is Vern-specific except the names: the payload is an opaque byte stream.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from dataclasses import dataclass
from typing import IO, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC: Final = b"VERNBK1\x00"
FORMAT_VERSION: Final = 1
CHUNK_SIZE: Final = 1024 * 1024
TAG_SIZE: Final = 16
MIN_SECRET_LENGTH: Final = 32
MAX_HEADER: Final = 64 * 1024
_U32: Final = struct.Struct(">I")
_KEY_INFO: Final = b"vern-backup/1 key"
_CHECK_INFO: Final = b"vern-backup/1 key check"


class BackupCryptoError(Exception):
    """The archive cannot be opened: the message says why (wrong key, damaged, not a backup)."""


class WrongKeyError(BackupCryptoError):
    pass


class TamperedError(BackupCryptoError):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, *, field: str) -> bytes:
    if not isinstance(text, str):
        msg = f"the backup header's {field} is missing"
        raise TamperedError(msg)
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        msg = f"the backup header's {field} is not valid base64"
        raise TamperedError(msg) from None


def check_secret(secret: str | None) -> bytes:
    """The secret as bytes; refuses a missing or short one (HKDF is not a password hash)."""
    if not secret:
        msg = (
            "VERN_BACKUP_KEY is not set. Set VERN_BACKUP_KEY, or VERN_BACKUP_KEY_FILE naming a "
            "file that holds it (at least 32 characters, for example the output of "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
        )
        raise BackupCryptoError(msg)
    if len(secret) < MIN_SECRET_LENGTH:
        msg = (
            f"VERN_BACKUP_KEY is too short ({len(secret)} characters): use a random secret of "
            f"at least {MIN_SECRET_LENGTH} characters."
        )
        raise BackupCryptoError(msg)
    return secret.encode("utf-8")


def _derive(secret: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def _nonce(prefix: bytes, counter: int, *, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


@dataclass(frozen=True)
class Header:
    vendor: str
    created_at: str
    salt: bytes
    nonce_prefix: bytes
    key_check: bytes
    chunk_size: int = CHUNK_SIZE
    format: int = FORMAT_VERSION

    def to_bytes(self) -> bytes:
        data = {
            "format": self.format,
            "magic": MAGIC.rstrip(b"\x00").decode("ascii"),
            "vendor": self.vendor,
            "created_at": self.created_at,
            "kdf": "HKDF-SHA256",
            "cipher": "AES-256-GCM",
            "chunk_size": self.chunk_size,
            "salt": _b64(self.salt),
            "nonce_prefix": _b64(self.nonce_prefix),
            "key_check": _b64(self.key_check),
        }
        return json.dumps(data, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeError, ValueError):
            msg = "the backup header is not readable (damaged file)"
            raise TamperedError(msg) from None
        if not isinstance(data, dict):
            msg = "the backup header is not readable (damaged file)"
            raise TamperedError(msg)
        if data.get("format") != FORMAT_VERSION:
            msg = (
                f"unsupported backup format {data.get('format')!r} "
                f"(this Vern reads format {FORMAT_VERSION})"
            )
            raise BackupCryptoError(msg)
        chunk_size = data.get("chunk_size")
        if not isinstance(chunk_size, int) or not 1 <= chunk_size <= 64 * CHUNK_SIZE:
            msg = "the backup header's chunk size is invalid (damaged file)"
            raise TamperedError(msg)
        vendor, created_at = data.get("vendor"), data.get("created_at")
        if not isinstance(vendor, str) or not isinstance(created_at, str):
            msg = "the backup header lacks the database vendor or time (damaged file)"
            raise TamperedError(msg)
        header = cls(
            vendor=vendor,
            created_at=created_at,
            salt=_unb64(data.get("salt"), field="salt"),
            nonce_prefix=_unb64(data.get("nonce_prefix"), field="nonce_prefix"),
            key_check=_unb64(data.get("key_check"), field="key_check"),
            chunk_size=chunk_size,
        )
        if len(header.nonce_prefix) != 7 or len(header.salt) < 16:
            msg = "the backup header's salt or nonce is invalid (damaged file)"
            raise TamperedError(msg)
        return header


class EncryptingWriter:
    """A write-only binary stream that encrypts into ``out`` chunk by chunk."""

    def __init__(self, out: IO[bytes], *, secret: bytes, vendor: str, created_at: str) -> None:
        salt = os.urandom(16)
        self._header = Header(
            vendor=vendor,
            created_at=created_at,
            salt=salt,
            nonce_prefix=os.urandom(7),
            key_check=_derive(secret, salt, _CHECK_INFO),
        )
        header_bytes = self._header.to_bytes()
        preamble = MAGIC + _U32.pack(len(header_bytes)) + header_bytes
        self._aad = hashlib.sha256(preamble).digest()
        self._aead = AESGCM(_derive(secret, salt, _KEY_INFO))
        self._out = out
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        self.plaintext_bytes = 0
        out.write(preamble)

    def writable(self) -> bool:
        return True

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        nonce = _nonce(self._header.nonce_prefix, self._counter, last=last)
        sealed = self._aead.encrypt(nonce, chunk, self._aad)
        self._out.write(_U32.pack(len(sealed)))
        self._out.write(sealed)
        self._counter += 1

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self._closed:
            msg = "write to a closed backup stream"
            raise ValueError(msg)
        self._buffer += data
        size = self._header.chunk_size
        # Keep at least one byte back: the last chunk is emitted by close() with its flag.
        while len(self._buffer) > size:
            self._emit(bytes(self._buffer[:size]), last=False)
            del self._buffer[:size]
        self.plaintext_bytes += len(data)
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if self._closed:
            return
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._closed = True
        self._out.flush()


def read_header(source: IO[bytes]) -> tuple[Header, bytes]:
    """The header and the associated data every chunk is authenticated with."""
    magic = source.read(len(MAGIC))
    if magic != MAGIC:
        msg = "this is not a Vern backup (the file does not start with VERNBK1)"
        raise BackupCryptoError(msg)
    raw_len = source.read(4)
    if len(raw_len) != 4:
        msg = "the backup is cut off in its header (damaged file)"
        raise TamperedError(msg)
    (length,) = _U32.unpack(raw_len)
    if length > MAX_HEADER:
        msg = "the backup header is too long (damaged file)"
        raise TamperedError(msg)
    raw = source.read(length)
    if len(raw) != length:
        msg = "the backup is cut off in its header (damaged file)"
        raise TamperedError(msg)
    return Header.from_bytes(raw), hashlib.sha256(magic + raw_len + raw).digest()


class DecryptingReader:
    """A read-only binary stream over an encrypted backup.

    Raises WrongKeyError when the key check fails (before any chunk is read), and
    TamperedError when a chunk fails authentication, when chunks are missing or reordered,
    or when the file ends before its last chunk or goes on after it."""

    def __init__(self, source: IO[bytes], *, secret: bytes) -> None:
        self.header, self._aad = read_header(source)
        check = _derive(secret, self.header.salt, _CHECK_INFO)
        if not hmac.compare_digest(check, self.header.key_check):
            msg = (
                "the backup key does not match this backup (VERN_BACKUP_KEY is not the key it "
                "was made with); nothing was restored"
            )
            raise WrongKeyError(msg)
        self._aead = AESGCM(_derive(secret, self.header.salt, _KEY_INFO))
        self._source = source
        self._counter = 0
        self._buffer = b""
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        raw_len = self._source.read(4)
        if len(raw_len) != 4:
            msg = (
                f"the backup ends before its last chunk (cut off after chunk {self._counter}); "
                "it is damaged or was altered"
            )
            raise TamperedError(msg)
        (length,) = _U32.unpack(raw_len)
        if not TAG_SIZE <= length <= self.header.chunk_size + TAG_SIZE:
            msg = f"chunk {self._counter} of the backup has an impossible length (damaged file)"
            raise TamperedError(msg)
        sealed = self._source.read(length)
        if len(sealed) != length:
            msg = f"the backup is cut off in chunk {self._counter} (damaged file)"
            raise TamperedError(msg)
        for last in (False, True):
            nonce = _nonce(self.header.nonce_prefix, self._counter, last=last)
            try:
                self._buffer = self._aead.decrypt(nonce, sealed, self._aad)
            except InvalidTag:
                continue
            self._counter += 1
            if last:
                self._done = True
                if self._source.read(1):
                    msg = "the backup has data after its last chunk (altered file)"
                    raise TamperedError(msg)
            return
        msg = (
            f"chunk {self._counter} of the backup failed authentication: the file was altered "
            "or damaged; nothing was restored"
        )
        raise TamperedError(msg)

    def read(self, size: int = -1) -> bytes:
        parts: list[bytes] = []
        wanted = size if size is not None and size >= 0 else None
        got = 0
        while wanted is None or got < wanted:
            available = len(self._buffer) - self._pos
            if available <= 0:
                if self._done:
                    break
                self._next_chunk()
                self._pos = 0
                continue
            take = available if wanted is None else min(wanted - got, available)
            parts.append(self._buffer[self._pos : self._pos + take])
            self._pos += take
            got += take
        return b"".join(parts)

    def read_to_end(self) -> None:
        """Read and authenticate what is left (the caller may have stopped early)."""
        while not self._done:
            self._next_chunk()
        self._buffer, self._pos = b"", 0
