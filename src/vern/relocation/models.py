"""Relocation to another crisis centre when this one is not safe enough (G14, R1-R3)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.centres.models import Centre, PoliceDistrict
from vern.centres.tenancy import TenantModel
from vern.consent.models import Consent
from vern.police.models import PoliceContact


class RelocationStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    COMPLETED = "completed", _("Gjennomført")
    CANCELLED = "cancelled", _("Avbrutt")


class Handover(models.TextChoices):
    CONSENT = "consent", _("Kartleggingen følger med, brukeren har samtykket")
    POLICE_BRIEF = "police_brief", _("Uten samtykke: politiet orienterer politiet på nytt sted")
    NONE = "none", _("Ingen overføring")


class PoliceEnd(models.TextChoices):
    """The two ends of a move at which the police shall be involved (G14, R2)."""

    DEPARTURE = "departure", _("Politiet der brukeren bor nå")
    DESTINATION = "destination", _("Politiet på det nye stedet")


class Relocation(TenantModel):
    """The move, chosen with the user and the police; police at both ends before the move.

    The destination is sensitive: shown only after step-up authentication, and audited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relocations")
    reason = models.TextField(_("hvorfor senteret ikke er trygt nok"))
    # The new centre: one of the centres in this Vern (``destination_centre``, its name copied
    # into ``destination_name``) or, for a centre outside Vern, the name typed in.
    destination_name = models.CharField(_("nytt krisesenter"), max_length=200)
    destination_centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nytt krisesenter i Vern"),
    )
    destination_police_district = models.CharField(
        _("politidistrikt på nytt sted"), max_length=32, choices=PoliceDistrict.choices
    )
    chosen_with_user = models.BooleanField(_("valgt sammen med brukeren"), default=False)
    chosen_with_police = models.BooleanField(_("valgt sammen med politiet"), default=False)
    # G14, R2: the police contacts at both ends, recorded and checked like any police contact
    # (ground, what was shared, G9), or why there was none (which opens a deviation).
    departure_contact = models.ForeignKey(
        PoliceContact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    destination_contact = models.ForeignKey(
        PoliceContact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departure_no_police_reason = models.TextField(
        _("hvorfor politiet her ikke ble kontaktet"), blank=True, db_default=""
    )
    destination_no_police_reason = models.TextField(
        _("hvorfor politiet på det nye stedet ikke ble kontaktet"), blank=True, db_default=""
    )
    # Legacy (before issue 14): two bare moments, kept read-only as they were saved.
    police_current_involved_at = models.DateTimeField(
        _("politiet her involvert (eldre registrering)"), null=True, blank=True
    )
    police_destination_involved_at = models.DateTimeField(
        _("politiet på nytt sted involvert (eldre registrering)"), null=True, blank=True
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
    cancel_reason = models.TextField(_("hvorfor flyttingen ble avbrutt"), blank=True, db_default="")
    # R3, same Vern: the consented handover to the destination centre (a receipt; the case it
    # created belongs to the receiving centre and is not readable here).
    handed_over_at = models.DateTimeField(_("overlevert"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handed_over_categories = models.JSONField(default=list, blank=True, db_default=[])
    handed_over_consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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

    def contact_for(self, end: str) -> PoliceContact | None:
        return self.departure_contact if end == PoliceEnd.DEPARTURE else self.destination_contact

    def no_police_reason_for(self, end: str) -> str:
        if end == PoliceEnd.DEPARTURE:
            return self.departure_no_police_reason
        return self.destination_no_police_reason

    def legacy_involved_at(self, end: str) -> dt.datetime | None:
        if end == PoliceEnd.DEPARTURE:
            return self.police_current_involved_at
        return self.police_destination_involved_at
