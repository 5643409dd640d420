"""Information duties (G5, G13, G15), consent with scope and withdrawal (G3, G4, C1), refusals."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case
from vern.centres.models import PoliceDistrict
from vern.centres.tenancy import TenantModel


class InformationKind(models.TextChoices):
    PUBLIC_PROSECUTION = "public_prosecution", _("Offentlig påtale (straffeprosessloven § 62 a)")
    POLICE_HELP_AND_MEASURES = (
        "police_help_and_measures",
        _("Hva politiet kan gjøre, og konkrete sikkerhetstiltak"),
    )


class InformationRecord(TenantModel):
    """That the user was told something, by whom, when, in which language, with interpreter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information")
    kind = models.CharField(_("informasjon"), max_length=40, choices=InformationKind.choices)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("gitt"))
    language = models.CharField(_("språk"), max_length=40)
    interpreter_used = models.BooleanField(_("tolk ble brukt"), default=False)
    offences = models.JSONField(default=list, blank=True)
    measures_shown = models.JSONField(default=list, blank=True)
    rulebook_version = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-id"]


class RecipientKind(models.TextChoices):
    POLICE = "police", _("Politiet")
    CRISIS_CENTRE = "crisis_centre", _("Nytt krisesenter (ved flytting)")


class InformationCategory(models.TextChoices):
    IDENTITY = "identity", _("Navn, fødselsdato og kontaktopplysninger")
    STAY = "stay", _("At brukeren bor eller har kontakt med krisesenteret")
    VIOLENCE = "violence", _("Hva som har skjedd (volden og truslene)")
    RISK_MAPPING = "risk_mapping", _("Kartleggingen av trusselbildet")
    CHILDREN = "children", _("Opplysninger om barna")
    PERPETRATOR = "perpetrator", _("Opplysninger om utøveren")
    ADDRESS = "address", _("Nåværende oppholdssted")


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("Skriftlig")
    VERBAL = "verbal", _("Muntlig")


class WrittenMethod(models.TextChoices):
    UPLOAD = "upload", _("Signert skjema lastet opp")
    ON_SCREEN = "on_screen", _("Signert på skjermen")


def last_day_of(expires_at: dt.datetime | None) -> dt.date | None:
    """The last local day before the exclusive end ``expires_at`` (C1); None when open-ended.

    Midnight 28.11. gives 27.11.; a moment an API client chose (28.11. 15:00) gives 28.11.,
    the day it ends on."""
    if expires_at is None:
        return None
    return timezone.localtime(expires_at - dt.timedelta(microseconds=1)).date()


class WithdrawalManner(models.TextChoices):
    """How the user told the centre she withdraws her consent (C1)."""

    ORAL = "oral", _("Muntlig")
    WRITTEN = "written", _("Skriftlig")
    PHONE = "phone", _("Telefon")
    OTHER = "other", _("Annet")


