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
    DANGER = (
        "danger_to_life_or_health",
        _("Fare for liv eller helse (krisesenterlova § 5 annet ledd)"),
    )
    ANONYMOUS = "anonymous", _("Anonym drøfting (ingen identifiserende opplysninger)")
    NONE = "none", _("Uten gyldig grunnlag")


class AvertAction(models.TextChoices):
    """L2: straffeloven § 196 asks staff to seek to avert "through a report or in another way"."""

    REPORT = "report", _("Melding eller anmeldelse til politiet")
    OTHER_WAY = "other_way", _("På annen måte")


class DangerConsent(models.TextChoices):
    """L1: why the danger ground was used instead of consent."""

    REFUSED = "refused", _("Brukeren nektet å samtykke")
    NOT_POSSIBLE = "not_possible", _("Samtykke kunne ikke innhentes")


class DecidedAs(models.TextChoices):
    """L1: who decided a contact on the danger ground."""

    LEADER = "leader", _("Leder besluttet")
    STAFF_LEADER_TOLD = "staff_leader_told", _("En ansatt besluttet, og leder ble varslet straks")


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
        _("rettslig grunnlag"), max_length=32, choices=LegalGround.choices
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
    # L2: what was done to avert it (a report or another way), with a description.
    avert_action = models.CharField(
        _("hva ble gjort for å avverge"), max_length=20, choices=AvertAction.choices, blank=True
    )
    avert_action_note = models.TextField(_("beskrivelse av hva som ble gjort"), blank=True)
    # L1, L2: why what was shared had to be shared (only what is needed).
    necessity_why = models.TextField(_("hvorfor det var nødvendig å dele"), blank=True)
    # L1: the danger ground (krisesenterlova § 5 second paragraph).
    danger_what = models.TextField(_("hva faren er"), blank=True)
    danger_consent = models.CharField(
        _("samtykke"), max_length=20, choices=DangerConsent.choices, blank=True
    )
    danger_consent_why = models.TextField(
        _("hvorfor samtykke ikke kunne innhentes eller ble nektet"), blank=True
    )
    decided_as = models.CharField(
        _("hvem besluttet"), max_length=20, choices=DecidedAs.choices, blank=True
    )
    leader_told_at = models.DateTimeField(_("leder varslet"), null=True, blank=True)
    # L1, L2: when and how the user was told of the contact, or why not yet. May be recorded
    # afterwards on a done contact (``user_told_added_at``).
    user_told_at = models.DateTimeField(_("brukeren informert"), null=True, blank=True)
    user_told_how = models.TextField(_("hvordan brukeren ble informert"), blank=True)
    user_not_told_why = models.TextField(_("hvorfor brukeren ikke er informert ennå"), blank=True)
    user_told_added_at = models.DateTimeField(null=True, blank=True)
    measures_decided = models.JSONField(_("tiltak politiet besluttet"), default=list, blank=True)
    follow_up_on = models.DateField(_("oppfølging"), null=True, blank=True)
    outcome_note = models.TextField(_("utfall"), blank=True)
    # G9: how the perpetrator might learn of the contact, and what protects the user then.
    reprisal_check = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The leader's acknowledgement of a contact without consent (duty to avert, danger ground;
    # issue 14): who, when and an optional note (services.police_contact_review).
    leader_reviewed_at = models.DateTimeField(_("gjennomgått av leder"), null=True, blank=True)
    leader_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leader_review_note = models.TextField(_("lederens merknad"), blank=True)

    class Meta:
        ordering = ["-contact_at", "-id"]
        indexes = [
            # The statistics (issue 19): counts by legal ground from the index alone, and the
            # first done contact of each case (the centre for row-level security).
            models.Index(
                fields=["centre", "status", "contact_at", "legal_ground", "case"],
                name="contact_stats_centre_idx",
            ),
            models.Index(
                fields=["status", "contact_at", "legal_ground", "case", "centre"],
                name="contact_stats_all_idx",
            ),
            models.Index(
                fields=["case", "status", "contact_at", "centre"], name="contact_case_first_idx"
            ),
        ]

    @property
    def is_leader_reviewed(self) -> bool:
        return self.leader_reviewed_at is not None


class DeviationKind(models.TextChoices):
    CONTACT_WITHOUT_GROUND = "contact_without_ground", _("Politikontakt uten gyldig grunnlag")
    SHARED_OUTSIDE_CONSENT = "shared_outside_consent", _("Delt utover samtykkets omfang")
    INFORMATION_NOT_GIVEN = "information_not_given", _("Ikke informert om offentlig påtale først")
    RELOCATION_WITHOUT_POLICE = "relocation_without_police", _("Flytting uten politiet involvert")
    OTHER = "other", _("Annet")


class Justification(models.TextChoices):
    """What the leader found justified a contact without a ground, after the fact (not a
    ground staff plan on: straffeloven § 17 nødrett is weighed case by case)."""

    NONE = "", _("Ingen")
    NECESSITY = "necessity", _("Nødrett (straffeloven § 17)")
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
    justification = models.CharField(
        _("rettferdiggjøring"), max_length=20, choices=Justification.choices, blank=True
    )

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

    POLICE_CONTACTS_HIM = "police_contacts_him", _("Ved at politiet kontakter utøveren")
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
