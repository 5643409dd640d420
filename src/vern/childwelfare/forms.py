"""Forms for the child welfare duty (B1). The rules live in vern.childwelfare.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.childwelfare.models import (
    Channel,
    ChildWelfareConcern,
    ConcernGround,
    ConcernResolution,
    SharedCategory,
    UserTold,
)
from vern.childwelfare.services import (
    MAX_HOW_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SERVICE_LENGTH,
    MAX_SUMMARY_LENGTH,
)
from vern.core.forms import DayField, LimitedTextField, required_when


class ConcernForm(forms.Form):
    grounds = forms.MultipleChoiceField(
        label=_("Hva er det grunn til å tro? (barnevernsloven § 13-2)"),
        choices=ConcernGround.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst ett grunnlag fra barnevernsloven § 13-2.")},
    )
    reason = LimitedTextField(
        label=_("Hvorfor er det grunn til å tro dette?"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Kort og konkret: hva dere har sett eller hørt. Sikker viten trengs ikke, men mer "
            "enn en vag mistanke."
        ),
    )


class ResolveForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Hvorfor avsluttes bekymringen uten melding?"),
        choices=ConcernResolution.choices,
        widget=forms.RadioSelect,
    )
    note = LimitedTextField(
        label=_("Forklaring"),
        max_length=MAX_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Påkrevd når du velger «Annen grunn»."),
    )
    required_when(note, _("påkrevd når «Annen grunn» er valgt"))


class NotificationForm(forms.Form):
    concerns = forms.MultipleChoiceField(
        label=_("Hvilke bekymringer gjelder meldingen?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg hvilke bekymringer meldingen gjelder.")},
    )
    sent_on = DayField(label=_("Dato meldingen ble sendt"))
    service = LimitedTextField(
        label=_("Barnevernstjeneste som fikk meldingen"),
        max_length=MAX_SERVICE_LENGTH,
        help_text=_("Kommune eller bydel, for eksempel «Barnevernstjenesten i Bergen»."),
    )
    channel = forms.ChoiceField(
        label=_("Hvordan ble meldingen gitt?"), choices=Channel.choices, widget=forms.RadioSelect
    )
    shared_categories = forms.MultipleChoiceField(
        label=_("Hva ble delt?"),
        choices=SharedCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Velg det som ble delt, eller skriv det kort i feltet under (eller begge)."),
    )
    shared_summary = LimitedTextField(
        label=_("Kort om hva som ble delt"),
        max_length=MAX_SUMMARY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sent_by = forms.TypedChoiceField(label=_("Hvem sendte meldingen?"), coerce=int)
    user_told = forms.ChoiceField(
        label=_("Er brukeren fortalt om meldingen?"),
        choices=UserTold.choices,
        widget=forms.RadioSelect,
    )
    user_told_on = DayField(label=_("Når ble brukeren fortalt?"), required=False)
    user_told_how = LimitedTextField(
        label=_("Hvordan ble brukeren fortalt?"),
        max_length=MAX_HOW_LENGTH,
        required=False,
        help_text=_("For eksempel «i en samtale med to ansatte»."),
    )
    user_not_told_reason = LimitedTextField(
        label=_("Hvorfor er brukeren ikke fortalt?"),
        max_length=MAX_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fyll ut bare når brukeren ikke er fortalt om meldingen."),
    )
    required_when(shared_categories, _("påkrevd hvis feltet under står tomt"))
    required_when(shared_summary, _("påkrevd hvis ingenting er valgt over"))
    required_when(user_told_on, _("påkrevd når brukeren er fortalt"))
    required_when(user_told_how, _("påkrevd når brukeren er fortalt"))
    required_when(user_not_told_reason, _("påkrevd når brukeren ikke er fortalt"))

    def __init__(
        self,
        *args: Any,
        concerns: list[ChildWelfareConcern],
        staff: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), f"{c.child.label}: {', '.join(c.ground_labels())}") for c in concerns
        ]
        self.fields["sent_by"].choices = [("", _("Velg ansatt")), *staff]  # type: ignore[attr-defined]
