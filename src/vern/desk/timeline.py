"""The case timeline in the reader's language (the desk's: its lines read the labels and objects
of consent, police, child welfare and assessments, which are above ``cases``).

A ``CaseEvent`` keeps the line as it was written (``summary``, in the writer's language at the
time): that stays the record, and the fallback for old events and for kinds this module does
not know. For the kinds below the line is rendered afresh with gettext from the event's
``kind`` and the object it points at, so a reader who chose nynorsk or English reads the
timeline in that language. Nothing stored is changed.

Sensitive values are never added here: a relocation's destination stays out of every line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from vern.accounts.models import User
from vern.assessments.models import Assessment, RiskMapping
from vern.cases.models import CaseEvent, ReassessmentTrigger, TriggerKind
from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
from vern.consent.models import Consent, InformationRecord
from vern.consent.selectors import REASON_TEXTS
from vern.police.ground import DONE_REASON_LABELS, REASON_LABELS
from vern.police.models import Deviation, DeviationKind, LegalGround, ManualDeviationReason


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
    "relocation_handed_over": lambda: _(
        "Saken er overlevert til det nye krisesenteret med brukerens samtykke (R3)"
    ),
    "case_received": lambda: _("Sak mottatt fra et annet krisesenter med brukerens samtykke (R3)"),
    "no_consent_contact_reviewed": lambda: _(
        "Kontakt med politiet uten samtykke gjennomgått av leder"
    ),
    "police_contact_user_told": lambda: _(
        "Registrert at brukeren er informert om kontakten med politiet"
    ),
    "police_contact_reprisal_check": lambda: _(
        "Vurdering av represalier registrert etter kontakten (G9)"
    ),
    "consent_signed_form": lambda: _("Signert samtykkeskjema lastet opp"),
    "user_view_given": lambda: _("Brukerens syn gitt av brukeren selv i «Vurder sammen»"),
    "consent_withdrawn": lambda: _("Samtykke trukket tilbake"),
    "consent_refused": lambda: _("Brukeren vil ikke at politiet kontaktes nå (avslag registrert)"),
}

_PARAMETER = re.compile(r"%\\\((\w+)\\\)s")


def _ground_labels() -> Mapping[str, Promise]:
    return {str(code): label for code, label in LegalGround.choices}


def _reason_labels() -> Mapping[str, Promise]:
    return {
        **dict(ManualDeviationReason.choices),
        **REASON_TEXTS,
        **REASON_LABELS,
        **DONE_REASON_LABELS,
    }


def _written_again(
    summary: str, msgids: Iterable[str], labels: Callable[[], Mapping[str, Promise]]
) -> str | None:
    """A line whose object does not keep its parameter (a police contact's ground at the time,
    a lost ground's reason): the stored line is matched against the msgids as written in any of
    Vern's languages, and its parameter, a label of ``labels``, is translated again. None when
    the stored line is none of them."""
    for msgid in msgids:
        for lang, _name in settings.LANGUAGES:
            with override(lang):
                written = _(msgid)
                by_text = {str(label): code for code, label in labels().items()}
            pattern = _PARAMETER.sub(r"(?P<\1>.+)", re.escape(written))
            match = re.fullmatch(pattern, summary)
            if match is None:
                continue
            params = {
                name: str(labels()[by_text[value]]) if value in by_text else value
                for name, value in match.groupdict().items()
            }
            return _(msgid) % params if params else _(msgid)
    return None


_POLICE_LINES = (
    gettext_noop("Planlagt politikontakt gjennomført"),
    gettext_noop("Politikontakt registrert (grunnlag: %(ground)s)"),
    gettext_noop("Politikontakt planlagt (grunnlag: %(ground)s)"),
    gettext_noop("Planlagt politikontakt endret (grunnlag: %(ground)s)"),
)
_GROUND_LOST_LINES = (gettext_noop("Politikontakten mistet grunnlaget: %(reason)s"),)
# Kinds whose line is found again from the stored line (see _written_again).
_FROM_STORED: dict[str, Callable[[str], str | None]] = {
    "police_contact_planned": lambda s: _written_again(s, _POLICE_LINES, _ground_labels),
    "police_contact_done": lambda s: _written_again(s, _POLICE_LINES, _ground_labels),
    "police_contact_updated": lambda s: _written_again(s, _POLICE_LINES, _ground_labels),
    "police_contact_ground_lost": lambda s: _written_again(s, _GROUND_LOST_LINES, _reason_labels),
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


def _information_line(obj: Model) -> str:
    if getattr(obj, "kind", "") == "public_prosecution":
        return _("Brukeren informert om offentlig påtale")
    return _("Brukeren informert om hva politiet kan gjøre, og om sikkerhetstiltak")


def _consent_line(obj: Model) -> str:
    to_police = getattr(obj, "recipient_kind", "") == "police"
    text = (
        _("Samtykke registrert: til politiet")
        if to_police
        else _("Samtykke registrert: til nytt krisesenter")
    )
    return text + (_(" (muntlig)") if getattr(obj, "form", "") == "verbal" else _(" (skriftlig)"))


def _deviation_label(obj: Model) -> str:
    kind = str(getattr(obj, "kind", ""))
    return str(dict(DeviationKind.choices).get(kind, kind))


def _deviation_opened_line(obj: Model) -> str:
    return _("Avvik åpnet: %(kind)s") % {"kind": _deviation_label(obj)}


def _deviation_closed_line(obj: Model) -> str:
    return _("Avvik lukket av leder: %(kind)s") % {"kind": _deviation_label(obj)}


def _concern_line(obj: Model) -> str:
    return _("Bekymring for %(child)s registrert: opplysningsplikt til barnevernet") % {
        "child": obj.child.label  # type: ignore[attr-defined]
    }


def _concern_resolved_line(obj: Model) -> str:
    return _("Bekymring for %(child)s avsluttet uten melding til barnevernet") % {
        "child": obj.child.label  # type: ignore[attr-defined]
    }


def _notified_line(obj: Model) -> str:
    day = formats.date_format(obj.sent_on, "SHORT_DATE_FORMAT")  # type: ignore[attr-defined]
    return _("Melding til barnevernet registrert (sendt %(day)s)") % {"day": day}


def _model_objects(
    model: Any, ids: set[int], case_ids: set[int], *related: str
) -> dict[int, Model]:
    rows = model.objects.filter(pk__in=ids, case_id__in=case_ids)
    if related:
        rows = rows.select_related(*related)
    return {o.pk: o for o in rows}


def _responsible_line(obj: Model) -> str:
    name = getattr(obj, "full_name", "") or getattr(obj, "username", "")
    return _("Ny ansvarlig for saken: %(name)s") % {"name": name}


def _objects(kind: str, ids: set[int], case_ids: set[int]) -> dict[int, Model]:
    """The objects lines of ``kind`` point at (of the same cases), one query per kind."""
    if kind == "responsible_changed":
        # The line points at the staff member who became responsible (services).
        return {
            o.pk: o for o in User.objects.filter(pk__in=ids).only("pk", "full_name", "username")
        }
    if kind == "trigger":
        return {
            o.pk: o for o in ReassessmentTrigger.objects.filter(pk__in=ids, case_id__in=case_ids)
        }
    if kind == "risk_mapping":
        return {
            o.pk: o
            for o in RiskMapping.objects.filter(pk__in=ids, case_id__in=case_ids).select_related(
                "child"
            )
        }
    if kind == "assessment":
        return {
            o.pk: o
            for o in Assessment.objects.filter(pk__in=ids, case_id__in=case_ids).only(
                "pk", "police_involvement", "cause"
            )
        }
    if kind == "information_given":
        return _model_objects(InformationRecord, ids, case_ids)
    if kind == "consent_given":
        return _model_objects(Consent, ids, case_ids)
    if kind in {"deviation_opened", "deviation_closed"}:
        return _model_objects(Deviation, ids, case_ids)
    if kind in {"child_welfare_concern", "child_welfare_concern_resolved"}:
        return _model_objects(ChildWelfareConcern, ids, case_ids, "child")
    if kind == "child_welfare_notified":
        return _model_objects(ChildWelfareNotification, ids, case_ids)
    return {}


_WITH_OBJECT: dict[str, Callable[[Model], str]] = {
    "trigger": _trigger_line,
    "risk_mapping": _mapping_line,
    "assessment": _assessment_line,
    "information_given": _information_line,
    "consent_given": _consent_line,
    "deviation_opened": _deviation_opened_line,
    "deviation_closed": _deviation_closed_line,
    "child_welfare_concern": _concern_line,
    "child_welfare_concern_resolved": _concern_resolved_line,
    "child_welfare_notified": _notified_line,
    "responsible_changed": _responsible_line,
}


def timeline_lines(
    events: Iterable[CaseEvent], *, known: Mapping[str, Mapping[int, Model]] | None = None
) -> list[TimelineLine]:
    """Each event with its line in the active language; the stored summary when the kind is
    unknown here or its object is gone.

    ``known``: objects of the same case the caller has already read, by timeline kind and
    pk (the case page passes its shared reads). A kind whose every object is in it is not
    read again; the rest are read as usual, one query per kind."""
    rows = list(events)
    wanted: dict[str, set[int]] = {}
    for event in rows:
        if event.kind in _WITH_OBJECT and event.object_id is not None:
            wanted.setdefault(event.kind, set()).add(event.object_id)
    case_ids = {event.case_id for event in rows}
    known = known or {}
    objects: dict[str, Mapping[int, Model]] = {}
    for kind, ids in wanted.items():
        have = known.get(kind)
        if have is not None and ids <= have.keys():
            objects[kind] = have
        else:
            objects[kind] = _objects(kind, ids, case_ids)
    lines: list[TimelineLine] = []
    for event in rows:
        text = event.summary
        if event.kind in _FIXED:
            text = _FIXED[event.kind]()
        elif event.kind in _WITH_OBJECT and event.object_id is not None:
            obj = objects.get(event.kind, {}).get(event.object_id)
            if obj is not None:
                text = _WITH_OBJECT[event.kind](obj)
        elif event.kind in _FROM_STORED:
            text = _FROM_STORED[event.kind](event.summary) or event.summary
        lines.append(TimelineLine(event=event, text=text))
    return lines
