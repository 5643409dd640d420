"""Documents for the user and for the file, as HTML and as tagged PDF (issue 7, issue 6 point 3).

Pure functions: model objects + a document language -> HTML (Django templates under
``templates/documents/pdf/``) -> PDF bytes (WeasyPrint, PDF/UA-1: tagged, with the document
language). No request, no audit, no database writes here: the views audit.

Fonts are embedded: Inter from the package's static files (``vendor/inter``), reached through a
URL fetcher that only ever reads files under the package's static directory (no network), and
DejaVu Sans from the system (fonts-dejavu-core) as the fallback for scripts Inter lacks
(Arabic). Inter ships as a variable font; its two weights are instanced once per process and the
parsed stylesheet and font configuration are kept for every later render (benchmarks/bench_pdf.py).
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import io
import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from vern.assessments.selectors import assessment_newest, user_view_for
from vern.assessments.user_view import QUESTIONS
from vern.centres.models import PoliceDistrict
from vern.consent.models import RecipientKind, WrittenMethod
from vern.core import clock
from vern.documents.texts import (
    RULEBOOK_FALLBACK_LANG,
    Language,
    Translator,
    language,
)
from vern.police.models import DeviationKind
from vern.police.selectors import ground_valid_now
from vern.relocation.models import RelocationStatus
from vern.rules import LANGS, evaluate, load_rulebook, parse_facts
from vern.rules.program import valid_on
from vern.rules.rulebook import Measure, Offence, Rulebook

if TYPE_CHECKING:
    from vern.assessments.models import Assessment
    from vern.audit.models import AuditEvent
    from vern.cases.models import Case
    from vern.consent.models import Consent
    from vern.police.models import Deviation, PoliceContact
    from vern.relocation.models import Relocation

PACKAGE_DIR: Final = Path(__file__).resolve().parent.parent
STATIC_DIR: Final = PACKAGE_DIR / "static"
INTER_DIR: Final = STATIC_DIR / "vendor" / "inter" / "files"
PRINT_CSS: Final = Path(__file__).resolve().parent / "print.css"
PDF_VARIANT: Final = "pdf/ua-1"
INTER_WEIGHTS: Final = (400, 700)
INTER_SUBSETS: Final = {
    "latin-ext": "U+0100-024F, U+0259, U+1E00-1EFF, U+20A0-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF",
}

# -------------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocumentKind:
    code: str
    slug: str  # in file names: samtykke-12-nb.pdf
    sections: tuple[str, ...]  # text sections (of texts/<lang>.yaml) the document uses


CONSENT_FORM: Final = DocumentKind(
    "consent_form",
    "samtykke",
    ("common", "years", "consent", "category", "two_year", "withdraw"),
)
INFORMATION_SHEET: Final = DocumentKind(
    "information_sheet", "informasjon", ("common", "years", "info", "withdraw")
)
# "rule" and "next": the user's texts per rule id and per next step (issue 7 point 3).
ASSESSMENT_EXPLAINED: Final = DocumentKind(
    "assessment_explained",
    "vurdering",
    ("common", "years", "assess", "rule", "next", "two_year", "reason", "access"),
)
CASE_SUMMARY: Final = DocumentKind(
    "case_summary",
    "sammendrag",
    ("common", "summary", "category", "child_welfare", "timeline", "reason", "access"),
)
ACCESS_REPORT: Final = DocumentKind(
    "access_report", "innsynslogg", ("common", "access", "action", "reason")
)
DOCUMENTS: Final = {
    kind.code: kind
    for kind in (CONSENT_FORM, INFORMATION_SHEET, ASSESSMENT_EXPLAINED, CASE_SUMMARY, ACCESS_REPORT)
}


def filename(kind: DocumentKind, case_pk: int, lang: str, extra: int | None = None) -> str:
    """A file name without names: ``samtykke-12-nb.pdf`` (``samtykke-12-3-nb.pdf`` per consent)."""
    middle = f"{case_pk}" if extra is None else f"{case_pk}-{extra}"
    return f"{kind.slug}-{middle}-{lang}.pdf"


# -------------------------------------------------------------------------------- formatting


def _rulebook_lang(lang: Language) -> str:
    return lang.code if lang.code in LANGS else RULEBOOK_FALLBACK_LANG


def _date(lang: Language, value: dt.date | dt.datetime | None) -> str:
    """A date in words in the document language: "1. desember 2026", "1 December 2026"
    (``date.long`` and ``date.month_<n>``); a sample language without them uses its
    ``meta.date_format`` (issue 14 point 7)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    pattern = lang.texts.get("date.long")
    month = lang.texts.get(f"date.month_{value.month}")
    if pattern is None or month is None:
        return value.strftime(lang.date_format)
    return pattern.format_map({"day": value.day, "month": month, "year": value.year})


def date_text(lang_code: str, value: dt.date | dt.datetime | None) -> str:
    """A date in words in the document language ``lang_code`` (as every document prints it)."""
    return _date(language(lang_code), value)


def _clock(value: dt.datetime) -> str:
    """The time of day in Norwegian time, 24 hours: "14:05"."""
    return timezone.localtime(value).strftime("%H:%M")


