"""Issue 20 point 2: nothing that matters is kept per node.

Each "node" here is a separate client with nothing but the database in common (the drill,
scripts/node_drill.py, does the same with two real `vern serve` processes): a session started
on one continues on the other, with its step-up; failed logins on both count towards one
lockout; two separate cache objects (two processes' caches) see each other's entries; a form
uploaded through one is downloaded through the other; and the system check refuses the
per-node backends.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.consent.conftest import inform, verbal_consent
from tests.factories import PASSWORD, login_verified
from vern.accounts.models import User
from vern.accounts.sessions import STEP_UP_AT
from vern.cases.services import case_create
from vern.consent import services
from vern.core.checks import check_shared_state

pytestmark = pytest.mark.django_db
LOGIN = "/konto/logg-inn/"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 200, 30)).save(out, format="PNG")
    return out.getvalue()


def _other_node(client: Client) -> Client:
    """A second node: a new client that only carries the browser's cookies."""
    other = Client()
    other.cookies = client.cookies
    return other


def test_a_session_and_its_step_up_started_on_one_node_hold_on_the_other(ansatt: User) -> None:
    node_a = Client()
    login_verified(node_a, ansatt)
    case = case_create(acting_user=ansatt, reference="N-1")
    inform(ansatt, case)
    consent = verbal_consent(ansatt, case)
    signed = services.signed_consent_upload(
        acting_user=ansatt,
        consent=consent,
        signed_file=SimpleUploadedFile("s.png", _png(), content_type="image/png"),
    )
    url = f"/saker/{case.pk}/samtykke/{consent.pk}/signert-skjema/{signed.pk}/"

    node_b = _other_node(node_a)
    response = node_b.get(url)
    assert response.status_code == 200  # the login's code, a fresh step-up, seen by node B
    assert response.content == bytes(signed.stored_content.content)

    # The step-up time is in the database's session row: moving it back there (as any node
    # would see it) makes both nodes ask for a new code.
    key = node_a.cookies[settings.SESSION_COOKIE_NAME].value
    store = SessionStore(session_key=key)
    store[STEP_UP_AT] = float(store[STEP_UP_AT]) - settings.VERN_STEP_UP_SECONDS - 1
    store.save()
    for node in (node_a, node_b):
        answer = node.get(url)
        assert answer.status_code == 302
        assert "/konto/bekreft/" in answer["Location"]


def test_failed_logins_on_two_nodes_count_towards_one_lockout(ansatt: User) -> None:
    node_a, node_b = Client(), Client()
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        node = node_a if n % 2 == 0 else node_b
        node.post(LOGIN, {"username": ansatt.username, "password": "feil"}, REMOTE_ADDR="192.0.2.5")
    assert AccessAttempt.objects.get(username=ansatt.username).failures_since_start == limit

    for node in (node_a, node_b):  # locked on both, even with the right password
        response = node.post(
            LOGIN, {"username": ansatt.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.5"
        )
        assert response.status_code != 302
    AccessAttempt.objects.all().delete()  # the lockout is those rows and nothing else
    response = node_b.post(
        LOGIN, {"username": ansatt.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.5"
    )
    assert response.status_code == 302


def test_two_processes_caches_see_each_others_entries() -> None:
    node_a = DatabaseCache("vern_cache", {})
    node_b = DatabaseCache("vern_cache", {})
    node_a.set("limit:someone", 3, 60)
    assert node_b.get("limit:someone") == 3
    node_b.incr("limit:someone")
    assert node_a.get("limit:someone") == 4
    # What the check refuses: a local-memory cache is one per process.
    local_a, local_b = LocMemCache("a", {}), LocMemCache("b", {})
    local_a.set("limit:someone", 3, 60)
    assert local_b.get("limit:someone") is None


def test_the_configuration_keeps_no_state_per_node_and_the_check_refuses_one_that_would(
    settings: Any,
) -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert check_shared_state(None) == []

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    assert [m.id for m in check_shared_state(None)] == ["vern.E030", "vern.E031", "vern.E032"]
