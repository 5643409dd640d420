"""B1: a concern per accompanying child and the notification to the child welfare service are
recorded through services that write the audit event and the timeline line; no consent is
needed; closed cases and other centres are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.childwelfare.conftest import concern, notify
from vern.accounts.models import User
from vern.audit.models import AuditEvent
from vern.cases import services as case_services
from vern.cases.models import Case, CaseChild
from vern.cases.services import CaseClosedError
from vern.childwelfare import services
from vern.childwelfare.models import ChildWelfareConcern
from vern.core import clock

pytestmark = pytest.mark.django_db


def test_a_concern_is_recorded_with_its_grounds_audit_event_and_timeline_line(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child, grounds=["trafficking", "mistreated", "mistreated"])

    assert recorded.grounds == ["mistreated", "trafficking"]  # law's order, no duplicates
    assert recorded.is_pending
    event = AuditEvent.objects.get(action="child_welfare_concern_recorded")
    assert event.object_type == "child_welfare_concern"
    assert event.object_id == str(recorded.pk)
    assert event.details == {"step": "recorded", "child_id": child.pk, "grounds": 2}
    # The free text never reaches the audit log.
    assert "slått" not in str(event.details)
    line = case.events.get(kind="child_welfare_concern")
    assert "Barn 1" in line.summary


def test_no_consent_is_needed_to_record_a_concern_or_a_notification(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    assert not case.consents.exists()
    recorded = concern(ansatt, case, child)
    notification = notify(ansatt, case, [recorded])

    recorded.refresh_from_db()
    assert recorded.notification == notification
    assert not recorded.is_pending


def test_the_notification_is_recorded_with_its_audit_event(
    ansatt: User, leder: User, case: Case, child: CaseChild
) -> None:
    first = concern(ansatt, case, child)
    second = concern(ansatt, case, child, grounds=["care_deficiency"])

    notification = notify(ansatt, case, [first, second], sent_by=leder, channel="letter")

    assert notification.sent_by == leder
    assert set(notification.concerns.all()) == {first, second}
    event = AuditEvent.objects.get(action="child_welfare_notified")
    assert event.object_type == "child_welfare_notification"
    assert event.details["concerns"] == 2
    assert event.details["channel"] == "letter"
    assert event.details["user_told"] is True
    assert case.events.filter(kind="child_welfare_notified").count() == 1


def test_a_notification_needs_what_was_shared_and_whether_the_user_was_told(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    with pytest.raises(ValidationError) as error:
        notify(
            ansatt,
            case,
            [recorded],
            shared_categories=[],
            shared_summary="",
            user_told="no",
            user_not_told_reason="",
            service=" ",
            sent_on=clock.today() + dt.timedelta(days=2),
        )
    fields = set(error.value.message_dict)
    assert {"shared_categories", "user_not_told_reason", "service", "sent_on"} <= fields
    recorded.refresh_from_db()
    assert recorded.is_pending


def test_a_notification_date_outside_the_plausible_range_is_a_field_error(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    with pytest.raises(ValidationError) as error:
        notify(ansatt, case, [recorded], sent_on=dt.date(26, 1, 1))
    assert "sent_on" in error.value.message_dict


def test_the_sender_must_be_staff_of_the_centre(
    ansatt: User, other_staff: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    with pytest.raises(ValidationError) as error:
        notify(ansatt, case, [recorded], sent_by=other_staff)
    assert "sent_by" in error.value.message_dict


def test_free_text_over_its_maximum_is_refused(ansatt: User, case: Case, child: CaseChild) -> None:
    with pytest.raises(ValidationError) as error:
        concern(ansatt, case, child, reason="x" * (services.MAX_REASON_LENGTH + 1))
    assert "reason" in error.value.message_dict
    assert not ChildWelfareConcern.objects.exists()


def test_a_concern_already_notified_cannot_be_notified_again(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    notify(ansatt, case, [recorded])
    recorded.refresh_from_db()
    with pytest.raises(ValidationError):
        notify(ansatt, case, [recorded])


def test_a_concern_is_resolved_without_notification_only_with_a_reason(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    with pytest.raises(ValidationError):
        services.concern_resolve(acting_user=ansatt, concern=recorded, reason="")
    with pytest.raises(ValidationError) as error:
        services.concern_resolve(acting_user=ansatt, concern=recorded, reason="other", note="")
    assert "note" in error.value.message_dict

    services.concern_resolve(acting_user=ansatt, concern=recorded, reason="registered_in_error")

    recorded.refresh_from_db()
    assert recorded.is_resolved
    assert not recorded.is_pending
    assert ChildWelfareConcern.objects.filter(pk=recorded.pk).exists()  # never deleted
    event = AuditEvent.objects.filter(action="child_welfare_concern_recorded").last()
    assert event is not None
    assert event.details["resolution"] == "registered_in_error"


def test_a_closed_case_refuses_concerns_and_notifications(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    recorded = concern(ansatt, case, child)
    case_services.case_close(acting_user=ansatt, case=case, reason="moved_out_safe")
    with pytest.raises(CaseClosedError):
        concern(ansatt, case, child)
    with pytest.raises(CaseClosedError):
        notify(ansatt, case, [recorded])
    with pytest.raises(CaseClosedError):
        services.concern_resolve(acting_user=ansatt, concern=recorded, reason="wrong_child")


def test_staff_of_another_centre_cannot_record_on_the_case(
    other_staff: User, case: Case, child: CaseChild
) -> None:
    with pytest.raises(PermissionDenied):
        concern(other_staff, case, child)


def test_a_child_of_another_case_or_removed_is_refused(
    ansatt: User, case: Case, child: CaseChild
) -> None:
    second = case_services.case_create(acting_user=ansatt, reference="B-2")
    with pytest.raises(ValidationError):
        concern(ansatt, second, child)
    case_services.child_remove(acting_user=ansatt, case=case, child=child, reason="duplicate")
    child.refresh_from_db()
    with pytest.raises(ValidationError):
        concern(ansatt, case, child)