def _time(lang: Language, value: dt.datetime) -> str:
    """A date and time: "1. desember 2026 kl. 14:05", "1 December 2026, 14:05"."""
    pattern = lang.texts.get("date.with_time")
    if pattern is None or "date.long" not in lang.texts:
        return timezone.localtime(value).strftime(lang.time_format)
    return pattern.format_map({"date": _date(lang, value), "time": _clock(value)})


def _years(lang: Language, value: float) -> str:
    """A number of years with its unit, in the right plural form: "1 year", "2 years",
    "1 år" (keys ``years.one`` / ``years.other``; G15's penalties and two-year line)."""
    text = str(int(value)) if float(value).is_integer() else f"{value:g}"
    count = text if lang.code == "en" else text.replace(".", ",")
    key = "years.one" if float(value) == 1 else "years.other"
    return lang.texts[key].format_map({"count": count})


def _base_context(
    lang: Language, *, title: str, reference: str, centre: str, today: dt.date
) -> dict[str, Any]:
    t = Translator(lang)
    return {
        "t": t,
        "lang": lang,
        "title": title,
        "rulebook_lang": _rulebook_lang(lang),
        "reference_line": t("common.reference", reference=reference),
        "made_on": t("common.made_on", date=_date(lang, today)),
        "questions": t("common.questions", centre=centre),
    }


# -------------------------------------------------------------------------------- offences


def offence_on(book: Rulebook, offence_id: str, day: dt.date) -> Offence | None:
    """The offence table's entry for ``offence_id`` valid on ``day`` (G15, docs/sources)."""
    for offence in book.offences:
        if offence.id == offence_id and valid_on(offence.valid_from, offence.valid_until, day):
            return offence
    return None


def two_year_line_on(book: Rulebook, day: dt.date) -> float:
    """The two-year line of straffeprosessloven § 62 a valid on ``day`` (a dated parameter)."""
    versions = [
        p for p in book.parameters["two_year_line"] if valid_on(p.valid_from, p.valid_until, day)
    ]
    chosen = versions or sorted(book.parameters["two_year_line"], key=lambda p: p.valid_from)
    return chosen[-1].value


@dataclass(frozen=True)
class TwoYear:
    """What the two-year rule means for the user, for the given offences (G15)."""

    statement: str
    offences: tuple[str, ...]
    participation: str


def two_year(t: Translator, offence_ids: Iterable[str], day: dt.date) -> TwoYear:
    """Each sentence is built wholly in the language it is written in (``t.source``): where a
    sample language lacks a sentence and it comes from the fallback language, its number of
    years and the offence's title come from that language too, not from the screen's."""
    book = load_rulebook()
    line = two_year_line_on(book, day)
    lines: list[str] = []
    above = False
    found = 0
    for offence_id in offence_ids:
        offence = offence_on(book, offence_id, day)
        if offence is None:
            continue
        found += 1
        is_above = offence.max_penalty_years > line
        above = above or is_above
        key = "two_year.offence_above" if is_above else "two_year.offence_within"
        sentence = t.source(key)
        lines.append(
            t(
                key,
                title=offence.title.get(_rulebook_lang(sentence)),
                section=offence.section,
                years=_years(sentence, offence.max_penalty_years),
            )
        )
    key = "two_year.none" if not found else ("two_year.above" if above else "two_year.within")
    return TwoYear(
        statement=t(key, line=_years(t.source(key), line)),
        offences=tuple(lines),
        participation=t("two_year.participation"),
    )


def measures_on(book: Rulebook, day: dt.date) -> tuple[Measure, ...]:
    """The catalogue of safety measures valid on ``day``, in the rulebook's order (G13, P1)."""
    return tuple(
        sorted(
            (m for m in book.measures if valid_on(m.valid_from, m.valid_until, day)),
            key=lambda m: m.order,
        )
    )


# -------------------------------------------------------------------------------- HTML


def consent_form_html(consent: Consent, lang_code: str, *, today: dt.date) -> str:
    """The consent form to be signed (G3, G4, G5, G15, C1), from a Consent record."""
    lang = language(lang_code)
    case = consent.case
    t = Translator(lang)
    context = _base_context(
        lang, title=t("consent.title"), reference=case.reference, centre=case.centre.name,
        today=today,
    )  # fmt: skip
    if consent.recipient_kind == RecipientKind.POLICE:
        district = PoliceDistrict(consent.police_district).label if consent.police_district else ""
        recipient = [t("consent.recipient_police", district=district)]
        if consent.recipient_unit:
            recipient.append(t("consent.recipient_unit", unit=consent.recipient_unit))
    else:
        recipient = [t("consent.recipient_centre", unit=consent.recipient_unit)]
    offences = _case_offences(case, consent)
    context.update(
        {
            "consent": consent,
            "given_to": t("consent.given_to", centre=case.centre.name),
            "recipient": recipient,
            "categories": [t.get(f"category.{code}", code) for code in consent.categories],
            "duration": (
                t("consent.duration_until", date=_date(lang, consent.last_day))
                if consent.expires_at
                else t("consent.duration_open")
            ),
            "withdrawn": (
                t("consent.withdrawn_notice", date=_date(lang, consent.withdrawn_at))
                if consent.withdrawn_at
                else ""
            ),
            "two_year": two_year(t, offences, today),
            # Signed on the screen («Vurder sammen»): the form says so, not empty lines.
            "signed_on_screen": (
                # The name as typed, in any script: isolated (FSI ... PDI) in the sentence.
                t("consent.signed_on_screen", date=_time(lang, consent.given_at),
                  name=f"\u2068{consent.signed_by_name}\u2069")
                if consent.written_method == WrittenMethod.ON_SCREEN and consent.signed_by_name
                else ""
            ),
        }
    )  # fmt: skip
    return render_to_string("documents/pdf/consent_form.html", context)


