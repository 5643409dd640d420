"""A screen title that falls back to another language is plain text: ``<title>`` cannot hold
markup, so the ``lang``/``dir`` marking of a fallback text (``ForeignText``, which wraps itself
in a ``<span>`` wherever it is rendered) must not appear in it."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from vern.documents.texts import language
from vern.together.texts import ForeignText


@pytest.mark.django_db
def test_an_english_fallback_title_on_an_arabic_screen_is_rendered_without_markup(
    rf: RequestFactory,
) -> None:
    request = rf.get("/sammen/danger/")
    request.csp_nonce = "n"  # type: ignore[attr-defined]
    title = ForeignText("Assess together", language("en"))
    assert 'lang="en"' in str(title.__html__())  # elsewhere the marking is wanted

    html = render_to_string(
        "together/base.html", {"t": {"together": {"title": title}}}, request=request
    )

    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found is not None
    assert found.group(1).strip() == "Assess together"
