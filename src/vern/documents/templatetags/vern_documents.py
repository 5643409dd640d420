"""Template tags of the documents app, for pages of other apps (the consent page's print)."""

from __future__ import annotations

from django import template

from vern.documents.views import print_languages

register = template.Library()


@register.simple_tag
def consent_print_languages() -> list[tuple[str, str]]:
    """(code, name) of every language the consent form can be printed in."""
    return print_languages()