def _case_offences(case: Case, consent: Consent | None = None) -> list[str]:
    """The suspected offences of the case: from its newest assessment (G15), else from the
    public-prosecution information given before the consent."""
    newest = case.assessments.order_by("-assessed_at", "-id").first()
    if newest is not None and newest.suspected_offences:
        return [str(o) for o in newest.suspected_offences]
    record = getattr(consent, "information_record", None)
    if record is not None and record.offences:
        return [str(o) for o in record.offences]
    return []


def child_welfare_texts(lang: Language) -> tuple[dict[str, str], bool]:
    """The ``child_welfare`` texts (B1) in ``lang``, each missing one (a sample language such
    as Arabic) taken from the rulebook fallback language; and whether any was missing."""
    fallback = language(RULEBOOK_FALLBACK_LANG)
    texts: dict[str, str] = {}
    missing = False
    for key, text in fallback.texts.items():
        section, name = key.split(".", 1)
        if section != "child_welfare":
            continue
        own = lang.texts.get(key)
        missing = missing or own is None
        texts[name] = own if own is not None else text
    return texts, missing


def information_sheet_html(case: Case, lang_code: str, *, today: dt.date) -> str:
    """Plain-language information for the user (G2, G12, G13, G15, P1, C1)."""
    lang = language(lang_code)
    t = Translator(lang)
    book = load_rulebook()
    rb_lang = _rulebook_lang(lang)
    cw_texts, cw_missing = child_welfare_texts(lang)
    context = _base_context(
        lang, title=t("info.title"), reference=case.reference, centre=case.centre.name,
        today=today,
    )  # fmt: skip
    context.update(
        {
            "measures": [
                {"title": m.title.get(rb_lang), "text": m.text.get(rb_lang)}
                for m in measures_on(book, today)
            ],
            "measures_note": book.measures_note.get(rb_lang),
            "prosecution_2": t(
                "info.prosecution_2", line=_years(lang, two_year_line_on(book, today))
            ),
            "fallback": rb_lang != lang.code or cw_missing,
            # B1: the duty to notify the child welfare service, explained for every user.
            "child_welfare": cw_texts,
            "child_welfare_lang": RULEBOOK_FALLBACK_LANG if cw_missing else lang.code,
        }
    )
    return render_to_string("documents/pdf/information_sheet.html", context)


FACTOR_ORDER: Final = (
    "great_danger",
    "threat_picture_unclear",
    "needs_information_only_police_have",
    "needs_police_or_court_safety_measures",
    "needs_relocation_for_safety",
    "user_wants_to_report",
    "user_consents",
    "user_informed_about_public_prosecution",
    "duty_to_avert",
)


def assessment_outcome(assessment: Assessment, lang_code: str) -> tuple[dict[str, Any], bool]:
    """The outcome to explain, and whether it is the stored bokmål snapshot.

    Same rulebook version as today's: the stored facts are evaluated again, so the reasons come
    in the chosen language. Another version: the stored snapshot (nb) as it was (G6-G8)."""
    book = load_rulebook()
    if assessment.rulebook_version == book.version and assessment.rulebook_id == book.id:
        facts = parse_facts(assessment.facts, rulebook=book)
        lang = language(lang_code)
        return evaluate(facts, book).to_dict(_rulebook_lang(lang)), False
    return dict(assessment.outcome), True


def assessment_explained_html(assessment: Assessment, lang_code: str, *, today: dt.date) -> str:
    """The assessment explained to the user from its rule trace (G6, G7, G8, G15)."""
    lang = language(lang_code)
    t = Translator(lang)
    case = assessment.case
    outcome, snapshot = assessment_outcome(assessment, lang_code)
    facts = assessment.facts
    factors = facts.get("factors", {}) if isinstance(facts, dict) else {}
    held = [t(f"assess.factor_{name}") for name in FACTOR_ORDER if factors.get(name) is True]
    risk = str(facts.get("risk_of_new_serious_violence", "unknown"))
    if risk not in {"yes", "no", "unknown"}:
        risk = "unknown"
    involvement = str(outcome.get("police_involvement", ""))
    involvement_key = f"assess.involvement_{involvement}"
    prosecution = outcome.get("public_prosecution") or {}
    offence_ids = [str(o.get("id")) for o in prosecution.get("offences", [])]
    rulebook = outcome.get("rulebook") or {}
    context = _base_context(
        lang, title=t("assess.title"), reference=case.reference, centre=case.centre.name,
        today=today,
    )  # fmt: skip
    context.update(
        {
            "intro": assessment_intro(t, assessment),
            "assessed_on": t("assess.assessed_on", date=_time(lang, assessment.assessed_at)),
            "risk": t(f"assess.risk_{risk}"),
            "held": held,
            "involvement": t.get(involvement_key, t("assess.involvement_unknown")),
            "reasons": user_reasons(t, outcome),
            "next_step": user_next_step(t, outcome),
            "reassess": _reassess_line(t, lang, assessment, today),
            "snapshot": snapshot,
            "two_year": two_year(t, offence_ids, assessment.assessed_at.date()),
            # Issue 17: the user's own view from "Assess together", quoted back in its words.
            **_own_view(t, lang, assessment),
            "rulebook_line": t(
                "assess.rulebook",
                id=rulebook.get("id", assessment.rulebook_id),
                version=rulebook.get("version", assessment.rulebook_version),
            ),
        }
    )
    return render_to_string("documents/pdf/assessment_explained.html", context)


