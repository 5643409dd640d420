"""The duty to notify the child welfare service (barnevernstjenesten) for accompanying children
(B1).

Crisis-centre staff shall, regardless of consent and of their duty of confidentiality, tell the
child welfare service when there is reason to believe that a child is in one of the situations
of barnevernsloven § 13-2 (krisesenterlova § 6). Vern keeps, per accompanying child, the
concern that triggers the duty and the record of the notification that fulfils it. A concern is
never deleted: one registered in error is marked resolved, with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case, CaseChild
from vern.centres.tenancy import TenantModel


class ConcernGround(models.TextChoices):
    """The situations of barnevernsloven § 13-2 first paragraph (a)-(d) that trigger the duty."""

    MISTREATED = "mistreated", _("Barnet blir eller vil bli mishandlet")
    CARE_DEFICIENCY = (
        "care_deficiency",
        _("Barnet blir eller vil bli utsatt for alvorlige mangler ved den daglige omsorgen"),
    )
    OTHER_SERIOUS_NEGLECT = (
        "other_serious_neglect",
        _("Barnet blir eller vil bli utsatt for annen alvorlig omsorgssvikt"),
    )
    HEALTH_OR_NEEDS = (
        "health_or_needs",
        _(
            "Barnet har en livstruende eller annen alvorlig sykdom eller skade og kommer ikke til "
            "undersøkelse eller behandling, eller et barn med nedsatt funksjonsevne eller et "
            "spesielt hjelpetrengende barn får ikke dekket sine særlige behov"
        ),
    )
    BEHAVIOUR = (
        "behaviour",
        _(
            "Barnet viser alvorlige atferdsvansker (alvorlig eller gjentatt kriminalitet, "
            "misbruk av rusmidler eller annen utpreget normløs atferd)"
        ),
    )
    TRAFFICKING = (
        "trafficking",
        _("Barnet blir eller vil bli utnyttet til menneskehandel"),
    )


class ConcernResolution(models.TextChoices):
    """Why a concern is closed without a notification (never deleted). Kept in the audit
    details, not as the audit reason."""

    REGISTERED_IN_ERROR = "registered_in_error", _("Registrert ved en feil")
    WRONG_CHILD = "wrong_child", _("Registrert på feil barn")
    OTHER = "other", _("Annen grunn (forklar)")


class Channel(models.TextChoices):
    PHONE = "phone", _("Telefon")
    LETTER = "letter", _("Brev")
    DIGITAL = "digital", _("Digital melding")
    MEETING = "meeting", _("Møte")


class SharedCategory(models.TextChoices):
    """What the notification told the child welfare service, by kind."""

    CHILD_IDENTITY = "child_identity", _("Hvem barnet er (navn, alder)")
    CHILD_SITUATION = "child_situation", _("Barnets situasjon og det som gir grunn til bekymring")
    VIOLENCE_AT_HOME = "violence_at_home", _("Vold i hjemmet som barnet har vært utsatt for")
    STAFF_OBSERVATIONS = "staff_observations", _("Det de ansatte har sett på senteret")
    STAY_AT_CENTRE = "stay_at_centre", _("At barnet bor på krisesenteret")
    CONTACT_DETAILS = "contact_details", _("Kontaktopplysninger til de ansatte")
    OTHER = "other", _("Annet")


class UserTold(models.TextChoices):
    YES = "yes", _("Ja, brukeren er fortalt om meldingen")
    NO = "no", _("Nei, brukeren er ikke fortalt om meldingen")


class ChildWelfareNotification(TenantModel):
    """One notification (melding) to the child welfare service, for one or more concerns."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="child_welfare_notifications"
    )
    sent_on = models.DateField(_("dato meldingen ble sendt"))
    service = models.CharField(_("barnevernstjeneste"), max_length=200)
    channel = models.CharField(_("hvordan"), max_length=20, choices=Channel.choices)
    shared_categories = models.JSONField(_("hva som ble delt"), default=list, blank=True)
    shared_summary = models.TextField(_("kort om hva som ble delt"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    user_told = models.CharField(
        _("brukeren er fortalt om meldingen"), max_length=10, choices=UserTold.choices
    )
    user_told_on = models.DateField(_("når brukeren ble fortalt"), null=True, blank=True)
    user_told_how = models.CharField(_("hvordan brukeren ble fortalt"), max_length=200, blank=True)
    user_not_told_reason = models.TextField(_("hvorfor brukeren ikke er fortalt"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [
            # The statistics (issue 19): notifications sent in a period.
            models.Index(fields=["centre", "sent_on"], name="cw_notification_centre_idx"),
            models.Index(fields=["sent_on"], name="cw_notification_sent_idx"),
        ]

    @property
    def was_user_told(self) -> bool:
        return self.user_told == UserTold.YES

    @property
    def shared_labels(self) -> list[str]:
        labels = dict(SharedCategory.choices)
        return [str(labels.get(code, code)) for code in self.shared_categories]


class ChildWelfareConcern(TenantModel):
    """Reason to believe that an accompanying child is in a situation of § 13-2 (B1).

    Pending while it has no notification and is not resolved: the case page warns, the leader's
    list shows it, and the assessment's ``child_welfare_concern`` fact is true."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="child_welfare_concerns")
    child = models.ForeignKey(
        CaseChild, on_delete=models.PROTECT, related_name="child_welfare_concerns"
    )
    grounds = models.JSONField(_("grunnlag"), default=list)
    reason = models.TextField(_("hvorfor det er grunn til å tro dette"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrert"))
    notification = models.ForeignKey(
        ChildWelfareNotification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    resolved_at = models.DateTimeField(_("avsluttet uten melding"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution_reason = models.CharField(
        _("årsak"), max_length=30, choices=ConcernResolution.choices, blank=True
    )
    resolution_note = models.TextField(_("forklaring"), blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [
            # The statistics (issue 19): concerns recorded in a period.
            models.Index(fields=["centre", "recorded_at"], name="cw_concern_centre_idx"),
            models.Index(fields=["recorded_at"], name="cw_concern_recorded_idx"),
        ]

    @property
    def is_pending(self) -> bool:
        return self.notification_id is None and self.resolved_at is None

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    def ground_labels(self) -> list[str]:
        labels = dict(ConcernGround.choices)
        return [str(labels.get(code, code)) for code in self.grounds]
