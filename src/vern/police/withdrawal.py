"""Withdrawing a consent with its effect on the police contacts that rest on it (C1).

A workflow above consent (issue 16): ``vern.consent`` checks and stores the withdrawal
(``consent_withdrawal_check``, ``consent_withdrawal_save``); this module adds what it means for
the police contacts under the consent, in the same transaction. The withdrawal page
(``withdrawal_views``) and the API's withdraw operation call ``consent_withdraw_with_contacts``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest

from vern.accounts.models import User
from vern.assessments.services import assessment_reevaluate
from vern.cases.services import ensure_same_centre
from vern.consent import services as consent_services
from vern.consent.models import Consent
from vern.consent.selectors import WITHDRAWN, withdrawal_binds_from
from vern.police.models import ContactStatus, DeviationKind, PoliceContact
from vern.police.services import contact_ground_lost


@dataclass(frozen=True)
class Withdrawal:
    """The result of a withdrawal: the consent and the police contacts under it that lie at or
    after the moment she withdrew (C1), with the deviations opened for them (G11 review)."""

    consent: Consent
    contacts_after: list[PoliceContact]
    deviations_opened: int


@transaction.atomic
def consent_withdraw_with_contacts(
    *,
    acting_user: User,
    consent: Consent,
    withdrawn_at: dt.datetime | None = None,
    manner: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> Withdrawal:
    """Withdraw a consent (``vern.consent.services.consent_withdraw``: the same checks, the same
    stored withdrawal, also on a closed case) and return also the police contacts under the
    consent at or after the stated moment. A backdated withdrawal binds from the stated moment,
    so a contact made after it no longer counts as covered.

    Each such contact that was *done* loses its ground and gets a deviation for the leader
    (``vern.police.services.contact_ground_lost``, reason ``withdrawn``) in this transaction,
    on a closed case too (C1: the withdrawal binds from its moment). A *planned* contact is
    listed, and its stored ``ground_valid`` becomes False: when it is marked done, the police
    service checks the ground again, finds the consent withdrawn and opens the deviation then.
    The audit event of the withdrawal counts both (``contacts_after``, ``plans_lost_ground``)."""
    case = consent.case
    ensure_same_centre(case, acting_user)
    checked = consent_services.consent_withdrawal_check(
        consent=consent, withdrawn_at=withdrawn_at, manner=manner, note=note
    )
    contacts_after = list(
        # The one rule (consent.selectors.withdrawn_by): a contact in the withdrawal's minute
        # counts as after it (contact times are typed to the minute).
        PoliceContact.objects.filter(
            case=case,
            consent=checked.locked,
            contact_at__gte=withdrawal_binds_from(checked.withdrawn_at),
        ).order_by("contact_at", "id")
    )
    # A planned contact on this consent is still to be made, after the withdrawal whatever its
    # planned time: it has no valid ground now (issue 14 point 1). Stored here in the same
    # transaction so that every reader of ``ground_valid`` agrees with the derived ground
    # (``police.selectors.ground_valid_now``); marking it done checks the ground again.
    plans_lost = PoliceContact.objects.filter(
        case=case, consent=checked.locked, status=ContactStatus.PLANNED, ground_valid=True
    ).update(ground_valid=False)
    consent_services.consent_withdrawal_save(
        acting_user=acting_user,
        consent=consent,
        checked=checked,
        request=request,
        details={"contacts_after": len(contacts_after), "plans_lost_ground": plans_lost},
    )
    opened = 0
    for contact in contacts_after:
        if contact.status != ContactStatus.DONE:
            continue
        # C1: the contact loses its ground (ground_valid False) and gets the deviation.
        contact_ground_lost(
            acting_user=acting_user,
            contact=contact,
            reason=WITHDRAWN,
            kind=DeviationKind.CONTACT_WITHOUT_GROUND,
        )
        opened += 1
    # G7: the newest assessment re-derives factors 7 and 8, after the contacts' changes.
    assessment_reevaluate(acting_user=acting_user, case=case, cause="consent_withdrawn")
    return Withdrawal(consent=consent, contacts_after=contacts_after, deviations_opened=opened)
