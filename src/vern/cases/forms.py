from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.cases.models import DOCUMENT_LANGUAGES, CaseStatus, CloseReason, TriggerKind


class CaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Referanse"),
        max_length=40,
        help_text=_(
            "Et kallenavn eller en kode dere velger, for eksempel «Rom 4 – mars». "
            "Ikke bruk fødselsnummer eller fullt navn."
        ),
    )
    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        required=False,
        help_text=_("Vises bare inne i saken, aldri i lister, sidetitler eller adresser."),
    )
    language = forms.ChoiceField(
        label=_("Brukerens språk for dokumenter"), choices=DOCUMENT_LANGUAGES, initial="nb"
    )


class CaseUpdateForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Brukerens språk for dokumenter"), choices=DOCUMENT_LANGUAGES
    )


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("Søk på referanse"), max_length=40, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle")), *CaseStatus.choices],
    )
    flag = forms.ChoiceField(
        label=_("Trenger oppfølging"),
        required=False,
        choices=[
            ("", _("Alle")),
            ("due", _("Revurdering forfalt")),
            ("pending_consent", _("Venter på informasjon eller samtykke")),
            ("open_deviation", _("Åpent avvik")),
            ("trigger", _("Ny hendelse krever revurdering")),
        ],
    )


class CloseCaseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Årsak"), choices=CloseReason.choices, widget=forms.RadioSelect
    )


class ChildForm(forms.Form):
    label = forms.CharField(
        label=_("Betegnelse"), max_length=40, help_text=_("For eksempel «Barn 1». Ikke fullt navn.")
    )
    birth_year = forms.IntegerField(
        label=_("Fødselsår"), required=False, min_value=1990, max_value=2100
    )


class TriggerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva har skjedd?"), choices=TriggerKind.choices, widget=forms.RadioSelect
    )
    occurs_on = forms.DateField(
        label=_("Dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For eksempel datoen for rettsmøtet eller flyttingen."),
    )
