"""Risk mapping (K1) and the joint assessment (G6, G7) with its rules-engine outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vern.cases.models import Case, CaseChild
from vern.centres.tenancy import TenantModel


class MappingMethod(models.TextChoices):
    GUIDANCE_QUESTIONS = (
        "guidance_questions",
        _("Veilederens spørsmål (Kartlegging av vold og trusler)"),
    )
    SARA = "sara", "SARA"
    B_SAFER = "b_safer", "B-SAFER"
    PATRIARK = "patriark", "PATRIARK"
    DANGER_ASSESSMENT = "danger_assessment", "Danger Assessment"
    OTHER = "other", _("Annet verktøy")


class RiskResult(models.TextChoices):
    YES = "yes", _("Ja, risiko for ny alvorlig vold")
    NO = "no", _("Nei")
    UNKNOWN = "unknown", _("Uavklart")


class RiskMapping(TenantModel):
    """Who mapped whose threat picture, when, how, and the result (forskrift § 4 a).

    ``child`` is empty for the user herself; each accompanying child gets their own entry.
    Answers to the guidance's open questions are stored by question id; items of licensed
    instruments are never stored, only the instrument's name and result."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_mappings")
    child = models.ForeignKey(
        CaseChild, on_delete=models.CASCADE, null=True, blank=True, related_name="risk_mappings"
    )
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    mapped_at = models.DateTimeField(_("kartlagt"))
    method = models.CharField(_("metode"), max_length=30, choices=MappingMethod.choices)
    method_other = models.CharField(_("annet verktøy, navn"), max_length=100, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    result = models.CharField(
        _("risiko for ny alvorlig vold"), max_length=10, choices=RiskResult.choices
    )
    reasoning = models.TextField(_("begrunnelse"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-mapped_at", "-id"]


class Assessment(TenantModel):
    """One joint assessment. Append-only: a new one supersedes, never overwrites (G6-G8).

    Stores the facts given to the rules engine, the outcome snapshot, the rulebook id and
    version and the rules that fired, so the recommendation can be explained years later."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("vurdert"))
    risk_mapping = models.ForeignKey(
        RiskMapping, on_delete=models.PROTECT, related_name="assessments"
    )
    factors = models.JSONField(default=dict)
    factor_notes = models.JSONField(default=dict, blank=True)
    user_participated = models.BooleanField(_("brukeren deltok i vurderingen"))
    user_view = models.TextField(_("brukerens syn og ønsker, med egne ord"), blank=True)
    staff_judgement = models.TextField(_("ansattes vurdering"), blank=True)
    consent_form = models.CharField(max_length=10, blank=True)
    suspected_offences = models.JSONField(default=list, blank=True)
    # L1: staff and user found that telling the police is necessary to prevent substantial
    # danger to life or serious harm to health (krisesenterlova § 5 second paragraph); ticked.
    danger_to_life_or_health = models.BooleanField(
        _("fare for liv eller alvorlig skade på helse"), default=False
    )
    # B1: an accompanying child had a child-welfare concern without a recorded notification
    # when the assessment was saved (derived from the records, never ticked).
    child_welfare_concern = models.BooleanField(default=False)
    facts = models.JSONField()
    outcome = models.JSONField()
    rulebook_id = models.CharField(max_length=60)
    rulebook_version = models.CharField(max_length=20)
    police_involvement = models.CharField(max_length=20)
    next_step = models.CharField(max_length=60)
    next_reassessment_on = models.DateField(_("neste revurdering"))
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    # Empty for a joint assessment made by staff and user; a code (for example
    # "consent_given") when a changed record re-derived factor 7 or 8 (assessment_reevaluate).
    cause = models.CharField(max_length=40, blank=True, default="")
    # K1, G8: who was not mapped, or mapped as unclear, when the assessment was saved; when
    # not empty, the next reassessment came at the centre's shortest interval. A list of
    # {"who": "user"|"child", "child_id": int|None, "label": str, "problem": "unknown"|
    # "not_mapped"}, kept as it was then (a later mapping does not change this record).
    mapping_gaps = models.JSONField(default=list, blank=True)
    # True when staff chose the next reassessment date (only ever earlier than the automatic).
    next_reassessment_chosen = models.BooleanField(default=False)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "assessed_at"], name="assessment_centre_at_idx"),
            # The statistics (issue 19): counts from the index alone, never from the rows with
            # their outcome JSON (on SQLite the columns after it are read through its overflow
            # pages). One index for a centre, one for the national view, one for the first
            # assessment of each case (time to the first police contact). Each ends with the
            # centre: PostgreSQL's row-level security checks it on every row it reads.
            models.Index(
                fields=[
                    "centre",
                    "cause",
                    "assessed_at",
                    "police_involvement",
                    "next_step",
                    "supersedes",
                ],
                name="assessment_stats_centre_idx",
            ),
            models.Index(
                fields=[
                    "cause",
                    "assessed_at",
                    "police_involvement",
                    "next_step",
                    "supersedes",
                    "centre",
                ],
                name="assessment_stats_all_idx",
            ),
            models.Index(
                fields=["case", "assessed_at", "centre"], name="assessment_case_first_idx"
            ),
            models.Index(
                fields=["id", "next_reassessment_on", "centre"], name="assessment_next_on_idx"
            ),
        ]


class RulebookApplied(models.Model):
    """A rulebook version whose upgrade has been applied to the open cases (issue 13 point 6).

    One row per (rulebook id, version), written by ``vern.assessments.upgrade.rulebook_upgrade``
    after every open case's latest assessment was evaluated under that version. Global, not per
    centre: the rulebook is deployed once for every centre and the row holds no case data (the
    triggers it creates are per centre, each a ``TenantModel`` row of the case's centre). The
    newest row is the version last applied; it lets startup skip the work when nothing changed."""

    rulebook_id = models.CharField(max_length=60)
    version = models.CharField(max_length=20)
    applied_at = models.DateTimeField()
    cases_evaluated = models.PositiveIntegerField(default=0)
    cases_changed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rulebook_id", "version"], name="rulebook_applied_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rulebook_id} {self.version}"


class UserViewSource(models.TextChoices):
    """Who gave a user's view: today only the user herself in the "Assess together" mode."""

    TOGETHER = "together", _("Gitt av brukeren selv i «Vurder sammen»")


class UserView(TenantModel):
    """The user's own view of the joint assessment (G6, G13; issue 17), given by the user in
    the "Assess together" mode on a screen turned towards the user: the answers (a choice per
    question) and the user's own words, in the language the user chose. Kept apart from the
    staff member's judgement, which the user does not see. Append-only: a later session adds
    a new view, the old one stays as it was given.

    ``present_staff`` is the staff member who opened the mode and sat with the user (not the
    author of the words)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_views")
    source = models.CharField(
        max_length=20, choices=UserViewSource.choices, default=UserViewSource.TOGETHER
    )
    given_at = models.DateTimeField(_("gitt"))
    language = models.CharField(_("språk"), max_length=10)
    # {question id: choice code} and {question id: the user's own words}.
    answers = models.JSONField(default=dict, blank=True)
    words = models.JSONField(default=dict, blank=True)
    # The version of the mode's texts the user read (documents/texts, a SHA-256 prefix).
    texts_version = models.CharField(max_length=20, blank=True)
    present_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-id"]
