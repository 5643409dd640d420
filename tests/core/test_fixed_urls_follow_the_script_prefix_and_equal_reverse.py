"""``{% fixed_url %}`` (the header's URLs, reversed once per process: issue 19) gives what
``{% url %}`` gives, also under another script prefix (a deployment below a path)."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import engines
from django.urls import get_script_prefix, reverse, set_script_prefix

import vern

TEMPLATES = Path(vern.__file__).parent / "templates"
_NAME = re.compile(r"\{% fixed_url '([\w:]+)' %\}")


def _names() -> list[str]:
    names = {n for path in TEMPLATES.rglob("*.html") for n in _NAME.findall(path.read_text())}
    return sorted(names)


def test_every_fixed_url_renders_as_the_url_tag_under_two_prefixes() -> None:
    names = _names()
    assert len(names) > 10  # the header's links
    engine = engines["django"]
    before = get_script_prefix()
    try:
        for prefix in ("/", "/vern/", "/"):
            set_script_prefix(prefix)
            for name in names:
                fixed = engine.from_string(f"{{% load vern_urls %}}{{% fixed_url '{name}' %}}")
                plain = engine.from_string(f"{{% url '{name}' %}}")
                assert fixed.render({}) == plain.render({}) == reverse(name), (prefix, name)
                assert fixed.render({}).startswith(prefix)
    finally:
        set_script_prefix(before)
