"""Fault injection: if the audit insert fails, the request fails and returns no case data."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.factories import login_verified

from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services
from vern.cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


def test_a_case_read_without_its_audit_event_returns_no_case_data(
    client: Client, ansatt: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = services.case_create(
        acting_user=ansatt, reference="FEIL-REF-913", name="Feilnavn Kanarisen"
    )
    login_verified(client, ansatt)

    def fail(self: AuditEvent, *args: object, **kwargs: object) -> None:
        msg = "audit storage unavailable"
        raise RuntimeError(msg)

    monkeypatch.setattr(AuditEvent, "save", fail)
    client.raise_request_exception = False
    response = client.get(f"/saker/{case.pk}/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "FEIL-REF-913" not in body
    assert "Kanarisen" not in body


def test_a_write_whose_audit_event_fails_is_rolled_back(ansatt_client: Client) -> None:
    ansatt_client.raise_request_exception = False

    def fail(self: AuditEvent, *args: object, **kwargs: object) -> None:
        msg = "audit storage unavailable"
        raise RuntimeError(msg)

    original = AuditEvent.save
    AuditEvent.save = fail  # type: ignore[method-assign]
    try:
        response = ansatt_client.post("/saker/ny/", {"reference": "RULLET-1", "language": "nb"})
    finally:
        AuditEvent.save = original  # type: ignore[method-assign]
    assert response.status_code == 500
    assert not Case.objects.filter(reference="RULLET-1").exists()
    assert not CaseEvent.objects.filter(kind="case_created", case__reference="RULLET-1").exists()
