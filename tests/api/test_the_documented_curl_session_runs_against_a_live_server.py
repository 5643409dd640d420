"""Issue 21 point 4: the curl session of docs/api.md (docs/api-session.sh) runs, as it is,
against a live Vern: it makes a token through the web pages (password, a one-time code, a
fresh code for the token), then takes a whole case through the API: mapping, assessment,
information, consent, police contact, withdrawal, refusal, relocation and the summary PDF
(with a third code); every call succeeds. Skipped when curl is missing."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest

from tests.factories import PASSWORD, make_centre, make_user
from vern.accounts import mfa
from vern.accounts.models import Role
from vern.api.models import ApiToken
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.relocation.models import Relocation

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "docs" / "api-session.sh"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed"),
    pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed"),
]


def test_the_session_script_succeeds_against_a_live_server(live_server: object) -> None:
    user = make_user(Role.ANSATT, make_centre("Senter Curl"))
    codes = mfa.new_backup_codes(user)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "VERN_URL": str(live_server.url),  # type: ignore[attr-defined]
        "VERN_USERNAME": user.username,
        "VERN_PASSWORD": PASSWORD,
        "VERN_CODE": codes[0],
        "VERN_STEP_UP_CODE": codes[1],
        "VERN_PDF_CODE": codes[2],
    }

    run = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "== Done" in run.stdout
    assert ApiToken.objects.filter(user=user).count() == 1
    case = Case.objects.get(centre=user.centre)
    assert f'"reference": "{case.reference}"' in run.stdout
    assert Relocation.objects.filter(case=case).count() == 1
    assert "A centre outside Vern" not in run.stdout  # the destination is never given back
    assert '"police_involvement"' in run.stdout
    assert case.risk_mappings.count() == 1
    assert case.assessments.exists()  # re-evaluated after each new fact, so several
    assert case.consents.get().withdrawn_at is not None
    assert case.police_contacts.filter(legal_ground="consent").count() == 1
    assert case.refusals.count() == 1
    assert "bytes of PDF" in run.stdout
    assert AuditEvent.objects.filter(action="export", actor=user).exists()  # the summary
    assert AuditEvent.objects.filter(action="api_read", actor=user).count() >= 3
