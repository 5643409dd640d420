"""Fixtures of the security suite: a world with canary data in the other centre, requesters
logged in through the real pages, and a clock the tests move by hand."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from tests.factories import login_verified
from tests.security import objects
from vern.accounts.models import User
from vern.centres.models import Centre
from vern.core import clock

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
NONCE = re.compile(r'nonce="[^"]*"')
# Words that would tell a reader of an e-mail that it concerns a crisis centre.
REVEALING_WORDS = ("krisesenter", "crisis", "vold", "politi")


class Clock:
    """``vern.core.clock.now`` under the test's control."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(clock.now())
    monkeypatch.setattr(clock, "now", fake)
    return fake


@pytest.fixture
def world(centre: Centre, other_centre: Centre) -> objects.World:
    """Senter A (the requester's) and the other centre, whose name, staff and cases carry a
    canary string that must never reach anyone of Senter A."""
    canary = objects.new_canary()
    other_centre.name = f"{canary} krisesenter"
    other_centre.save(update_fields=["name"])
    w = objects.World(centre=centre, other_centre=other_centre, canary=canary)
    for kind in sorted(objects.CENTRE_OBJECTS):
        w.resolve(objects.OTHER + kind)  # canary rows of every kind in the other centre
    return w


@pytest.fixture
def requesters(ansatt: User, leder: User, administrator: User) -> dict[str, User | None]:
    return {"anonymous": None, "ansatt": ansatt, "leder": leder, "administrator": administrator}


@pytest.fixture
def login() -> Callable[[Client, User | None], Client]:
    def do(client: Client, user: User | None) -> Client:
        if user is not None:
            login_verified(client, user)
        return client

    return do


def normalise(body: bytes, *extra: str) -> str:
    """The body with CSRF tokens, CSP nonces (both differ on every response) and the given
    strings replaced by fixed placeholders."""
    text = CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value="CSRF"', body.decode("utf-8"))
    text = NONCE.sub('nonce="NONCE"', text)
    for i, item in enumerate(extra):
        text = text.replace(item, f"<X{i}>")
    return text


def assert_neutral(message: mail.EmailMessage) -> None:
    """Nothing in the e-mail (subject, body, sender, recipient) reveals a crisis centre."""
    for part in (message.subject, message.body, message.from_email, *message.to):
        lowered = str(part).lower()
        for word in REVEALING_WORDS:
            assert word not in lowered, f"{word!r} in an outgoing e-mail: {part!r}"


@pytest.fixture(autouse=True)
def _media_root_in_tmp(settings: object, tmp_path: object) -> None:
    """Files the world writes (signed consent forms) go to a per-test directory."""
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
