"""Writes for information duties, consent, withdrawal, refusal and the signed form.

Every function checks the centre and that the case is open, writes its audit event and its
timeline line in the same transaction as the change, then lets the assessment re-derive
factors 7 and 8 (``assessment_reevaluate``). State rules live here, not only in forms:

- G5/G15: a consent to the police needs public-prosecution information recorded before it.
- G4: written consent is the default; a verbal one needs a witness and the reason it is not
  written (and the case page keeps asking for a written one).
- C1: consent has a scope (recipient, purpose, kinds of information), is given to the centre,
  and withdrawal takes effect at once and is final (a new consent is a new record).
- G13/G8: a refusal is recorded with her reasons; the case stays open under reassessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.cases.models import Case
from vern.cases.services import (
    case_change,
    case_event,
    centre_settings_for,
    ensure_open,
    ensure_same_centre,
)
from vern.centres.models import PoliceDistrict
from vern.consent import uploads
from vern.consent.information import measures_catalogue, two_year_rule
from vern.consent.limits import (
    PURPOSE_MAX,
    REFUSAL_REASONS_MAX,
    VERBAL_REASON_MAX,
    WITHDRAWAL_NOTE_MAX,
)
from vern.consent.models import (
    Consent,
    ConsentForm,
    ConsentRefusal,
    InformationCategory,
    InformationKind,
    InformationRecord,
    RecipientKind,
    SignedConsentFile,
    WithdrawalManner,
    WrittenMethod,
)
from vern.consent.selectors import WITHDRAWN, suspected_offences, withdrawal_binds_from
from vern.core import clock
from vern.core.forms import check_day, too_long

if TYPE_CHECKING:
    from vern.police.models import PoliceContact

# Languages the information can be given in (free text is allowed for "other").
STANDARD_LANGUAGES = ("nb", "nn", "en")
# Error code of an expiry at or before the consent (the form words it after its own field).
EXPIRES_BEFORE_GIVEN = "expires_before_given"
# Small clock differences between the browser and the server are not "the future".
_FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def _reevaluate(*, acting_user: User, case: Case, cause: str) -> None:
    """Let the newest assessment re-derive factors 7 and 8 (G7) after a change here."""
    from vern.assessments.services import assessment_reevaluate

    assessment_reevaluate(acting_user=acting_user, case=case, cause=cause)


def _plausible(value: dt.datetime, *, field: str) -> None:
    """The plausible range of vern.core.forms (2018-03-08 to ten years ahead) also for API
    clients: a mistyped year never becomes a precondition (G5) or a server error."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    try:
        check_day(local.date())
    except ValidationError as exc:
        raise ValidationError({field: exc.messages[0]}) from None


