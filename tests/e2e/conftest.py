"""Browser tests: Playwright drives Debian's /usr/bin/chromium against a live server.

No browser is ever downloaded. Without Chromium the tests are skipped with a clear reason,
except under CI=true, where a missing browser fails the run."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are safe
# because the live server runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("VERN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("VERN_ARTIFACTS", "artifacts")) / "screenshots"
AXE_PATH = "/static/vendor/axe-core/axe.min.js"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            # One worker runs all browser tests: a single Chromium, no port races.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (CI=true: browser tests must run)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any, settings: Any) -> Iterator[Any]:
    settings.VERN_QUICK_EXIT_URL = live_server.url + "/healthz"
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.vern_console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_axe_violations(page: Any) -> None:
    """Run axe-core (served from Vern's own static files, so the page's CSP allows it).

    After every running animation and transition has finished: a just-opened
    ``<details class="ds-details">`` grows its content's height over 0.4 s (Designsystemet), and
    axe measuring text still clipped at the bottom reported a colour-contrast violation when the
    machine was slow (twice on the loaded PostgreSQL half of .ci/run, never run alone), and once
    more when axe ran in the frame between the click and the start of the transition."""
    # Two animation frames first, so that a transition a click just started is running (and
    # listed by getAnimations) before we wait for it; then until none is left running.
    page.evaluate(
        """async () => {
            const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
            for (let round = 0; round < 10; round++) {
                await frame();
                await frame();
                const running = document.getAnimations().filter((a) => a.playState !== "finished");
                if (running.length === 0) { return; }
                await Promise.all(running.map((a) => a.finished.catch(() => null)));
            }
        }"""
    )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag',
                          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    assert result == [], f"axe violations on {page.url}: {result}"


# --- Helpers for the workflow tests (issue 5): a new staff member walking the main paths. ---


class Walk:
    """Numbered steps of one workflow: every page visited is checked with axe and kept as a
    screenshot ``<workflow>-<nn>-<step>.png`` (the CI artifacts)."""

    def __init__(self, page: Any, workflow: str) -> None:
        self.page = page
        self.workflow = workflow
        self.n = 0

    def check(self, step: str) -> None:
        self.page.wait_for_load_state()
        self.n += 1
        assert_no_axe_violations(self.page)
        screenshot(self.page, f"{self.workflow}-{self.n:02d}-{step}")


def log_in(walk: Walk, user: Any) -> None:
    """The login page with the password, then the MFA page with a fresh backup code."""
    from tests.factories import PASSWORD, backup_code

    page = walk.page
    page.goto("/konto/logg-inn/")
    walk.check("login")
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1, name="Skriv inn engangskode")).to_be_visible()
    walk.check("mfa")
    page.get_by_label("Engangskode").fill(backup_code(user))
    page.get_by_role("button", name="Bekreft").click()
    expect(page.get_by_role("heading", level=1, name="Oversikt")).to_be_visible()
    walk.check("home")


def pass_step_up(walk: Walk, user: Any) -> None:
    """The step-up page asks for a fresh code; a new backup code each time (single use, and
    no TOTP replay within its 30 s window)."""
    from tests.factories import backup_code

    page = walk.page
    expect(page.get_by_role("heading", level=1, name="Bekreft med engangskode")).to_be_visible()
    walk.check("step-up")
    page.get_by_label("Engangskode").fill(backup_code(user))
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_load_state()


def time_passes(monkeypatch: pytest.MonkeyPatch, minutes: int) -> None:
    """Move Vern's one clock forward, as when a conversation with the user takes a while.

    The login code also counts as a fresh code for step-up (VERN_STEP_UP_SECONDS); after this
    the next protected page asks for a new one, as it would in real use. Calls accumulate."""
    import datetime as dt

    from django.utils import timezone

    from vern.core import clock

    shift = getattr(clock.now, "vern_shift", dt.timedelta()) + dt.timedelta(minutes=minutes)

    def shifted_now() -> dt.datetime:
        return timezone.now() + shift

    shifted_now.vern_shift = shift  # type: ignore[attr-defined]
    monkeypatch.setattr(clock, "now", shifted_now)


# --- Workflow steps shared by the tests (each through the UI only). ---


def create_case(walk: Walk, reference: str) -> None:
    page = walk.page
    page.get_by_role("link", name="Ny sak").click()
    expect(page.get_by_role("heading", level=1, name="Ny sak")).to_be_visible()
    walk.check("new-case")
    page.get_by_label("Referanse").fill(reference)
    page.get_by_role("button", name="Opprett sak").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    walk.check("case")


def record_risk_mapping(walk: Walk) -> None:
    """K1: the guidance's own questions, result "yes"."""
    page = walk.page
    page.get_by_role("link", name="Registrer kartlegging").click()
    expect(page.get_by_role("heading", level=1, name="Ny risikokartlegging")).to_be_visible()
    walk.check("mapping-form")
    expect(page.get_by_role("radio", name="Brukeren selv")).to_be_checked()
    expect(
        page.get_by_role("radio", name="Veilederens spørsmål (Kartlegging av vold og trusler)")
    ).to_be_checked()
    page.get_by_label("Hvem er du redd for, og hvorfor?").fill("Tidligere samboer, truer på SMS.")
    page.get_by_role("radio", name="Ja, risiko for ny alvorlig vold").check()
    page.get_by_label("Din begrunnelse").fill("Trusler om drap siste uke, tilgang til våpen.")
    page.get_by_role("button", name="Lagre kartleggingen").click()
    expect(page.get_by_text("Ja, risiko for ny alvorlig vold").first).to_be_visible()
    walk.check("mapping-saved")


