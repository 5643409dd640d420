"""Crisis centres: the tenants of Vern. Every case-related row belongs to exactly one centre."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PoliceDistrict(models.TextChoices):
    """The twelve police districts of Norway (since the 2017 police reform)."""

    OSLO = "oslo", "Oslo politidistrikt"
    OST = "ost", "Øst politidistrikt"
    INNLANDET = "innlandet", "Innlandet politidistrikt"
    SOR_OST = "sor-ost", "Sør-Øst politidistrikt"
    AGDER = "agder", "Agder politidistrikt"
    SOR_VEST = "sor-vest", "Sør-Vest politidistrikt"
    VEST = "vest", "Vest politidistrikt"
    MORE_OG_ROMSDAL = "more-og-romsdal", "Møre og Romsdal politidistrikt"
    TRONDELAG = "trondelag", "Trøndelag politidistrikt"
    NORDLAND = "nordland", "Nordland politidistrikt"
    TROMS = "troms", "Troms politidistrikt"
    FINNMARK = "finnmark", "Finnmark politidistrikt"


class Centre(models.Model):
    name = models.CharField(_("navn"), max_length=200, unique=True)
    municipality = models.CharField(_("kommune"), max_length=100)
    police_district = models.CharField(
        _("politidistrikt"), max_length=32, choices=PoliceDistrict.choices
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("krisesenter")
        verbose_name_plural = _("krisesentre")

    def __str__(self) -> str:
        return self.name
