"""The guidance's own mapping questions (K1), in bokmål, nynorsk and English.

Bufdir's template "Kartlegging av vold og trusler" is an open question list, not a scored
instrument (requirement K1, docs/sources/requirements.md). The questions below are written
in our own words from its themes. Answers are stored by the stable ``id`` of each question: never
rename or reuse an id; add a new one instead. The texts are chosen by the staff member's UI
language (``django.utils.translation.get_language()``), not by gettext, so that all three
languages live side by side here.

The mapping is done gradually and limited to what is needed: every answer is optional, and the
user decides what she wants to talk about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.utils.translation import get_language

from vern.rules.texts import Texts

FIRST_CONTACT: Final = "first_contact"
OVERALL: Final = "overall"


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    section: str
    text: Texts


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: Texts
    intro: Texts


SECTIONS: Final[tuple[Section, ...]] = (
    Section(
        FIRST_CONTACT,
        Texts(
            nb="Første samtale",
            nn="Første samtale",
            en="First conversation",
        ),
        Texts(
            nb="Det viktigste å vite de første timene. Brukeren velger selv hva som blir fortalt.",
            nn="Det viktigaste å vite dei første timane. Brukaren vel sjølv kva som blir fortalt.",
            en="What matters most in the first hours. The user decides what to tell.",
        ),
    ),
    Section(
        OVERALL,
        Texts(
            nb="Samlet kartlegging",
            nn="Samla kartlegging",
            en="Overall mapping",
        ),
        Texts(
            nb="Gjøres gradvis i løpet av oppholdet, og bare så langt det trengs.",
            nn="Blir gjord gradvis i løpet av opphaldet, og berre så langt det trengst.",
            en="Done gradually during the stay, and only as far as needed.",
        ),
    ),
)


def _q(ident: str, section: str, nb: str, nn: str, en: str) -> Question:
    return Question(ident, section, Texts(nb=nb, nn=nn, en=en))


QUESTIONS: Final[tuple[Question, ...]] = (
    # ---------------------------------------------------------------- first contact
    _q(
        "why_now",
        FIRST_CONTACT,
        "Hva har skjedd, og hvorfor tar du kontakt akkurat nå?",
        "Kva har skjedd, og kvifor tek du kontakt akkurat no?",
        "What has happened, and why are you getting in touch now?",
    ),
    _q(
        "whom_feared",
        FIRST_CONTACT,
        "Hvem er du redd for, og hvorfor?",
        "Kven er du redd for, og kvifor?",
        "Who are you afraid of, and why?",
    ),
    _q(
        "lives_with",
        FIRST_CONTACT,
        "Hvem bor du sammen med?",
        "Kven bur du saman med?",
        "Who do you live with?",
    ),
    _q(
        "children_where",
        FIRST_CONTACT,
        "Har du barn? Hvor er de nå?",
        "Har du born? Kvar er dei no?",
        "Do you have children? Where are they now?",
    ),
    _q(
        "animals",
        FIRST_CONTACT,
        "Har du kjæledyr eller dyr på gården som noen må ta hånd om?",
        "Har du kjæledyr eller dyr på garden som nokon må ta hand om?",
        "Do you have pets or livestock that someone needs to look after?",
    ),
    _q(
        "fears_going_home",
        FIRST_CONTACT,
        "Hva er du redd kan skje hvis du drar hjem?",
        "Kva er du redd kan skje om du reiser heim?",
        "What are you afraid could happen if you go home?",
    ),
    _q(
        "earlier_stays",
        FIRST_CONTACT,
        "Har du bodd på et krisesenter før? Når og hvor?",
        "Har du budd på eit krisesenter før? Når og kvar?",
        "Have you stayed at a crisis centre before? When and where?",
    ),
    _q(
        "help_wanted",
        FIRST_CONTACT,
        "Hva ønsker du hjelp til nå?",
        "Kva ønskjer du hjelp til no?",
        "What would you like help with now?",
    ),
    # ---------------------------------------------------------------- overall mapping
    _q(
        "perpetrator",
        OVERALL,
        "Hvem utøver volden – én person eller flere? Hvilken relasjon har dere?",
        "Kven utøver valden – éin person eller fleire? Kva relasjon har de?",
        "Who uses violence against you – one person or several? How are you related?",
    ),
    _q(
        "perpetrator_knows",
        OVERALL,
        "Vet utøveren at du har søkt hjelp?",
        "Veit utøvaren at du har søkt hjelp?",
        "Does the perpetrator know that you have sought help?",
    ),
    _q(
        "violence_history",
        OVERALL,
        "Hva har skjedd? Har volden blitt verre eller hyppigere den siste tiden?",
        "Kva har skjedd? Har valden blitt verre eller hyppigare den siste tida?",
        "What has happened? Has the violence become worse or more frequent lately?",
    ),
    _q(
        "violence_types",
        OVERALL,
        "Hvilke former for vold har du vært utsatt for (for eksempel fysisk, psykisk, "
        "seksuell, økonomisk, digital)?",
        "Kva former for vald har du vore utsett for (til dømes fysisk, psykisk, seksuell, "
        "økonomisk, digital)?",
        "What kinds of violence have you been exposed to (for example physical, "
        "psychological, sexual, financial, digital)?",
    ),
    _q(
        "severity_duration",
        OVERALL,
        "Hvor alvorlig har volden vært, og hvor lenge har den pågått?",
        "Kor alvorleg har valden vore, og kor lenge har den halde fram?",
        "How serious has the violence been, and how long has it gone on?",
    ),
    _q(
        "where",
        OVERALL,
        "Hvor skjer volden (for eksempel hjemme, på jobb, digitalt)?",
        "Kvar skjer valden (til dømes heime, på jobb, digitalt)?",
        "Where does the violence happen (for example at home, at work, online)?",
    ),
    _q(
        "fears_most",
        OVERALL,
        "Hva er du mest redd for?",
        "Kva er du mest redd for?",
        "What are you most afraid of?",
    ),
    _q(
        "feared_for_life",
        OVERALL,
        "Har du noen gang vært redd for livet ditt?",
        "Har du nokon gong vore redd for livet ditt?",
        "Have you ever feared for your life?",
    ),
    _q(
        "police_known",
        OVERALL,
        "Er eller har politiet vært involvert? Kjenner de til volden?",
        "Er eller har politiet vore involvert? Kjenner dei til valden?",
        "Are or have the police been involved? Do they know about the violence?",
    ),
    _q(
        "reports_convictions_bans",
        OVERALL,
        "Har volden vært anmeldt før? Er utøveren dømt, eller har utøveren brutt et "
        "besøksforbud eller kontaktforbud?",
        "Har valden vore meld før? Er utøvaren dømd, eller har utøvaren brote eit "
        "besøksforbod eller kontaktforbod?",
        "Has the violence been reported before? Has the perpetrator been convicted, or "
        "broken a restraining or contact ban?",
    ),
    _q(
        "children_with_perpetrator",
        OVERALL,
        "Er noen barn hos utøveren nå? Hva har barna sett eller opplevd?",
        "Er nokre born hos utøvaren no? Kva har borna sett eller opplevd?",
        "Are any children with the perpetrator now? What have the children seen or experienced?",
    ),
    _q(
        "animals_with_perpetrator",
        OVERALL,
        "Har utøveren ansvar for dyr som kan bli skadet eller brukt til å true deg?",
        "Har utøvaren ansvar for dyr som kan bli skadde eller brukte til å truge deg?",
        "Does the perpetrator look after animals that could be harmed or used to threaten you?",
    ),
    _q(
        "perpetrator_mental_health",
        OVERALL,
        "Vet du noe om utøverens psykiske helse?",
        "Veit du noko om den psykiske helsa til utøvaren?",
        "Do you know anything about the perpetrator's mental health?",
    ),
    _q(
        "weapons",
        OVERALL,
        "Har utøveren tilgang til våpen?",
        "Har utøvaren tilgang til våpen?",
        "Does the perpetrator have access to weapons?",
    ),
    _q(
        "intoxication",
        OVERALL,
        "Er utøveren ruset når volden skjer?",
        "Er utøvaren rusa når valden skjer?",
        "Is the perpetrator intoxicated when the violence happens?",
    ),
    _q(
        "family_support",
        OVERALL,
        "Støtter andre i familien volden eller kontrollen? (Kan være tegn på æresrelatert vold.)",
        "Støttar andre i familien valden eller kontrollen? (Kan vere teikn på æresrelatert vald.)",
        "Do other family members support the violence or the control? (This can be a sign "
        "of honour-based violence.)",
    ),
)

QUESTION_IDS: Final[frozenset[str]] = frozenset(q.id for q in QUESTIONS)
_BY_ID: Final[dict[str, Question]] = {q.id: q for q in QUESTIONS}


def ui_lang() -> str:
    """The staff member's UI language as one of nb, nn, en (nb when unknown)."""
    lang = (get_language() or "nb").split("-")[0].lower()
    if lang in {"nb", "nn", "en"}:
        return lang
    if lang == "no":
        return "nb"
    return "en" if lang else "nb"


def question_text(question_id: str, lang: str | None = None) -> str:
    """The text of one question in ``lang`` (default: the UI language); the id if unknown."""
    question = _BY_ID.get(question_id)
    if question is None:
        return question_id
    return question.text.get(lang or ui_lang())


def sections_with_questions() -> list[tuple[Section, list[Question]]]:
    return [(section, [q for q in QUESTIONS if q.section == section.id]) for section in SECTIONS]
