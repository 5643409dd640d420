"""The rulebook review document for a jurist (issue 13 point 5): HTML and tagged PDF.

The content comes from ``vern.rules.report`` (pure: what the rulebook says); this module puts
it into words in nb, nn or en (gettext, as the rest of the staff-facing texts) and renders it
through the documents pipeline (``vern.documents.render.html_to_pdf``: WeasyPrint, PDF/UA-1,
fonts vendored). ``vern rulebook report`` writes both files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from vern.documents.render import PRINT_CSS, html_to_pdf
from vern.rules.report import RulebookReport, RuleLine, ScenarioLine, Term, build_report
from vern.rules.rulebook import Rulebook
from vern.rules.vocabulary import FACTOR_NAMES, Value

REPORT_LANGS: Final = ("nb", "nn", "en")


def _factor_names() -> dict[str, str]:
    return {
        "great_danger": _("stor fare"),
        "threat_picture_unclear": _("uklart trusselbilde"),
        "needs_information_only_police_have": _("trenger opplysninger bare politiet har"),
        "needs_police_or_court_safety_measures": _(
            "behov for sikkerhetstiltak i regi av politiet eller domstolen"
        ),
        "needs_relocation_for_safety": _("må flytte til et annet krisesenter av sikkerhetshensyn"),
        "user_wants_to_report": _("brukeren vil anmelde"),
        "user_consents": _("brukeren samtykker"),
        "user_informed_about_public_prosecution": _("brukeren er informert om offentlig påtale"),
        "duty_to_avert": _("avvergeplikt"),
    }


def _decision_names() -> dict[str, str]:
    return {
        "police_involvement": _("politiinvolvering"),
        "consent_needed": _("samtykke"),
        "next_step": _("neste steg"),
        "victim_wish_given_weight": _("vekt på brukerens ønske ved påtale"),
    }


def _or(items: Iterable[str]) -> str:
    parts = list(items)
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s eller %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def _and(items: Iterable[str]) -> str:
    parts = list(items)
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s og %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def _quoted(text: str) -> str:
    return _("«%(text)s»") % {"text": text}


def _code(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def decision_label(book: Rulebook, decision: str, value: Value, lang: str) -> str:
    """The rulebook's plain-language label of a decided value, else its code."""
    definition = book.decisions.get(decision)
    try:
        return definition.label(value).get(lang) if definition else _code(value)
    except KeyError:
        return _code(value)


def term_sentence(term: Term, book: Rulebook, lang: str) -> str:
    """One condition in words, e.g. "factor 9 (duty to avert) is true"."""
    name, values = term.variable, term.values
    if term.factor:
        label = _factor_names().get(name, name)
        held = values == (True,)
        if held:
            return _("faktor %(number)s (%(name)s) gjelder") % {
                "number": term.factor,
                "name": label,
            }
        return _("faktor %(number)s (%(name)s) gjelder ikke") % {
            "number": term.factor,
            "name": label,
        }
    if name == "risk_of_new_serious_violence":
        words = {"yes": _("ja"), "no": _("nei"), "unknown": _("uavklart")}
        return _("risikoen for ny alvorlig vold er «%(values)s»") % {
            "values": _or(words.get(str(v), _code(v)) for v in values)
        }
    if name == "consent_form":
        words = {
            "written": _("skriftlig"),
            "verbal": _("muntlig"),
            "none": _("ikke registrert"),
        }
        return _("samtykkets form er %(values)s") % {
            "values": _or(words.get(str(v), _code(v)) for v in values)
        }
    if name == "suspected_offences":
        words = {
            "none": _("ingen mistenkte lovbrudd er registrert"),
            "all_within_two_year_line": _(
                "alle mistenkte lovbrudd har en strafferamme innenfor toårsgrensen"
            ),
            "some_above_two_year_line": _(
                "minst ett mistenkt lovbrudd har en strafferamme over toårsgrensen"
            ),
        }
        return _or(words.get(str(v), _code(v)) for v in values)
    if name == "suspected_offence_in_196_list":
        if values == (True,):
            return _("minst ett mistenkt lovbrudd står på listen i straffeloven § 196")
        return _("ingen mistenkte lovbrudd står på listen i straffeloven § 196")
    if name in book.decisions:
        return _("%(decision)s er avgjort som %(values)s") % {
            "decision": _decision_names().get(name, name),
            "values": _or(_quoted(decision_label(book, name, v, lang)) for v in values),
        }
    # A variable this code has no words for (a newer rulebook): its code and values.
    if values == (True,):
        return _("%(variable)s gjelder") % {"variable": name}
    if values == (False,):
        return _("%(variable)s gjelder ikke") % {"variable": name}
    return _("%(variable)s er %(values)s") % {"variable": name, "values": _or(map(_code, values))}


