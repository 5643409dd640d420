"""Every HTML page, read in nynorsk and in English, is in that language (issue 14 point 7).

The pages are the authorization matrix's (every URL of Vern, tests/security/authz_matrix.yaml)
with its objects, each as a role that may read it, plus the demo's cases (``vern demo``: every
kind of timeline line, through the real services) and the centre's lists over them. A page fails
on text that is a bokmål UI string left untranslated, on a nynorsk page on an English UI string
("Open"), and on an English page on Norwegian text or a Norwegian date ("1. December 2026").
What the users typed (everything stored in the database) is left out; so is text marked with
another ``lang`` (the user's texts shown in the user's language). See tests/core/language_check.py.

The failure lists every page, language and string at once, so that a branch adding strings
sees all it must translate."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from tests.core.language_check import findings, visible_text
from tests.factories import PASSWORD, backup_code, login_verified
from tests.security import matrix, objects
from vern.accounts.models import User
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.centres.tenancy import system_scope

pytestmark = pytest.mark.django_db

ROLE_ORDER = ("leder", "ansatt", "administrator")
# Pages with no objects in their URL, read again over the demo's cases.
# Stored texts that Vern wrote, not a user: the timeline's line as written (the page renders
# it afresh in the reader's language) and the rules outcome. Other JSON holds codes, except the
# answers of a risk mapping and the note of a reprisal check, which staff typed.
SYSTEM_TEXT_FIELDS = {("cases.caseevent", "summary")}
TYPED_JSON_FIELDS = {
    ("assessments.riskmapping", "answers"),
    ("police.policecontact", "reprisal_check"),
}
DEMO_LISTS = (
    "desk:home",
    "cases:list",
    "cases:dashboard",
    "police_centre:overview",
    "childwelfare_centre:pending",
    "audit_centre:review",
    "stats:centre",
)


def _stored_texts() -> tuple[str, ...]:
    """Every text stored in the database, longest first: what users typed, names, references."""
    found: set[str] = set()
    with system_scope():
        for model in apps.get_models():
            label = model._meta.label_lower
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if (
                    isinstance(f, models.CharField | models.TextField)
                    and not f.choices
                    and (label, f.name) not in SYSTEM_TEXT_FIELDS
                )
                or (isinstance(f, models.JSONField) and (label, f.name) in TYPED_JSON_FIELDS)
            ]
            if not fields:
                continue
            for row in model._default_manager.values_list(*fields):
                for value in row:
                    if isinstance(value, str):
                        found.add(value.strip())
                    elif isinstance(value, dict | list):
                        _json_strings(value, found)
    return tuple(sorted((t for t in found if len(t) >= 2), key=len, reverse=True))


def _json_strings(value: object, found: set[str]) -> None:
    if isinstance(value, str):
        found.add(value.strip())
    elif isinstance(value, dict):
        for item in value.values():
            _json_strings(item, found)
    elif isinstance(value, list):
        for item in value:
            _json_strings(item, found)


def _client(user: User, lang: str) -> Client:
    client = Client()
    login_verified(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def _check(client: Client, url: str, who: str, lang: str, data: tuple[str, ...]) -> list[str]:
    response = client.get(url)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html, f"{url} as {who}: not rendered in {lang}"
    return [f"{url} [{lang}] as {who}: {f}" for f in findings(visible_text(html, lang), lang, data)]


def _matrix_pages(world: objects.World) -> list[tuple[str, str]]:
    """(role, URL) for every GET row of the matrix, as the first role that reads it (200)."""
    pages = []
    for row in matrix.rows():
        statuses = row.expect.get("GET")
        if not statuses:
            continue
        role = next((r for r in ROLE_ORDER if statuses.get(r) == 200), None)
        if role is not None:
            pages.append((role, matrix.build_url(row, world)))
    return pages


def _demo_pages() -> tuple[dict[str, User], list[tuple[str, str]]]:
    call_command("demo", quiet=True)
    users = {}
    for username in ("ansatt", "leder"):
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
        users[f"demo-{username}"] = user
    pages = [("demo-leder", reverse(name)) for name in DEMO_LISTS]
    with system_scope():
        cases = Case.objects.filter(centre=users["demo-ansatt"].centre).order_by("reference")
        pages += [("demo-ansatt", reverse("cases:detail", args=[c.pk])) for c in cases]
    return users, pages


@pytest.fixture
def staff(ansatt: User, leder: User, administrator: User) -> dict[str, User]:
    return {"ansatt": ansatt, "leder": leder, "administrator": administrator}


@pytest.fixture(autouse=True)
def _media_root_in_tmp(settings: object, tmp_path: object) -> None:
    """Files the world writes (a signed consent form) go to a per-test directory."""
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_every_page_is_in_the_readers_language(
    lang: str, centre: Centre, other_centre: Centre, staff: dict[str, User]
) -> None:
    world = objects.World(centre=centre, other_centre=other_centre, canary=objects.new_canary())
    pages = _matrix_pages(world)
    demo_users, demo_pages = _demo_pages()
    users = {**staff, **demo_users}
    data = _stored_texts()
    clients = {who: _client(user, lang) for who, user in users.items()}

    problems: list[str] = []
    for who, url in [*pages, *demo_pages]:
        problems += _check(clients[who], url, who, lang, data)

    assert len(pages) > 50
    assert problems == [], (
        f"{len(problems)} strings not in {lang}:\n"
        + "\n".join(problems)
        + "\n(unique: "
        + json.dumps(sorted({p.split(": ", 2)[-1] for p in problems}), ensure_ascii=False)
        + ")"
    )


def _pdf_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is missing")
@pytest.mark.parametrize("lang", ["nn", "en"])
def test_every_document_is_in_its_language(lang: str, tmp_path: Path) -> None:
    """The PDFs of every demo case with ``?sprak=nn`` and ``?sprak=en``, line by line."""
    users, _pages = _demo_pages()
    staff_user = users["demo-ansatt"]
    client = _client(staff_user, "nb")
    assert (
        client.post(reverse("accounts:step_up"), {"code": backup_code(staff_user)}).status_code
        == 302
    )
    data = _stored_texts()
    problems: list[str] = []
    with system_scope():
        cases = list(Case.objects.filter(centre=staff_user.centre).order_by("reference"))
    for case in cases:
        urls = [
            reverse("documents:information_sheet", args=[case.pk]),
            reverse("documents:access_report_pdf", args=[case.pk]),
        ]
        with system_scope():
            urls += [
                reverse("documents:consent_form", args=[case.pk, c.pk]) for c in case.consents.all()
            ]
            urls += [
                reverse("documents:assessment_explained", args=[case.pk, a.pk])
                for a in case.assessments.all()
            ]
        for url in urls:
            response = client.get(f"{url}?sprak={lang}")
            if response.get("Content-Type") != "application/pdf":
                continue
            lines = _unwrapped(_pdf_lines(response.content, tmp_path), data)
            problems += [f"{url}?sprak={lang}: {f}" for f in findings(lines, lang, data)]
        summary = client.post(
            reverse("documents:case_summary", args=[case.pk]),
            {"sprak": lang, "timeline": "on", "consents": "on", "assessments": "on"},
        )
        if summary.get("Content-Type") == "application/pdf":
            lines = _unwrapped(_pdf_lines(summary.content, tmp_path), data)
            problems += [
                f"summary of {case.reference} [{lang}]: {f}" for f in findings(lines, lang, data)
            ]
    assert problems == [], f"{len(problems)} lines not in {lang}:\n" + "\n".join(problems)


def _unwrapped(lines: list[str], data: tuple[str, ...]) -> list[str]:
    """The lines without those that are only a piece of a stored value wrapped over two lines
    in a table cell (a centre named "Demo krisesenter" gives a line "krisesenter")."""
    pieces: set[str] = set()
    for value in data:
        words = value.split()
        for start in range(len(words)):
            for end in range(start + 1, len(words) + 1):
                if (start, end) != (0, len(words)):
                    pieces.add(" ".join(words[start:end]))
    return [line for line in lines if line.strip() not in pieces]