def back_to_case(walk: Walk, reference: str) -> None:
    page = walk.page
    page.get_by_role("link", name=f"Tilbake til saken {reference}").click()
    expect(page.get_by_role("heading", level=1, name=f"Sak {reference}")).to_be_visible()
    walk.check("case")


def assess(
    walk: Walk, *, factors: list[int], offences: tuple[str, ...] = (), view: str = ""
) -> None:
    """G6, G7: the nine factors with the user, her own view kept apart."""
    page = walk.page
    page.get_by_role("link", name=re.compile("^(Start vurderingen|Ny vurdering)$")).first.click()
    expect(
        page.get_by_role("heading", level=1, name="Ny vurdering: skal politiet involveres?")
    ).to_be_visible()
    walk.check("assessment-form")
    for number in factors:
        page.locator(".vern-factor").filter(
            has=page.get_by_role("heading", name=f"Faktor {number}", exact=True)
        ).get_by_role("checkbox").check()
    for offence in offences:
        page.get_by_role("checkbox", name=offence).check()
    page.get_by_role("group", name=re.compile("Deltok brukeren")).get_by_role(
        "radio", name="Ja"
    ).check()
    page.get_by_label("Brukerens syn og ønsker, med brukerens egne ord").fill(
        view or "Jeg vil at politiet skal vite om det, men jeg er redd."
    )
    page.get_by_role("button", name="Lagre og se anbefalingen").click()
    expect(page.get_by_role("heading", level=2, name="Anbefaling")).to_be_visible()
    walk.check("assessment-outcome")


def inform_about_public_prosecution(walk: Walk) -> None:
    """G5, G15: before she is asked for consent."""
    page = walk.page
    page.get_by_role("link", name="Informer om offentlig påtale").first.click()
    expect(
        page.get_by_role("heading", level=1, name="Informer om offentlig påtale")
    ).to_be_visible()
    walk.check("inform-prosecution")
    page.get_by_role(
        "checkbox", name="Jeg har gått gjennom informasjonen over med brukeren"
    ).check()
    page.get_by_role("button", name="Registrer at informasjonen er gitt").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Sak "))).to_be_visible()
    walk.check("informed")


def give_written_consent(walk: Walk) -> None:
    """G3, G4, C1: written, signed on screen, to the police in the centre's district."""
    page = walk.page
    page.get_by_role("link", name="Registrer samtykke").first.click()
    expect(page.get_by_role("heading", level=1, name="Registrer samtykke")).to_be_visible()
    walk.check("consent-form")
    expect(page.locator("#not-informed")).to_have_count(0)
    page.get_by_role("group", name=re.compile("Hvem får opplysningene")).get_by_role(
        "radio", name="Politiet"
    ).check()
    page.get_by_role("combobox", name="Politidistrikt").select_option(label="Oslo politidistrikt")
    page.get_by_label("Enhet eller mottaker").fill("Familievoldskoordinator")
    page.get_by_role("textbox", name="Formål").fill("Vurdere sikkerhetstiltak for brukeren.")
    for category in (
        "Navn, fødselsdato og kontaktopplysninger",
        "Hva som har skjedd (volden og truslene)",
        "Opplysninger om utøveren",
    ):
        page.get_by_role("checkbox", name=category).check()
    page.get_by_role("group", name=re.compile("^Form")).get_by_role(
        "radio", name="Skriftlig"
    ).check()
    page.get_by_role("radio", name="Signert på skjermen").check()
    page.get_by_label("Brukerens navn, skrevet av brukeren selv").fill("Kari Nordmann")
    page.get_by_role("checkbox", name="Jeg samtykker (krysses av av brukeren)").check()
    page.get_by_role("button", name="Registrer samtykket").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Sak "))).to_be_visible()
    walk.check("consent-given")


# --- With and without JavaScript: one workflow walked twice (every page works without it). ---


class NoScriptWalk(Walk):
    """JavaScript off: axe needs scripts, so each page is kept as a screenshot."""

    def check(self, step: str) -> None:
        self.page.wait_for_load_state()
        self.n += 1
        screenshot(self.page, f"{self.workflow}-{self.n:02d}-{step}")


@dataclass
class Visit:
    page: Any
    javascript: bool

    def walk(self, workflow: str) -> Walk:
        if self.javascript:
            return Walk(self.page, workflow)
        return NoScriptWalk(self.page, f"{workflow}-nojs")


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def visit(
    request: pytest.FixtureRequest, browser: Any, live_server: Any, settings: Any
) -> Iterator[Visit]:
    """The test's browser page with JavaScript (and axe), then a fresh one without it."""
    if request.param:
        yield Visit(request.getfixturevalue("page"), javascript=True)
        return
    settings.VERN_QUICK_EXIT_URL = live_server.url + "/healthz"
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False
    )
    page = context.new_page()
    page.vern_console_errors = []
    yield Visit(page, javascript=False)
    context.close()
