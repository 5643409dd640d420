"""Render Django form fields with Designsystemet markup and the right ARIA wiring."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()

CHOICE_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def ds_widget(field: BoundField) -> SafeString:
    """The field's widget with class ds-input and aria-describedby/aria-invalid set."""
    attrs: dict[str, str | bool] = {}
    widget = field.field.widget
    if not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        attrs["class"] = "ds-input"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return SafeString(field.as_widget(attrs=attrs))


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_group(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.simple_tag(takes_context=True)
def ds_field(context: Context, field: BoundField) -> SafeString:
    """One field with its label, help text, widget and errors (``core/field.html``).

    The markup the template of the same name rendered with ``{% if %}``/``{% for %}`` nodes
    (issue 19: a form of 15 fields was most of a form page's time), built here in one pass;
    every value is output as the template outputs a ``{{ variable }}`` (localised, escaped:
    ``render_value_in_context``). tests/core compares it with the template version."""

    def out(value: Any) -> str:
        return str(render_value_in_context(value, context))

    inner = field.field
    auto_id = out(field.auto_id)
    help_text = field.help_text
    errors = field.errors
    required_when = getattr(inner, "required_when", "")
    error_html = (
        f'<div class="ds-validation-message" data-field="validation" id="{auto_id}_error">'
        f"{conditional_escape(' ').join(conditional_escape(str(e)) for e in errors)}</div>"
        if errors
        else ""
    )
    if is_choice_group(field):
        described = ""
        if help_text or errors:
            described = (
                'aria-describedby="'
                + (f"{auto_id}_help" if help_text else "")
                + (f" {auto_id}_error" if errors else "")
                + '"'
            )
        if inner.required:
            mark = f' <span class="vern-required">({out(gettext("påkrevd"))})</span>'
        elif required_when:
            mark = f' <span class="vern-required">({out(required_when)})</span>'
        else:
            mark = ""
        help_html = (
            f'<p class="ds-paragraph" data-size="sm" id="{auto_id}_help">{out(help_text)}</p>'
            if help_text
            else ""
        )
        input_type = getattr(inner.widget, "input_type", "")
        kind = out(input_type) if input_type else "radio"
        invalid = ' aria-invalid="true"' if errors else ""
        choices = []
        for choice in field:
            data = choice.data
            label_for = out(choice.id_for_label)
            checked = " checked" if data.get("selected") else ""
            choices.append(
                '\n  <div class="ds-field">\n'
                f'    <input class="ds-input" type="{kind}" name="{out(data.get("name", ""))}"'
                f' value="{out(data.get("value", ""))}" id="{label_for}"{checked}{invalid}>\n'
                f'    <label class="ds-label" data-weight="regular" for="{label_for}">'
                f"{out(choice.choice_label)}</label>\n"
                "  </div>\n  "
            )
        html = (
            f'\n<fieldset class="ds-fieldset" {described}>\n'
            f'  <legend class="ds-label">{out(field.label)}{mark}</legend>\n'
            f"  {help_html}\n"
            f"  {''.join(choices)}\n"
            f"  {error_html}\n"
            "</fieldset>\n"
        )
    else:
        help_html = (
            f'<div data-field="description" id="{auto_id}_help">{out(help_text)}</div>'
            if help_text
            else ""
        )
        label_for = out(field.id_for_label)
        if is_checkbox(field):
            html = (
                '\n<div class="ds-field">\n'
                f"  {ds_widget(field)}\n"
                f'  <label class="ds-label" data-weight="regular" for="{label_for}">'
                f"{out(field.label)}</label>\n"
                f"  {help_html}\n"
                f"  {error_html}\n"
                "</div>\n"
            )
        else:
            if required_when:
                mark = f' <span class="vern-required">({out(required_when)})</span>'
            elif not inner.required:
                mark = f' <span class="vern-optional">({out(gettext("valgfritt"))})</span>'
            else:
                mark = ""
            html = (
                '\n<div class="ds-field">\n'
                f'  <label class="ds-label" for="{label_for}">{out(field.label)}{mark}</label>\n'
                f"  {help_html}\n"
                f"  {ds_widget(field)}\n"
                f"  {error_html}\n"
                "</div>\n"
            )
    return SafeString(html + "\n")
