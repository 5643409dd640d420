"""audit_record appends chained events inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import RequestFactory

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.chain import GENESIS_HASH, canonical_bytes, canonical_time, chain_hash
from vern.audit.models import AuditEvent
from vern.audit.services import audit_record
from vern.audit.verify import verify_chain
from vern.centres.models import Centre
from vern.core import clock


def test_the_first_event_is_number_one_and_links_to_the_genesis_hash(db: None) -> None:
    event = audit_record(action=AuditAction.LOGIN_FAILED)

    assert event.seq == 1
    assert event.prev_hash == GENESIS_HASH
    assert len(event.hash) == 64


def test_each_event_links_to_the_previous_one(leader: User, centre: Centre) -> None:
    events = [
        audit_record(action=AuditAction.CASE_VIEWED, actor=leader, centre=centre, object_id=n)
        for n in range(5)
    ]

    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert verify_chain().ok


def test_the_hash_is_the_hmac_of_prev_hash_and_the_canonical_event(
    leader: User, centre: Centre, settings: object
) -> None:
    event = audit_record(
        action=AuditAction.CASE_VIEWED,
        actor=leader,
        centre=centre,
        object_type="case",
        object_id=42,
        details={"via": "page"},
        reason="follow_up",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    canonical = canonical_bytes(
        seq=stored.seq,
        at=canonical_time(stored.at),
        actor_id=leader.pk,
        actor_role="leder",
        centre_id=centre.pk,
        action="case_viewed",
        object_type="case",
        object_id="42",
        request_id="",
        reason="follow_up",
        details={"via": "page"},
    )

    key = str(settings.VERN_AUDIT_KEY).encode()  # type: ignore[attr-defined]
    assert stored.hash == chain_hash(key, GENESIS_HASH, canonical)


def test_the_actor_role_and_request_id_come_from_the_actor_and_request(
    staff: User, centre: Centre, rf: RequestFactory
) -> None:
    request = rf.get("/", HTTP_X_REQUEST_ID="req-123")

    event = audit_record(action=AuditAction.CASE_LISTED, actor=staff, request=request)

    assert event.actor_role == "ansatt"
    assert event.request_id == "req-123"


def test_the_request_attribute_wins_over_the_header(staff: User, rf: RequestFactory) -> None:
    request = rf.get("/", HTTP_X_REQUEST_ID="from-header")
    request.vern_request_id = "from-middleware"  # type: ignore[attr-defined]

    event = audit_record(action=AuditAction.CASE_LISTED, actor=staff, request=request)

    assert event.request_id == "from-middleware"


def test_a_request_id_header_that_is_not_an_id_is_dropped(rf: RequestFactory, db: None) -> None:
    request = rf.get("/", HTTP_X_REQUEST_ID="Ola Nordmann was here")

    event = audit_record(action=AuditAction.LOGIN_FAILED, request=request)

    assert event.request_id == ""


def test_the_event_rolls_back_with_the_callers_transaction(db: None) -> None:
    class CallerFailedError(Exception):
        pass

    def caller() -> None:
        with transaction.atomic():
            audit_record(action=AuditAction.CASE_CREATED, object_type="case", object_id=1)
            raise CallerFailedError

    with pytest.raises(CallerFailedError):
        caller()

    assert not AuditEvent.objects.exists()
    assert audit_record(action=AuditAction.LOGIN).seq == 1


@pytest.mark.django_db(transaction=True)
def test_called_in_autocommit_it_opens_its_own_transaction() -> None:
    assert not transaction.get_connection().in_atomic_block

    audit_record(action=AuditAction.LOGIN)
    audit_record(action=AuditAction.LOGOUT)

    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2]
    assert verify_chain().ok


def test_an_unknown_action_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="not_an_action"):
        audit_record(action="not_an_action")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("object_type", "case file"),
        ("object_id", "x" * 65),
        ("reason", "because she asked me to"),
        ("reason", "Follow_Up"),
    ],
)
def test_object_and_reason_take_codes_only(db: None, field: str, value: str) -> None:
    with pytest.raises(ValueError, match=field):
        audit_record(action=AuditAction.CASE_VIEWED, **{field: value})  # type: ignore[arg-type]

    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC),  # SQLite stores no fraction for whole seconds
        dt.datetime(2025, 3, 30, 1, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Oslo")),
    ],
)
def test_events_at_any_time_verify(
    db: None, monkeypatch: pytest.MonkeyPatch, at: dt.datetime
) -> None:
    monkeypatch.setattr(clock, "now", lambda: at)

    audit_record(action=AuditAction.LOGIN)
    audit_record(action=AuditAction.LOGOUT)

    assert AuditEvent.objects.get(seq=1).at == at
    assert verify_chain().ok
