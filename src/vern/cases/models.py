"""Cases: one per user of the centre, with accompanying children, a timeline and reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.centres.tenancy import TenantModel

# Languages a document for the user can be written in (issue 7 adds more without code).
DOCUMENT_LANGUAGES = [
    ("nb", _("Norsk bokmål")),
    ("nn", _("Norsk nynorsk")),
    ("en", _("Engelsk")),
]


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    CLOSED = "closed", _("Avsluttet")


class CloseReason(models.TextChoices):
    MOVED_OUT_SAFE = "moved_out_safe", _("Flyttet ut, trygg bosituasjon")
    RELOCATED = "relocated", _("Flyttet til et annet krisesenter")
    RETURNED = "returned", _("Flyttet tilbake til utøver")
    ENDED_CONTACT = "ended_contact", _("Brukeren avsluttet kontakten")
    OTHER = "other", _("Annet")


class Case(TenantModel):
    """A user of the centre, known by a pseudonymous reference the staff choose.

    The name is optional and never appears in lists, page titles or URLs."""

    reference = models.CharField(_("referanse"), max_length=40)
    name = models.CharField(_("navn (valgfritt)"), max_length=200, blank=True)
    language = models.CharField(
        _("brukerens språk for dokumenter"),
        max_length=8,
        default="nb",
        choices=DOCUMENT_LANGUAGES,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The staff member responsible for the case (ansvarlig): the creator unless chosen at
    # creation, reassigned by a leader or the responsible (services.case_responsible_set).
    # Empty only for cases older than the field whose creator could not be set.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.CharField(
        _("årsak til avslutning"), max_length=20, choices=CloseReason.choices, blank=True
    )
    # Denormalised from the newest assessment, for the dashboard and the list filters.
    next_reassessment_on = models.DateField(_("neste revurdering"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "reference"], name="case_reference_unique"),
        ]
        indexes = [
            models.Index(
                fields=["centre", "status", "next_reassessment_on"], name="case_centre_due_idx"
            ),
            # The statistics (issue 19): cases opened in a period, per centre and nationally,
            # and the open cases overdue nationally.
            models.Index(fields=["centre", "opened_at"], name="case_centre_opened_idx"),
            models.Index(fields=["opened_at"], name="case_opened_idx"),
            models.Index(fields=["status", "next_reassessment_on"], name="case_due_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class ChildRemovalReason(models.TextChoices):
    WRONG_CASE = "wrong_case", _("Registrert i feil sak")
    DUPLICATE = "duplicate", _("Registrert to ganger")
    NOT_ACCOMPANYING = "not_accompanying", _("Barnet bor ikke på senteret sammen med brukeren")
    OTHER = "other", _("Annen feilregistrering")


class CaseChild(TenantModel):
    """An accompanying child; each gets their own risk mapping (K1).

    A child registered in error is never deleted (its mappings and the timeline point at it):
    it is marked with ``removed_at`` and a reason, and left out of the stay (K1 gaps, lists):
    read the children in the stay with ``.filter(removed_at__isnull=True)``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    label = models.CharField(_("betegnelse"), max_length=40, help_text=_("For eksempel «Barn 1»."))
    birth_year = models.PositiveSmallIntegerField(_("fødselsår"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(_("markert som feilregistrert"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.CharField(
        _("årsak"), max_length=20, choices=ChildRemovalReason.choices, blank=True
    )
    removal_note = models.CharField(_("merknad"), max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class CaseEvent(TenantModel):
    """The case timeline: one row per thing that happened, written by the service that did it.

    ``kind`` is a code; ``summary`` a short, staff-facing line. The audit log is separate."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("tidspunkt"))
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="case_event_timeline_idx")]


class TriggerKind(models.TextChoices):
    NEW_THREAT = "new_threat", _("Ny trussel")
    PERPETRATOR_CONTACT = "perpetrator_contact", _("Kontakt fra utøver")
    COURT_DATE = "court_date", _("Rettsmøte")
    PLANNED_MOVE = "planned_move", _("Planlagt flytting")
    CONSENT_EXPIRY = "consent_expiry", _("Samtykke utløper")
    CASE_REOPENED = "case_reopened", _("Saken er gjenåpnet")
    # Added by the system when a new rulebook version gives the case's latest assessment another
    # outcome (issue 13 point 6; vern.assessments.upgrade). Never chosen by staff.
    RULES_CHANGED = "rules_changed", _("Reglene er endret")
    OTHER = "other", _("Annet")


# Trigger kinds only the system records (not offered in the staff's "what happened" form).
SYSTEM_TRIGGER_KINDS = (TriggerKind.CASE_REOPENED, TriggerKind.RULES_CHANGED)


class ReopenReason(models.TextChoices):
    """Why a closed case is opened again (G8: a new situation calls for a new assessment)."""

    USER_RETURNED = "user_returned", _("Brukeren har kommet tilbake til senteret")
    CLOSED_IN_ERROR = "closed_in_error", _("Saken ble avsluttet ved en feil")
    OTHER = "other", _("Annet")


class ReassessmentTrigger(TenantModel):
    """Something that calls for a new assessment now (G8).

    ``recorded_by`` is empty when the system recorded it (a rulebook upgrade). ``outcome_change``
    is empty except for ``rules_changed``: then ``{"rulebook_id", "from_version", "to_version",
    "assessment_id", "from": {...}, "to": {...}}`` where ``from``/``to`` each hold
    ``police_involvement``, ``consent_needed``, ``next_step`` and ``actions`` (sorted ids), or
    ``to`` is ``{"error": "..."}`` when the stored facts could not be evaluated under the new
    version (vern.assessments.upgrade.OutcomeSummary)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="triggers")
    kind = models.CharField(_("hva har skjedd"), max_length=30, choices=TriggerKind.choices)
    occurs_on = models.DateField(_("dato"), null=True, blank=True)
    # What happened, in a few words (optional; shown on the case's timeline).
    description = models.TextField(_("beskrivelse"), blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_change = models.JSONField(default=dict, blank=True)
    resolved_by = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolved_triggers",
    )

    class Meta:
        ordering = ["-recorded_at"]


class CentreSettings(TenantModel):
    """Per-centre defaults: days to the next reassessment by outcome (G8)."""

    reassess_days_required = models.PositiveSmallIntegerField(
        _("dager til revurdering når politikontakt er påkrevd"), default=7
    )
    reassess_days_recommended = models.PositiveSmallIntegerField(
        _("dager til revurdering når politikontakt er anbefalt"), default=14
    )
    reassess_days_not_indicated = models.PositiveSmallIntegerField(
        _("dager til revurdering når politikontakt ikke er aktuelt"), default=30
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre"], name="centre_settings_unique")]