class Consent(TenantModel):
    """Consent to lift confidentiality for one recipient, purpose and kinds of information.

    Given to the centre, not to one employee. Withdrawal takes effect at once (C1)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    recipient_kind = models.CharField(
        _("mottaker"), max_length=20, choices=RecipientKind.choices, default=RecipientKind.POLICE
    )
    police_district = models.CharField(
        _("politidistrikt"), max_length=32, choices=PoliceDistrict.choices, blank=True
    )
    recipient_unit = models.CharField(_("enhet eller mottaker"), max_length=200, blank=True)
    purpose = models.TextField(_("formål"))
    categories = models.JSONField(_("opplysninger som omfattes"), default=list)
    form = models.CharField(_("form"), max_length=10, choices=ConsentForm.choices)
    written_method = models.CharField(
        _("skriftlig samtykke"), max_length=20, choices=WrittenMethod.choices, blank=True
    )
    signed_by_name = models.CharField(
        _("signert av (navn skrevet på skjermen)"), max_length=200, blank=True
    )
    # Issue 17: signed on screen in the "Assess together" mode: the language and the exact
    # text the user read before signing (the version of the text, kept with the consent).
    read_language = models.CharField(
        _("språket brukeren leste samtykket på"), max_length=10, blank=True
    )
    read_text = models.TextField(_("teksten brukeren leste"), blank=True)
    verbal_witness = models.CharField(_("vitne til muntlig samtykke"), max_length=200, blank=True)
    verbal_reason = models.TextField(_("hvorfor samtykket ikke er skriftlig"), blank=True)
    given_at = models.DateTimeField(_("gitt"))
    expires_at = models.DateTimeField(_("utløper"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    # C1: how she withdrew it, and a short note (for example who took the call).
    withdrawn_manner = models.CharField(
        _("hvordan samtykket ble trukket tilbake"),
        max_length=10,
        choices=WithdrawalManner.choices,
        blank=True,
    )
    withdrawn_note = models.CharField(
        _("merknad til tilbaketrekkingen"), max_length=200, blank=True
    )
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_recorded_at = models.DateTimeField(
        _("tilbaketrekkingen registrert"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    information_record = models.ForeignKey(
        InformationRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Informasjonen om offentlig påtale som ble gitt før samtykket (G15)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [
            # The statistics (issue 19): consents given and withdrawn in a period, by form.
            models.Index(fields=["centre", "given_at", "form"], name="consent_centre_given_idx"),
            models.Index(
                fields=["centre", "withdrawn_at", "form"], name="consent_centre_withdrawn_idx"
            ),
            models.Index(fields=["given_at", "form"], name="consent_given_idx"),
            models.Index(fields=["withdrawn_at", "form"], name="consent_withdrawn_idx"),
        ]

    @property
    def last_day(self) -> dt.date | None:
        """The last local day the consent is in force, inclusive (C1); None when open-ended.

        ``expires_at`` is exclusive: "gjelder til og med 27.11." is stored as 28.11. 00:00,
        so every validity check reads ``expires_at > at``. People read this day instead."""
        return last_day_of(self.expires_at)

    @property
    def expires_at_midnight(self) -> bool:
        """True when ``expires_at`` is a local midnight (set from a last day, as the form
        does); False for a moment an API client chose (shown as that moment)."""
        if self.expires_at is None:
            return True
        return timezone.localtime(self.expires_at).time() == dt.time.min

    @property
    def withdrawal_backdated(self) -> bool:
        """The withdrawal was recorded after the moment she withdrew (C1)."""
        if self.withdrawn_at is None or self.withdrawn_recorded_at is None:
            return False
        return self.withdrawn_recorded_at - self.withdrawn_at > dt.timedelta(minutes=5)


class ConsentRefusal(TenantModel):
    """The user said no to police contact; recorded with her reasons (G13, C1)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="refusals")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    refused_at = models.DateTimeField(_("tidspunkt"))
    reasons = models.TextField(_("brukerens grunner, med egne ord"), blank=True)
    information_offered = models.BooleanField(
        _("informasjon om politiets hjelp og tiltak ble tilbudt"), default=False
    )

    class Meta:
        ordering = ["-refused_at", "-id"]
        indexes = [
            # The statistics (issue 19): refusals in a period.
            models.Index(fields=["centre", "refused_at"], name="refusal_centre_at_idx"),
            models.Index(fields=["refused_at"], name="refusal_at_idx"),
        ]


class SignedConsentFile(TenantModel):
    """The signed consent form, uploaded back (issue 7): PDF, JPEG or PNG, checked by content.

    Its bytes are in ``SignedConsentFileContent`` (the database, issue 20); ``stored_name`` is a
    random name (never the original file name), and for a file uploaded before issue 20 its
    place under MEDIA_ROOT until ``vern files import`` moves it. Images are re-encoded so that
    metadata such as GPS positions is gone. Served only through the consent app's download
    view (same centre, step-up, audited, as an attachment)."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="signed_files")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    stored_name = models.CharField(max_length=200, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("lastet opp"))

    class Meta:
        ordering = ["-uploaded_at", "-id"]


class SignedConsentFileContent(TenantModel):
    """The bytes of one signed consent form, in the database (issue 20, ADR 0013).

    Every app server reads the same row (no file on one node's disk), the row commits in the
    request transaction with its ``SignedConsentFile`` and audit event, row-level security
    covers it on PostgreSQL, and ``pg_dump`` / the SQLite backup hold it in the same snapshot.
    A table of its own, so that listing a case's files never loads their bytes; deleted with
    its file row (the retention purge follows the foreign key)."""

    signed_file = models.OneToOneField(
        SignedConsentFile, on_delete=models.CASCADE, related_name="stored_content"
    )
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    stored_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gte=1), name="signed_file_content_not_empty"
            ),
        ]
