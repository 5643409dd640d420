"""The G9 reprisal-risk check of a police contact: how the perpetrator might learn of it, how
great the risk to the user is, and what protects the user then.

Under the duty to avert (straffeloven § 196) the risk to the user is also legally relevant: a
breach of the duty is not punishable when averting would expose the person, the person's
nearest or an innocent person to danger to life, health or welfare (§ 196 third paragraph b).
Stored in ``PoliceContact.reprisal_check`` as {"routes": [...], "routes_other": "", "risk": "",
"protections": [...], "protections_other": "", "note": ""} (and ``added_at`` when recorded after
the contact).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vern.core.forms import too_long
from vern.police.ground import IDENTIFYING_CATEGORIES, NO_CONSENT_GROUNDS, TEXT_LIMITS
from vern.police.models import LegalGround, ReprisalProtection, ReprisalRisk, ReprisalRoute

if TYPE_CHECKING:
    from vern.police.models import PoliceContact


def reprisal_check_clean(data: Mapping[str, Any] | None, *, required: bool) -> dict[str, Any]:
    """The G9 check as stored: known codes only; with ``required`` the check must be complete.

    Keys: routes, routes_other, risk, protections, protections_other, note."""
    data = dict(data or {})
    routes = [str(code) for code in data.get("routes") or []]
    protections = [str(code) for code in data.get("protections") or []]
    risk = str(data.get("risk") or "")
    errors: dict[str, str] = {}
    if any(code not in ReprisalRoute.values for code in routes):
        errors["reprisal_routes"] = _("Ukjent valg for hvordan utøveren kan få vite om kontakten.")
    if any(code not in ReprisalProtection.values for code in protections):
        errors["reprisal_protections"] = _("Ukjent valg for hva som beskytter brukeren.")
    if risk and risk not in ReprisalRisk.values:
        errors["reprisal_risk"] = _("Ukjent valg for risiko for represalier.")
    clean = {
        "routes": sorted(set(routes), key=routes.index),
        "routes_other": str(data.get("routes_other") or "").strip(),
        "risk": risk,
        "protections": sorted(set(protections), key=protections.index),
        "protections_other": str(data.get("protections_other") or "").strip(),
        "note": str(data.get("note") or "").strip(),
    }
    for key in ("routes_other", "protections_other", "note"):
        limit = TEXT_LIMITS[f"reprisal_{key}"]
        if message := too_long(str(clean[key]), limit):
            errors[f"reprisal_{key}"] = message
    if required:
        _require_complete(clean, errors)
    if ReprisalRoute.OTHER in clean["routes"] and not clean["routes_other"]:
        errors["reprisal_routes_other"] = _("Beskriv den andre måten utøveren kan få vite det på.")
    if ReprisalProtection.OTHER in clean["protections"] and not clean["protections_other"]:
        errors["reprisal_protections_other"] = _("Beskriv hva annet som beskytter brukeren.")
    if errors:
        raise ValidationError(errors)
    if not required and not any(clean[key] for key in clean):
        return {}
    return clean


def _require_complete(clean: Mapping[str, Any], errors: dict[str, str]) -> None:
    """A required G9 check names a route, the risk and a protection."""
    if not clean["routes"]:
        errors.setdefault(
            "reprisal_routes",
            _("Velg minst én måte utøveren kan få vite om kontakten på (G9)."),
        )
    if not clean["risk"]:
        errors.setdefault("reprisal_risk", _("Velg risikoen for represalier (G9)."))
    if not clean["protections"]:
        errors.setdefault(
            "reprisal_protections",
            _(
                "Velg minst én ting som beskytter brukeren hvis utøveren "
                "får vite om kontakten (G9)."
            ),
        )


def reprisal_check_needed(*, legal_ground: str, categories: Iterable[str]) -> bool:
    """G9: whether the contact needs the reprisal-risk check, planned or done.

    The perpetrator can learn that the police are involved in the user's case only when the
    police know whose case it is: every contact that rests on consent, the duty to avert or the
    danger ground (L1), and every contact that shares anything that identifies the user
    (``IDENTIFYING_CATEGORIES``, G3). An anonymous discussion of what happened, in general terms,
    gives the police nothing to act on towards the perpetrator, and needs no check."""
    if legal_ground == LegalGround.CONSENT or legal_ground in NO_CONSENT_GROUNDS:
        return True
    return bool(IDENTIFYING_CATEGORIES.intersection(categories))


def reprisal_check_blocks(legal_ground: str) -> bool:
    """Whether a missing G9 check stops the record (True) or is recorded as missing (False).

    G9 and G11 weighed: under the duty to avert (straffeloven § 196) the police must be told
    *now*, without consent, because a serious crime is to be averted; staff may call the
    operations centre before there is time to go through how the perpetrator might learn of it.
    Refusing the record until the check is filled in would not stop the call, only its
    documentation ("reality is never refused"). So under the duty to avert the check is asked
    for but never required: a contact without it is saved, marked as missing the check in the
    audit event, shown as such on the contact page and in the leader's list of duty-to-avert
    contacts (G11), a planned one can be completed with the check later, and a done one gets it
    afterwards (``police_contact_reprisal_check_add``). The danger ground (L1, krisesenterlova
    § 5 second paragraph) is the same kind of moment: substantial danger to life or health is to
    be prevented now. Every other ground has no such urgency, and the check is required before
    the record is saved."""
    return legal_ground not in NO_CONSENT_GROUNDS


def reprisal_check_for(
    *, legal_ground: str, categories: Iterable[str], reprisal_check: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The G9 check as it will be stored for a contact with this ground and these categories;
    raises the field errors when it is required and incomplete."""
    categories = list(categories)
    needed = reprisal_check_needed(legal_ground=legal_ground, categories=categories)
    return reprisal_check_clean(
        reprisal_check, required=needed and reprisal_check_blocks(legal_ground)
    )


def reprisal_check_missing(contact: PoliceContact) -> bool:
    """G9: the contact needs the reprisal-risk check and has none (no-consent grounds, or a contact
    recorded before the check was required for done contacts). Shown to the leader."""
    return not contact.reprisal_check and reprisal_check_needed(
        legal_ground=contact.legal_ground, categories=contact.shared_categories
    )


def reprisal_state(check: Mapping[str, Any], needed: bool) -> str:
    """Short code for the audit event: recorded, missing or not_needed."""
    if check:
        return "recorded"
    return "missing" if needed else "not_needed"
