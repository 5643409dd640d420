"""Forms for relocation (G14, R1-R3). State rules live in vern.relocation.services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.centres.models import PoliceDistrict
from vern.core.forms import TOO_LONG, DayField, MomentField
from vern.relocation.models import Handover
from vern.relocation.services import MAX_REASON_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _datetime_field(
    label: StrOrPromise, help_text: StrOrPromise = "", *, required: bool = False
) -> forms.DateTimeField:
    return MomentField(label=label, required=required, help_text=help_text)


class RelocationPlanForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor er ikke senteret trygt nok?"),
        max_length=MAX_REASON_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For eksempel at utøveren vet hvor senteret ligger."),
    )
    destination_name = forms.CharField(
        label=_("Nytt krisesenter"),
        max_length=200,
        help_text=_(
            "Vises bare etter ny bekreftelse med engangskode, og aldri i lister, "
            "tidslinjen, sidetitler eller adresser."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    destination_police_district = forms.ChoiceField(
        label=_("Politidistrikt på det nye stedet"),
        choices=[("", _("Velg politidistrikt")), *PoliceDistrict.choices],
    )
    chosen_with_user = forms.BooleanField(
        label=_("Det nye senteret er valgt sammen med brukeren (R1)"), required=False
    )
    chosen_with_police = forms.BooleanField(
        label=_("Det nye senteret er valgt sammen med politiet (R1)"), required=False
    )
    planned_on = DayField(label=_("Planlagt dato for flyttingen"))


class RelocationPoliceForm(forms.Form):
    current_involved_at = _datetime_field(
        _("Politiet der brukeren bor nå ble involvert"),
        _("Dato og klokkeslett. La feltet stå tomt for å beholde det som er lagret."),
    )
    destination_involved_at = _datetime_field(
        _("Politiet på det nye stedet ble involvert"),
        _("Må være før flyttingen (R2). La feltet stå tomt for å beholde det som er lagret."),
    )
    chosen_with_police = forms.BooleanField(
        label=_("Det nye senteret er valgt sammen med politiet (R1)"), required=False
    )


class RelocationUserChoiceForm(forms.Form):
    chosen_with_user = forms.BooleanField(
        label=_("Det nye senteret er valgt sammen med brukeren (R1)"),
        error_messages={
            "required": _(
                "Kryss av når brukeren har vært med på å velge det nye senteret. Er det ikke "
                "gjort ennå, snakk med brukeren før flyttingen."
            )
        },
    )


class RelocationCompleteForm(forms.Form):
    completed_at = _datetime_field(
        _("Tidspunkt for flyttingen"),
        _("Politiet på begge steder må være involvert før dette tidspunktet."),
        required=True,
    )
    handover = forms.ChoiceField(
        label=_("Kartleggingen og det nye krisesenteret (R3)"),
        choices=Handover.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Kartleggingen kan bare følge med når brukeren har gitt et gyldig samtykke som "
            "dekker det. Uten samtykke kan politiet her orientere politiet på det nye stedet."
        ),
    )


class RelocationCancelForm(forms.Form):
    """No fields: the confirmation page posts this empty form."""
