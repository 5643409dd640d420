"""The case timeline in the reader's language.

A ``CaseEvent`` keeps the line as it was written (``summary``, in the writer's language at the
time): that stays the record, and the fallback for old events and for kinds this module does
not know. For the kinds below the line is rendered afresh with gettext from the event's
``kind`` and the object it points at, so a reader who chose nynorsk or English reads the
timeline in that language. Nothing stored is changed.

Sensitive values are never added here: a relocation's destination stays out of every line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from vern.cases.models import CaseEvent, TriggerKind


@dataclass(frozen=True)
class TimelineLine:
    event: CaseEvent
    text: str

    @property
    def at(self) -> Any:
        return self.event.at

    @property
    def actor(self) -> Any:
        return self.event.actor


# Lines without parameters: the bokmål text is the msgid, written exactly as the services do.
_FIXED: dict[str, Callable[[], str]] = {
    "case_created": lambda: _("Sak opprettet"),
    "case_updated": lambda: _("Saksopplysninger endret"),
    "case_closed": lambda: _("Sak avsluttet"),
    "case_reopened": lambda: _("Sak gjenåpnet"),
    "child_added": lambda: _("Medfølgende barn registrert"),
    "child_removed": lambda: _("Medfølgende barn markert som feilregistrert"),
    "relocation_planned": lambda: _("Flytting til annet krisesenter planlagt"),
    "relocation_police": lambda: _("Politiets involvering i flyttingen registrert"),
    "relocation_user_choice": lambda: _("Brukerens valg av nytt krisesenter registrert"),
    "relocation_completed": lambda: _("Flytting til annet krisesenter gjennomført"),
    "relocation_cancelled": lambda: _("Planlagt flytting avbrutt"),
}


def _involvement_label(value: str) -> str:
    return {
        "required": _("politikontakt påkrevd"),
        "recommended": _("politikontakt anbefalt"),
        "not_indicated": _("politikontakt ikke aktuelt nå"),
    }.get(value, value)


def _trigger_line(obj: Model) -> str:
    kind = str(getattr(obj, "kind", ""))
    label = dict(TriggerKind.choices).get(kind, kind)
    description = str(getattr(obj, "description", "") or "")
    if description:
        return _("Ny hendelse: %(kind)s – %(description)s") % {
            "kind": label,
            "description": description,
        }
    return _("Ny hendelse: %(kind)s") % {"kind": label}


def _mapping_line(obj: Model) -> str:
    child = getattr(obj, "child", None)
    whom = child.label if child is not None else _("brukeren")
    result = obj.get_result_display()  # type: ignore[attr-defined]
    return _("Risikokartlegging registrert (%(whom)s): %(result)s") % {
        "whom": whom,
        "result": result,
    }


def _assessment_line(obj: Model) -> str:
    label = _involvement_label(str(getattr(obj, "police_involvement", "")))
    if getattr(obj, "cause", ""):
        return _("Vurderingen ble oppdatert etter ny registrering: %(outcome)s") % {
            "outcome": label
        }
    return _("Vurdering lagret: %(outcome)s") % {"outcome": label}


def _objects(kind: str, ids: set[int], case_ids: set[int]) -> dict[int, Model]:
    """The objects lines of ``kind`` point at (of the same cases), one query per kind."""
    if kind == "trigger":
        from vern.cases.models import ReassessmentTrigger

        return {
            o.pk: o for o in ReassessmentTrigger.objects.filter(pk__in=ids, case_id__in=case_ids)
        }
    if kind == "risk_mapping":
        from vern.assessments.models import RiskMapping

        return {
            o.pk: o
            for o in RiskMapping.objects.filter(pk__in=ids, case_id__in=case_ids).select_related(
                "child"
            )
        }
    if kind == "assessment":
        from vern.assessments.models import Assessment

        return {
            o.pk: o
            for o in Assessment.objects.filter(pk__in=ids, case_id__in=case_ids).only(
                "pk", "police_involvement", "cause"
            )
        }
    return {}


_WITH_OBJECT: dict[str, Callable[[Model], str]] = {
    "trigger": _trigger_line,
    "risk_mapping": _mapping_line,
    "assessment": _assessment_line,
}


def timeline_lines(events: Iterable[CaseEvent]) -> list[TimelineLine]:
    """Each event with its line in the active language; the stored summary when the kind is
    unknown here or its object is gone."""
    rows = list(events)
    wanted: dict[str, set[int]] = {}
    for event in rows:
        if event.kind in _WITH_OBJECT and event.object_id is not None:
            wanted.setdefault(event.kind, set()).add(event.object_id)
    case_ids = {event.case_id for event in rows}
    objects = {kind: _objects(kind, ids, case_ids) for kind, ids in wanted.items()}
    lines: list[TimelineLine] = []
    for event in rows:
        text = event.summary
        if event.kind in _FIXED:
            text = _FIXED[event.kind]()
        elif event.kind in _WITH_OBJECT and event.object_id is not None:
            obj = objects.get(event.kind, {}).get(event.object_id)
            if obj is not None:
                text = _WITH_OBJECT[event.kind](obj)
        lines.append(TimelineLine(event=event, text=text))
    return lines
