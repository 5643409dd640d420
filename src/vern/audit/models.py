"""The audit event: one row of the append-only, HMAC-chained log (see docs/audit.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.audit.actions import AuditAction


class AuditEvent(models.Model):
    """One event. Rows are only ever inserted through ``vern.audit.services.audit_record``;
    ``hash`` covers every other column, chained through ``prev_hash`` (see ``vern.audit.chain``).
    """

    seq = models.BigIntegerField(_("nummer"), unique=True, editable=False)
    at = models.DateTimeField(_("tidspunkt"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utført av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    actor_role = models.CharField(_("rolle"), max_length=20, blank=True, editable=False)
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("krisesenter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # No ``choices``: the actions are registered in code (``AuditAction``), so a new action
    # needs no migration; the ``audit.E001`` check finds stored actions the code does not know.
    action = models.CharField(_("handling"), max_length=40, editable=False)
    object_type = models.CharField(_("objekttype"), max_length=40, blank=True, editable=False)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True, editable=False)
    request_id = models.CharField(_("forespørsel-id"), max_length=64, blank=True, editable=False)
    reason = models.CharField(_("begrunnelse"), max_length=64, blank=True, editable=False)
    details = models.JSONField(_("detaljer"), default=dict, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("revisjonshendelse")
        verbose_name_plural = _("revisjonshendelser")
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
            models.Index(fields=["centre", "at"], name="audit_centre_at_idx"),
            models.Index(fields=["action", "at"], name="audit_action_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def action_label(self) -> str:
        """The action in words, or its code when the code no longer knows it."""
        try:
            return str(AuditAction(self.action).label)
        except ValueError:
            return self.action


class AuditCheckpoint(models.Model):
    """A signed checkpoint of the chain's head (``vern.audit.checkpoints``), in the database
    every app server and every backup shares (issue 20). On PostgreSQL a trigger rejects
    every UPDATE, DELETE and TRUNCATE, even the owner's; the runtime role is granted only
    SELECT and INSERT (docs/audit.md), and the signature shows any row written without the
    audit key. The text of ``at`` is kept exactly as it was signed."""

    seq = models.BigIntegerField(editable=False)
    hash = models.CharField(max_length=64, editable=False)
    at = models.CharField(max_length=40, editable=False)
    signature = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["seq", "id"]
        indexes = [models.Index(fields=["seq"], name="audit_checkpoint_seq_idx")]

    def __str__(self) -> str:
        return f"checkpoint #{self.seq}"
