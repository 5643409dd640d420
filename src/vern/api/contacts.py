"""The police contact steps the routers share: the response shape of a contact, the one who
decided a contact without consent, the payload as the service's input (with step-up for
identifying information), and the 409 of an unconfirmed deviation.

Used by ``vern.api.endpoints`` (the case's own police contacts) and ``vern.api.relocations``
(the police at both ends of a move, G14, R2).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vern.accounts.models import User
from vern.api import schemas as s
from vern.api.common import require_fresh_code
from vern.api.errors import ApiError
from vern.cases.models import Case
from vern.consent import selectors as consent_selectors
from vern.core import clock
from vern.police import selectors as police_selectors
from vern.police import services as police_services
from vern.police.models import ContactStatus, PoliceContact


def contact_out(contact: PoliceContact, *, deviation_opened: bool = False) -> dict[str, Any]:
    """A police contact as the API shows it; ``ground_valid`` is the ground now."""
    reasons = (
        police_selectors.ground_reason_codes(contact)
        if contact.status == ContactStatus.DONE
        else police_services.contact_reasons(contact)
        if not contact.ground_valid
        else []
    )
    # ground_valid is the ground as it stands now (issue 14): a consent withdrawn since a plan
    # leaves the plan without one, as on the case page.
    lapse = police_selectors.consent_lapse(contact, at=clock.now())
    if lapse and lapse not in reasons:
        reasons = [*reasons, lapse]
    return {
        "id": contact.pk,
        "status": contact.status,
        "contact_at": contact.contact_at,
        "police_district": contact.police_district,
        "legal_ground": contact.legal_ground,
        "ground_valid": contact.ground_valid and not lapse,
        "deviation_opened": deviation_opened,
        "reasons": reasons,
        "shared_categories": list(contact.shared_categories),
        "duty_to_avert_offences": list(contact.duty_to_avert_offences),
        "duty_to_avert_why": contact.duty_to_avert_why,
        "decided_by_id": contact.duty_to_avert_decided_by_id,
        "avert_action": contact.avert_action,
        "avert_action_note": contact.avert_action_note,
        "necessity_why": contact.necessity_why,
        "danger_what": contact.danger_what,
        "danger_consent": contact.danger_consent,
        "danger_consent_why": contact.danger_consent_why,
        "decided_as": contact.decided_as,
        "leader_told_at": contact.leader_told_at,
        "user_told_at": contact.user_told_at,
        "user_told_how": contact.user_told_how,
        "user_not_told_why": contact.user_not_told_why,
    }


def decider(user: User, decided_by_id: int | None) -> User | None:
    """The staff member of the centre who decided a contact without consent (L1, L2)."""
    if decided_by_id is None:
        return None
    staff = police_selectors.centre_staff(user=user).filter(pk=decided_by_id).first()
    if staff is None:
        raise ApiError(
            422, "invalid", "The one who decided must work at the centre.", "decided_by_id"
        )
    return staff


def contact_input(
    request: HttpRequest, user: User, case: Case, payload: s.PoliceContactPlanIn, status: str
) -> police_services.ContactInput:
    """The payload as the one input value of the service. Sharing identifying information needs
    a fresh one-time code, as the web page does."""
    consent = (
        consent_selectors.consent_get(user=user, case=case, pk=payload.consent_id)
        if payload.consent_id is not None
        else None
    )
    if police_services.IDENTIFYING_CATEGORIES.intersection(
        str(c) for c in payload.shared_categories
    ):
        require_fresh_code(request, user)
    return payload.contact_input(
        consent=consent, decider=decider(user, payload.decided_by_id), status=status
    )


def not_confirmed(exc: police_services.DeviationNeedsConfirmation) -> ApiError:
    """409 ``deviation_not_confirmed`` with the reason codes."""
    return ApiError(
        409,
        "deviation_not_confirmed",
        "The legal ground is not valid ("
        + ", ".join(exc.reasons)
        + "); send confirm_deviation=true to record it and open a deviation.",
        "legal_ground",
    )


def deviation_opened(contact: PoliceContact) -> bool:
    """A done contact without a valid ground: the service opened a deviation."""
    return contact.status == ContactStatus.DONE and not contact.ground_valid