def _reassess_line(t: Translator, lang: Language, assessment: Assessment, today: dt.date) -> str:
    """When the safety is assessed again. Printed after that day, "we will assess by ..." is
    no longer true: the newest assessment says the day has passed; an older one (a newer
    assessment exists) says nothing about it."""
    day = assessment.next_reassessment_on
    if day >= today:
        return t("assess.reassess", date=_date(lang, day))
    newest = assessment_newest(case=assessment.case)
    newer = newest is not None and newest.pk != assessment.pk
    return "" if newer else t("assess.reassess_overdue", date=_date(lang, day))


def _own_view(t: Translator, lang: Language, assessment: Assessment) -> dict[str, Any]:
    """The user's view that stood at ``assessment`` (issue 17), as lines of the document: each
    question the user answered in the mode, the answer and the user's own words."""
    view = user_view_for(assessment=assessment)
    if view is None:
        return {"own_view": None, "own_view_rows": []}
    rows = []
    for question in QUESTIONS:
        answer = str(view.answers.get(question, ""))
        words = str(view.words.get(question, ""))
        if answer or words:
            rows.append(
                {
                    "question": t.get(f"together.q_{question}", question),
                    "answer": t.get(f"together.choice_{answer}", "") if answer else "",
                    "words": words,
                }
            )
    return {
        "own_view": t("assess.your_view_intro", date=_date(lang, view.given_at)),
        "own_view_rows": rows,
    }


def _inline(text: str) -> str:
    """A sentence-like text for use inside parentheses: its first letter in lower case."""
    return text[:1].lower() + text[1:]


def assessment_intro(t: Translator, assessment: Assessment) -> list[str]:
    """The opening sentences, only as the records have it (issue 14 point 6): "together with
    you" only when the user took part (``user_participated``); an assessment the system
    updated after a new record (``cause``) says so, and that there was no new conversation."""
    if assessment.cause:
        cause = _inline(t.get(f"reason.{assessment.cause}", t("access.reason_unknown")))
        return [
            t("assess.intro_automatic", cause=cause),
            t(
                "assess.based_on_joint"
                if assessment.user_participated
                else "assess.based_on_without_user"
            ),
        ]
    if assessment.user_participated:
        return [t("assess.intro_joint")]
    return [t("assess.intro_without_user")]


def user_reasons(t: Translator, outcome: Mapping[str, Any]) -> list[str]:
    """Why, for the user: her plain-language text for each rule id of the rule trace
    (``rule.<rule id>``; issue 7 point 3, G6-G8), never the staff's reasons from the rulebook.
    A rule id without a text (an older rulebook's snapshot) gets one neutral sentence."""
    texts: list[str] = []
    for reason in outcome.get("reasons", []):
        rule_id = str(reason.get("rule", "")) if isinstance(reason, Mapping) else ""
        text = t.get(f"rule.{rule_id}", t("assess.reason_unknown"))
        if text not in texts:
            texts.append(text)
    return texts


def user_next_step(t: Translator, outcome: Mapping[str, Any]) -> str:
    """What happens now, for the user (``next.<next_step>``), else a neutral sentence."""
    code = str(outcome.get("next_step", ""))
    return t.get(f"next.{code}", t("assess.next_unknown"))


@dataclass(frozen=True)
class SummarySections:
    """What staff chose to include in a case summary (issue 7 point 4)."""

    timeline: bool = True
    assessments: bool = True
    consents: bool = True
    police: bool = True
    relocations: bool = False
    relocation_destination: bool = False
    # B1: the duty explained, and the notifications to the child welfare service (date, service).
    child_welfare: bool = False


