"""Forms for police contacts, the G9 reprisal check and deviations.

Forms only collect input; every rule (the legal ground, G9, leader-only closing) is enforced in
``vern.police.services``. A contact whose ground is not valid is never refused by a form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from vern.accounts.models import User
from vern.cases.models import Case
from vern.centres.models import PoliceDistrict
from vern.consent.models import Consent, InformationCategory
from vern.core import clock
from vern.police import selectors
from vern.police.models import (
    Channel,
    ContactRole,
    ContactStatus,
    LegalGround,
    ManualDeviationReason,
    ReprisalProtection,
    ReprisalRisk,
    ReprisalRoute,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _date_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _consent_label(consent: Consent) -> str:
    given = formats.date_format(consent.given_at, "j. F Y")
    district = consent.get_police_district_display() if consent.police_district else ""
    parts = [str(_("Gitt %(date)s") % {"date": given})]
    if district:
        parts.append(district)
    if consent.withdrawn_at:
        parts.append(str(_("trukket tilbake")))
    parts.append(str(_("%(n)d typer opplysninger") % {"n": len(consent.categories or [])}))
    return " – ".join(parts)


class ConfirmDeviationMixin(forms.Form):
    confirm_deviation = forms.BooleanField(
        label=_("Kontakten skjedde slik. Registrer den, og åpne et avvik for leder."),
        required=False,
    )


class PoliceContactForm(ConfirmDeviationMixin):
    # The contact
    status = forms.ChoiceField(
        label=_("Er kontakten planlagt eller gjennomført?"),
        choices=ContactStatus.choices,
        widget=forms.RadioSelect,
    )
    contact_at = _datetime_field(_("Tidspunkt"), _("Når kontakten skjer eller skjedde."))
    police_district = forms.ChoiceField(label=_("Politidistrikt"), choices=PoliceDistrict.choices)
    police_unit = forms.CharField(
        label=_("Enhet"),
        max_length=200,
        required=False,
        help_text=_("For eksempel «Familievoldskoordinator, Manglerud»."),
    )
    contact_role = forms.ChoiceField(label=_("Kontaktpersonens rolle"), choices=ContactRole.choices)
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices, widget=forms.RadioSelect)
    # What is shared, and on which ground
    shared_categories = forms.MultipleChoiceField(
        label=_("Hva ble eller blir delt med politiet?"),
        required=False,
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Navn og kontaktopplysninger, oppholdssted og at brukeren bor på senteret "
            "identifiserer henne."
        ),
    )
    legal_ground = forms.ChoiceField(
        label=_("Rettslig grunnlag"),
        choices=LegalGround.choices,
        widget=forms.RadioSelect,
    )
    consent = forms.TypedChoiceField(
        label=_("Samtykket kontakten bygger på"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Bare ved grunnlag samtykke. Bare samtykker til politiet i denne saken vises."),
    )
    duty_to_avert_offences = forms.MultipleChoiceField(
        label=_("Hvilken straffbar handling skal avverges?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bare ved avvergeplikt. Listen viser handlingene i straffeloven § 196."),
    )
    duty_to_avert_why = forms.CharField(
        label=_(
            "Hvorfor er det sikkert eller mest sannsynlig at handlingen er eller vil bli begått?"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bare ved avvergeplikt. Påkrevd for at grunnlaget skal være gyldig."),
    )
    duty_to_avert_decided_by = forms.ModelChoiceField(
        label=_("Hvem besluttet å kontakte politiet etter avvergeplikten?"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Bare ved avvergeplikt. Står tomt: deg selv."),
    )
    # G9: reprisal risk
    reprisal_routes = forms.MultipleChoiceField(
        label=_("Hvordan kan utøveren få vite om kontakten?"),
        required=False,
        choices=ReprisalRoute.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reprisal_routes_other = forms.CharField(
        label=_("Annen måte utøveren kan få vite det på"),
        max_length=300,
        required=False,
    )
    reprisal_risk = forms.ChoiceField(
        label=_("Risiko for represalier"),
        required=False,
        choices=ReprisalRisk.choices,
        widget=forms.RadioSelect,
    )
    reprisal_protections = forms.MultipleChoiceField(
        label=_("Hva beskytter brukeren hvis utøveren får vite om kontakten?"),
        required=False,
        choices=ReprisalProtection.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reprisal_protections_other = forms.CharField(
        label=_("Annet som beskytter brukeren"),
        max_length=300,
        required=False,
    )
    reprisal_note = forms.CharField(
        label=_("Merknad om represalier"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Outcome (done contacts)
    measures_decided = forms.MultipleChoiceField(
        label=_("Tiltak politiet besluttet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen av tiltakene krever at volden er anmeldt."),
    )
    follow_up_on = _date_field(_("Dato for oppfølging"))
    outcome_note = forms.CharField(
        label=_("Utfall"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    CONTACT_FIELDS = (
        "status",
        "contact_at",
        "police_district",
        "police_unit",
        "contact_role",
        "channel",
    )
    GROUND_FIELDS = ("shared_categories", "legal_ground")
    CONSENT_FIELDS = ("consent",)
    DUTY_FIELDS = ("duty_to_avert_offences", "duty_to_avert_why", "duty_to_avert_decided_by")
    REPRISAL_FIELDS = (
        "reprisal_routes",
        "reprisal_routes_other",
        "reprisal_risk",
        "reprisal_protections",
        "reprisal_protections_other",
        "reprisal_note",
    )
    OUTCOME_FIELDS = ("measures_decided", "follow_up_on", "outcome_note")

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        today = clock.today()
        self.consents = {consent.pk: consent for consent in selectors.police_consents(case=case)}
        consent_field = cast("forms.TypedChoiceField", self.fields["consent"])
        consent_field.choices = [
            ("", _("Velg samtykke")),
            *((pk, _consent_label(consent)) for pk, consent in self.consents.items()),
        ]
        offences = cast("forms.MultipleChoiceField", self.fields["duty_to_avert_offences"])
        offences.choices = selectors.offence_196_choices(on=today)
        measures = cast("forms.MultipleChoiceField", self.fields["measures_decided"])
        measures.choices = selectors.measure_choices(on=today)
        decided_by = cast("forms.ModelChoiceField[User]", self.fields["duty_to_avert_decided_by"])
        decided_by.queryset = selectors.centre_staff(user=user)
        if not self.is_bound:
            self.initial.setdefault("contact_at", clock.now().replace(second=0, microsecond=0))
            self.initial.setdefault("police_district", case.centre.police_district)
            self.initial.setdefault("duty_to_avert_decided_by", user.pk)

    def group(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def contact_fields(self) -> list[forms.BoundField]:
        return self.group(self.CONTACT_FIELDS)

    @property
    def ground_fields(self) -> list[forms.BoundField]:
        return self.group(self.GROUND_FIELDS)

    @property
    def consent_fields(self) -> list[forms.BoundField]:
        return self.group(self.CONSENT_FIELDS)

    @property
    def duty_fields(self) -> list[forms.BoundField]:
        return self.group(self.DUTY_FIELDS)

    @property
    def reprisal_fields(self) -> list[forms.BoundField]:
        return self.group(self.REPRISAL_FIELDS)

    @property
    def outcome_fields(self) -> list[forms.BoundField]:
        return self.group(self.OUTCOME_FIELDS)

    def selected_consent(self) -> Consent | None:
        pk = self.cleaned_data.get("consent")
        return self.consents.get(pk) if pk is not None else None

    def reprisal_check(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "routes": data.get("reprisal_routes") or [],
            "routes_other": data.get("reprisal_routes_other", ""),
            "risk": data.get("reprisal_risk", ""),
            "protections": data.get("reprisal_protections") or [],
            "protections_other": data.get("reprisal_protections_other", ""),
            "note": data.get("reprisal_note", ""),
        }

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``services.police_contact_record``."""
        data = self.cleaned_data
        return {
            "status": data["status"],
            "contact_at": data["contact_at"],
            "police_district": data["police_district"],
            "police_unit": data.get("police_unit", ""),
            "contact_role": data["contact_role"],
            "channel": data["channel"],
            "shared_categories": data.get("shared_categories") or [],
            "legal_ground": data["legal_ground"],
            "consent": self.selected_consent(),
            "duty_to_avert_offences": data.get("duty_to_avert_offences") or [],
            "duty_to_avert_why": data.get("duty_to_avert_why", ""),
            "duty_to_avert_decided_by": data.get("duty_to_avert_decided_by"),
            "reprisal_check": self.reprisal_check(),
            "measures_decided": data.get("measures_decided") or [],
            "follow_up_on": data.get("follow_up_on"),
            "outcome_note": data.get("outcome_note", ""),
        }


class ContactCompleteForm(ConfirmDeviationMixin):
    contact_at = _datetime_field(_("Tidspunkt"), _("Når kontakten faktisk skjedde."))
    measures_decided = forms.MultipleChoiceField(
        label=_("Tiltak politiet besluttet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen av tiltakene krever at volden er anmeldt."),
    )
    follow_up_on = _date_field(_("Dato for oppfølging"))
    outcome_note = forms.CharField(
        label=_("Utfall"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measures = cast("forms.MultipleChoiceField", self.fields["measures_decided"])
        measures.choices = selectors.measure_choices(on=clock.today())


class DeviationOpenForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Hva gjelder avviket?"),
        choices=ManualDeviationReason.choices,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Hva skjedde?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kort og saklig. Leder ser dette når avviket gjennomgås."),
    )


class DeviationCloseForm(forms.Form):
    comment = forms.CharField(
        label=_("Lederens kommentar"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hva er gjort, og hva skal gjøres for at det ikke skjer igjen?"),
    )
