"""Every form's labels agree with its validation (issue 14 point 13): a field shown as
"(valgfritt)" is not required, not even with some answers; a required field, or one required
with some answers ("påkrevd når …", ``vern.core.forms.required_when``), never says it is optional.

Walks every form class of Vern. core/field.html shows "(valgfritt)" for a text field that is
neither required nor marked ``required_when`` (police forms: ``REQUIRED_WHEN``)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from django import forms

import vern

OPTIONAL_WORDS = ("valgfri",)
# Help texts that say a field is required in some cases: then the label must say so too.
CONDITIONAL_WORDS = ("påkrevd", "fyll ut bare", "(påkrevd)")


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(vern.__path__, "vern."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("vern.") and sub not in found:
                found.append(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORMS = _form_classes()


def _fields(form_class: type[forms.BaseForm]) -> Iterator[tuple[str, forms.Field]]:
    yield from form_class.base_fields.items()  # type: ignore[attr-defined]


def _shown_as(form_class: type[forms.BaseForm], name: str, field: forms.Field) -> str:
    if field.required:
        return "required"
    if getattr(field, "required_when", "") or name in getattr(form_class, "REQUIRED_WHEN", {}):
        return "conditional"
    return "optional"


def test_the_walk_finds_the_forms() -> None:
    names = {cls.__name__ for cls in FORMS}
    assert {"CaseForm", "ConsentCreateForm", "NotificationForm", "PoliceContactForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_no_field_is_labelled_optional_and_required_or_the_other_way(
    form_class: type[forms.BaseForm],
) -> None:
    wrong = []
    for name, field in _fields(form_class):
        label = str(field.label or "").lower()
        help_text = str(field.help_text or "").lower()
        shown = _shown_as(form_class, name, field)
        if shown != "optional" and any(w in label + " " + help_text for w in OPTIONAL_WORDS):
            wrong.append(f"{name}: {shown}, but its text says optional")
        if shown == "optional" and any(w in help_text for w in CONDITIONAL_WORDS):
            wrong.append(f"{name}: shown as (valgfritt), but its help says it is required")
    assert wrong == []


def _instances() -> Iterator[forms.BaseForm]:
    for form_class in FORMS:
        try:
            yield form_class()
        except TypeError:  # needs arguments (a case, a user): its base fields are walked above
            continue


def test_core_field_html_shows_valgfritt_exactly_for_the_optional_fields() -> None:
    from django.template.loader import render_to_string

    checked = 0
    for form in _instances():
        for bound in form:
            field = bound.field
            if isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect):
                continue  # a checkbox or choice group never says "(valgfritt)"
            when = getattr(form, "REQUIRED_WHEN", {}).get(bound.name)
            if when:  # the police forms' own include, which says when
                html = render_to_string("police/_field.html", {"field": bound, "when": when})
            else:
                html = render_to_string("core/field.html", {"field": bound})
            shown = _shown_as(type(form), bound.name, field)
            assert ("(valgfritt)" in html) == (shown == "optional"), (type(form), bound.name)
            if shown == "conditional":
                assert "(påkrevd" in html, (type(form), bound.name)
            checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_a_verbal_consent_without_a_witness_is_refused_and_the_label_said_so(
    ansatt_client: object, ansatt: object
) -> None:
    from django.test import Client

    from tests.consent.conftest import inform
    from vern.cases import services

    assert isinstance(ansatt_client, Client)
    case = services.case_create(acting_user=ansatt, reference="S-valg")  # type: ignore[arg-type]
    inform(ansatt, case)  # type: ignore[arg-type]
    page = ansatt_client.get(f"/saker/{case.pk}/samtykke/ny/").content.decode()
    assert 'Vitne til det muntlige samtykket <span class="vern-required">' in page
    assert "(påkrevd ved muntlig samtykke)" in page
