"""Relocation to another crisis centre when this one is not safe enough (G14, R1-R3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.centres.models import PoliceDistrict
from vern.centres.tenancy import TenantModel
from vern.consent.models import Consent


class RelocationStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    COMPLETED = "completed", _("Gjennomført")
    CANCELLED = "cancelled", _("Avbrutt")


class Handover(models.TextChoices):
    CONSENT = "consent", _("Kartleggingen følger med, brukeren har samtykket")
    POLICE_BRIEF = "police_brief", _("Uten samtykke: politiet orienterer politiet på nytt sted")
    NONE = "none", _("Ingen overføring")


class Relocation(TenantModel):
    """The move, chosen with the user and the police; police at both ends before the move.

    The destination is sensitive: shown only after step-up authentication, and audited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relocations")
    reason = models.TextField(_("hvorfor senteret ikke er trygt nok"))
    destination_name = models.CharField(_("nytt krisesenter"), max_length=200)
    destination_police_district = models.CharField(
        _("politidistrikt på nytt sted"), max_length=32, choices=PoliceDistrict.choices
    )
    chosen_with_user = models.BooleanField(_("valgt sammen med brukeren"), default=False)
    chosen_with_police = models.BooleanField(_("valgt sammen med politiet"), default=False)
    police_current_involved_at = models.DateTimeField(
        _("politiet her involvert"), null=True, blank=True
    )
    police_destination_involved_at = models.DateTimeField(
        _("politiet på nytt sted involvert"), null=True, blank=True
    )
    handover = models.CharField(
        _("overføring av kartleggingen"),
        max_length=20,
        choices=Handover.choices,
        default=Handover.NONE,
    )
    handover_consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RelocationStatus.choices,
        default=RelocationStatus.PLANNED,
    )
    planned_on = models.DateField(_("planlagt dato"), null=True, blank=True)
    completed_at = models.DateTimeField(_("gjennomført"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avbrutt"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # Never the destination: it is shown only after step-up (see views.relocation_reveal).
        return f"relocation {self.pk}"

    @property
    def is_planned(self) -> bool:
        return self.status == RelocationStatus.PLANNED

    @property
    def is_completed(self) -> bool:
        return self.status == RelocationStatus.COMPLETED
