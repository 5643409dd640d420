"""``{% fixed_url 'name' %}``: ``{% url 'name' %}`` for a URL without arguments, reversed once
per process (per script prefix and URL configuration) instead of on every render.

The header of every page names some eighteen such URLs; reversing them was about a fifth of
rendering ``base.html`` (issue 19). The value is what ``reverse`` returns for the same prefix
and URL configuration, so it cannot go stale while the process runs."""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_REVERSED: dict[tuple[str, object, str], str] = {}


@register.simple_tag
def fixed_url(name: str) -> str:
    key = (get_script_prefix(), get_urlconf(), name)
    url = _REVERSED.get(key)
    if url is None:
        url = _REVERSED[key] = reverse(name)
    return url
