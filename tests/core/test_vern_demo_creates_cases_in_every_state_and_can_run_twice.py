"""`vern demo` builds the whole workflow through the real services, and running it twice works."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from vern.audit.verify import verify_chain
from vern.cases.models import Case, CaseStatus
from vern.consent.models import Consent, ConsentRefusal
from vern.police.models import Deviation, LegalGround, PoliceContact
from vern.relocation.models import Relocation, RelocationStatus

pytestmark = pytest.mark.django_db


def test_demo_creates_cases_in_every_state_and_is_idempotent() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert "backup codes:" in printed
    assert "demo-passord-vern-2026" in printed
    cases = Case.objects.count()
    assert cases >= 50
    assert Case.objects.filter(status=CaseStatus.CLOSED).exists()
    assert Case.objects.filter(next_reassessment_on__isnull=True).exists()
    assert Consent.objects.filter(form="written").exists()
    assert ConsentRefusal.objects.exists()
    assert PoliceContact.objects.filter(legal_ground=LegalGround.DUTY_TO_AVERT).exists()
    assert Deviation.objects.filter(closed_at__isnull=True).exists()
    # The consented contact of Demo-03 is covered by its consent: no deviation there.
    consented = PoliceContact.objects.get(case__reference="Demo-03 samtykke")
    assert consented.ground_valid
    assert not Deviation.objects.filter(case__reference="Demo-03 samtykke").exists()
    assert Relocation.objects.filter(status=RelocationStatus.COMPLETED).exists()
    # The other centre has a case of its own (to see isolation in the demo).
    assert Case.objects.filter(reference="Nord-01").exists()

    call_command("demo", stdout=StringIO())
    assert Case.objects.count() == cases
    assert verify_chain().ok
