"""Forms for relocation (G14, R1-R3). State rules live in vern.relocation.services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from vern.centres.models import Centre, PoliceDistrict
from vern.core.forms import TOO_LONG, DayField, MomentField
from vern.police.models import PoliceContact
from vern.relocation.handover import REFERENCE_MAX
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
    destination_centre = forms.ModelChoiceField(
        label=_("Nytt krisesenter"),
        queryset=Centre.objects.none(),
        required=False,
        empty_label=_("Et senter utenfor Vern (skriv navnet under)"),
        help_text=_(
            "Sentrene som bruker Vern. Vises bare etter ny bekreftelse med engangskode, og "
            "aldri i lister, tidslinjen, sidetitler eller adresser."
        ),
    )
    destination_name = forms.CharField(
        label=_("Navn på senter utenfor Vern"),
        max_length=200,
        required=False,
        help_text=_("Bare når det nye senteret ikke bruker Vern."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    destination_police_district = forms.ChoiceField(
        label=_("Politidistrikt på det nye stedet"),
        required=False,
        choices=[("", _("Velg politidistrikt")), *PoliceDistrict.choices],
        help_text=_("For et senter i Vern: står feltet tomt, brukes senterets politidistrikt."),
    )
    chosen_with_user = forms.BooleanField(
        label=_("Det nye senteret er valgt sammen med brukeren (R1)"), required=False
    )
    chosen_with_police = forms.BooleanField(
        label=_("Det nye senteret er valgt sammen med politiet (R1)"), required=False
    )
    planned_on = DayField(label=_("Planlagt dato for flyttingen"))

    def __init__(self, *args: Any, centres: QuerySet[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Centre]", self.fields["destination_centre"])
        field.queryset = centres


class RelocationPoliceChoiceForm(forms.Form):
    chosen_with_police = forms.BooleanField(
        label=_("Det nye senteret er valgt sammen med politiet (R1)"), required=False
    )


def _contact_label(contact: PoliceContact) -> str:
    when = formats.date_format(contact.contact_at, "DATETIME_FORMAT")
    return f"{when} – {contact.get_police_district_display()} – {contact.get_status_display()}"


class RelocationPoliceLinkForm(forms.Form):
    contact = forms.TypedChoiceField(
        label=_("Politikontakt som allerede er registrert i saken"),
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, contacts: QuerySet[PoliceContact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contacts = {contact.pk: contact for contact in contacts}
        field = cast("forms.TypedChoiceField", self.fields["contact"])
        field.choices = [
            ("", _("Velg kontakt")),
            *((pk, _contact_label(contact)) for pk, contact in self.contacts.items()),
        ]

    def selected(self) -> PoliceContact | None:
        pk = self.cleaned_data.get("contact")
        return self.contacts.get(pk) if pk is not None else None


class RelocationNoPoliceForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor ble ikke politiet kontaktet?"),
        max_length=MAX_REASON_LENGTH,
        error_messages={
            "max_length": TOO_LONG,
            "required": _("Skriv hvorfor politiet ikke ble kontaktet."),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Politiet skal involveres på begge steder (G14, R2). Et avvik åpnes for leder med "
            "denne begrunnelsen."
        ),
    )


class RelocationHandoverForm(forms.Form):
    reference = forms.CharField(
        label=_("Referanse for saken ved det nye senteret"),
        max_length=REFERENCE_MAX,
        required=False,
        error_messages={"max_length": TOO_LONG},
        help_text=_("Avtal gjerne referansen med det nye senteret. Står feltet tomt, lages en."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confirm = forms.BooleanField(
        label=_("Overlever bare det samtykket omfatter"),
        error_messages={"required": _("Kryss av for å bekrefte overleveringen.")},
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
    reason = forms.CharField(
        label=_("Hvorfor avbrytes flyttingen?"),
        max_length=MAX_REASON_LENGTH,
        error_messages={
            "max_length": TOO_LONG,
            "required": _("Skriv hvorfor flyttingen avbrytes."),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vises på flyttingen. Skriv kort og saklig."),
    )
