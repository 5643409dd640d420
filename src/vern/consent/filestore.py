"""Where the bytes of signed consent forms live: the database (issue 20, ADR 0013).

Every app server reads the same rows, so a form uploaded on one node downloads on any other;
the bytes commit in the request transaction with their ``SignedConsentFile`` row and audit
event (a failed request leaves neither); row-level security covers them on PostgreSQL; and a
backup (``pg_dump`` or SQLite's backup API) holds them in the same snapshot as the rows.

Forms uploaded before issue 20 were files under ``MEDIA_ROOT/consents/<centre>/`` on one app
server's disk. ``import_from_disk`` (the data migration ``consent.0007`` and ``vern files
import`` on every node) moves them into the database, each checked against the SHA-256 its row
recorded at upload and read back before it counts; it never overwrites and is idempotent.
Until a file is imported, ``read_content`` still finds it on the disk of the node that has it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from vern.centres.tenancy import system_scope
from vern.consent.models import SignedConsentFile, SignedConsentFileContent
from vern.core import clock

LEGACY_DIR = "consents"


class StoredFileError(Exception):
    """A stored file's bytes do not match the checksum recorded at upload."""


def new_stored_name(*, centre_id: int, extension: str) -> str:
    """A random, unique name (never the uploader's file name)."""
    return f"{LEGACY_DIR}/{int(centre_id)}/{secrets.token_hex(16)}.{extension}"


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def legacy_path(stored_name: str) -> Path | None:
    """Where a form uploaded before issue 20 was kept on this node; None for a name that
    would point outside ``MEDIA_ROOT/consents``."""
    media = Path(settings.MEDIA_ROOT).resolve()
    root = media / LEGACY_DIR
    path = (media / stored_name).resolve()
    return path if root in path.parents else None


def save_content(*, signed: Any, content: bytes, content_model: Any = None) -> None:
    """Store ``content`` for the ``SignedConsentFile`` row ``signed`` (same transaction)."""
    if content_model is None:
        content_model = SignedConsentFileContent
    digest = sha256(content)
    if digest != signed.sha256 or len(content) != signed.size:
        msg = f"signed consent file {signed.pk}: the content does not match its row"
        raise StoredFileError(msg)
    content_model.objects.create(
        centre_id=signed.centre_id,
        signed_file=signed,
        sha256=digest,
        size=len(content),
        content=content,
        stored_at=clock.now(),
    )


def read_content(signed: Any) -> bytes:
    """The bytes of a signed consent form, checked against the SHA-256 of its upload.

    Raises ``FileNotFoundError`` when neither the database nor this node's disk has them and
    ``StoredFileError`` when they differ from the recorded checksum."""
    row = (
        SignedConsentFileContent.objects.filter(signed_file=signed, centre_id=signed.centre_id)
        .values_list("content", flat=True)
        .first()
    )
    if row is not None:
        content = bytes(row)
    else:
        path = legacy_path(signed.stored_name)
        if path is None or not path.is_file():
            msg = f"signed consent file {signed.pk} is not stored"
            raise FileNotFoundError(msg)
        content = path.read_bytes()
    if sha256(content) != signed.sha256:
        msg = f"signed consent file {signed.pk}: the content does not match its checksum"
        raise StoredFileError(msg)
    return content


@dataclass
class ImportReport:
    """What ``import_from_disk`` found, by signed consent file id."""

    imported: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)  # in the database, checksum verified
    missing: list[int] = field(default_factory=list)  # neither in the database nor here
    mismatched: list[int] = field(default_factory=list)  # bytes differ from the checksum
    removed: int = 0  # disk copies deleted after verification (``remove=True``)

    @property
    def ok(self) -> bool:
        return not self.mismatched

    def summary(self) -> str:
        return (
            f"{len(self.imported)} imported, {len(self.already)} already in the database, "
            f"{len(self.missing)} not on this node, {len(self.mismatched)} checksum mismatches"
            f", {self.removed} disk copies removed"
        )


def import_from_disk(
    *, remove: bool = False, file_model: Any = None, content_model: Any = None
) -> ImportReport:
    """Move every signed consent form still only on this node's disk into the database.

    One transaction per file; a file counts as imported only when the bytes read back from
    the database have the SHA-256 recorded at upload. A file whose bytes differ from that
    checksum is reported and not imported. Idempotent: a file already in the database is
    verified and counted as such. ``remove`` deletes a disk copy once the database holds the
    same bytes (after the commit). The models can be given (the data migration's)."""
    if file_model is None or content_model is None:
        file_model, content_model = SignedConsentFile, SignedConsentFileContent
    report = ImportReport()
    with system_scope():
        ids = list(file_model.objects.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        with system_scope():
            signed = file_model.objects.select_for_update().get(pk=pk)
            stored = (
                content_model.objects.filter(signed_file_id=pk)
                .values_list("content", flat=True)
                .first()
            )
            path = legacy_path(signed.stored_name)
            on_disk = path is not None and path.is_file()
            if stored is not None:
                if sha256(bytes(stored)) != signed.sha256:
                    report.mismatched.append(pk)
                    continue
                report.already.append(pk)
            elif not on_disk:
                report.missing.append(pk)
                continue
            else:
                assert path is not None  # noqa: S101 (on_disk)
                content = path.read_bytes()
                if sha256(content) != signed.sha256 or len(content) != signed.size:
                    report.mismatched.append(pk)
                    continue
                save_content(signed=signed, content=content, content_model=content_model)
                back = content_model.objects.filter(signed_file_id=pk).values_list(
                    "content", flat=True
                )[0]
                if sha256(bytes(back)) != signed.sha256:  # pragma: no cover (a broken driver)
                    msg = f"signed consent file {pk}: the database returned other bytes"
                    raise StoredFileError(msg)
                report.imported.append(pk)
        if remove and on_disk and path is not None:
            # After the commit: the database holds these exact bytes now.
            path.unlink()
            report.removed += 1
    return report


@dataclass
class VerifyReport:
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


def verify_stored() -> VerifyReport:
    """Every signed consent file's bytes are in the database with its upload checksum."""
    report = VerifyReport()
    with transaction.atomic(), system_scope():
        for signed in SignedConsentFile.objects.order_by("pk").iterator():
            report.files += 1
            try:
                content = read_content(signed)
            except (FileNotFoundError, StoredFileError) as exc:
                report.problems.append(str(exc))
                continue
            if not signed_in_database(signed):
                report.problems.append(
                    f"signed consent file {signed.pk} is only on this node's disk "
                    "(run `vern files import` on every node)"
                )
            report.bytes += len(content)
    return report


def signed_in_database(signed: Any) -> bool:
    return SignedConsentFileContent.objects.filter(signed_file=signed).exists()
