"""The signed consent form uploaded back over the API (issue 7, issue 21): a
``multipart/form-data`` request with one file part ``signed_file``, as the web form sends it.

The operation calls the service the web form calls (``vern.consent.services.
signed_consent_upload``): the file is checked by its content, not its name or declared type
(PDF, JPEG or PNG only; no program or script; not empty; at most ``VERN_UPLOAD_MAX_BYTES``),
images are re-encoded without metadata, it is stored under a random name, and the audit event
and the timeline line are written in the same transaction. A refused file stores nothing
(422 ``signed_file`` naming what was wrong). The stored file is downloaded in the web app
only, behind step-up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from vern.api.common import WRITE, CaseId, ObjectId, case_step
from vern.api.errors import ApiError
from vern.consent import selectors as consent_selectors
from vern.consent import services as consent_services

consents = Router(tags=["consent"])


class SignedFileOut(Schema):
    id: int
    consent_id: int
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


@consents.post(
    "/{case_id}/consents/{consent_id}/signed-file",
    response={201: SignedFileOut, **WRITE},
    summary="Upload the signed consent form (PDF, JPEG or PNG, checked by content; G4)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"signed_file": {"type": "string", "format": "binary"}},
                        "required": ["signed_file"],
                    }
                }
            },
        }
    },
)
def signed_file_upload(
    request: HttpRequest, case_id: CaseId, consent_id: ObjectId
) -> Status[dict[str, Any]]:
    """``multipart/form-data`` with the part ``signed_file``. The content decides, not the
    file name or the part's content type: anything but a PDF, JPEG or PNG, an empty or too
    large file, is 422 ``signed_file``; a withdrawn consent is 422 ``signed_file`` too (record
    a new consent). A closed case: 409 ``case_closed``. The ids are checked first: another
    centre's case or consent is 404 whatever the body (the part is read here, not by ninja)."""
    user, case = case_step(request, case_id, open_case=True)
    consent = consent_selectors.consent_get(user=user, case=case, pk=consent_id)
    signed_file = request.FILES.get("signed_file")
    if signed_file is None:
        raise ApiError(
            422,
            "invalid_request",
            "Send the signed form as the file part signed_file (multipart/form-data).",
            "signed_file",
        )
    signed = consent_services.signed_consent_upload(
        acting_user=user,
        consent=consent,
        signed_file=signed_file,
        signed_file_size=signed_file.size,
        request=request,
    )
    return Status(
        201,
        {
            "id": signed.pk,
            "consent_id": consent.pk,
            "content_type": signed.content_type,
            "size": signed.size,
            "sha256": signed.sha256,
            "uploaded_at": signed.uploaded_at,
        },
    )
