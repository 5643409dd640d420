"""``core/field.html`` is rendered by one tag, ``{% ds_field %}`` (issue 19: the template's
nodes were most of a form page's time). The markup must be the template's, byte for byte:
this renders every field of real and synthetic forms (each widget kind, help text, errors,
required, optional, required-with-some-answers, text that needs escaping, nb/nn/en) through
the template as it was (tests/core/field_template_reference.html) and through the tag."""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.template import engines
from django.utils import translation

from vern.consent.forms import ConsentCreateForm
from vern.core.forms import required_when

REFERENCE = (Path(__file__).parent / "field_template_reference.html").read_text(encoding="utf-8")


class _EveryKind(forms.Form):
    text = forms.CharField(label="Navn <b>", help_text="Hjelp & tekst")
    optional = forms.CharField(label="Valgfri", required=False)
    when = required_when(forms.CharField(label="Når", required=False), "når «ja» er valgt")
    number = forms.IntegerField(label="Tall", required=False, help_text="1 000 eller mer")
    choice = forms.ChoiceField(label="Valg", choices=[("a", "A <i>"), ("b", "B")])
    radio = forms.ChoiceField(
        label="Radio", choices=[(1, "Én"), (2, "To & tre")], widget=forms.RadioSelect
    )
    radio_optional = required_when(
        forms.ChoiceField(
            label="Radio valgfri",
            choices=[("x", "X")],
            widget=forms.RadioSelect,
            required=False,
            help_text="Velg <en>",
        ),
        "ved muntlig samtykke",
    )
    many = forms.MultipleChoiceField(
        label="Flere", choices=[("p", "P"), ("q", "Q")], widget=forms.CheckboxSelectMultiple
    )
    many_plain = forms.MultipleChoiceField(
        label="Flere uten",
        choices=[("r", "R")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    tick = forms.BooleanField(label="Kryss <av>", help_text="Må krysses av")
    tick_optional = forms.BooleanField(label="Kanskje", required=False)
    day = forms.DateField(label="Dag", required=False)


def _forms() -> list[forms.Form]:
    bad = {
        "text": "<script>x</script>",
        "number": "mange",
        "choice": "z",
        "radio": "9",
        "many": ["p", "nope"],
        "day": "31.02.2026",
        "when": "ja",
    }
    return [
        _EveryKind(),
        _EveryKind(bad),
        _EveryKind(bad, auto_id=False),
        _EveryKind({"text": "x", "choice": "a", "radio": "2", "many": ["p", "q"], "tick": "on"}),
        ConsentCreateForm(),
        ConsentCreateForm({"recipient_kind": "police", "purpose": "<b>x</b>", "form": "verbal"}),
    ]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_field_renders_as_the_template_did(language: str) -> None:
    engine = engines["django"]
    reference = engine.from_string(REFERENCE)
    tag = engine.get_template("core/field.html")
    rendered = 0
    with translation.override(language):
        for form in _forms():
            for field in form:
                expected = reference.render({"field": field})
                assert tag.render({"field": field}) == expected, field.name
                rendered += 1
    assert rendered > 30