def case_summary_html(
    case: Case, lang_code: str, *, sections: SummarySections, today: dt.date
) -> str:
    """A summary of the case for the file or the user, with the parts staff chose."""
    lang = language(lang_code)
    t = Translator(lang)
    book = load_rulebook()
    rb_lang = _rulebook_lang(lang)
    context = _base_context(
        lang, title=t("summary.title"), reference=case.reference, centre=case.centre.name,
        today=today,
    )  # fmt: skip

    def district(code: str) -> str:
        return PoliceDistrict(code).label if code in PoliceDistrict.values else code

    def categories(codes: Sequence[object]) -> str:
        return "; ".join(t.get(f"category.{c}", str(c)) for c in codes)

    # The new centre's name (relocation R1-R3, consents to the new centre C1) is printed only
    # when staff tick "relocation_destination": not in the relocation table, not as a consent's
    # recipient, and scrubbed from every other line that might carry it (timeline, police).
    hidden = () if sections.relocation_destination else destination_names(case)

    def consent_recipient(c: Consent) -> str:
        if c.recipient_kind == RecipientKind.POLICE:
            unit = f" – {c.recipient_unit}" if c.recipient_unit else ""
            return district(c.police_district) + unit
        if sections.relocation_destination and c.recipient_unit:
            return t("summary.recipient_new_centre_named", unit=c.recipient_unit)
        return t("summary.recipient_new_centre")

    context["sections"] = sections
    if sections.timeline:
        lines = TimelineLines(case, t, lang, book)
        context["timeline"] = [
            {"at": _time(lang, e.at), "summary": lines.line(e)}
            for e in case.events.order_by("at", "id")
        ]
    if sections.assessments:
        context["assessments"] = [
            {
                "at": _time(lang, a.assessed_at),
                "outcome": _involvement_label(book, a.police_involvement, rb_lang),
                "automatic": t("summary.assessment_automatic") if a.cause else "",
                "rulebook": f"{a.rulebook_id} {a.rulebook_version}",
            }
            for a in case.assessments.order_by("assessed_at", "id")
        ]
    if sections.consents:
        context["consents"] = [
            {
                "at": _date(lang, c.given_at),
                "recipient": consent_recipient(c),
                "categories": categories(c.categories),
                "form": t.get(f"summary.form_{c.form}", c.form),
                "expires": _date(lang, c.last_day),
                "withdrawn": _date(lang, c.withdrawn_at),
            }
            for c in case.consents.order_by("given_at", "id")
        ]
    if sections.police:
        rows = []
        contacts = case.police_contacts.select_related("consent").prefetch_related("deviations")
        for p in contacts.order_by("contact_at", "id"):
            validity = _contact_validity(p)
            rows.append(
                {
                    "at": _date(lang, p.contact_at),
                    "status": t.get(f"summary.status_{p.status}", p.status),
                    "district": district(p.police_district),
                    "role": t.get(f"summary.role_{p.contact_role}", p.contact_role),
                    "ground": t.get(f"summary.ground_{p.legal_ground}", p.legal_ground),
                    "valid": t("summary.valid_yes" if validity.valid else "summary.valid_no"),
                    "categories": categories(p.shared_categories),
                    "deviations": [deviation_line(t, lang, d) for d in validity.deviations],
                }
            )
        context["police"] = rows
        context["other_deviations"] = [
            deviation_line(t, lang, d)
            for d in case.deviations.filter(police_contact__isnull=True).order_by("opened_at", "id")
        ]
    if sections.relocations:
        context["relocations"] = [
            {
                **relocation_dates(t, lang, r),
                "status": t.get(f"summary.status_{r.status}", r.status),
                "district": district(r.destination_police_district),
                "destination": (
                    r.destination_name
                    if sections.relocation_destination
                    else t("summary.not_included")
                ),
            }
            for r in case.relocations.order_by("created_at", "id")
        ]
    if sections.child_welfare:
        context["child_welfare"] = [
            {
                "at": _date(lang, n.sent_on),
                "sent": t("child_welfare.summary_sent", date=_date(lang, n.sent_on)),
                "service": n.service,
            }
            for n in case.child_welfare_notifications.order_by("sent_on", "id")
        ]
    if hidden:
        for part in ("timeline", "consents", "police"):
            context[part] = [
                _scrub(row, hidden, t("summary.not_included")) for row in context.get(part, [])
            ]
    return render_to_string("documents/pdf/case_summary.html", context)


def _involvement_label(book: Rulebook, code: str, rb_lang: str) -> str:
    try:
        return str(book.decisions["police_involvement"].label(code).get(rb_lang))
    except KeyError:
        return code


@dataclass(frozen=True)
class ContactValidity:
    """Whether a police contact's ground is valid, and the deviations recorded on it."""

    valid: bool
    deviations: tuple[Deviation, ...]


def _contact_validity(contact: PoliceContact) -> ContactValidity:
    """The ONE place the documents judge a police contact's ground (issue 14 point 9).

    The ground as it stands now, from the same function the case page, the list, the API and
    the case state (``vern.desk.state``) use: ``police.selectors.ground_valid_now`` (a planned
    contact whose consent was withdrawn since has none); and not valid while the contact has
    a deviation for a contact without a valid ground."""
    deviations = tuple(sorted(contact.deviations.all(), key=lambda d: (d.opened_at, d.pk)))
    without_ground = any(d.kind == DeviationKind.CONTACT_WITHOUT_GROUND for d in deviations)
    valid = ground_valid_now(contact, at=clock.now()) and not without_ground
    return ContactValidity(valid=valid, deviations=deviations)


def deviation_line(t: Translator, lang: Language, deviation: Deviation) -> str:
    """A deviation in words: its kind, its reasons, open or closed (and when)."""
    kind = t.get(f"summary.deviation_{deviation.kind}", t("summary.deviation_other"))
    reasons = [_inline(reason_text(t, str(code))) for code in deviation.reasons or []]
    state = (
        t("summary.deviation_closed", date=_date(lang, deviation.closed_at))
        if deviation.closed_at
        else t("summary.deviation_open", date=_date(lang, deviation.opened_at))
    )
    why = f" ({'; '.join(r for r in reasons if r)})" if any(reasons) else ""
    return f"{kind}{why} – {state}"