def conditions_sentences(line: RuleLine, book: Rulebook, lang: str) -> list[str]:
    """The rule's conditions: one sentence per alternative (a rule applies when any holds)."""
    if line.always:
        return [_("alltid (standardregelen når ingen annen regel avgjør)")]
    return [
        _and(term_sentence(t, book, lang) for t in alternative) for alternative in line.conditions
    ]


def outcome_sentence(line: RuleLine, book: Rulebook, lang: str) -> str:
    if line.decides is not None:
        return _("Avgjør %(decision)s: «%(label)s»") % {
            "decision": _decision_names().get(line.decides, line.decides),
            "label": decision_label(book, line.decides, line.value, lang),
        }
    action = book.actions.get(line.action or "")
    text = action.text.get(lang) if action else (line.action or "")
    return _("Legger til tiltaket «%(action)s» (%(id)s)") % {"action": text, "id": line.action}


@dataclass(frozen=True)
class _Scenario:
    name: str
    file: str
    facts: list[str]
    expect: list[str]
    actions: list[str]


def _scenario(s: ScenarioLine, book: Rulebook, lang: str) -> _Scenario:
    facts: list[str] = []
    if s.date is not None:
        facts.append(_("Dato: %(date)s") % {"date": s.date.isoformat()})
    names = _factor_names()
    for key, value in s.facts.items():
        if key == "risk_of_new_serious_violence":
            facts.append(term_sentence(Term(key, (_value(value),)), book, lang))
        elif key == "factors" and isinstance(value, Mapping):
            held = [
                _("%(number)s (%(name)s)")
                % {"number": FACTOR_NAMES.index(k) + 1, "name": names.get(k, k)}
                for k in FACTOR_NAMES
                if value.get(k) is True
            ]
            unknown = [str(k) for k, v in value.items() if k not in FACTOR_NAMES and v is True]
            facts.append(
                _("Faktorer som gjelder: %(factors)s") % {"factors": _and(held + unknown)}
                if held or unknown
                else _("Ingen av de ni faktorene gjelder")
            )
        elif key == "consent_form":
            facts.append(term_sentence(Term(key, (_value(value) or "none",)), book, lang))
        elif key == "suspected_offences" and isinstance(value, list):
            titles = [_offence_title(book, str(o), lang) for o in value]
            facts.append(
                _("Mistenkte lovbrudd: %(offences)s") % {"offences": _and(titles)}
                if titles
                else _("Ingen mistenkte lovbrudd")
            )
        else:
            facts.append(f"{key}: {_code(_value(value))}")
    expect: list[str] = []
    actions: list[str] = []
    for key, value in s.expect.items():
        if key in book.decisions:
            expect.append(
                f"{_decision_names().get(key, key).capitalize()}: "
                f"{_quoted(decision_label(book, key, _value(value), lang))}"
            )
        elif key == "actions" and isinstance(value, list):
            actions = [
                book.actions[str(a)].text.get(lang) if str(a) in book.actions else str(a)
                for a in value
            ]
        elif key == "reasons" and isinstance(value, list):
            expect.append(
                _("Begrunnet av reglene: %(rules)s") % {"rules": ", ".join(map(str, value))}
            )
        elif isinstance(value, list):
            expect.append(f"{key}: {', '.join(str(v) for v in value)}")
        else:
            expect.append(f"{key}: {_code(_value(value))}")
    return _Scenario(name=s.name, file=s.file, facts=facts, expect=expect, actions=actions)


def _value(value: object) -> Value:
    return value if value is None or isinstance(value, bool | str) else str(value)


def _offence_title(book: Rulebook, ident: str, lang: str) -> str:
    for offence in book.offences:
        if offence.id == ident:
            return f"{offence.section} ({offence.title.get(lang)})"
    return ident


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "–"


