"""A readable explanation of an outcome for staff, in nb, nn or en."""

from __future__ import annotations

import textwrap
from typing import Final

from vern.rules.outcome import Outcome
from vern.rules.texts import Texts

_HEADINGS: Final[dict[str, Texts]] = {
    "title": Texts(
        nb="Vurdering: involvere politiet?",
        nn="Vurdering: involvere politiet?",
        en="Assessment: involve the police?",
    ),
    "rulebook": Texts(nb="Regelverk", nn="Regelverk", en="Rulebook"),
    "date": Texts(nb="Dato", nn="Dato", en="Date"),
    "involvement": Texts(nb="Politiinvolvering", nn="Politiinvolvering", en="Police involvement"),
    "consent": Texts(nb="Samtykke", nn="Samtykke", en="Consent"),
    "consent_yes": Texts(
        nb="trengs før politiet kontaktes",
        nn="trengst før politiet blir kontakta",
        en="needed before the police are contacted",
    ),
    "consent_no": Texts(
        nb="trengs ikke; grunnlag:",
        nn="trengst ikkje; grunnlag:",
        en="not needed; ground:",
    ),
    "ground_duty_to_avert": Texts(
        nb="avvergeplikten (straffeloven § 196)",
        nn="avvergeplikta (straffelova § 196)",
        en="the duty to avert (Penal Code § 196)",
    ),
    "ground_danger_to_life_or_health": Texts(
        nb="fare for liv eller helse (krisesenterlova § 5 annet ledd)",
        nn="fare for liv eller helse (krisesenterlova § 5 andre ledd)",
        en="danger to life or health (Crisis Centre Act § 5 second paragraph)",
    ),
    "next_step": Texts(nb="Neste steg", nn="Neste steg", en="Next step"),
    "actions": Texts(nb="Dette må gjøres", nn="Dette må gjerast", en="What to do"),
    "reasons": Texts(nb="Begrunnelse", nn="Grunngiving", en="Why"),
    "basis": Texts(nb="grunnlag", nn="grunnlag", en="basis"),
    "prosecution": Texts(nb="Offentlig påtale", nn="Offentleg påtale", en="Public prosecution"),
    "wish_true": Texts(
        nb="brukerens ønske tillegges vekt (alle mistenkte lovbrudd har strafferamme to år "
        "eller lavere)",
        nn="ønsket til brukaren blir lagt vekt på (alle mistenkte lovbrot har strafferamme to "
        "år eller lågare)",
        en="the user's wish is given weight (every suspected offence has a maximum penalty of "
        "two years or less)",
    ),
    "wish_false": Texts(
        nb="politiet kan ta ut påtale uavhengig av brukerens ønske",
        nn="politiet kan ta ut påtale uavhengig av ønsket til brukaren",
        en="the police may prosecute regardless of the user's wish",
    ),
    "wish_none": Texts(
        nb="ingen mistenkte lovbrudd registrert",
        nn="ingen mistenkte lovbrot registrerte",
        en="no suspected offences recorded",
    ),
    "years": Texts(nb="år", nn="år", en="years"),
    "duty_to_avert": Texts(
        nb="omfattes av avvergeplikten",
        nn="omfatta av avvergeplikta",
        en="covered by the duty to avert",
    ),
    "measures": Texts(
        nb="Hva politiet og domstolen kan gjøre",
        nn="Kva politiet og domstolen kan gjere",
        en="What the police and the courts can do",
    ),
}

_WIDTH = 96


def _h(key: str, lang: str) -> str:
    return _HEADINGS[key].get(lang)


def _item(prefix: str, text: str) -> list[str]:
    indent = " " * len(prefix)
    return textwrap.wrap(text, _WIDTH, initial_indent=prefix, subsequent_indent=indent) or [prefix]


def render_text(outcome: Outcome, lang: str = "nb") -> str:
    """The outcome as plain text for staff: decision, next step, actions, reasons, measures."""
    _h("title", lang)  # validates lang early
    wish = outcome.public_prosecution.victim_wish_given_weight
    wish_key = "wish_none" if wish is None else ("wish_true" if wish else "wish_false")
    consent_key = "consent_yes" if outcome.consent_needed else "consent_no"
    grounds = ", ".join(_h(f"ground_{ground}", lang) for ground in outcome.no_consent_grounds)
    grounds = f" {grounds}" if grounds else ""
    lines = [
        _h("title", lang),
        f"{_h('rulebook', lang)}: {outcome.rulebook_id} {outcome.rulebook_version}",
        f"{_h('date', lang)}: {outcome.on.isoformat()}",
        "",
        f"{_h('involvement', lang)}: {outcome.labels.police_involvement.get(lang)}",
        f"{_h('consent', lang)}: {_h(consent_key, lang)}{grounds}",
        f"{_h('next_step', lang)}: {outcome.labels.next_step.get(lang)}",
        "",
        f"{_h('actions', lang)}:",
    ]
    for number, action in enumerate(outcome.actions, start=1):
        cited = ", ".join((*action.basis, *action.requirements))
        lines += _item(f"  {number}. ", f"{action.text.get(lang)} [{cited}]")
    lines += ["", f"{_h('reasons', lang)}:"]
    for reason in outcome.reasons:
        cited = ", ".join((*reason.basis, *reason.requirements))
        lines += _item("  - ", f"{reason.text.get(lang)} [{reason.rule}; {cited}]")
    lines += ["", f"{_h('prosecution', lang)}: {_h(wish_key, lang)}"]
    for offence in outcome.public_prosecution.offences:
        extra = f", {_h('duty_to_avert', lang)}" if offence.duty_to_avert else ""
        lines.append(
            f"  - {offence.title.get(lang)} ({offence.id}): "
            f"{offence.max_penalty_years:g} {_h('years', lang)}{extra}"
        )
    lines += ["", f"{_h('measures', lang)}:"]
    lines += _item("  ", outcome.measures_note.get(lang))
    for measure in outcome.measures:
        lines += _item("  - ", f"{measure.title.get(lang)}: {measure.text.get(lang)}")
    return "\n".join(lines) + "\n"