def relocation_dates(t: Translator, lang: Language, relocation: Relocation) -> dict[str, str]:
    """A move's date as it happened (issue 14 point 9): the day it was completed or cancelled;
    the planned day only labelled as planned."""
    planned = (
        t("summary.planned_on", date=_date(lang, relocation.planned_on))
        if relocation.planned_on
        else ""
    )
    if relocation.status == RelocationStatus.COMPLETED and relocation.completed_at:
        return {"at": _date(lang, relocation.completed_at), "planned": planned}
    if relocation.status == RelocationStatus.CANCELLED and relocation.cancelled_at:
        return {"at": _date(lang, relocation.cancelled_at), "planned": planned}
    return {"at": planned or t("summary.no_date"), "planned": ""}


class TimelineLines:
    """The timeline's lines in the document language (issue 14 point 7): each line is made
    from its code (``CaseEvent.kind``, texts ``timeline.<kind>``) and the record it is about,
    never from the stored staff-facing line (that is in the language of whoever saved it). A
    code without a text gets a neutral line (``timeline.other``)."""

    def __init__(self, case: Case, t: Translator, lang: Language, book: Rulebook) -> None:
        self.case = case
        self.t = t
        self.lang = lang
        self.book = book
        self._objects: dict[str, dict[int, Any]] = {}

    def _object(self, kind: str, pk: int | None) -> Any:
        managers = {
            "assessment": self.case.assessments,
            "trigger": self.case.triggers,
            "deviation": self.case.deviations,
            "police": self.case.police_contacts,
            "consent": self.case.consents,
            "information": self.case.information,
            "child_welfare": self.case.child_welfare_notifications,
        }
        if pk is None or kind not in managers:
            return None
        if kind not in self._objects:
            self._objects[kind] = managers[kind].in_bulk()
        return self._objects[kind].get(pk)

    def line(self, event: Any) -> str:
        t = self.t
        kind = str(event.kind)
        pk = event.object_id
        if kind == "assessment":
            a = self._object("assessment", pk)
            if a is None:
                return t("timeline.assessment_saved")
            outcome = _involvement_label(self.book, a.police_involvement, _rulebook_lang(self.lang))
            key = "timeline.assessment_automatic" if a.cause else "timeline.assessment"
            return t(key, outcome=outcome)
        if kind == "trigger":
            trigger = self._object("trigger", pk)
            code = trigger.kind if trigger is not None else "other"
            what = t.get(f"timeline.trigger_{code}", t("timeline.trigger_other"))
            return t("timeline.trigger", what=what)
        if kind in {"police_contact_planned", "police_contact_done", "police_contact_updated"}:
            contact = self._object("police", pk)
            ground = (
                t.get(f"summary.ground_{contact.legal_ground}", contact.legal_ground)
                if contact is not None
                else t("summary.not_included")
            )
            return t(f"timeline.{kind}", ground=ground)
        if kind in {"deviation_opened", "deviation_closed"}:
            deviation = self._object("deviation", pk)
            code = deviation.kind if deviation is not None else "other"
            what = t.get(f"summary.deviation_{code}", t("summary.deviation_other"))
            return t(f"timeline.{kind}", kind=what)
        if kind == "information_given":
            record = self._object("information", pk)
            prosecution = record is not None and record.kind == "public_prosecution"
            return t(
                "timeline.information_given_public_prosecution"
                if prosecution
                else "timeline.information_given"
            )
        if kind == "consent_given":
            consent = self._object("consent", pk)
            police = consent is None or consent.recipient_kind == "police"
            return t("timeline.consent_given_police" if police else "timeline.consent_given_centre")
        if kind == "child_welfare_notified":
            notification = self._object("child_welfare", pk)
            if notification is None:
                return t("timeline.child_welfare_notified_undated")
            return t("timeline.child_welfare_notified", date=_date(self.lang, notification.sent_on))
        return t.get(f"timeline.{kind}", t("timeline.other"))


# The timeline codes made with a value (above); every other code has one fixed text.
TIMELINE_CODES_WITH_VALUES: Final = frozenset(
    {
        "assessment",
        "trigger",
        "police_contact_planned",
        "police_contact_done",
        "police_contact_updated",
        "deviation_opened",
        "deviation_closed",
        "information_given",
        "consent_given",
        "child_welfare_notified",
    }
)


def destination_names(case: Case) -> tuple[str, ...]:
    """Every name of a new centre the case knows: the relocations' destinations and the
    recipients of consents to a new centre (R1-R3, C1). Longest first, for scrubbing."""
    names = {
        str(name).strip() for name in case.relocations.values_list("destination_name", flat=True)
    }
    names.update(
        str(unit).strip()
        for unit in case.consents.exclude(recipient_kind=RecipientKind.POLICE).values_list(
            "recipient_unit", flat=True
        )
    )
    return tuple(sorted((n for n in names if n), key=len, reverse=True))


