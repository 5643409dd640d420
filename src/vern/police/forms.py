"""Forms for police contacts, the G9 reprisal check and deviations.

Forms only collect input; every rule (the legal ground, G9, leader-only closing) is enforced in
``vern.police.services``. A contact whose ground is not valid is never refused by a form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from vern.accounts.models import User
from vern.cases.models import Case
from vern.centres.models import PoliceDistrict
from vern.consent.models import Consent, InformationCategory
from vern.core import clock
from vern.core.forms import DayField, LimitedTextField, MomentField
from vern.police import selectors, services
from vern.police.ground import ContactInput
from vern.police.models import (
    AvertAction,
    Channel,
    ContactRole,
    ContactStatus,
    DangerConsent,
    DecidedAs,
    DeviationKind,
    Justification,
    LegalGround,
    ManualDeviationReason,
    PoliceContact,
    ReprisalProtection,
    ReprisalRisk,
    ReprisalRoute,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Sensible maxima for what staff type (finding: free text had none). The limits are the
# service's (``services.TEXT_LIMITS``, the same for the API); the form shows them first.
SHORT_TEXT = services.SHORT_TEXT
LONG_TEXT = services.LONG_TEXT


class BoundedTextField(LimitedTextField):
    """``LimitedTextField`` that is optional unless a form says otherwise (most police text
    fields are notes)."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)