def _when(value: dt.datetime | None, *, field: str, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    _plausible(value, field=field)
    if value > now + _FUTURE_TOLERANCE:
        raise ValidationError({field: _("Tidspunktet kan ikke være fram i tid.")})
    return value


def _language_code(language: str) -> str:
    return language if language in STANDARD_LANGUAGES else "other"


# --------------------------------------------------------------------------- information


@transaction.atomic
def information_record(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    language: str,
    interpreter_used: bool = False,
    given_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> InformationRecord:
    """Record that the user was informed (who = ``acting_user``, when, language, interpreter).

    ``public_prosecution`` (G5, G15) stores the two-year rule shown for the suspected offences
    of the newest assessment; ``police_help_and_measures`` (G12, G13, P1) stores the ids of
    the measures shown from the rulebook valid today. Both store the rulebook version."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if kind not in InformationKind.values:
        raise ValidationError({"kind": _("Ukjent type informasjon.")})
    language = " ".join((language or "").split())
    if not language:
        raise ValidationError({"language": _("Oppgi hvilket språk informasjonen ble gitt på.")})
    if len(language) > 40:
        raise ValidationError({"language": _("Språket kan ha høyst 40 tegn.")})
    now = clock.now()
    given_at = _when(given_at, field="given_at", now=now)
    today = clock.today()
    offences: list[dict[str, object]] = []
    measures: list[str] = []
    if kind == InformationKind.PUBLIC_PROSECUTION:
        rule = two_year_rule(
            offence_ids=suspected_offences(case=case), lang=case.language, on=today
        )
        offences = [row.snapshot() for row in rule.rows]
        version = rule.rulebook_version
    else:
        catalogue = measures_catalogue(lang=case.language, on=today)
        measures = catalogue.ids
        version = catalogue.rulebook_version
    record = InformationRecord.objects.create(
        centre_id=case.centre_id,
        case=case,
        kind=kind,
        given_by=acting_user,
        given_at=given_at,
        language=language,
        interpreter_used=bool(interpreter_used),
        offences=offences,
        measures_shown=measures,
        rulebook_version=version,
    )
    if kind == InformationKind.PUBLIC_PROSECUTION:
        summary = _("Brukeren informert om offentlig påtale")
    else:
        summary = _("Brukeren informert om hva politiet kan gjøre, og om sikkerhetstiltak")
    case_change(
        case=case,
        actor=acting_user,
        obj=record,
        kind="information_given",
        summary=summary,
        action=AuditAction.INFORMATION_GIVEN,
        object_type="information_record",
        request=request,
        details={
            "kind": kind,
            "language": _language_code(language),
            "interpreter": bool(interpreter_used),
            "offences": len(offences),
            "measures": len(measures),
            "rulebook_version": version,
        },
    )
    _reevaluate(acting_user=acting_user, case=case, cause="information_given")
    return record


# --------------------------------------------------------------------------- consent


def _clean_categories(categories: Iterable[str]) -> list[str]:
    chosen = {str(category) for category in categories}
    unknown = chosen - set(InformationCategory.values)
    if unknown:
        raise ValidationError({"categories": _("Ukjent type opplysninger.")})
    if not chosen:
        raise ValidationError(
            {"categories": _("Velg hvilke opplysninger samtykket omfatter (minst én).")}
        )
    # Stable order: the order of the choices.
    return [value for value in InformationCategory.values if value in chosen]


@transaction.atomic
def consent_create(
    *,
    acting_user: User,
    case: Case,
    recipient_kind: str,
    purpose: str,
    categories: Iterable[str],
    form: str,
    police_district: str = "",
    recipient_unit: str = "",
    written_method: str = "",
    signed_by_name: str = "",
    signature_confirmed: bool = False,
    signed_file: IO[bytes] | None = None,
    signed_file_size: int | None = None,
    verbal_witness: str = "",
    verbal_reason: str = "",
    given_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Consent:
    """Record a consent given to the centre (not to one employee) for one recipient, purpose
    and set of kinds of information (C1).

    Refused (ValidationError naming the field) when: the case is closed; the scope is
    incomplete; written on screen without her typed name and ticked box, or as an upload
    without an acceptable signed form; verbal without a witness and the reason it is not
    written (G4); the expiry is not after the consent; or, for the police, when no
    public-prosecution information was recorded before it (G5, G15)."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    errors: dict[str, str | ValidationError] = {}
    if recipient_kind not in RecipientKind.values:
        raise ValidationError({"recipient_kind": _("Velg mottaker.")})
    police_district = police_district or ""
    recipient_unit = " ".join((recipient_unit or "").split())
    if recipient_kind == RecipientKind.POLICE:
        if police_district not in PoliceDistrict.values:
            errors["police_district"] = _("Velg politidistriktet samtykket gjelder.")
    else:
        police_district = ""
        if not recipient_unit:
            errors["recipient_unit"] = _(
                "Skriv hvilket krisesenter samtykket gjelder (det nye senteret)."
            )
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("Skriv hva samtykket skal brukes til (formålet).")
    elif message := too_long(purpose, PURPOSE_MAX):
        errors["purpose"] = message
    try:
        clean_categories = _clean_categories(categories)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        clean_categories = []

    signed_by_name = " ".join((signed_by_name or "").split())
    verbal_witness = " ".join((verbal_witness or "").split())
    verbal_reason = (verbal_reason or "").strip()
    clean_upload: uploads.CleanUpload | None = None
    if form == ConsentForm.WRITTEN:
        verbal_witness, verbal_reason = "", ""
        if written_method == WrittenMethod.ON_SCREEN:
            if not signed_by_name:
                errors["signed_by_name"] = _("Brukeren skriver navnet sitt for å signere.")
            if not signature_confirmed:
                errors["signature_confirmed"] = _(
                    "Brukeren må krysse av for «Jeg samtykker» for å signere på skjermen."
                )
        elif written_method == WrittenMethod.UPLOAD:
            signed_by_name = ""
            if signed_file is None:
                errors["signed_file"] = _("Last opp det signerte skjemaet (PDF, JPEG eller PNG).")
        else:
            errors["written_method"] = _(
                "Velg hvordan det skriftlige samtykket er signert: på skjermen eller på papir "
                "som lastes opp."
            )
    elif form == ConsentForm.VERBAL:
        written_method, signed_by_name = "", ""
        if not verbal_witness:
            errors["verbal_witness"] = _("Et muntlig samtykke krever et vitne (G4).")
        if not verbal_reason:
            errors["verbal_reason"] = _("Skriv hvorfor samtykket ikke er skriftlig (G4).")
        elif message := too_long(verbal_reason, VERBAL_REASON_MAX):
            errors["verbal_reason"] = message
    else:
        errors["form"] = _("Velg om samtykket er skriftlig eller muntlig.")

    now = clock.now()
    try:
        given_at = _when(given_at, field="given_at", now=now)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        given_at = now
    if expires_at is not None:
        try:
            # The last moment it is in force must be plausible (expires_at is exclusive).
            _plausible(expires_at - dt.timedelta(microseconds=1), field="expires_at")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        else:
            if expires_at <= given_at:
                errors["expires_at"] = ValidationError(
                    _("Utløpstidspunktet må være etter at samtykket ble gitt."),
                    code=EXPIRES_BEFORE_GIVEN,
                )

    information: InformationRecord | None = None
    if recipient_kind == RecipientKind.POLICE:
        information = (
            InformationRecord.objects.filter(
                case=case, kind=InformationKind.PUBLIC_PROSECUTION, given_at__lte=given_at
            )
            .order_by("-given_at", "-id")
            .first()
        )
        if information is None:
            errors["__all__"] = _(
                "Brukeren må informeres om offentlig påtale før et samtykke til kontakt med "
                "politiet (G5, G15). Registrer informasjonen først, og spør deretter om samtykke."
            )
    if errors:
        raise ValidationError(errors)
    # Check the file last: a bad upload fails with its own message and stores nothing.
    if written_method == WrittenMethod.UPLOAD and signed_file is not None:
        clean_upload = uploads.inspect_upload(signed_file, declared_size=signed_file_size)

    consent = Consent.objects.create(
        centre_id=case.centre_id,
        case=case,
        recipient_kind=recipient_kind,
        police_district=police_district,
        recipient_unit=recipient_unit[:200],
        purpose=purpose,
        categories=clean_categories,
        form=form,
        written_method=written_method if form == ConsentForm.WRITTEN else "",
        signed_by_name=signed_by_name[:200],
        verbal_witness=verbal_witness[:200],
        verbal_reason=verbal_reason,
        given_at=given_at,
        expires_at=expires_at,
        recorded_by=acting_user,
        information_record=information,
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=consent,
        kind="consent_given",
        summary=(
            _("Samtykke registrert: til politiet")
            if recipient_kind == RecipientKind.POLICE
            else _("Samtykke registrert: til nytt krisesenter")
        )
        + (_(" (muntlig)") if form == ConsentForm.VERBAL else _(" (skriftlig)")),
        action=AuditAction.CONSENT_GIVEN,
        object_type="consent",
        request=request,
        details={
            "recipient_kind": recipient_kind,
            "police_district": police_district or None,
            "form": form,
            "written_method": consent.written_method or None,
            "categories": len(clean_categories),
            "expires": expires_at is not None,
            "information_record_id": information.pk if information is not None else None,
        },
    )
    if clean_upload is not None:
        _store_signed_file(
            acting_user=acting_user, consent=consent, clean=clean_upload, request=request
        )
    _reevaluate(acting_user=acting_user, case=case, cause="consent_given")
    return consent


def _store_signed_file(
    *,
    acting_user: User,
    consent: Consent,
    clean: uploads.CleanUpload,
    request: HttpRequest | None,
) -> SignedConsentFile:
    stored_name = uploads.store_clean_upload(clean=clean, centre_id=consent.centre_id)
    try:
        signed = SignedConsentFile.objects.create(
            centre_id=consent.centre_id,
            consent=consent,
            sha256=clean.sha256,
            content_type=clean.content_type,
            size=clean.size,
            stored_name=stored_name,
            uploaded_by=acting_user,
            uploaded_at=clock.now(),
        )
        audit_record(
            action=AuditAction.CASE_UPDATED,
            actor=acting_user,
            centre=consent.case.centre,
            object_type="signed_consent_file",
            object_id=signed.pk,
            request=request,
            reason="signed_consent_uploaded",
            details={
                "consent_id": consent.pk,
                "content_type": clean.content_type,
                "size": clean.size,
                # What cleaning removed from a PDF (issue 15), e.g. "Info,JavaScript".
                **({"removed": ",".join(clean.removed)} if clean.removed else {}),
            },
        )
    except BaseException:
        # No row, no file: never leave an orphan behind when the write fails.
        uploads.delete_stored(stored_name)
        raise
    return signed


@transaction.atomic
def signed_consent_upload(
    *,
    acting_user: User,
    consent: Consent,
    signed_file: IO[bytes],
    signed_file_size: int | None = None,
    request: HttpRequest | None = None,
) -> SignedConsentFile:
    """Attach the signed consent form (issue 7) to a consent, for example the written
    confirmation of a verbal consent (G4). A bad upload stores nothing (no row, no file)."""
    case = consent.case
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    if consent.withdrawn_at is not None:
        raise ValidationError(
            {"signed_file": _("Samtykket er trukket tilbake. Registrer et nytt samtykke.")}
        )
    clean = uploads.inspect_upload(signed_file, declared_size=signed_file_size)
    signed = _store_signed_file(
        acting_user=acting_user, consent=consent, clean=clean, request=request
    )
    case_event(
        case=case,
        kind="consent_signed_form",
        summary=_("Signert samtykkeskjema lastet opp"),
        actor=acting_user,
        obj=consent,
    )
    _reevaluate(acting_user=acting_user, case=case, cause="signed_form_uploaded")
    return signed


@dataclass(frozen=True)
class Withdrawal:
    """The result of a withdrawal: the consent and the police contacts under it that lie at or
    after the moment she withdrew (C1), with the deviations opened for them (G11 review)."""

    consent: Consent
    contacts_after: list[PoliceContact]
    deviations_opened: int


@transaction.atomic
def consent_withdraw(
    *,
    acting_user: User,
    consent: Consent,
    withdrawn_at: dt.datetime | None = None,
    manner: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> Consent:
    """Withdraw a consent: it stops covering anything from the moment she withdrew it (C1).
    Final: a withdrawn consent is never restored; a new consent is a new record.

    ``withdrawn_at`` is when she withdrew it (default now): not in the future, not before the
    consent was given. A backdated withdrawal binds from the stated moment, so a police
    contact made after it no longer counts as covered (``consent_withdraw_with_contacts``
    reports those contacts and opens a deviation for each). ``manner`` is how she withdrew it
    (``WithdrawalManner``; empty = not stated, for API clients), ``note`` a short note.

    The one write allowed on a closed case: the user may withdraw her consent at any time
    (C1), also after her stay, and the withdrawal must bind the centre from then on."""
    return consent_withdraw_with_contacts(
        acting_user=acting_user,
        consent=consent,
        withdrawn_at=withdrawn_at,
        manner=manner,
        note=note,
        request=request,
    ).consent


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
    """``consent_withdraw``, returning also the police contacts under the consent at or after
    the stated moment. Each such contact that was *done* loses its ground and gets a deviation
    for the leader (``vern.police.services.contact_ground_lost``, reason ``withdrawn``) in this
    transaction, on a closed case too (C1: the withdrawal binds from its moment). A *planned*
    contact is listed only: when it is marked done, the police service checks the ground
    again, finds the consent withdrawn and opens the deviation then."""
    from vern.police.models import ContactStatus, DeviationKind, PoliceContact
    from vern.police.services import contact_ground_lost

    case = consent.case
    ensure_same_centre(case, acting_user)
    now = clock.now()
    errors: dict[str, str] = {}
    try:
        at = _when(withdrawn_at, field="withdrawn_at", now=now)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        at = now
    if manner and manner not in WithdrawalManner.values:
        errors["manner"] = _("Velg hvordan brukeren trakk samtykket tilbake.")
    note = " ".join((note or "").split())
    if message := too_long(note, WITHDRAWAL_NOTE_MAX):
        errors["note"] = message
    # Lock the row: two withdrawals at once must not both succeed.
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(
            _(
                "Samtykket er allerede trukket tilbake. Det kan ikke gjenopprettes; et nytt "
                "samtykke registreres som et nytt samtykke."
            )
        )
    given = timezone.localtime(locked.given_at)
    if "withdrawn_at" not in errors and at < locked.given_at:
        if at >= given.replace(second=0, microsecond=0):
            # Typed to the minute: the minute the consent was given counts from its moment.
            at = locked.given_at
        else:
            errors["withdrawn_at"] = _(
                "Tidspunktet kan ikke være før samtykket ble gitt (%(given)s)."
            ) % {"given": formats.date_format(given, "SHORT_DATETIME_FORMAT")}
    if errors:
        raise ValidationError(errors)
    backdated = now - at > _FUTURE_TOLERANCE
    locked.withdrawn_at = at
    locked.withdrawn_manner = manner
    locked.withdrawn_note = note
    locked.withdrawn_recorded_by = acting_user
    locked.withdrawn_recorded_at = now
    fields = [
        "withdrawn_at",
        "withdrawn_manner",
        "withdrawn_note",
        "withdrawn_recorded_by",
        "withdrawn_recorded_at",
    ]
    locked.save(update_fields=fields)
    for name in fields:
        setattr(consent, name, getattr(locked, name))
    contacts_after = list(
        # The one rule (consent.selectors.withdrawn_by): a contact in the withdrawal's minute
        # counts as after it (contact times are typed to the minute).
        PoliceContact.objects.filter(
            case=case, consent=locked, contact_at__gte=withdrawal_binds_from(at)
        ).order_by("contact_at", "id")
    )
    # A planned contact on this consent is still to be made, after the withdrawal whatever its
    # planned time: it has no valid ground now (issue 14 point 1). Stored here in the same
    # transaction so that every reader of ``ground_valid`` agrees with the derived ground
    # (``police.selectors.ground_valid_now``); marking it done checks the ground again.
    plans_lost = PoliceContact.objects.filter(
        case=case, consent=locked, status=ContactStatus.PLANNED, ground_valid=True
    ).update(ground_valid=False)
    case_change(
        case=case,
        actor=acting_user,
        obj=locked,
        kind="consent_withdrawn",
        summary=_("Samtykke trukket tilbake"),
        action=AuditAction.CONSENT_WITHDRAWN,
        object_type="consent",
        request=request,
        details={
            "recipient_kind": locked.recipient_kind,
            "form": locked.form,
            "manner": manner or None,
            "backdated": backdated,
            "contacts_after": len(contacts_after),
            "plans_lost_ground": plans_lost,
        },
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
    _reevaluate(acting_user=acting_user, case=case, cause="consent_withdrawn")
    return Withdrawal(consent=consent, contacts_after=contacts_after, deviations_opened=opened)


# --------------------------------------------------------------------------- refusal


@transaction.atomic
def consent_refusal_record(
    *,
    acting_user: User,
    case: Case,
    reasons: str,
    information_offered: bool,
    refused_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> ConsentRefusal:
    """Record that the user does not want the police involved, with her reasons in her own
    words (G13, C1). The case stays open and under reassessment (G8): when it has no
    reassessment date yet, it gets one from the centre's setting for "recommended"."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    now = clock.now()
    refused_at = _when(refused_at, field="refused_at", now=now)
    reasons = (reasons or "").strip()
    if message := too_long(reasons, REFUSAL_REASONS_MAX):
        raise ValidationError({"reasons": message})
    refusal = ConsentRefusal.objects.create(
        centre_id=case.centre_id,
        case=case,
        recorded_by=acting_user,
        refused_at=refused_at,
        reasons=reasons,
        information_offered=bool(information_offered),
    )
    case_change(
        case=case,
        actor=acting_user,
        obj=refusal,
        kind="consent_refused",
        summary=_("Brukeren vil ikke at politiet kontaktes nå (avslag registrert)"),
        action=AuditAction.CONSENT_REFUSED,
        object_type="consent_refusal",
        request=request,
        details={
            "information_offered": bool(information_offered),
            "reasons_given": bool(refusal.reasons),
        },
    )
    if refusal.information_offered:
        # G13: the information offered is information given (issue 14 point 5): it stands in
        # "Informasjon gitt til brukeren" with the moment of the refusal, in the case's
        # language for documents (staff correct it with a new record if it was another).
        information_record(
            acting_user=acting_user,
            case=case,
            kind=InformationKind.POLICE_HELP_AND_MEASURES,
            language=case.language,
            given_at=refused_at,
            request=request,
        )
    _reevaluate(acting_user=acting_user, case=case, cause="consent_refused")
    case.refresh_from_db(fields=["next_reassessment_on", "status"])
    if case.next_reassessment_on is None:
        days = centre_settings_for(case.centre_id).reassess_days_recommended
        case.next_reassessment_on = clock.today() + dt.timedelta(days=days)
        case.save(update_fields=["next_reassessment_on"])
    return refusal