def _scrub(row: dict[str, str], hidden: Sequence[str], replacement: str) -> dict[str, str]:
    """``row`` with every hidden name (case-insensitive) replaced by ``replacement``."""
    pattern = re.compile("|".join(re.escape(name) for name in hidden), re.IGNORECASE)
    return {
        key: pattern.sub(replacement, value) if isinstance(value, str) else value
        for key, value in row.items()
    }


@dataclass(frozen=True)
class AccessRow:
    at: str
    role: str
    centre: str
    action: str
    reason: str


def access_rows(events: Iterable[AuditEvent], lang_code: str) -> list[AccessRow]:
    """The access log's rows: time, role, centre, action, reason. Never the staff's names
    (docs/security.md: a perpetrator might force the user to show the report)."""
    lang = language(lang_code)
    t = Translator(lang)
    rows = []
    for event in events:
        role = event.actor_role or "system"
        rows.append(
            AccessRow(
                at=_time(lang, event.at),
                role=t.get(f"access.role_{role}", role),
                centre=event.centre.name if event.centre is not None else "",
                action=t.get(f"action.{event.action}", t("action.other")),
                reason=reason_text(t, event.reason),
            )
        )
    return rows


def reason_text(t: Translator, code: str) -> str:
    """The audit reason code in the document language (``reason.<code>``); an unknown code
    gets a neutral text, never the raw code (issue 6 point 3)."""
    if not code:
        return ""
    return t.get(f"reason.{code}", t("access.reason_unknown"))


@dataclass(frozen=True)
class AccessGroup:
    """The same action by the same role at the same centre, with the same reason, on one day:
    how many times, and at what times (issue 14 point 9)."""

    role: str
    centre: str
    action: str
    reason: str
    count: int
    times: str


@dataclass(frozen=True)
class AccessDay:
    date: str
    count: str
    groups: tuple[AccessGroup, ...]


def _times(times: Sequence[str]) -> str:
    """The times of a group, in order, the same minute once with its count: "09:12 ×3, 10:05"."""
    runs: list[list[Any]] = []
    for time in times:
        if runs and runs[-1][0] == time:
            runs[-1][1] += 1
        else:
            runs.append([time, 1])
    return ", ".join(f"{time} ×{n}" if n > 1 else str(time) for time, n in runs)


def access_days(events: Iterable[AuditEvent], lang_code: str) -> list[AccessDay]:
    """The access log grouped per day (newest first), then per role, centre, action and
    reason (in the order each first happened that day), with the count and every time."""
    lang = language(lang_code)
    t = Translator(lang)
    days: dict[dt.date, dict[tuple[str, str, str, str], list[str]]] = {}
    for event in sorted(events, key=lambda e: (e.at, e.seq)):
        role = event.actor_role or "system"
        key = (
            t.get(f"access.role_{role}", role),
            event.centre.name if event.centre is not None else "",
            t.get(f"action.{event.action}", t("action.other")),
            reason_text(t, event.reason),
        )
        day = timezone.localtime(event.at).date()
        days.setdefault(day, {}).setdefault(key, []).append(_clock(event.at))
    result = []
    for day in sorted(days, reverse=True):
        groups = tuple(
            AccessGroup(
                role=role,
                centre=centre,
                action=action,
                reason=reason,
                count=len(times),
                times=_times(times),
            )
            for (role, centre, action, reason), times in days[day].items()
        )
        total = sum(g.count for g in groups)
        result.append(
            AccessDay(
                date=_date(lang, day),
                count=t("access.day_count_one" if total == 1 else "access.day_count", count=total),
                groups=groups,
            )
        )
    return result


def access_report_html(
    case: Case, lang_code: str, *, events: Iterable[AuditEvent], today: dt.date
) -> str:
    """The access report (innsynslogg, issue 6 point 3) as a document for the user: grouped
    per day, role and action with counts and times, so it can be read (issue 14 point 9)."""
    lang = language(lang_code)
    t = Translator(lang)
    rows = list(events)
    context = _base_context(
        lang, title=t("access.title"), reference=case.reference, centre=case.centre.name,
        today=today,
    )  # fmt: skip
    context.update(
        {
            "days": access_days(rows, lang_code),
            "count": t("access.count", count=len(rows)),
        }
    )
    return render_to_string("documents/pdf/access_report.html", context)


# -------------------------------------------------------------------------------- PDF


def _url_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme != "file":
        msg = f"documents only read local files, not {parts.scheme}:"
        raise ValueError(msg)
    return Path(unquote(parts.path)).resolve()


# Inter Latin (Basic Latin, Latin-1 with æøå and §, dashes, quotes, bullet, ellipsis, €) at the
# two weights the documents use, instanced once from the variable font. Latin Extended stays
# variable: WeasyPrint instances what a document uses of it (rare: names in other alphabets).
_LATIN: Final = (*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2028), 0x20AC, 0x2122)


def _font_cache_dir() -> Path | None:
    try:
        return Path(settings.DATA_DIR) / "cache" / "fonts"
    except Exception:  # noqa: BLE001 (no settings: no disk cache)
        return None