def _long_text(label: StrOrPromise, rows: int = 3, **kwargs: Any) -> BoundedTextField:
    return BoundedTextField(
        label=label,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _consent_label(consent: Consent) -> str:
    given = formats.date_format(timezone.localtime(consent.given_at), "DATE_FORMAT")
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


# Fields required only with some answers: the label says when (not "(valgfritt)"). Rendered by
# police/_field.html; the rule itself is the service's.
WHEN_CONSENT = _("påkrevd ved samtykke")
WHEN_DUTY = _("påkrevd ved avvergeplikt")
WHEN_DANGER = _("påkrevd ved fare for liv eller helse")
WHEN_NO_CONSENT = _("påkrevd ved avvergeplikt og ved fare for liv eller helse")
WHEN_STAFF_DECIDED = _("påkrevd når en ansatt besluttet")
WHEN_OTHER = _("påkrevd når «Annet» er valgt")
WHEN_REPRISAL = _("påkrevd ved samtykke, avvergeplikt eller identifiserende opplysninger")
REQUIRED = _("påkrevd")


class ReprisalFieldsMixin(forms.Form):
    """G9: how the perpetrator might learn of the contact, and what protects the user then."""

    reprisal_routes = forms.MultipleChoiceField(
        label=_("Hvordan kan utøveren få vite om kontakten?"),
        required=False,
        choices=ReprisalRoute.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reprisal_routes_other = BoundedTextField(
        label=_("Annen måte utøveren kan få vite det på"), max_length=SHORT_TEXT
    )
    reprisal_risk = forms.ChoiceField(
        label=_("Risiko for represalier"),
        required=False,
        choices=ReprisalRisk.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Ved avvergeplikt er risikoen for brukeren også rettslig relevant: etter "
            "straffeloven § 196 tredje ledd bokstav b er det ikke straffbart å unnlate å "
            "avverge når det ville utsette en uskyldig, for eksempel brukeren, for fare for liv, "
            "helse eller velferd."
        ),
    )
    reprisal_protections = forms.MultipleChoiceField(
        label=_("Hva beskytter brukeren hvis utøveren får vite om kontakten?"),
        required=False,
        choices=ReprisalProtection.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    reprisal_protections_other = BoundedTextField(
        label=_("Annet som beskytter brukeren"), max_length=SHORT_TEXT
    )
    reprisal_note = _long_text(_("Merknad om represalier"))

    REPRISAL_FIELDS: tuple[str, ...] = (
        "reprisal_routes",
        "reprisal_routes_other",
        "reprisal_risk",
        "reprisal_protections",
        "reprisal_protections_other",
        "reprisal_note",
    )
    REQUIRED_WHEN: dict[str, StrOrPromise] = {
        "reprisal_routes": WHEN_REPRISAL,
        "reprisal_routes_other": WHEN_OTHER,
        "reprisal_risk": WHEN_REPRISAL,
        "reprisal_protections": WHEN_REPRISAL,
        "reprisal_protections_other": WHEN_OTHER,
    }

    def group(self, names: tuple[str, ...]) -> list[dict[str, Any]]:
        """Bound fields with, for a conditionally required one, when it is required."""
        return [
            {"field": self[name], "when": self.REQUIRED_WHEN.get(name, "")}
            for name in names
            if name in self.fields
        ]

    @property
    def reprisal_fields(self) -> list[dict[str, Any]]:
        return self.group(self.REPRISAL_FIELDS)

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


class PoliceContactForm(ConfirmDeviationMixin, ReprisalFieldsMixin):
    # The contact
    status = forms.ChoiceField(
        label=_("Er kontakten planlagt eller gjennomført?"),
        choices=ContactStatus.choices,
        widget=forms.RadioSelect,
    )
    contact_at = MomentField(
        label=_("Tidspunkt"), help_text=_("Når kontakten skjer eller skjedde.")
    )
    police_district = forms.ChoiceField(label=_("Politidistrikt"), choices=PoliceDistrict.choices)
    police_unit = BoundedTextField(
        label=_("Enhet"),
        max_length=services.UNIT_TEXT,
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
            "Alt unntatt hva som har skjedd kan avsløre hvem brukeren er: navn, oppholdssted, "
            "at brukeren bor på senteret, opplysninger om utøveren eller barna og "
            "kartleggingen. Uten samtykke deles bare det som trengs. En anonym drøfting kan "
            "bare inneholde hva som har skjedd, fortalt uten navn, steder eller datoer."
        ),
    )
    legal_ground = forms.ChoiceField(
        label=_("Rettslig grunnlag"),
        choices=LegalGround.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Anonym drøfting trenger ikke samtykke, fordi ingenting av det som deles "
            "identifiserer brukeren. Avvergeplikt og fare for liv eller helse gir rett eller "
            "plikt til å varsle uten samtykke; leder ser alle slike kontakter."
        ),
    )
    consent = forms.TypedChoiceField(
        label=_("Samtykket kontakten bygger på"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Bare samtykker til politiet i denne saken vises."),
    )
    duty_to_avert_offences = forms.MultipleChoiceField(
        label=_("Hvilken straffbar handling skal avverges?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Avvergeplikten gjelder bare handlingene på listen i straffeloven § 196, som står "
            "først. Er en valgt handling ikke på listen, er grunnlaget ikke gyldig, og et avvik "
            "åpnes."
        ),
    )
    duty_to_avert_why = _long_text(
        _("Hvorfor er det sikkert eller mest sannsynlig at handlingen er eller vil bli begått?"),
        rows=4,
        help_text=_("Uten dette er grunnlaget ikke gyldig."),
    )
    avert_action = forms.ChoiceField(
        label=_("Hva ble gjort for å avverge handlingen?"),
        required=False,
        choices=AvertAction.choices,
        widget=forms.RadioSelect,
        help_text=_("Straffeloven § 196: ved melding til politiet eller på annen måte."),
    )
    avert_action_note = _long_text(_("Beskriv hva som ble gjort"))
    danger_what = _long_text(
        _("Hva er faren for liv eller helse?"),
        help_text=_(
            "Retten gjelder når det er nødvendig for å avverge vesentlig fare for liv eller "
            "alvorlig skade for helse (krisesenterlova § 5 annet ledd). Det er en rett, ikke "
            "en plikt."
        ),
    )
    danger_consent = forms.ChoiceField(
        label=_("Samtykke"),
        required=False,
        choices=DangerConsent.choices,
        widget=forms.RadioSelect,
    )
    danger_consent_why = _long_text(
        _("Hvorfor kunne samtykke ikke innhentes, eller hva sa brukeren?")
    )
    decided_as = forms.ChoiceField(
        label=_("Hvem besluttet?"),
        required=False,
        choices=DecidedAs.choices,
        widget=forms.RadioSelect,
    )
    leader_told_at = MomentField(label=_("Når ble leder varslet?"), required=False)
    duty_to_avert_decided_by = forms.ModelChoiceField(
        label=_("Hvem besluttet å kontakte politiet uten samtykke?"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Ved avvergeplikt og ved fare for liv eller helse. Står tomt: deg selv. Har leder "
            "besluttet ved fare for liv eller helse, velg leder her."
        ),
    )
    necessity_why = _long_text(
        _("Hvorfor var det nødvendig å dele det som ble delt?"),
        help_text=_("Uten samtykke deles bare det som trengs for å avverge faren."),
    )
    user_told_at = MomentField(label=_("Når ble brukeren informert om kontakten?"), required=False)
    user_told_how = _long_text(_("Hvordan ble brukeren informert?"), rows=2)
    user_not_told_why = _long_text(
        _("Hvis brukeren ikke er informert ennå: hvorfor ikke?"),
        rows=2,
        help_text=_("Når brukeren er informert, kan det registreres på kontakten etterpå."),
    )
    # Outcome (done contacts)
    measures_decided = forms.MultipleChoiceField(
        label=_("Tiltak politiet besluttet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "De fleste tiltakene krever ikke at volden er anmeldt. Kontaktforbud "
            "(straffeloven § 57) ilegges av retten i en straffesak."
        ),
    )
    follow_up_on = DayField(label=_("Dato for oppfølging"), required=False)
    outcome_note = _long_text(_("Utfall"))

    CONTACT_FIELDS: tuple[str, ...] = (
        "status",
        "contact_at",
        "police_district",
        "police_unit",
        "contact_role",
        "channel",
    )
    GROUND_FIELDS = ("shared_categories", "legal_ground")
    CONSENT_FIELDS = ("consent",)
    DUTY_FIELDS = (
        "duty_to_avert_offences",
        "duty_to_avert_why",
        "avert_action",
        "avert_action_note",
    )
    DANGER_FIELDS = (
        "danger_what",
        "danger_consent",
        "danger_consent_why",
        "decided_as",
        "leader_told_at",
    )
    NO_CONSENT_FIELDS = (
        "duty_to_avert_decided_by",
        "necessity_why",
        "user_told_at",
        "user_told_how",
        "user_not_told_why",
    )
    OUTCOME_FIELDS: tuple[str, ...] = ("measures_decided", "follow_up_on", "outcome_note")
    REQUIRED_WHEN: dict[str, StrOrPromise] = {
        **ReprisalFieldsMixin.REQUIRED_WHEN,
        "consent": WHEN_CONSENT,
        "duty_to_avert_offences": WHEN_DUTY,
        "duty_to_avert_why": WHEN_DUTY,
        "avert_action": WHEN_DUTY,
        "avert_action_note": WHEN_DUTY,
        "danger_what": WHEN_DANGER,
        "danger_consent": WHEN_DANGER,
        "danger_consent_why": WHEN_DANGER,
        "decided_as": WHEN_DANGER,
        "leader_told_at": WHEN_STAFF_DECIDED,
        "necessity_why": WHEN_NO_CONSENT,
    }

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
        offences.choices = selectors.offence_avert_choices(on=today)
        if "measures_decided" in self.fields:
            measures = cast("forms.MultipleChoiceField", self.fields["measures_decided"])
            measures.choices = selectors.measure_choices(on=today)
        decided_by = cast("forms.ModelChoiceField[User]", self.fields["duty_to_avert_decided_by"])
        decided_by.queryset = selectors.centre_staff(user=user)
        if not self.is_bound:
            self.initial.setdefault("contact_at", clock.now().replace(second=0, microsecond=0))
            self.initial.setdefault("police_district", case.centre.police_district)
            self.initial.setdefault("duty_to_avert_decided_by", user.pk)

    @property
    def contact_fields(self) -> list[dict[str, Any]]:
        return self.group(self.CONTACT_FIELDS)

    @property
    def ground_fields(self) -> list[dict[str, Any]]:
        return self.group(self.GROUND_FIELDS)

    @property
    def consent_fields(self) -> list[dict[str, Any]]:
        return self.group(self.CONSENT_FIELDS)

    @property
    def duty_fields(self) -> list[dict[str, Any]]:
        return self.group(self.DUTY_FIELDS)

    @property
    def danger_fields(self) -> list[dict[str, Any]]:
        return self.group(self.DANGER_FIELDS)

    @property
    def no_consent_fields(self) -> list[dict[str, Any]]:
        return self.group(self.NO_CONSENT_FIELDS)

    @property
    def outcome_fields(self) -> list[dict[str, Any]]:
        return self.group(self.OUTCOME_FIELDS)

    def selected_consent(self) -> Consent | None:
        pk = self.cleaned_data.get("consent")
        return self.consents.get(pk) if pk is not None else None

    def contact_input(self) -> ContactInput:
        """The one input value the service takes (``services.police_contact_record``, or
        ``police_contact_update`` for a plan, which ignores the status and outcome)."""
        data = self.cleaned_data
        return ContactInput(
            status=data.get("status") or ContactStatus.PLANNED,
            contact_at=data["contact_at"],
            police_district=data["police_district"],
            police_unit=data.get("police_unit", ""),
            contact_role=data["contact_role"],
            channel=data["channel"],
            shared_categories=data.get("shared_categories") or [],
            legal_ground=data["legal_ground"],
            consent=self.selected_consent(),
            duty_to_avert_offences=data.get("duty_to_avert_offences") or [],
            duty_to_avert_why=data.get("duty_to_avert_why", ""),
            duty_to_avert_decided_by=data.get("duty_to_avert_decided_by"),
            avert_action=data.get("avert_action", ""),
            avert_action_note=data.get("avert_action_note", ""),
            necessity_why=data.get("necessity_why", ""),
            danger_what=data.get("danger_what", ""),
            danger_consent=data.get("danger_consent", ""),
            danger_consent_why=data.get("danger_consent_why", ""),
            decided_as=data.get("decided_as", ""),
            leader_told_at=data.get("leader_told_at"),
            user_told_at=data.get("user_told_at"),
            user_told_how=data.get("user_told_how", ""),
            user_not_told_why=data.get("user_not_told_why", ""),
            reprisal_check=self.reprisal_check(),
            measures_decided=data.get("measures_decided") or [],
            follow_up_on=data.get("follow_up_on"),
            outcome_note=data.get("outcome_note", ""),
        )


class ContactPlanForm(PoliceContactForm):
    """Correct a planned contact (finding 3): ground, consent, what is shared, district, G9.

    The same fields as recording it, without the status and the outcome."""

    CONTACT_FIELDS = ("contact_at", "police_district", "police_unit", "contact_role", "channel")
    OUTCOME_FIELDS = ()

    def __init__(self, *args: Any, contact: PoliceContact, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", plan_initial(contact))
        super().__init__(*args, case=contact.case, user=user, **kwargs)
        for name in ("status", "measures_decided", "follow_up_on", "outcome_note"):
            del self.fields[name]


def plan_initial(contact: PoliceContact) -> dict[str, Any]:
    check = contact.reprisal_check or {}
    return {
        "contact_at": contact.contact_at,
        "police_district": contact.police_district,
        "police_unit": contact.police_unit,
        "contact_role": contact.contact_role,
        "channel": contact.channel,
        "shared_categories": list(contact.shared_categories),
        "legal_ground": contact.legal_ground,
        "consent": contact.consent_id,
        "duty_to_avert_offences": list(contact.duty_to_avert_offences),
        "duty_to_avert_why": contact.duty_to_avert_why,
        "duty_to_avert_decided_by": contact.duty_to_avert_decided_by_id,
        "avert_action": contact.avert_action,
        "avert_action_note": contact.avert_action_note,
        "necessity_why": contact.necessity_why,
        "danger_what": contact.danger_what,
        "danger_consent": contact.danger_consent,
        "danger_consent_why": contact.danger_consent_why,
        "decided_as": contact.decided_as,
        "leader_told_at": contact.leader_told_at,
        "user_told_at": contact.user_told_at,
        "user_told_how": contact.user_told_how,
        "user_not_told_why": contact.user_not_told_why,
        "reprisal_routes": check.get("routes", []),
        "reprisal_routes_other": check.get("routes_other", ""),
        "reprisal_risk": check.get("risk", ""),
        "reprisal_protections": check.get("protections", []),
        "reprisal_protections_other": check.get("protections_other", ""),
        "reprisal_note": check.get("note", ""),
    }


class ContactCompleteForm(ConfirmDeviationMixin, ReprisalFieldsMixin):
    """Mark a plan done. The G9 fields are shown only when the plan has no check yet."""

    contact_at = MomentField(label=_("Tidspunkt"), help_text=_("Når kontakten faktisk skjedde."))
    measures_decided = forms.MultipleChoiceField(
        label=_("Tiltak politiet besluttet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "De fleste tiltakene krever ikke at volden er anmeldt. Kontaktforbud "
            "(straffeloven § 57) ilegges av retten i en straffesak."
        ),
    )
    follow_up_on = DayField(label=_("Dato for oppfølging"), required=False)
    outcome_note = _long_text(_("Utfall"))

    def __init__(self, *args: Any, ask_reprisal_check: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ask_reprisal_check = ask_reprisal_check
        if not ask_reprisal_check:
            for name in self.REPRISAL_FIELDS:
                del self.fields[name]
        measures = cast("forms.MultipleChoiceField", self.fields["measures_decided"])
        measures.choices = selectors.measure_choices(on=clock.today())

    def completion_reprisal_check(self) -> dict[str, Any] | None:
        """The G9 check typed on the page, or None when the plan already has one."""
        return self.reprisal_check() if self.ask_reprisal_check else None


class ReprisalCheckForm(ReprisalFieldsMixin):
    """G9: the reprisal-risk check recorded afterwards on a done contact that lacks it. Every
    part is required here (no urgency any more); the service says which part is missing."""

    REQUIRED_WHEN: dict[str, StrOrPromise] = {
        **ReprisalFieldsMixin.REQUIRED_WHEN,
        "reprisal_routes": REQUIRED,
        "reprisal_risk": REQUIRED,
        "reprisal_protections": REQUIRED,
    }


class DeviationOpenForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Hva gjelder avviket?"),
        choices=ManualDeviationReason.choices,
        widget=forms.RadioSelect,
    )
    description = _long_text(
        _("Hva skjedde?"),
        rows=4,
        help_text=_("Kort og saklig. Leder ser dette når avviket gjennomgås."),
    )


class DeviationCloseForm(forms.Form):
    comment = BoundedTextField(
        label=_("Lederens kommentar"),
        max_length=LONG_TEXT,
        required=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hva er gjort, og hva skal gjøres for at det ikke skjer igjen?"),
    )
    justification = forms.ChoiceField(
        label=_("Var kontakten likevel rettferdiggjort?"),
        required=False,
        choices=Justification.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Bare ved kontakt uten gyldig grunnlag. Nødrett (straffeloven § 17) er ikke et "
            "grunnlag å planlegge etter, men en unntaksvis rettferdiggjøring som vurderes i "
            "ettertid, sak for sak. Begrunn vurderingen i kommentaren."
        ),
    )

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != DeviationKind.CONTACT_WITHOUT_GROUND:
            del self.fields["justification"]


class UserToldForm(forms.Form):
    """L1, L2: when and how the user was told of a no-consent contact, recorded afterwards."""

    user_told_at = MomentField(label=_("Når ble brukeren informert om kontakten?"))
    user_told_how = BoundedTextField(
        label=_("Hvordan ble brukeren informert?"),
        max_length=LONG_TEXT,
        required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactReviewForm(forms.Form):
    """The leader marks a contact without consent as reviewed (issue 14), with a note."""

    note = BoundedTextField(
        label=_("Merknad"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel hva som er fulgt opp med den ansatte."),
    )
