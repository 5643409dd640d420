"""The "Assess together" mode (issue 17): a screen turned towards the user, one question per
screen, in the user's language; then the consent read and signed on the screen.

The staff member opens it from the case (``open_mode``); from then on the session shows only the
mode (``middleware``) until the staff member's one-time code ends it (``leave``). The screens show
nothing of the case but what the user needs: no other field, no other case, no staff name, no
navigation. Views translate; the writes are ``vern.together.services``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vern.accounts.models import User
from vern.accounts.request import case_worker
from vern.assessments.models import Assessment
from vern.assessments.user_view import QUESTIONS
from vern.audit.middleware import AUDIT_CASE_ATTRIBUTE
from vern.cases.models import Case
from vern.cases.selectors import case_get
from vern.centres.models import PoliceDistrict
from vern.consent.models import ConsentForm, InformationCategory, RecipientKind, WrittenMethod
from vern.consent.selectors import suspected_offences
from vern.consent.services import consent_create
from vern.core import clock
from vern.core.access import PAIRED_STAFF_ATTRIBUTE, paired, public
from vern.documents.render import date_text, measures_on, two_year
from vern.documents.texts import REFERENCE_LANG, Language, language
from vern.rules import load_rulebook
from vern.together import session
from vern.together.models import Pairing
from vern.together.services import (
    PAIRING_LENGTH,
    PairingRefused,
    pairing_claim,
    pairing_create,
    pairing_end,
    together_code_check,
    together_save,
)
from vern.together.texts import (
    ModeTranslator,
    in_language,
    mode_language,
    mode_languages,
    texts_version,
)

# The reasons the police may be told without consent, as the rulebook names them, and the
# text that explains each to the user (documents' texts, section rule).
NO_CONSENT_TEXTS = {
    "duty_to_avert": "rule.consent.not-needed.duty-to-avert",
    "danger_to_life_or_health": "rule.consent.not-needed.danger-to-life-or-health",
}
CONSENT_CATEGORIES = [c.value for c in InformationCategory]
CODE_FIELD = "code"


# --------------------------------------------------------------------------- opening


def _typed(request: HttpRequest, field: str) -> str:
    """What the user typed in a text field, trimmed. A NUL character cannot come from a
    keyboard and PostgreSQL cannot store it: it is dropped rather than shown as an error on a
    screen turned towards the user."""
    return (request.POST.get(field) or "").replace("\x00", "").strip()


@require_http_methods(["GET", "POST"])
def open_mode(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Staff: open the mode for this case on this device, in the language chosen with the user."""
    user = case_worker(request)
    case = case_get(user=user, pk=case_pk)
    if case.is_closed:
        messages.error(request, _("Saken er avsluttet og kan ikke endres."))
        return redirect("cases:detail", pk=case.pk)
    choices = mode_languages()
    error = ""
    if request.method == "POST":
        code = request.POST.get("language", "")
        if code in {lang.code for lang in choices}:
            session.open_mode(request, case_pk=case.pk, staff_pk=user.pk, lang=code)
            return redirect("together:step", step="start")
        error = _("Velg et språk fra listen.")
    initial = case.language if case.language in {lang.code for lang in choices} else "nb"
    return render(
        request,
        "together/open.html",
        {
            "case": case,
            "pairings": _open_pairings(user, case),
            "mode_langs": choices,
            "initial": initial,
            "error": error,
            "idle_minutes": max(1, session.idle_seconds() // 60),
        },
    )


# --------------------------------------------------------------------------- a second screen

PAIR_LANGUAGES = ("nb", "nn", "en")


def _open_pairings(user: User, case: Case) -> list[Pairing]:
    now = clock.now()
    return [
        p
        for p in Pairing.objects.for_user(user).filter(case=case, staff=user, ended_at=None)
        if p.active or p.waiting(now)
    ]


def _own_pairing(user: User, case_pk: int, pairing_pk: int) -> tuple[Case, Pairing]:
    case = case_get(user=user, pk=case_pk)
    pairing = Pairing.objects.for_user(user).filter(pk=pairing_pk, case=case, staff=user).first()
    if pairing is None:
        raise Http404
    return case, pairing


@require_POST
def pair_start(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Staff: make a pairing for a second screen and show its code (once: only its hash is
    kept). Any earlier code of this staff member for the case stops working."""
    user = case_worker(request)
    case = case_get(user=user, pk=case_pk)
    try:
        pairing, code = pairing_create(acting_user=user, case=case, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=case.pk)
    response = render(
        request,
        "together/pair_code.html",
        {
            "case": case,
            "pairing": pairing,
            "code": f"{code[:3]} {code[3:]}",
            "minutes": max(1, int((pairing.expires_at - pairing.created_at).total_seconds()) // 60),
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def pair_status(request: HttpRequest, case_pk: int, pairing_pk: int) -> HttpResponse:
    """Staff: whether the second screen is paired yet; POST ends the pairing."""
    user = case_worker(request)
    case, pairing = _own_pairing(user, case_pk, pairing_pk)
    if request.method == "POST":
        pairing_end(acting_user=user, pairing=pairing, request=request)
        messages.success(
            request, _("Koblingen er avsluttet. Den andre skjermen viser en nøytral side.")
        )
        return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "together/pair_status.html",
        {"case": case, "pairing": pairing, "waiting": pairing.waiting(clock.now())},
    )


def _pair_language(request: HttpRequest) -> str:
    chosen = request.POST.get("language") or request.GET.get("sprak") or ""
    if chosen in PAIR_LANGUAGES:
        return chosen
    current = translation.get_language() or "nb"
    return current if current in PAIR_LANGUAGES else "nb"


@public
@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest) -> HttpResponse:
    """The second screen: enter the code shown to the staff member. A right code binds this
    browser (no account) to the mode for that one case; a wrong, used or expired one gets the
    same neutral error, and nothing about any case."""
    if session.get(request) is not None:
        return redirect("together:screen")
    lang = _pair_language(request)
    error = ""
    if request.method == "POST":
        try:
            pairing = pairing_claim(code=request.POST.get(CODE_FIELD, ""), request=request)
        except PairingRefused as refused:
            with translation.override(lang):
                error = (
                    _("For mange feil koder. Vent noen minutter og prøv igjen.")
                    if refused.throttled
                    else _(
                        "Koden virker ikke. Den kan være skrevet feil, brukt eller utløpt."
                        " Be den ansatte om en ny kode."
                    )
                )
        else:
            session.open_paired(request, pairing_pk=pairing.pk, case_pk=pairing.case_id,
                                staff_pk=pairing.staff_id, lang=lang)  # fmt: skip
            return redirect("together:step", step="start")
    t = ModeTranslator(mode_language(lang))
    with translation.override(lang):
        response = render(
            request,
            "together/pair.html",
            {
                "t": t,
                "lang": t.own,
                "pair_languages": [mode_language(code) for code in PAIR_LANGUAGES],
                "error": error,
                "ended": request.GET.get("slutt") == "1",
                "code_length": PAIRING_LENGTH,
                "idle_seconds": 0,
            },
        )
    response.headers["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- the screens


def _staff(request: HttpRequest) -> User:
    """The staff member of the mode: the logged-in one, or the one who paired this screen."""
    staff = getattr(request, PAIRED_STAFF_ATTRIBUTE, None)
    return staff if isinstance(staff, User) else case_worker(request)


def _mode(request: HttpRequest) -> tuple[session.Mode, User, Case]:
    mode = session.get(request)
    if mode is None:
        raise Http404
    user = _staff(request)
    try:
        case = case_get(user=user, pk=mode.case_pk)
    except Http404:
        session.close(request)
        raise
    # Every screen reads the case: one case_viewed event per request (issue 6).
    setattr(request, AUDIT_CASE_ATTRIBUTE, case.pk)
    return mode, user, case


def _context(mode: session.Mode, t: ModeTranslator, **extra: Any) -> dict[str, Any]:
    own = t.own
    position = (
        session.QUESTION_STEPS.index(mode.step) if mode.step in session.QUESTION_STEPS else -1
    )
    return {
        "t": t,
        "lang": own,
        "mode": mode,
        "languages": mode_languages(),
        "unreviewed": "" if own.reviewed else t("common.unreviewed"),
        "progress": (
            t("together.step", n=position + 1, total=len(session.QUESTION_STEPS))
            if position >= 0
            else ""
        ),
        "idle_seconds": session.idle_seconds(),
        **extra,
    }


def _render(
    request: HttpRequest, template: str, mode: session.Mode, t: ModeTranslator, **extra: Any
) -> HttpResponse:
    context = _context(mode, t, **extra)
    context["fallback"] = t("common.fallback_note") if t.missed - {"common.fallback_note"} else ""
    response = render(request, template, context)
    response.headers["Cache-Control"] = "no-store"
    return response


@paired
def screen(request: HttpRequest) -> HttpResponse:
    """The mode's current screen (where every other page of Vern sends the session)."""
    mode = session.get(request)
    if mode is None:
        return redirect("desk:home")
    if mode.locked:
        return redirect("together:lock")
    return redirect("together:step", step=mode.step)


def _allowed(mode: session.Mode, step: str) -> bool:
    if step in session.QUESTION_STEPS:
        return not mode.saved
    if step in {"saved", "scope", "sign"}:
        return mode.saved and mode.consent_pk is None
    if step == "signed":
        return mode.consent_pk is not None
    return step == "end" and mode.saved


@paired
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in session.STEPS:
        raise Http404
    mode, user, case = _mode(request)
    session.touch(request, mode)
    if mode.locked:
        return redirect("together:lock")
    if not _allowed(mode, step):
        return redirect("together:step", step=mode.step)
    mode.step = step
    session.put(request, mode)
    t = ModeTranslator(mode_language(mode.lang))
    handler = _HANDLERS.get(step, _plain)
    return handler(request, mode, user, case, t)


def _next_step(step: str) -> str:
    steps = session.QUESTION_STEPS
    return steps[steps.index(step) + 1]


def _back_step(step: str) -> str | None:
    steps = session.QUESTION_STEPS
    index = steps.index(step)
    return steps[index - 1] if index > 0 else None


def _go_on(request: HttpRequest, mode: session.Mode) -> HttpResponse:
    """After a question or an information screen: the next one, or back to the summary when
    the user came from there to correct an answer."""
    target = "summary" if request.POST.get("return") == "summary" else _next_step(mode.step)
    return redirect("together:step", step=target)


def _plain(
    request: HttpRequest, mode: session.Mode, user: User, case: Case, t: ModeTranslator
) -> HttpResponse:
    """Information screens (start, police, prosecution, no) and the end."""
    if request.method == "POST" and mode.step in session.QUESTION_STEPS:
        return _go_on(request, mode)
    today = clock.today()
    extra: dict[str, Any] = {
        "back": _back_step(mode.step) if mode.step in session.QUESTION_STEPS else None
    }
    if mode.step == "police":
        extra["measures"] = _measures(t, today)
        note = load_rulebook().measures_note.get(_rb_lang(t.own))
        extra["measures_note"] = in_language(note, language(_rb_lang(t.own)), t.own) if note else ""
    elif mode.step == "prosecution":
        extra["two_year"] = two_year(t, suspected_offences(case=case), today)
    elif mode.step == "no":
        extra["no_consent"] = [t(NO_CONSENT_TEXTS[g]) for g in _no_consent_grounds(case)]
    return _render(request, f"together/{mode.step}.html", mode, t, **extra)


def _rb_lang(lang: Language) -> str:
    return lang.code if lang.code in {"nb", "nn", "en"} else "en"


def _measures(t: ModeTranslator, today: dt.date) -> list[dict[str, str]]:
    """The rulebook's catalogue of measures valid today, each with the date it applies from.
    A language the rulebook does not speak gets its texts in English, marked as English."""
    rb_lang = _rb_lang(t.own)
    rb_language = language(rb_lang)
    return [
        {
            "title": in_language(m.title.get(rb_lang), rb_language, t.own),
            "text": in_language(m.text.get(rb_lang), rb_language, t.own),
            "from": t("together.measure_from", date=date_text(t.own.code, m.valid_from))
            if m.valid_from
            else "",
        }
        for m in measures_on(load_rulebook(), today)
    ]


def _no_consent_grounds(case: Case) -> list[str]:
    """The lawful grounds for telling the police without consent that the newest assessment
    found (the rulebook's output ``no_consent_grounds``); empty when none or no assessment."""
    newest = Assessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()
    if newest is None or not isinstance(newest.outcome, dict):
        return []
    grounds = newest.outcome.get("no_consent_grounds") or []
    return [str(g) for g in grounds if str(g) in NO_CONSENT_TEXTS]


def _choices(t: ModeTranslator, question: str) -> list[tuple[str, str]]:
    return [(code, t(f"together.choice_{code}")) for code in QUESTIONS[question]]


def _question(
    request: HttpRequest, mode: session.Mode, user: User, case: Case, t: ModeTranslator
) -> HttpResponse:
    question = mode.step
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        words = _typed(request, "words")
        if choice in QUESTIONS[question]:
            mode.answers[question] = choice
        else:
            mode.answers.pop(question, None)
        if words:
            mode.words[question] = words[:2000]
        else:
            mode.words.pop(question, None)
        session.put(request, mode)
        return _go_on(request, mode)
    return _render(
        request,
        "together/question.html",
        mode,
        t,
        question=t(f"together.q_{question}"),
        help=t(f"together.q_{question}_help"),
        choices=_choices(t, question),
        current=mode.answers.get(question, ""),
        words=mode.words.get(question, ""),
        back=_back_step(question),
        returning=request.GET.get("return") == "summary",
    )


def _summary_rows(mode: session.Mode, t: ModeTranslator) -> list[dict[str, str]]:
    rows = []
    for question, choices in QUESTIONS.items():
        answer = mode.answers.get(question, "")
        rows.append(
            {
                "step": question,
                "question": t(f"together.q_{question}"),
                "answer": t(f"together.choice_{answer}")
                if answer
                else ("" if not choices else t("together.choice_none")),
                "words": mode.words.get(question, ""),
            }
        )
    return rows


def _summary(
    request: HttpRequest, mode: session.Mode, user: User, case: Case, t: ModeTranslator
) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        if case.is_closed:
            errors.append(t("together.error_closed"))
        else:
            try:
                view = together_save(
                    acting_user=user,
                    case=case,
                    language=mode.lang,
                    answers=mode.answers,
                    words=mode.words,
                    texts_version=texts_version(t.own),
                    request=request,
                )
            except ValidationError:
                errors.append(
                    t("together.summary_empty")
                    if not (mode.answers or mode.words)
                    else t("together.error_save")
                )
            else:
                mode.view_pk = view.pk
                mode.step = "saved"
                session.put(request, mode)
                return redirect("together:step", step="saved")
    return _render(
        request,
        "together/summary.html",
        mode,
        t,
        rows=_summary_rows(mode, t),
        empty=not (mode.answers or mode.words),
        errors=errors,
        back=_back_step("summary"),
    )


def _saved(
    request: HttpRequest, mode: session.Mode, user: User, case: Case, t: ModeTranslator
) -> HttpResponse:
    return _render(
        request,
        "together/saved.html",
        mode,
        t,
        wants_consent=mode.answers.get("consent") == "yes",
    )


# --------------------------------------------------------------------------- the consent


def _parse_until(raw: str) -> dt.date | None:
    raw = (raw or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()  # noqa: DTZ007 (a day)
        except ValueError:
            continue
    raise ValueError(raw)


def _scope_errors(t: ModeTranslator, data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.get("district") not in PoliceDistrict.values:
        errors["district"] = t("together.error_district")
    if not (data.get("purpose") or "").strip():
        errors["purpose"] = t("together.error_purpose")
    if not data.get("categories"):
        errors["categories"] = t("together.error_categories")
    if data.get("until"):
        try:
            day = _parse_until(str(data["until"]))
        except ValueError:
            day = None
        if day is None or day < clock.today():
            errors["until"] = t("together.error_until")
    return errors


def _scope(
    request: HttpRequest, mode: session.Mode, user: User, case: Case, t: ModeTranslator
) -> HttpResponse:
    errors: dict[str, str] = {}
    data = dict(mode.scope)
    if request.method == "POST":
        data = {
            "district": request.POST.get("district", ""),
            "purpose": _typed(request, "purpose")[:2000],
            "categories": [
                c for c in request.POST.getlist("categories") if c in CONSENT_CATEGORIES
            ],
            "until": (request.POST.get("until") or "").strip(),
        }
        mode.scope = data
        session.put(request, mode)
        errors = _scope_errors(t, data)
        if not errors:
            return redirect("together:step", step="sign")
    return _render(
        request,
        "together/scope.html",
        mode,
        t,
        districts=PoliceDistrict.choices,
        categories=[(c, t(f"category.{c}")) for c in CONSENT_CATEGORIES],
        data=data,
        errors=errors,
    )


def _until(mode: session.Mode) -> dt.date | None:
    raw = str(mode.scope.get("until") or "")
    return _parse_until(raw) if raw else None


def consent_paragraphs(t: ModeTranslator, case: Case, mode: session.Mode) -> list[str]:
    """The consent as the user reads it before signing, in the mode's language: the same texts
    as the consent form on paper (section ``consent``), with the scope chosen."""
    scope = mode.scope
    district = PoliceDistrict(scope["district"]).label
    until = _until(mode)
    two = two_year(t, suspected_offences(case=case), clock.today())
    return [
        t("consent.title"),
        t("consent.intro"),
        t("consent.given_to_heading"),
        t("consent.given_to", centre=case.centre.name),
        t("consent.recipient_heading"),
        t("consent.recipient_police", district=district),
        t("consent.purpose_heading"),
        str(scope["purpose"]),
        t("consent.categories_heading"),
        *[t(f"category.{c}") for c in scope["categories"]],
        t("consent.categories_only"),
        t("consent.duration_heading"),
        t("consent.duration_until", date=date_text(t.source("consent.duration_until").code, until))
        if until
        else t("consent.duration_open"),
        t("consent.voluntary_heading"),
        t("consent.voluntary"),
        t("consent.prosecution_heading"),
        t("consent.prosecution"),
        two.statement,
        *two.offences,
        t("withdraw.heading"),
        t("withdraw.body"),
        t("consent.signature_heading"),
        t("consent.signature_statement"),
    ]


HEADING_KEYS = ("title", "given_to_heading", "recipient_heading", "purpose_heading",
                "categories_heading", "duration_heading", "voluntary_heading",
                "prosecution_heading", "signature_heading")  # fmt: skip


def _signature_png(raw: str) -> bytes | None:
    """The drawn signature posted as a data URL (``data:image/png;base64,...``), or None."""
    prefix = "data:image/png;base64,"
    if not raw:
        return None
    if not raw.startswith(prefix):
        raise ValueError("not a PNG data URL")
    try:
        return base64.b64decode(raw[len(prefix) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


def _sign(
    request: HttpRequest, mode: session.Mode, user: User, case: Case, t: ModeTranslator
) -> HttpResponse:
    if _scope_errors(t, mode.scope):
        return redirect("together:step", step="scope")
    paragraphs = consent_paragraphs(t, case, mode)
    errors: dict[str, str] = {}
    name = ""
    if request.method == "POST":
        if request.POST.get("skip"):
            return redirect("together:step", step="end")
        name = " ".join(_typed(request, "name").split())[:200]
        agreed = request.POST.get("agree") == "on"
        if not name:
            errors["name"] = t("together.error_name")
        if not agreed:
            errors["agree"] = t("together.error_agree")
        try:
            png = _signature_png(request.POST.get("signature", ""))
        except ValueError:
            png = None
            errors["signature"] = t("together.error_signature")
        if not errors:
            until = _until(mode)
            expires_at = (
                timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
                if until
                else None
            )
            try:
                consent = consent_create(
                    acting_user=user,
                    case=case,
                    recipient_kind=RecipientKind.POLICE,
                    police_district=str(mode.scope["district"]),
                    purpose=str(mode.scope["purpose"]),
                    categories=list(mode.scope["categories"]),
                    form=ConsentForm.WRITTEN,
                    written_method=WrittenMethod.ON_SCREEN,
                    signed_by_name=name,
                    signature_confirmed=True,
                    signature_png=png,
                    expires_at=expires_at,
                    read_language=mode.lang,
                    read_text="\n".join(paragraphs),
                    request=request,
                )
            except ValidationError as exc:
                messages_ = (
                    exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                )
                if "signature_png" in messages_:
                    errors["signature"] = t("together.error_signature")
                else:
                    errors["__all__"] = _refused(
                        t, [str(m) for ms in messages_.values() for m in ms]
                    )
            else:
                mode.consent_pk = consent.pk
                mode.step = "signed"
                session.put(request, mode)
                return redirect("together:step", step="signed")
    headings = {t(f"consent.{key}") for key in HEADING_KEYS} | {t("withdraw.heading")}
    return _render(
        request,
        "together/sign.html",
        mode,
        t,
        paragraphs=[(p, p in headings) for p in paragraphs],
        errors=errors,
        name=name,
    )


def _refused(t: ModeTranslator, reasons: list[str]) -> str:
    """A refused save on the user's screen: a sentence in the screen's language, then the
    service's reasons for the staff member in the staff's own language (Django's active one),
    marked with that language's ``lang`` and ``dir`` when it is not the screen's."""
    code = (translation.get_language() or REFERENCE_LANG).split("-")[0]
    try:
        staff = language(code)
    except KeyError:
        staff = language(REFERENCE_LANG)
    return format_html(
        "{} {}", t("together.error_consent_save"), in_language(" ".join(reasons), staff, t.own)
    )


_HANDLERS = {
    **dict.fromkeys(QUESTIONS, _question),
    "summary": _summary,
    "saved": _saved,
    "scope": _scope,
    "sign": _sign,
}


# --------------------------------------------------------------------------- language, lock, leave


@paired
@require_POST
def change_language(request: HttpRequest) -> HttpResponse:
    mode, _user, _case = _mode(request)
    code = request.POST.get("language", "")
    if code in {lang.code for lang in mode_languages()}:
        mode.lang = code
        session.put(request, mode)
    return redirect("together:screen")


@paired
@require_http_methods(["GET", "POST"])
def lock(request: HttpRequest) -> HttpResponse:
    """The neutral screen the mode locks to (idle, or "pause"); the staff member's code
    continues or finishes."""
    mode, user, case = _mode(request)
    mode.locked = True
    session.put(request, mode)
    t = ModeTranslator(mode_language(mode.lang))
    error = ""
    if request.method == "POST":
        if together_code_check(user=user, code=request.POST.get(CODE_FIELD, ""), request=request):
            if request.POST.get("finish"):
                return _leave(request, case)
            # Unlocked now: the idle time counts from this moment, not from the lock.
            mode.locked = False
            mode.seen_at = clock.now().timestamp()
            session.put(request, mode)
            return redirect("together:step", step=mode.step)
        error = t("together.wrong_code")
    return _render(request, "together/lock.html", mode, t, error=error, progress="")


@paired
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """End the mode with the staff member's one-time code, back to the case."""
    mode, user, case = _mode(request)
    t = ModeTranslator(mode_language(mode.lang))
    if together_code_check(user=user, code=request.POST.get(CODE_FIELD, ""), request=request):
        return _leave(request, case)
    step_name = mode.step if mode.step in {"end", "signed", "saved"} else "end"
    return _render(request, f"together/{step_name}.html", mode, t, error=t("together.wrong_code"),
                   wants_consent=False)  # fmt: skip


def _leave(request: HttpRequest, case: Case) -> HttpResponse:
    pairing = getattr(request, session.PAIRING_ATTRIBUTE, None)
    if isinstance(pairing, Pairing):
        # The paired screen: the code ends the pairing, and the browser keeps nothing.
        pairing_end(acting_user=_staff(request), pairing=pairing, request=request)
        request.session.flush()
        return redirect(reverse("together:pair") + "?slutt=1")
    session.close(request)
    messages.success(request, _("«Vurder sammen» er avsluttet. Brukerens svar står i saken."))
    return redirect("cases:detail", pk=case.pk)
