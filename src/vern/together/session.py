"""The open mode's state, kept in the staff member's server-side session (issue 17).

While the key is in the session every page of Vern but the mode's own and the quick exit
answers with the mode (``middleware``). The user's answers stay here, on the server, until the
summary is saved; the quick exit ends the session and with it every unsaved answer (nothing
of it stays on the device)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

from django.conf import settings
from django.http import HttpRequest

from vern.core import clock

KEY: Final = "vern_together"
# The active Pairing of a paired second screen, set on the request by the middleware.
PAIRING_ATTRIBUTE: Final = "vern_pairing"

# Before the summary is saved: the questions and the information, in this order.
QUESTION_STEPS: Final = ("start", "danger", "wants", "report", "move", "police", "prosecution",
                         "no", "consent", "summary")  # fmt: skip
# After it: the consent (scope, reading and signing) and the end.
AFTER_STEPS: Final = ("saved", "scope", "sign", "signed", "end")
STEPS: Final = (*QUESTION_STEPS, *AFTER_STEPS)


@dataclass
class Mode:
    case_pk: int
    staff_pk: int
    lang: str
    step: str = "start"
    answers: dict[str, str] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    scope: dict[str, Any] = field(default_factory=dict)
    seen_at: float = 0.0
    locked: bool = False
    view_pk: int | None = None
    consent_pk: int | None = None
    # A second screen paired by code: the pairing (the session has no account logged in).
    pairing_pk: int | None = None

    @property
    def saved(self) -> bool:
        return self.view_pk is not None


def idle_seconds() -> int:
    return int(getattr(settings, "VERN_TOGETHER_IDLE_SECONDS", 180))


def get(request: HttpRequest) -> Mode | None:
    """The open mode of this session, or None. A mode opened by another account (a session
    that changed hands) is dropped."""
    raw = request.session.get(KEY) if hasattr(request, "session") else None
    if not isinstance(raw, dict):
        return None
    try:
        mode = Mode(**raw)
    except TypeError:
        request.session.pop(KEY, None)
        return None
    if mode.pairing_pk is not None:
        # Only when the middleware found the pairing active on this very request.
        pairing = getattr(request, PAIRING_ATTRIBUTE, None)
        if getattr(pairing, "pk", None) != mode.pairing_pk:
            return None
        return mode
    if getattr(request.user, "pk", None) != mode.staff_pk:
        request.session.pop(KEY, None)
        return None
    return mode


def paired_keys(request: HttpRequest) -> tuple[int, int, int] | None:
    """(pairing, staff member, case) of a session paired as a second screen, else None."""
    raw = request.session.get(KEY) if hasattr(request, "session") else None
    if not isinstance(raw, dict) or raw.get("pairing_pk") is None:
        return None
    try:
        return int(raw["pairing_pk"]), int(raw["staff_pk"]), int(raw["case_pk"])
    except (KeyError, TypeError, ValueError):
        return None


def open_paired(
    request: HttpRequest, *, pairing_pk: int, case_pk: int, staff_pk: int, lang: str
) -> Mode:
    """Bind this (accountless) session to the mode for one case, as a paired second screen.
    A new session key, so that nothing from before the pairing carries over."""
    request.session.flush()
    mode = Mode(case_pk=case_pk, staff_pk=staff_pk, lang=lang, pairing_pk=pairing_pk,
                seen_at=clock.now().timestamp())  # fmt: skip
    put(request, mode)
    return mode


def put(request: HttpRequest, mode: Mode) -> None:
    request.session[KEY] = asdict(mode)


def open_mode(request: HttpRequest, *, case_pk: int, staff_pk: int, lang: str) -> Mode:
    mode = Mode(case_pk=case_pk, staff_pk=staff_pk, lang=lang, seen_at=clock.now().timestamp())
    put(request, mode)
    return mode


def close(request: HttpRequest) -> None:
    request.session.pop(KEY, None)


def touch(request: HttpRequest, mode: Mode) -> Mode:
    """Lock the mode when it has been idle longer than ``VERN_TOGETHER_IDLE_SECONDS`` (the
    server's clock decides; the page's script only shows the lock sooner), else note now."""
    now = clock.now().timestamp()
    if not mode.locked and now - mode.seen_at > idle_seconds():
        mode.locked = True
    mode.seen_at = now
    put(request, mode)
    return mode
