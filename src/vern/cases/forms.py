from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.accounts.models import User
from vern.cases.models import (
    DOCUMENT_LANGUAGES,
    SYSTEM_TRIGGER_KINDS,
    CaseChild,
    CaseStatus,
    ChildRemovalReason,
    CloseReason,
    ReopenReason,
    TriggerKind,
)
from vern.cases.services import MAX_NOTE_LENGTH, check_birth_year
from vern.core.forms import TOO_LONG, DayField, IdentifierFieldsMixin, national_id_error

# A clear message for a text that is too long; what was typed stays in the field.


def _staff_label(user: User) -> str:
    return user.full_name or user.username


class ResponsibleField(forms.ChoiceField):
    """A choice among the centre's active staff (ansatt, leder), by user id."""

    def set_staff(self, staff: Iterable[User]) -> dict[str, User]:
        by_key = {str(user.pk): user for user in staff}
        self.choices = [(key, _staff_label(user)) for key, user in by_key.items()]
        return by_key


class CaseForm(IdentifierFieldsMixin, forms.Form):
    identifier_fields = ("reference",)

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
    responsible = ResponsibleField(
        label=_("Ansvarlig"),
        required=False,
        help_text=_("Den ansatte som følger opp saken. Kan endres senere på saken."),
    )

    def __init__(
        self, *args: Any, staff: Iterable[User] = (), creator: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, ResponsibleField)  # noqa: S101
        self.staff = field.set_staff(staff)
        if creator is not None:
            self.initial.setdefault("responsible", str(creator.pk))

    def clean_responsible(self) -> User | None:
        """The chosen staff member; None (the creator, services.case_create) when empty."""
        return self.staff.get(self.cleaned_data.get("responsible") or "")

    field_order = ["reference", "confirm_not_a_name", "name", "language", "responsible"]


class ResponsibleForm(forms.Form):
    """Hand the case to another staff member of the centre (services.case_responsible_set)."""

    responsible = ResponsibleField(label=_("Ny ansvarlig"))

    def __init__(self, *args: Any, staff: Iterable[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, ResponsibleField)  # noqa: S101
        self.staff = field.set_staff(staff)

    def clean_responsible(self) -> User:
        return self.staff[self.cleaned_data["responsible"]]


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
    mine = forms.BooleanField(label=_("Bare saker jeg er ansvarlig for"), required=False)
    flag = forms.ChoiceField(
        label=_("Trenger oppfølging"),
        required=False,
        choices=[
            ("", _("Alle")),
            ("due", _("Revurdering forfalt")),
            ("pending_consent", _("Venter på informasjon eller samtykke")),
            ("open_deviation", _("Åpent avvik")),
            ("trigger", _("Ny hendelse krever revurdering")),
            ("contact_without_ground", _("Planlagt kontakt uten gyldig grunnlag")),
            ("refused", _("Brukeren har sagt nei")),
        ],
    )


class CloseCaseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Årsak"), choices=CloseReason.choices, widget=forms.RadioSelect
    )


class ChildForm(IdentifierFieldsMixin, forms.Form):
    identifier_fields = ("label",)

    label = forms.CharField(
        label=_("Betegnelse"), max_length=40, help_text=_("For eksempel «Barn 1». Ikke fullt navn.")
    )
    birth_year = forms.IntegerField(
        label=_("Fødselsår"),
        required=False,
        help_text=_("Valgfritt. Fire sifre, for eksempel 2019."),
    )
    field_order = ["label", "confirm_not_a_name", "birth_year"]

    def clean_birth_year(self) -> int | None:
        value: int | None = self.cleaned_data.get("birth_year")
        try:
            check_birth_year(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["birth_year"]) from None
        return value


class ChildRemoveForm(forms.Form):
    """Mark a wrongly registered child (kept, never deleted; see services.child_remove)."""

    child = forms.ChoiceField(label=_("Hvilket barn er feilregistrert?"), widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Hva var feil?"), choices=ChildRemovalReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Merknad"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Valgfritt. Ikke skriv barnets navn."),
    )
    confirm_mapped = forms.BooleanField(
        label=_(
            "Jeg vet at kartleggingen av barnet blir stående i saken, men at barnet ikke "
            "lenger regnes med"
        ),
        required=False,
        help_text=_("Gjelder bare et barn som er kartlagt."),
    )

    def __init__(self, *args: Any, children: Iterable[CaseChild] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.children = {str(child.pk): child for child in children}
        field = self.fields["child"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [(key, child.label) for key, child in self.children.items()]

    def clean_note(self) -> str:
        """The help says: no name of the child; a national identity number is refused too."""
        note: str = self.cleaned_data.get("note", "")
        if (refused := national_id_error(self.fields["note"].label, note)) is not None:
            raise forms.ValidationError(refused)
        return note

    @property
    def chosen_child(self) -> CaseChild | None:
        return self.children.get(self.cleaned_data.get("child", ""))


class ReopenCaseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Hvorfor åpnes saken igjen?"),
        choices=ReopenReason.choices,
        widget=forms.RadioSelect,
    )


class TriggerForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva har skjedd?"),
        # A reopening is recorded by the service that reopens the case, never by hand.
        choices=[c for c in TriggerKind.choices if c[0] not in SYSTEM_TRIGGER_KINDS],
        widget=forms.RadioSelect,
    )
    occurs_on = DayField(
        label=_("Dato"),
        required=False,
        help_text=_("For eksempel datoen for rettsmøtet eller flyttingen."),
    )
    description = forms.CharField(
        label=_("Hva skjedde?"),
        required=False,
        max_length=MAX_NOTE_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kort, med det som trengs for å vurdere saken på nytt. Vises på sakens tidslinje."
        ),
    )
