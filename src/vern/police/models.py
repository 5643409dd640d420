"""Police contacts with their legal ground, reprisal-risk check (G9) and deviations (avvik)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.centres.models import PoliceDistrict
from vern.centres.tenancy import TenantModel
from vern.consent.models import Consent


class ContactStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    DONE = "done", _("Gjennomført")


class Channel(models.TextChoices):
    PHONE = "phone", _("Telefon")
    MEETING = "meeting", _("Møte")
    DIGITAL = "digital", _("Sikker digital kanal")
    OTHER = "other", _("Annet")


class ContactRole(models.TextChoices):
    FAMILY_VIOLENCE_COORDINATOR = "family_violence_coordinator", _("Familievoldskoordinator")
    OPERATIONS_CENTRE = "operations_centre", _("Operasjonssentralen")
    INVESTIGATOR = "investigator", _("Etterforsker")
    PATROL = "patrol", _("Patrulje")
    OTHER = "other", _("Annen rolle")


class LegalGround(models.TextChoices):
    CONSENT = "consent", _("Samtykke (krisesenterlova § 5)")
    DUTY_TO_AVERT = "duty_to_avert", _("Avvergeplikt (straffeloven § 196)")
    ANONYMOUS = "anonymous", _("Anonym drøfting (ingen identifiserende opplysninger)")
    NONE = "none", _("Uten gyldig grunnlag")


class PoliceContact(TenantModel):
    """One contact with the police, planned or done. Never refused: a contact without a valid
    ground is saved and opens a deviation for the leader."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="police_contacts")
    status = models.CharField(_("status"), max_length=10, choices=ContactStatus.choices)
    contact_at = models.DateTimeField(_("tidspunkt"))
    police_district = models.CharField(
        _("politidistrikt"), max_length=32, choices=PoliceDistrict.choices
    )
    police_unit = models.CharField(_("enhet"), max_length=200, blank=True)
    contact_role = models.CharField(
        _("kontaktpersonens rolle"), max_length=40, choices=ContactRole.choices
    )
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    shared_categories = models.JSONField(_("hva som ble delt"), default=list, blank=True)
    legal_ground = models.CharField(
        _("rettslig grunnlag"), max_length=20, choices=LegalGround.choices
    )
    # The ground as validated by the service when it was recorded (may differ from the
    # claimed one: a claimed consent that was not valid is recorded here as "none").
    ground_valid = models.BooleanField(default=False)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="police_contacts"
    )
    duty_to_avert_offences = models.JSONField(default=list, blank=True)
    duty_to_avert_why = models.TextField(
        _("hvorfor det er sikkert eller mest sannsynlig"), blank=True
    )
    duty_to_avert_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    measures_decided = models.JSONField(_("tiltak politiet besluttet"), default=list, blank=True)
    follow_up_on = models.DateField(_("oppfølging"), null=True, blank=True)
    outcome_note = models.TextField(_("utfall"), blank=True)
    # G9: how the perpetrator might learn of the contact, and what protects the user then.
    reprisal_check = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_at", "-id"]


class DeviationKind(models.TextChoices):
    CONTACT_WITHOUT_GROUND = "contact_without_ground", _("Politikontakt uten gyldig grunnlag")
    SHARED_OUTSIDE_CONSENT = "shared_outside_consent", _("Delt utover samtykkets omfang")
    INFORMATION_NOT_GIVEN = "information_not_given", _("Ikke informert om offentlig påtale først")
    RELOCATION_WITHOUT_POLICE = "relocation_without_police", _("Flytting uten politiet involvert")
    OTHER = "other", _("Annet")


class Deviation(TenantModel):
    """An avvik: something done outside the rules, kept and reviewed by the centre's leader."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deviations")
    kind = models.CharField(_("type"), max_length=40, choices=DeviationKind.choices)
    police_contact = models.ForeignKey(
        PoliceContact, on_delete=models.PROTECT, null=True, blank=True, related_name="deviations"
    )
    reasons = models.JSONField(default=list, blank=True)
    # What happened, in the staff member's words (manual deviations); never in the audit log.
    description = models.TextField(_("hva skjedde"), blank=True)
    opened_at = models.DateTimeField(_("åpnet"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leader_comment = models.TextField(_("lederens kommentar"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


# --------------------------------------------------------------------------- G9 reprisal check
# Stored in PoliceContact.reprisal_check as {"routes": [...], "routes_other": "", "risk": "",
# "protections": [...], "protections_other": "", "note": ""} (no migration: JSON).


class ReprisalRoute(models.TextChoices):
    """How the perpetrator might learn that the police are involved (G9)."""

    POLICE_CONTACTS_HIM = "police_contacts_him", _("Ved at politiet kontakter ham")
    SUMMONS = "summons", _("Gjennom innkalling eller rettsdokumenter")
    ACQUAINTANCES = "acquaintances", _("Gjennom felles bekjente eller familie")
    PHONE = "phone", _("Gjennom brukerens telefon eller sosiale medier")
    OTHER = "other", _("Annet")


class ReprisalRisk(models.TextChoices):
    HIGH = "high", _("Høy")
    MEDIUM = "medium", _("Middels")
    LOW = "low", _("Lav")
    UNKNOWN = "unknown", _("Vet ikke")


class ReprisalProtection(models.TextChoices):
    """What protects the user if the perpetrator learns of the contact (G9)."""

    SHELTER = "stays_at_shelter", _("Brukeren bor på krisesenteret")
    ALARM = "alarm", _("Alarm eller voldsalarm")
    POLICE_INFORMED = "police_informed", _("Politiet er informert om risikoen")
    SAFETY_PLAN = "safety_plan", _("Sikkerhetsplanen er gjennomgått")
    OTHER = "other", _("Annet")


class ManualDeviationReason(models.TextChoices):
    """Reason codes for a deviation a staff member opens by hand (kind ``other``)."""

    SHARED_OUTSIDE_SYSTEM = (
        "shared_outside_system",
        _("Opplysninger ble delt uten at det ble registrert her"),
    )
    INFORMATION_DUTY_MISSED = (
        "information_duty_missed",
        _("Brukeren ble ikke informert slik retningslinjen krever"),
    )
    SAFETY_ROUTINE_NOT_FOLLOWED = (
        "safety_routine_not_followed",
        _("En sikkerhetsrutine ble ikke fulgt"),
    )
    DOCUMENTATION_LATE = "documentation_late", _("Dokumentasjonen mangler eller kom for sent")
    OTHER = "other", _("Annet")
