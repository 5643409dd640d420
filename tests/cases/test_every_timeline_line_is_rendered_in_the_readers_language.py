"""Every line the services put on the timeline is shown in the reader's language, also lines
written while the writer read another language; the stored line stays as it was written
(issue 14 point 7: system lines stayed bokmål on nynorsk and English pages)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tests.assessments.helpers import make_case
from vern.accounts.models import User
from vern.cases.models import Case, CaseEvent
from vern.core import clock
from vern.desk.timeline import timeline_lines
from vern.police.ground import reason_label
from vern.police.models import Deviation, DeviationKind, LegalGround

pytestmark = pytest.mark.django_db

CONTACT = "Politikontakt registrert (grunnlag: %(ground)s)"
LOST = "Politikontakten mistet grunnlaget: %(reason)s"


def _event(case: Case, kind: str, summary: str, obj: object = None) -> CaseEvent:
    return CaseEvent.objects.create(
        centre_id=case.centre_id,
        case=case,
        at=clock.now(),
        kind=kind,
        summary=summary,
        object_type="x" if obj is not None else "",
        object_id=getattr(obj, "pk", None),
    )


def _written(lang: str, msgid: str, **labels: object) -> str:
    with translation.override(lang):
        return _(msgid) % {k: str(v) for k, v in labels.items()} if labels else _(msgid)


def _shown(lang: str, event: CaseEvent) -> str:
    with translation.override(lang):
        return timeline_lines([event])[0].text


@pytest.mark.parametrize(("written_in", "read_in"), [("nb", "en"), ("nb", "nn"), ("en", "nn")])
def test_a_police_contact_line_is_rendered_with_its_ground_in_the_readers_language(
    ansatt: User, written_in: str, read_in: str
) -> None:
    case = make_case(ansatt)
    stored = _written(written_in, CONTACT, ground=LegalGround.DUTY_TO_AVERT.label)
    event = _event(case, "police_contact_done", stored)

    shown = _shown(read_in, event)

    assert shown == _written(read_in, CONTACT, ground=LegalGround.DUTY_TO_AVERT.label)
    assert shown != stored
    event.refresh_from_db()
    assert event.summary == stored


def test_a_lost_ground_is_rendered_with_its_reason_and_a_completed_plan_is_fixed(
    ansatt: User,
) -> None:
    case = make_case(ansatt)
    with translation.override("nb"):
        reason = reason_label("withdrawn", done=True)
    lost = _event(case, "police_contact_ground_lost", LOST % {"reason": reason})
    done = _event(case, "police_contact_done", "Planlagt politikontakt gjennomført")

    with translation.override("en"):
        expected = _(LOST) % {"reason": reason_label("withdrawn", done=True)}
        assert [line.text for line in timeline_lines([lost, done])] == [
            expected,
            _("Planlagt politikontakt gjennomført"),
        ]
    assert "Samtykket" not in expected


def test_deviation_consent_and_information_lines_come_from_their_objects(ansatt: User) -> None:
    case = make_case(ansatt)
    deviation = Deviation.objects.create(
        centre_id=case.centre_id,
        case=case,
        kind=DeviationKind.CONTACT_WITHOUT_GROUND,
        reasons=["no_ground"],
        opened_at=clock.now(),
        opened_by=ansatt,
    )
    opened = _event(
        case, "deviation_opened", "Avvik åpnet: Politikontakt uten gyldig grunnlag", deviation
    )
    refused = _event(
        case, "consent_refused", "Brukeren vil ikke at politiet kontaktes nå (avslag registrert)"
    )

    with translation.override("nn"):
        texts = [line.text for line in timeline_lines([opened, refused])]

    assert texts == [
        _written("nn", "Avvik åpnet: %(kind)s", kind=DeviationKind.CONTACT_WITHOUT_GROUND.label),
        _written("nn", "Brukeren vil ikke at politiet kontaktes nå (avslag registrert)"),
    ]
    assert "Politikontakt uten gyldig grunnlag" not in texts[0]


def test_an_unknown_stored_line_of_a_police_kind_is_shown_as_stored(ansatt: User) -> None:
    case = make_case(ansatt)
    event = _event(case, "police_contact_updated", "En linje fra en eldre versjon")

    assert _shown("en", event) == "En linje fra en eldre versjon"
