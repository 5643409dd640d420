"""API tokens: one per staff member and purpose, shown once, stored hashed (issue 8).

A token is ``vern_`` followed by 43 random URL-safe characters. Only its SHA-256 is stored
(the token has 256 bits of entropy, so a fast hash is enough: nothing to brute-force), plus
the first characters (``prefix``) so that the owner can tell her tokens apart. Every token
expires (at most ``MAX_DAYS`` days); it can be revoked at once; it stops working when its
owner's account is deactivated.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 90
DEFAULT_DAYS = 30
PREFIX_LENGTH = 12


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("navn"), max_length=80)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("utløper"))
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_idx")]

    def __str__(self) -> str:
        return f"api token {self.pk}"

    def is_usable(self, at: dt.datetime) -> bool:
        return self.revoked_at is None and at < self.expires_at
