"""Render Django form fields with Designsystemet markup and the right ARIA wiring."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

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