@functools.cache
def _inter_instance(subset: str, weight: int) -> bytes:
    """Inter at one weight as a static TrueType font, cached in memory and under
    DATA_DIR/cache/fonts (instancing a variable font takes seconds; it is done once)."""
    source = INTER_DIR / f"inter-{subset}-wght-normal.woff2"
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    cache_dir = _font_cache_dir()
    cached = cache_dir / f"inter-{subset}-{weight}-{digest}.ttf" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()

    # fontTools and WeasyPrint load only when a PDF is made (seconds at start-up otherwise).
    from fontTools import subset as ft_subset  # type: ignore[import-untyped]  # noqa: PLC0415
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # noqa: PLC0415
    from fontTools.varLib import instancer  # type: ignore[import-untyped]  # noqa: PLC0415

    font = TTFont(io.BytesIO(data))
    options = ft_subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=_LATIN)
    subsetter.subset(font)
    static = instancer.instantiateVariableFont(font, {"wght": weight})
    static.flavor = None
    out = io.BytesIO()
    static.save(out)
    body = out.getvalue()
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(body)
            partial.replace(cached)
        except OSError:
            pass  # a read-only data directory only costs the next process the same seconds
    return body


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415 (start-up cost)

    class StaticFilesFetcher(URLFetcher):  # type: ignore[misc]
        """Reads only files under the package's static directory: no network, no other files."""

        def fetch(self, url: str, headers: object = None) -> Any:
            path = _url_path(url.split("#", 1)[0])
            if not path.is_relative_to(STATIC_DIR):
                msg = "documents only read the package's static files"
                raise ValueError(msg)
            fragment = url.split("#", 1)[1] if "#" in url else ""
            if path.parent == INTER_DIR and fragment.startswith("wght="):
                subset = path.name.removeprefix("inter-").removesuffix("-wght-normal.woff2")
                body = _inter_instance(subset, int(fragment.removeprefix("wght=")))
                return URLFetcherResponse(url, body=body, headers={"Content-Type": "font/ttf"})
            return URLFetcherResponse(url, body=path.read_bytes())

    return StaticFilesFetcher()


def font_face_css() -> str:
    """@font-face rules for Inter: static Latin at 400/700, variable Latin Extended."""
    rules = []
    latin = (INTER_DIR / "inter-latin-wght-normal.woff2").as_uri()
    extended = (INTER_DIR / "inter-latin-ext-wght-normal.woff2").as_uri()
    ext_range = INTER_SUBSETS["latin-ext"]
    for weight in INTER_WEIGHTS:
        rules.append(
            f'@font-face {{ font-family: Inter; src: url("{latin}#wght={weight}"); '
            f"font-weight: {weight}; font-style: normal; "
            "unicode-range: U+0020-007E, U+00A0-00FF, U+2010-2027, U+20AC, U+2122; }"
        )
        rules.append(
            f'@font-face {{ font-family: Inter; src: url("{extended}"); font-weight: {weight}; '
            f"font-style: normal; unicode-range: {ext_range}; }}"
        )
    return "\n".join(rules)


_RENDER_LOCK = threading.Lock()


@functools.cache
def _engine() -> tuple[Any, Any, Any]:
    """The font configuration, the parsed print stylesheet and the fetcher, made once."""
    # WeasyPrint loads only when a PDF is made (seconds at start-up otherwise).
    from weasyprint import CSS  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    font_config = FontConfiguration()
    fetcher = _fetcher()
    css = CSS(
        string=font_face_css() + "\n" + PRINT_CSS.read_text(encoding="utf-8"),
        font_config=font_config,
        url_fetcher=fetcher,
        base_url=STATIC_DIR.as_uri() + "/",
    )
    atexit.register(_engine.cache_clear)  # free WeasyPrint's font files before shutdown
    return font_config, css, fetcher


def html_to_pdf(html: str) -> bytes:
    """Tagged PDF (PDF/UA-1) from a document's HTML, fonts embedded, nothing fetched remotely."""
    from weasyprint import HTML  # noqa: PLC0415 (start-up cost, as in _engine)

    with _RENDER_LOCK:
        font_config, css, fetcher = _engine()
        document = HTML(string=html, url_fetcher=fetcher, base_url=STATIC_DIR.as_uri() + "/")
        pdf = document.write_pdf(
            stylesheets=[css], font_config=font_config, pdf_variant=PDF_VARIANT
        )
    if not isinstance(pdf, bytes):
        msg = "WeasyPrint returned no PDF bytes"
        raise TypeError(msg)
    return pdf


def consent_form_pdf(consent: Consent, lang: str, *, today: dt.date) -> bytes:
    return html_to_pdf(consent_form_html(consent, lang, today=today))


def information_sheet_pdf(case: Case, lang: str, *, today: dt.date) -> bytes:
    return html_to_pdf(information_sheet_html(case, lang, today=today))


def assessment_explained_pdf(assessment: Assessment, lang: str, *, today: dt.date) -> bytes:
    return html_to_pdf(assessment_explained_html(assessment, lang, today=today))


def case_summary_pdf(case: Case, lang: str, *, sections: SummarySections, today: dt.date) -> bytes:
    return html_to_pdf(case_summary_html(case, lang, sections=sections, today=today))


def access_report_pdf(
    case: Case, lang: str, *, events: Iterable[AuditEvent], today: dt.date
) -> bytes:
    return html_to_pdf(access_report_html(case, lang, events=events, today=today))
