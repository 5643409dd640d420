"""A second screen paired with a short code (issue 17 point 1, ADR 0017 addendum).

``Pairing`` is a tenant table under row-level security: the case, the staff member who made it
and shows the code, the code's keyed hash (never the code), when it expires, when a browser
claimed it (single use) and when it was ended. ``PairingAttempt`` counts wrong codes per client
address (a keyed hash of it) so that guessing is throttled; it holds nothing of any case."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.centres.tenancy import TenantModel


class Pairing(TenantModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ansatt"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("koblet skjerm")
        verbose_name_plural = _("koblede skjermer")
        indexes = [models.Index(fields=["case", "staff"], name="together_pairing_case_idx")]

    def __str__(self) -> str:
        return f"pairing {self.pk}"

    def waiting(self, at: dt.datetime) -> bool:
        """The code can still be entered."""
        return self.claimed_at is None and self.ended_at is None and at < self.expires_at

    @property
    def active(self) -> bool:
        """A browser is paired and the staff member has not ended it."""
        return self.claimed_at is not None and self.ended_at is None


class PairingAttempt(models.Model):
    """One wrong (or refused) code entered on the pairing page."""

    client_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["client_hash", "at"], name="together_attempt_idx")]

    def __str__(self) -> str:
        return f"attempt {self.pk}"