def _validity(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{start.isoformat()} – {end.isoformat()}"
    if start:
        return _("fra %(date)s") % {"date": start.isoformat()}
    if end:
        return _("til og med %(date)s") % {"date": end.isoformat()}
    return "–"


def report_context(report: RulebookReport, lang: str) -> dict[str, Any]:
    book = report.rulebook
    kinds = {"reference": _("Referanse"), "offence": _("Lovbrudd"), "measure": _("Tiltak")}
    statuses = {"verified": _("kontrollert"), "check": _("må kontrolleres")}
    rules = []

    def order(line: RuleLine) -> tuple[int, str]:
        # Deciding rules by decision (the rulebook's order), then the action rules.
        definition = book.decisions.get(line.decides or "")
        return (definition.order if definition else 1_000_000, line.id)

    for line in sorted(report.rules, key=order):
        text = line.rule.text.get(lang) if line.rule.text else ""
        rules.append(
            {
                "id": line.id,
                "anchor": "rule-" + line.id.replace(".", "-"),
                "valid": (
                    _("Gjelder fra %(from)s til og med %(until)s")
                    % {"from": _date(line.valid_from), "until": _date(line.valid_until)}
                    if line.valid_until
                    else _("Gjelder fra %(from)s (ingen sluttdato)")
                    % {"from": _date(line.valid_from)}
                ),
                "conditions": conditions_sentences(line, book, lang),
                "alternatives": len(line.conditions) > 1,
                "outcome": outcome_sentence(line, book, lang),
                "overrides": line.overrides,
                "overridden_by": line.overridden_by,
                "requirements": line.requirements,
                "references": line.references,
                "text": text,
                "note": line.rule.note,
            }
        )
    return {
        "lang": lang,
        "book": book,
        "title": _("Regelboken %(id)s, versjon %(version)s")
        % {"id": book.id, "version": book.version},
        "subtitle": book.meta.title.get(lang),
        "meta_line": _("Versjon %(version)s av %(date)s · gjelder vurderinger fra %(from)s")
        % {
            "version": book.version,
            "date": book.meta.date.isoformat(),
            "from": book.meta.applies_from.isoformat(),
        },
        "checks": [
            {"item": item, "kind": kinds.get(item.kind, item.kind)} for item in report.checks
        ],
        "rules": rules,
        "references": [
            {"ref": ref, "status": statuses.get(ref.status, ref.status)}
            for ref in report.references
        ],
        "offences": [
            {
                "offence": o,
                "title": o.title.get(lang),
                "valid": _validity(o.valid_from, o.valid_until),
                "years": f"{o.max_penalty_years:g}",
                "status": statuses.get(o.status, o.status),
            }
            for o in sorted(book.offences, key=lambda o: (o.section, str(o.valid_from or "")))
        ],
        "scenarios": [_scenario(s, book, lang) for s in report.scenarios],
        "current_changes": report.current_changes,
        "previous_version": report.previous_version,
        "earlier_changes": report.earlier_changes,
    }


def rulebook_report_html(rulebook: Rulebook, lang: str = "nb", *, standalone: bool = True) -> str:
    """The review document as HTML. ``standalone`` embeds the print stylesheet, for the file a
    jurist opens in a browser; the PDF gets the stylesheet from the pipeline instead."""
    if lang not in REPORT_LANGS:
        msg = f"unknown language {lang!r} (use one of {', '.join(REPORT_LANGS)})"
        raise ValueError(msg)
    with translation.override(lang):
        context = report_context(build_report(rulebook, lang=lang), lang)
        context["style"] = PRINT_CSS.read_text(encoding="utf-8") if standalone else ""
        return render_to_string("documents/pdf/rulebook_report.html", context)


def rulebook_report_pdf(rulebook: Rulebook, lang: str = "nb") -> bytes:
    return html_to_pdf(rulebook_report_html(rulebook, lang, standalone=False))


def write_rulebook_report(rulebook: Rulebook, output: Path, lang: str = "nb") -> tuple[Path, Path]:
    """Write ``rulebook-<version>-<lang>.html`` and ``.pdf`` into ``output``; return both paths."""
    output.mkdir(parents=True, exist_ok=True)
    stem = f"rulebook-{rulebook.version}-{lang}"
    html_path = output / f"{stem}.html"
    pdf_path = output / f"{stem}.pdf"
    html_path.write_text(rulebook_report_html(rulebook, lang), encoding="utf-8")
    pdf_path.write_bytes(rulebook_report_pdf(rulebook, lang))
    return html_path, pdf_path
