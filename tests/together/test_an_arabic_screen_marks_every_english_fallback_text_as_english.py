"""Issue 17, the Arabic sample: a text Arabic lacks is shown in English, and every such text
carries its own ``lang="en" dir="ltr"`` on the Arabic (``dir="rtl" lang="ar"``) screen, so its
punctuation stays on its own side and a screen reader reads it with an English voice. Each
sentence is wholly in one language: the two-year line's "2 years" in an English sentence is
English, not "2 سنوات".

Every screen of the mode is walked with the test client in Arabic; every piece of text on it is
checked against the language of the element it sits in.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from tests.factories import login_verified
from vern.accounts.models import User
from vern.assessments.factors import TICKED
from vern.assessments.services import assessment_record, risk_mapping_record
from vern.cases import services as case_services
from vern.consent.models import Consent
from vern.documents.texts import language

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_WORD = re.compile(r"[A-Za-zÆØÅæøå]{2,}")
# Names that are the same in every language (the product, the browser feature).
NAMES = re.compile(r"\b(Vern|JavaScript)\b")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Texts(HTMLParser):
    """Every text node of the page's body with the ``lang`` and ``dir`` it is in."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, str | None]] = []
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        own = dict(attrs)
        lang, dir_ = self.stack[-1][1:] if self.stack else (None, None)
        self.stack.append((tag, own.get("lang", lang), own.get("dir", dir_)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if not text or not self.stack or self.stack[-1][0] in {"script", "style", "title"}:
            return
        if any(tag == "body" for tag, _, _ in self.stack):
            _, lang, dir_ = self.stack[-1]
            self.found.append((text, lang or "", dir_ or ""))


def _texts(html: str) -> list[tuple[str, str, str]]:
    parser = _Texts()
    parser.feed(html)
    return parser.found


def _wrong(html: str) -> list[str]:
    """The texts whose script is not the script of the element's language, or that mix both."""
    wrong = []
    for text, lang, dir_ in _texts(html):
        arabic = bool(ARABIC.search(text))
        latin = bool(LATIN_WORD.search(NAMES.sub("", text)))
        if arabic and latin:
            wrong.append(f"mixed scripts: {text!r} ({lang}, {dir_})")
        elif lang == "ar" and latin:
            wrong.append(f"Latin text in lang=ar: {text!r}")
        elif lang != "ar" and arabic and (lang, dir_) != ("ar", "rtl"):
            wrong.append(f"Arabic text in lang={lang}: {text!r}")
        elif lang == "en" and dir_ != "ltr":
            wrong.append(f"English text without dir=ltr: {text!r} ({dir_})")
    return wrong


def _case(ansatt: User) -> Any:
    case = case_services.case_create(acting_user=ansatt, reference="AR-1", language="ar")
    mapping = risk_mapping_record(
        acting_user=ansatt, case=case, method="guidance_questions", result="yes",
        reasoning="-", answers={},
    )  # fmt: skip
    assessment_record(
        acting_user=ansatt, case=case, risk_mapping=mapping,
        factors={name: name == "great_danger" for name in TICKED}, user_participated=True,
        user_view="-", staff_judgement="-",
        suspected_offences=["straffeloven-263", "straffeloven-282"],
    )  # fmt: skip
    return case


def test_every_english_fallback_text_on_an_arabic_screen_is_marked_english_and_ltr(
    client: Client, ansatt: User
) -> None:
    case = _case(ansatt)
    login_verified(client, ansatt)
    assert client.post(f"/saker/{case.pk}/vurder-sammen/", {"language": "ar"}).status_code == 302
    pages: dict[str, str] = {}
    for screen, data in (("start", {}), ("danger", {"choice": "yes", "words": "خائف"}),
                         ("wants", {}), ("report", {"choice": "unsure"}),
                         ("move", {"choice": "no"}), ("police", {}), ("prosecution", {}),
                         ("no", {}), ("consent", {"choice": "yes"})):  # fmt: skip
        pages[screen] = client.get(f"/sammen/{screen}/").content.decode()
        client.post(f"/sammen/{screen}/", data)
    pages["summary"] = client.get("/sammen/summary/").content.decode()
    assert client.post("/sammen/summary/")["Location"] == "/sammen/saved/"
    pages["saved"] = client.get("/sammen/saved/").content.decode()
    pages["scope"] = client.get("/sammen/scope/").content.decode()
    scope = client.post("/sammen/scope/", {"district": "oslo", "purpose": "حماية",
                                           "categories": ["identity", "violence"],
                                           "until": "2030-01-31"})  # fmt: skip
    assert scope["Location"] == "/sammen/sign/"
    pages["sign"] = client.get("/sammen/sign/").content.decode()
    signed = client.post("/sammen/sign/", {"name": "أ ب", "agree": "on"})
    assert signed.status_code == 302, re.findall(
        r"ds-validation-message[^>]*>(.*?)<|<li>(.*?)</li>", signed.content.decode(), re.S
    )
    assert signed["Location"] == "/sammen/signed/"
    pages["signed"] = client.get("/sammen/signed/").content.decode()
    pages["pause"] = client.get("/sammen/pause/").content.decode()

    for screen, html in pages.items():
        assert '<html lang="ar" dir="rtl"' in html, screen
        assert _wrong(html) == [], screen
    # The fallback texts are there, in English, each in its own English element.
    english = {text for html in pages.values() for text, lang, _ in _texts(html) if lang == "en"}
    en = language("en").texts
    assert " ".join(en["consent.voluntary"].split()) in english
    assert " ".join(en["two_year.participation"].split()) in english
    assert " ".join(en["category.identity"].split()) in english
    # The two-year line in the English sentence is "2 years", never the Arabic unit.
    prosecution = pages["prosecution"]
    statement = re.search(r'data-testid="two-year"([^>]*)>(.*?)</p>', prosecution, re.S)
    assert statement is not None
    assert statement.group(1) == ' lang="en" dir="ltr"'  # the block too: it starts on the left
    assert statement.group(2).startswith('<span lang="en" dir="ltr">')
    assert "2 years" in statement.group(2)
    assert "سنوات" not in statement.group(2)
    # Each offence line is English with its English title and years.
    offences = re.findall(
        r"<li lang=\"en\" dir=\"ltr\"><span lang=\"en\" dir=\"ltr\">(.*?)</span></li>", prosecution
    )
    assert len(offences) == 2, prosecution
    assert all(re.search(r"up to \d+ years?", line) for line in offences), offences
    # A paragraph or heading that is wholly an English fallback is itself English and
    # left-to-right (aligned to its own start, not to the Arabic screen's right), and one in
    # Arabic is not marked.
    blocks = re.findall(r'<(p|h2) class="ds-[a-z]+"([^>]*)>(.*?)</\1>', pages["sign"], re.S)
    assert blocks
    for _tag, attrs, inner in blocks:
        english = inner.startswith('<span lang="en" dir="ltr">') and inner.endswith("</span>")
        assert ('lang="en" dir="ltr"' in attrs) == english, (attrs, inner[:80])
    # The last day in the English sentence is an English date.
    assert "31 January 2030" in pages["sign"]
    # The consent as read is stored as plain text: no markup from the marking.
    read = Consent.objects.get(case=case).read_text
    assert " ".join(en["consent.voluntary"].split()) in " ".join(read.split())
    assert "<span" not in read
