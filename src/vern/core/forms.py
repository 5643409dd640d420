"""Form fields shared by every app: dates and times a person types into a case record.

A typo in a year (``0026`` for ``2026``, ``9999``) must give an error on the field, never a
server error when the value reaches the database, and never count as a precondition (a public-
prosecution notice dated in the year 26 would satisfy G5 for any later consent). The fields
accept only the plausible range: from the day the guidance Vern encodes was last updated
(2018-03-08, the rulebook's ``applies_from``: no case before it can be assessed) to ten years
ahead (the far end of a consent's duration). Whether a moment may lie in the future at all is
the services' rule, with their own messages.

Free text has a maximum length (``LimitedTextField`` in forms, ``too_long`` in services for
API clients), with one message that names the limit and the length.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from vern.core import clock
from vern.core.identifiers import contains_national_id, looks_like_full_name

EARLIEST_DAY: Final = dt.date(2018, 3, 8)
YEARS_AHEAD: Final = 10
DATETIME_FORMAT: Final = "%Y-%m-%dT%H:%M"
DATETIME_INPUT_FORMATS: Final = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
DATE_FORMAT: Final = "%Y-%m-%d"


TOO_LONG: Final = _(
    "Teksten er for lang: den kan ha høyst %(limit_value)d tegn, og har nå %(show_value)d. "
    "Kort den ned."
)


def too_long(text: str, limit: int) -> str | None:
    """The error for free text over ``limit`` characters, else None (services, API)."""
    if len(text) <= limit:
        return None
    return str(TOO_LONG) % {"limit_value": limit, "show_value": len(text)}


class LimitedTextField(forms.CharField):
    """Free text with a maximum length and a clear error naming the limit and the count.

    No ``maxlength`` attribute on the widget: a browser would cut a pasted text silently; the
    server says how much too long it is and keeps everything that was typed."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"max_length": TOO_LONG})
        super().__init__(max_length=max_length, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def latest_day() -> dt.date:
    today = clock.today()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def check_day(day: dt.date) -> None:
    """Raise a ValidationError naming the allowed range when ``day`` is outside it."""
    latest = latest_day()
    if day < EARLIEST_DAY:
        raise ValidationError(
            _("Datoen kan ikke være før %(earliest)s. Sjekk årstallet."),
            code="too_early",
            params={"earliest": formats.date_format(EARLIEST_DAY, "SHORT_DATE_FORMAT")},
        )
    if day > latest:
        raise ValidationError(
            _("Datoen kan ikke være etter %(latest)s. Sjekk årstallet."),
            code="too_late",
            params={"latest": formats.date_format(latest, "SHORT_DATE_FORMAT")},
        )


class MomentField(forms.DateTimeField):
    """A date and time (``<input type="datetime-local">``) within the plausible range."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATETIME_INPUT_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        )
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            check_day(local.date())


class DayField(forms.DateField):
    """A date (``<input type="date">``) within the plausible range."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT))
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, dt.date):
            check_day(value)


# --- Fields required only with some answers (issue 14 point 13) ---

FieldT = TypeVar("FieldT", bound=forms.Field)


def required_when(field: FieldT, when: Any) -> FieldT:
    """Mark an optional field as required with some answers: ``core/field.html`` then shows
    "(påkrevd …)" with ``when`` instead of "(valgfritt)". The rule itself stays where it is
    (the service or the form's ``clean``); tests/core/test_optional_and_required_labels_agree.py
    checks that labels and validation agree."""
    field.required_when = when  # type: ignore[attr-defined]
    return field


# --- Identities where the help says not to put them (issue 14 point 10, core/identifiers.py) ---

NATIONAL_ID_REFUSED: Final = _(
    "«%(field)s» kan ikke inneholde et fødselsnummer eller D-nummer. Bruk et kallenavn eller "
    "en kode dere velger."
)
FULL_NAME_WARNING: Final = _(
    "«%(field)s» ser ut som et fullt navn. Det vises i lister, sidetitler og loggen. Bruk et "
    "kallenavn eller en kode, eller kryss av under hvis det ikke er et navn."
)


def national_id_error(field_label: object, text: str) -> str | None:
    """The refusal for a fødselsnummer or D-number in ``text``, naming the field; else None."""

    if contains_national_id(text):
        return str(NATIONAL_ID_REFUSED % {"field": field_label})
    return None


class IdentifierFieldsMixin(forms.Form):
    """Refuses a fødselsnummer or D-number in the ``identifier_fields`` and warns about what
    looks like a full name, with a checkbox to confirm past the warning. The checkbox is shown
    only once the warning has been given (or is ticked)."""

    identifier_fields: tuple[str, ...] = ()
    CONFIRM = "confirm_not_a_name"

    confirm_not_a_name = forms.BooleanField(
        label=_("Det er ikke et fullt navn"),
        required=False,
        help_text=_("Kryss av bare hvis teksten over ikke er navnet på en person."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name_warning = False

    def clean(self) -> dict[str, Any]:

        cleaned = super().clean() or {}
        for name in self.identifier_fields:
            value = str(cleaned.get(name) or "")
            label = self.fields[name].label
            if (error := national_id_error(label, value)) is not None:
                self.add_error(name, error)
            elif looks_like_full_name(value) and not cleaned.get(self.CONFIRM):
                self.name_warning = True
                self.add_error(name, FULL_NAME_WARNING % {"field": label})
        # Only the form's business: the services take the identifier fields, not this box.
        cleaned.pop(self.CONFIRM, None)
        return cleaned

    def __iter__(self) -> Any:
        show = self.name_warning or (self.is_bound and self.data.get(self.CONFIRM))
        for bound in super().__iter__():
            if bound.name != self.CONFIRM or show:
                yield bound
