"""Issue 6 point 3: the access report (page and PDF, for the user) shows every audit reason code
Vern writes in words in the chosen language, and an unknown code as a neutral text, never the
raw code. The codes are collected from the source (``reason="…"``/``cause="…"`` literals) and the
enumerations the services pass on, so a new code without a text fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.documents.conftest import pdf_text
from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case
from vern.consent.selectors import REASON_TEXTS
from vern.core import clock
from vern.documents import render
from vern.documents.selectors import access_events
from vern.documents.texts import REQUIRED_LANGS, Translator, language
from vern.police.services import REASON_LABELS

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "vern"
_LITERAL = re.compile(r'\b(?:reason|cause)="([a-z][a-z0-9_]*)"')
_DEFAULT_CAUSE = re.compile(r'\bcause=\(cause or "([a-z][a-z0-9_]*)"\)')
# A default of a ``reason`` parameter: ``reason: str = "signed_consent_uploaded"``.
_DEFAULT_REASON = re.compile(r'\breason: str = "([a-z][a-z0-9_]*)"')


def _reason_choices() -> list[type[models.TextChoices]]:
    """The ``…Reason`` choices of Vern's models (close, reopen, child removal, manual deviation
    reasons): the services pass their values on as audit reasons."""
    modules = [
        config.models_module
        for config in apps.get_app_configs()
        if config.name.startswith("vern.") and config.models_module is not None
    ]
    return [
        value
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, models.TextChoices)
        and name.endswith("Reason")
        and value.__module__ == module.__name__
    ]


def reason_codes() -> set[str]:
    """Every audit reason code Vern writes: literals at the audit/assessment calls, the close
    reasons, and the deviation reasons (the first reason of a deviation is its event's reason)."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        codes.update(_LITERAL.findall(source))
        codes.update(_DEFAULT_CAUSE.findall(source))
        codes.update(_DEFAULT_REASON.findall(source))
    codes.update(code for choices in _reason_choices() for code in choices.values)
    codes.update(REASON_LABELS)
    codes.update(REASON_TEXTS)
    return codes


def test_the_scan_finds_the_codes_of_the_walk_through() -> None:
    assert {"CloseReason", "ManualDeviationReason"} <= {c.__name__ for c in _reason_choices()}
    found = reason_codes()
    for code in ("information_given", "consent_given", "signed_consent_uploaded", "completed",
                 "planned", "police_involved", "consent_withdrawn", "reevaluated"):  # fmt: skip
        assert code in found, code


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_issue6_every_reason_code_has_a_text_in_the_language(lang: str) -> None:
    texts = language(lang).texts
    missing = sorted(code for code in reason_codes() if f"reason.{code}" not in texts)
    assert not missing, f"{lang}.yaml has no text for the reason codes {missing}"


def _events_with_every_reason(user: User, case: Case) -> list[str]:
    codes = sorted(reason_codes())
    for code in [*codes, "some_future_code"]:
        audit_record(
            action=AuditAction.CASE_UPDATED, actor=user, centre=case.centre,
            object_type="case", object_id=case.pk, reason=code,
        )  # fmt: skip
    return codes


@pytest.mark.parametrize("lang", REQUIRED_LANGS)
def test_issue6_the_pdf_shows_reasons_in_words_and_never_a_raw_code(
    lang: str, ansatt: User, case: Case, tmp_path: Path
) -> None:
    codes = _events_with_every_reason(ansatt, case)
    t = Translator(language(lang))
    rows = render.access_rows(access_events(case=case), lang)
    reasons = [row.reason for row in rows]
    for code in codes:
        assert t(f"reason.{code}") in reasons
    assert reasons[-1] == t("access.reason_unknown")  # the unknown code
    pdf = render.access_report_pdf(case, lang, events=access_events(case=case), today=clock.today())
    text = pdf_text(pdf, tmp_path)
    for code in [*codes, "some_future_code"]:
        if "_" in code:  # one-word codes ("planned") may be an English word in the text
            assert code not in text, code


def test_issue6_the_page_shows_reasons_in_words_and_never_a_raw_code(
    ansatt_client: Client, ansatt: User, case: Case
) -> None:
    codes = _events_with_every_reason(ansatt, case)
    page = ansatt_client.get(reverse("documents:access_report", args=[case.pk]) + "?sprak=nb")
    assert page.status_code == 200
    body = page.content.decode()
    nb = Translator(language("nb"))
    assert f"<td>{nb('reason.consent_given')}</td>" in body
    assert f"<td>{nb('access.reason_unknown')}</td>" in body
    for code in [*codes, "some_future_code"]:
        assert f"<td>{code}</td>" not in body, code
