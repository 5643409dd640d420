"""`vern serve` applies a new packaged rulebook version to the open cases before it starts
gunicorn (issue 13 point 6): a release without migrations reaches the cases too."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from vern.assessments.models import RulebookApplied
from vern.rules import load_rulebook


@pytest.mark.django_db
def test_serve_records_the_packaged_version_before_exec(monkeypatch: pytest.MonkeyPatch) -> None:
    RulebookApplied.objects.all().delete()
    started: list[list[str]] = []
    monkeypatch.setattr("os.execvp", lambda path, argv: started.append(argv))
    # The test's own transaction must survive the close before exec.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    call_command("serve", stdout=StringIO())

    assert started
    assert "gunicorn" in started[0]
    assert RulebookApplied.objects.filter(version=load_rulebook().version).exists()
