"""Closed cases refuse new contacts and deviations; nothing crosses centres."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.police.conftest import record
from vern.accounts.models import User
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.cases.services import CaseClosedError
from vern.police import services

pytestmark = pytest.mark.django_db


def test_closed_case_refuses_new_contacts_and_deviations(ansatt: User, case: Case) -> None:
    case_services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")
    with pytest.raises(CaseClosedError):
        record(ansatt, case, legal_ground="anonymous", shared_categories=[])
    with pytest.raises(CaseClosedError):
        services.deviation_open(acting_user=ansatt, case=case, reasons=["other"])
    assert not case.police_contacts.exists()


def test_staff_of_another_centre_cannot_record_on_the_case(other_staff: User, case: Case) -> None:
    with pytest.raises(PermissionDenied):
        record(other_staff, case, legal_ground="anonymous", shared_categories=[])


def test_administrator_cannot_record_contacts(administrator: User, case: Case) -> None:
    with pytest.raises(PermissionDenied):
        record(administrator, case, legal_ground="anonymous", shared_categories=[])
