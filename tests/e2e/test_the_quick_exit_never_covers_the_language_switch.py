"""The quick exit (fixed at the top right) never covers the language buttons or any other
control of the header, on the login page and on a page behind the login, at 320, 768, 1024 and
1280 px in bokmål, nynorsk and English (issue 14 point 7: it covered "English" at 768-1280)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.e2e.conftest import Walk, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 768, 1024, 1280)
LANGUAGES = ("nb", "nn", "en")
# Everything in the header a reader may need while the quick exit is on screen.
HEADER_CONTROLS = ".vern-header__inner a, .vern-header__inner button"


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _covered_controls(page: Any) -> list[str]:
    exit_box = page.locator("#quick-exit").bounding_box()
    assert exit_box is not None, "the quick exit is not shown"
    covered = []
    controls = page.locator(HEADER_CONTROLS)
    for i in range(controls.count()):
        control = controls.nth(i)
        box = control.bounding_box()
        if box is not None and box["width"] > 0 and _overlaps(exit_box, box):
            covered.append(control.inner_text().strip() or control.get_attribute("href") or "?")
    return covered


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_quick_exit_covers_no_header_control_on_the_login_page(
    page: Any, live_server: Any, lang: str
) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}]
    )
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/konto/logg-inn/")
        assert page.locator("html").get_attribute("lang") == lang
        covered = _covered_controls(page)
        if width in (320, 1024):
            screenshot(page, f"quick-exit-login-{lang}-{width}")
        assert covered == [], f"{lang} at {width} px: the quick exit covers {covered}"


def test_the_quick_exit_covers_no_menu_item_or_tool_behind_the_login(
    page: Any, live_server: Any, leder: Any
) -> None:
    """A leader's header is the fullest: the whole menu, the language switch and Log out."""
    log_in(Walk(page, "quick-exit-header"), leder)
    for lang in LANGUAGES:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}]
        )
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto("/saker/")
            assert page.locator("html").get_attribute("lang") == lang
            covered = _covered_controls(page)
            if width in (320, 1024):
                screenshot(page, f"quick-exit-cases-{lang}-{width}")
            assert covered == [], f"{lang} at {width} px: the quick exit covers {covered}"
