"""``block_lang``: the ``lang`` and ``dir`` of a block whose whole text is in another language.

A ``ForeignText`` (an English fallback on an Arabic screen) marks itself as an inline
``<span lang dir>``; that keeps its punctuation and its voice right, but the block around it
keeps the screen's direction, so a whole English paragraph on an Arabic screen was aligned to
the right. ``<p{{ text|block_lang }}>{{ text }}</p>`` gives the block itself the text's
language and direction (so it starts on the left); for a text in the screen's language it adds
nothing."""

from __future__ import annotations

from django import template

from vern.together.texts import ForeignText

register = template.Library()


@register.filter
def block_lang(text: object) -> str:
    return text.attrs() if isinstance(text, ForeignText) else ""
