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
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from vern.accounts.models import User
from vern.assessments.services import assessment_reevaluate
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
from vern.consent import filestore, uploads
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
from vern.consent.selectors import suspected_offences
from vern.core import clock
from vern.core.forms import check_day, too_long

# Languages the information can be given in (free text is allowed for "other").
STANDARD_LANGUAGES = ("nb", "nn", "en")
# Error code of an expiry at or before the consent (the form words it after its own field).
EXPIRES_BEFORE_GIVEN = "expires_before_given"
# Small clock differences between the browser and the server are not "the future".
_FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# A signature drawn on screen (issue 17) is a small PNG; anything larger is not one.
SIGNATURE_MAX_BYTES = 512 * 1024


def _reevaluate(*, acting_user: User, case: Case, cause: str) -> None:
    """Let the newest assessment re-derive factors 7 and 8 (G7) after a change here."""
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


@dataclass(frozen=True)
class ConsentInput:
    """A consent as the form or the API body states it, before any check (C1, G4). Built by
    ``consent_create`` from its keyword arguments; ``consent_check`` turns it into a
    ``CheckedConsent`` or refuses it."""

    recipient_kind: str
    purpose: str
    categories: tuple[str, ...]
    form: str
    police_district: str = ""
    recipient_unit: str = ""
    written_method: str = ""
    signed_by_name: str = ""
    signature_confirmed: bool = False
    signed_file: IO[bytes] | None = None
    signed_file_size: int | None = None
    verbal_witness: str = ""
    verbal_reason: str = ""
    given_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    # Issue 17: signed on screen in the "Assess together" mode: the drawn signature (PNG),
    # and the language and exact text the user read before signing.
    signature_png: bytes | None = None
    read_language: str = ""
    read_text: str = ""


@dataclass(frozen=True)
class CheckedConsent:
    """A consent that passed ``consent_check``: the values as they are stored (trimmed, the
    fields of the other form or recipient emptied) and the public-prosecution information
    recorded before it (G5, G15; None for a new centre)."""

    recipient_kind: str
    police_district: str
    recipient_unit: str
    purpose: str
    categories: tuple[str, ...]
    form: str
    written_method: str
    signed_by_name: str
    verbal_witness: str
    verbal_reason: str
    given_at: dt.datetime
    expires_at: dt.datetime | None
    information: InformationRecord | None
    signed_file: IO[bytes] | None
    signed_file_size: int | None
    signature_png: bytes | None = None
    read_language: str = ""
    read_text: str = ""


# The errors of one check, by field (the field names the forms and the API answer with).
_Errors = dict[str, str | ValidationError]


def _first_errors(exc: ValidationError) -> dict[str, str]:
    return {k: v[0] for k, v in exc.message_dict.items()}


def _check_recipient(data: ConsentInput, errors: _Errors) -> tuple[str, str]:
    """The police district (police) or the new centre (a centre): (district, unit)."""
    police_district = data.police_district or ""
    recipient_unit = " ".join((data.recipient_unit or "").split())
    if data.recipient_kind == RecipientKind.POLICE:
        if police_district not in PoliceDistrict.values:
            errors["police_district"] = _("Velg politidistriktet samtykket gjelder.")
        return police_district, recipient_unit
    if not recipient_unit:
        errors["recipient_unit"] = _(
            "Skriv hvilket krisesenter samtykket gjelder (det nye senteret)."
        )
    return "", recipient_unit


def _check_purpose(data: ConsentInput, errors: _Errors) -> str:
    purpose = (data.purpose or "").strip()
    if not purpose:
        errors["purpose"] = _("Skriv hva samtykket skal brukes til (formålet).")
    elif message := too_long(purpose, PURPOSE_MAX):
        errors["purpose"] = message
    return purpose


def _check_categories(data: ConsentInput, errors: _Errors) -> tuple[str, ...]:
    try:
        return tuple(_clean_categories(data.categories))
    except ValidationError as exc:
        errors.update(_first_errors(exc))
        return ()


def _check_written(data: ConsentInput, errors: _Errors, signed_by_name: str) -> tuple[str, str]:
    """G4, issue 7: signed on screen (her typed name and the ticked box) or on paper that is
    uploaded. Returns (written_method, signed_by_name)."""
    if data.written_method == WrittenMethod.ON_SCREEN:
        if not signed_by_name:
            errors["signed_by_name"] = _("Brukeren skriver navnet sitt for å signere.")
        if not data.signature_confirmed:
            errors["signature_confirmed"] = _(
                "Brukeren må krysse av for «Jeg samtykker» for å signere på skjermen."
            )
        if data.signature_png is not None and len(data.signature_png) > SIGNATURE_MAX_BYTES:
            errors["signature_png"] = _("Underskriften er for stor. Tøm feltet og skriv på nytt.")
        if len(data.read_language) > 10:
            errors["read_language"] = _("Ukjent språk.")
        return data.written_method, signed_by_name
    if data.written_method == WrittenMethod.UPLOAD:
        if data.signed_file is None:
            errors["signed_file"] = _("Last opp det signerte skjemaet (PDF, JPEG eller PNG).")
        return data.written_method, ""
    errors["written_method"] = _(
        "Velg hvordan det skriftlige samtykket er signert: på skjermen eller på papir "
        "som lastes opp."
    )
    return data.written_method, signed_by_name


def _check_verbal(data: ConsentInput, errors: _Errors) -> tuple[str, str]:
    """G4: a verbal consent needs a witness and the reason it is not written.
    Returns (verbal_witness, verbal_reason)."""
    verbal_witness = " ".join((data.verbal_witness or "").split())
    verbal_reason = (data.verbal_reason or "").strip()
    if not verbal_witness:
        errors["verbal_witness"] = _("Et muntlig samtykke krever et vitne (G4).")
    if not verbal_reason:
        errors["verbal_reason"] = _("Skriv hvorfor samtykket ikke er skriftlig (G4).")
    elif message := too_long(verbal_reason, VERBAL_REASON_MAX):
        errors["verbal_reason"] = message
    return verbal_witness, verbal_reason


def _check_form(data: ConsentInput, errors: _Errors) -> tuple[str, str, str, str]:
    """Written or verbal, each with what it needs (G4); the other form's fields are emptied.
    Returns (written_method, signed_by_name, verbal_witness, verbal_reason)."""
    signed_by_name = " ".join((data.signed_by_name or "").split())
    if data.form == ConsentForm.WRITTEN:
        written_method, signed_by_name = _check_written(data, errors, signed_by_name)
        return written_method, signed_by_name, "", ""
    if data.form == ConsentForm.VERBAL:
        return "", "", *_check_verbal(data, errors)
    errors["form"] = _("Velg om samtykket er skriftlig eller muntlig.")
    return data.written_method, signed_by_name, "", ""


def _check_times(data: ConsentInput, errors: _Errors, now: dt.datetime) -> dt.datetime:
    """When it was given (default now, not in the future) and an expiry after that.
    Returns the moment it was given."""
    try:
        given_at = _when(data.given_at, field="given_at", now=now)
    except ValidationError as exc:
        errors.update(_first_errors(exc))
        given_at = now
    expires_at = data.expires_at
    if expires_at is None:
        return given_at
    try:
        # The last moment it is in force must be plausible (expires_at is exclusive).
        _plausible(expires_at - dt.timedelta(microseconds=1), field="expires_at")
    except ValidationError as exc:
        errors.update(_first_errors(exc))
    else:
        if expires_at <= given_at:
            errors["expires_at"] = ValidationError(
                _("Utløpstidspunktet må være etter at samtykket ble gitt."),
                code=EXPIRES_BEFORE_GIVEN,
            )
    return given_at


def consent_check(
    data: ConsentInput,
    *,
    now: dt.datetime,
    information_before: Callable[[dt.datetime], InformationRecord | None],
) -> CheckedConsent:
    """The rules of ``consent_create`` without the database: refuse ``data`` with a
    ValidationError naming each field that is wrong (all of them at once; an unknown recipient
    alone), or return the values to store.

    ``now`` is the clock's moment; ``information_before(given_at)`` finds the newest
    public-prosecution information recorded at or before the consent (G5, G15), asked only for
    a consent to the police. The signed file is only looked for here; its content is checked
    when it is stored (``consent_create``)."""
    if data.recipient_kind not in RecipientKind.values:
        raise ValidationError({"recipient_kind": _("Velg mottaker.")})
    errors: _Errors = {}
    police_district, recipient_unit = _check_recipient(data, errors)
    purpose = _check_purpose(data, errors)
    categories = _check_categories(data, errors)
    written_method, signed_by_name, verbal_witness, verbal_reason = _check_form(data, errors)
    given_at = _check_times(data, errors, now)
    information: InformationRecord | None = None
    if data.recipient_kind == RecipientKind.POLICE:
        information = information_before(given_at)
        if information is None:
            errors["__all__"] = _(
                "Brukeren må informeres om offentlig påtale før et samtykke til kontakt med "
                "politiet (G5, G15). Registrer informasjonen først, og spør deretter om samtykke."
            )
    if errors:
        raise ValidationError(errors)
    return CheckedConsent(
        recipient_kind=data.recipient_kind,
        police_district=police_district,
        recipient_unit=recipient_unit,
        purpose=purpose,
        categories=categories,
        form=data.form,
        written_method=written_method,
        signed_by_name=signed_by_name,
        verbal_witness=verbal_witness,
        verbal_reason=verbal_reason,
        given_at=given_at,
        expires_at=data.expires_at,
        information=information,
        signed_file=data.signed_file,
        signed_file_size=data.signed_file_size,
        signature_png=data.signature_png if written_method == WrittenMethod.ON_SCREEN else None,
        read_language=data.read_language.strip(),
        read_text=data.read_text.strip(),
    )


def _prosecution_information_before(case: Case, at: dt.datetime) -> InformationRecord | None:
    """The newest public-prosecution information on the case recorded at or before ``at``."""
    return (
        InformationRecord.objects.filter(
            case=case, kind=InformationKind.PUBLIC_PROSECUTION, given_at__lte=at
        )
        .order_by("-given_at", "-id")
        .first()
    )


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
    signature_png: bytes | None = None,
    read_language: str = "",
    read_text: str = "",
    request: HttpRequest | None = None,
) -> Consent:
    """Record a consent given to the centre (not to one employee) for one recipient, purpose
    and set of kinds of information (C1).

    Refused (ValidationError naming the field) when: the case is closed; the scope is
    incomplete; written on screen without her typed name and ticked box, or as an upload
    without an acceptable signed form; verbal without a witness and the reason it is not
    written (G4); the expiry is not after the consent; or, for the police, when no
    public-prosecution information was recorded before it (G5, G15). The rules are
    ``consent_check``; this function checks the centre and the open case, runs them once and
    writes."""
    ensure_same_centre(case, acting_user)
    ensure_open(case)
    data = ConsentInput(
        recipient_kind=recipient_kind,
        purpose=purpose,
        categories=tuple(categories),
        form=form,
        police_district=police_district,
        recipient_unit=recipient_unit,
        written_method=written_method,
        signed_by_name=signed_by_name,
        signature_confirmed=signature_confirmed,
        signed_file=signed_file,
        signed_file_size=signed_file_size,
        verbal_witness=verbal_witness,
        verbal_reason=verbal_reason,
        given_at=given_at,
        expires_at=expires_at,
        signature_png=signature_png,
        read_language=read_language,
        read_text=read_text,
    )
    checked = consent_check(
        data,
        now=clock.now(),
        information_before=lambda at: _prosecution_information_before(case, at),
    )
    return _consent_write(acting_user=acting_user, case=case, checked=checked, request=request)


def _consent_write(
    *,
    acting_user: User,
    case: Case,
    checked: CheckedConsent,
    request: HttpRequest | None,
) -> Consent:
    """Store a checked consent with its timeline line, audit event and signed file, then let
    the assessment re-derive (G7). Inside ``consent_create``'s transaction."""
    clean_upload: uploads.CleanUpload | None = None
    # Check the file last: a bad upload fails with its own message and stores nothing.
    if checked.written_method == WrittenMethod.UPLOAD and checked.signed_file is not None:
        clean_upload = uploads.inspect_upload(
            checked.signed_file, declared_size=checked.signed_file_size
        )
    elif checked.written_method == WrittenMethod.ON_SCREEN and checked.signature_png:
        # Issue 17: the signature drawn on screen, checked and re-encoded like an upload.
        clean_upload = _signature_image(checked.signature_png)
    information = checked.information
    consent = Consent.objects.create(
        centre_id=case.centre_id,
        case=case,
        recipient_kind=checked.recipient_kind,
        police_district=checked.police_district,
        recipient_unit=checked.recipient_unit[:200],
        purpose=checked.purpose,
        categories=list(checked.categories),
        form=checked.form,
        written_method=checked.written_method if checked.form == ConsentForm.WRITTEN else "",
        signed_by_name=checked.signed_by_name[:200],
        verbal_witness=checked.verbal_witness[:200],
        verbal_reason=checked.verbal_reason,
        read_language=checked.read_language,
        read_text=checked.read_text,
        given_at=checked.given_at,
        expires_at=checked.expires_at,
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
            if checked.recipient_kind == RecipientKind.POLICE
            else _("Samtykke registrert: til nytt krisesenter")
        )
        + (_(" (muntlig)") if checked.form == ConsentForm.VERBAL else _(" (skriftlig)")),
        action=AuditAction.CONSENT_GIVEN,
        object_type="consent",
        request=request,
        details={
            "recipient_kind": checked.recipient_kind,
            "police_district": checked.police_district or None,
            "form": checked.form,
            "written_method": consent.written_method or None,
            "categories": len(checked.categories),
            "expires": checked.expires_at is not None,
            "information_record_id": information.pk if information is not None else None,
            **({"read_language": checked.read_language} if checked.read_language else {}),
            **({"signature_image": True} if checked.signature_png else {}),
        },
    )
    if clean_upload is not None:
        _store_signed_file(
            acting_user=acting_user,
            consent=consent,
            clean=clean_upload,
            request=request,
            reason=(
                "signature_drawn_on_screen"
                if checked.written_method == WrittenMethod.ON_SCREEN
                else "signed_consent_uploaded"
            ),
        )
    _reevaluate(acting_user=acting_user, case=case, cause="consent_given")
    return consent


def _signature_image(png: bytes) -> uploads.CleanUpload:
    """The drawn signature (issue 17) as a clean PNG, or a ValidationError on
    ``signature_png`` when it is not a PNG image (checked by its bytes, re-encoded)."""
    try:
        clean = uploads.inspect_upload(io.BytesIO(png), declared_size=len(png))
    except ValidationError as exc:
        raise ValidationError(
            {"signature_png": _("Underskriften kunne ikke leses. Tøm feltet og skriv på nytt.")}
        ) from exc
    if clean.content_type != uploads.PNG:
        raise ValidationError({"signature_png": _("Underskriften må være et PNG-bilde.")})
    return clean


def _store_signed_file(
    *,
    acting_user: User,
    consent: Consent,
    clean: uploads.CleanUpload,
    request: HttpRequest | None,
    reason: str = "signed_consent_uploaded",
) -> SignedConsentFile:
    # The bytes go into the database in this transaction (issue 20, ADR 0013): every app
    # server sees them, and a failed request leaves no row, no bytes and no event.
    signed = SignedConsentFile.objects.create(
        centre_id=consent.centre_id,
        consent=consent,
        sha256=clean.sha256,
        content_type=clean.content_type,
        size=clean.size,
        stored_name=filestore.new_stored_name(
            centre_id=consent.centre_id, extension=clean.extension
        ),
        uploaded_by=acting_user,
        uploaded_at=clock.now(),
    )
    filestore.save_content(signed=signed, content=clean.content)
    audit_record(
        action=AuditAction.CASE_UPDATED,
        actor=acting_user,
        centre=consent.case.centre,
        object_type="signed_consent_file",
        object_id=signed.pk,
        request=request,
        reason=reason,
        details={
            "consent_id": consent.pk,
            "content_type": clean.content_type,
            "size": clean.size,
            # What cleaning removed from a PDF (issue 15), e.g. "Info,JavaScript".
            **({"removed": ",".join(clean.removed)} if clean.removed else {}),
        },
    )
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
class CheckedWithdrawal:
    """A withdrawal that passed ``consent_withdrawal_check``, on the consent row it locked."""

    locked: Consent
    withdrawn_at: dt.datetime
    manner: str
    note: str
    recorded_at: dt.datetime


def consent_withdrawal_check(
    *,
    consent: Consent,
    withdrawn_at: dt.datetime | None = None,
    manner: str = "",
    note: str = "",
) -> CheckedWithdrawal:
    """Lock the consent row and check a withdrawal of it (C1); writes nothing. Call it inside
    the withdrawing transaction. Refused (ValidationError naming the field) when the moment is
    in the future, implausible or before the consent was given, the manner is unknown or the
    note too long; refused without a field when the consent is already withdrawn."""
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
    return CheckedWithdrawal(
        locked=locked, withdrawn_at=at, manner=manner, note=note, recorded_at=now
    )


def consent_withdrawal_save(
    *,
    acting_user: User,
    consent: Consent,
    checked: CheckedWithdrawal,
    request: HttpRequest | None = None,
    details: Mapping[str, object] | None = None,
) -> None:
    """Store a checked withdrawal on the locked row and on ``consent``, with its timeline line
    and audit event (``details`` adds what the caller found, e.g. the police contacts after
    it). Inside the transaction of ``consent_withdrawal_check``."""
    locked = checked.locked
    locked.withdrawn_at = checked.withdrawn_at
    locked.withdrawn_manner = checked.manner
    locked.withdrawn_note = checked.note
    locked.withdrawn_recorded_by = acting_user
    locked.withdrawn_recorded_at = checked.recorded_at
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
    case_change(
        case=consent.case,
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
            "manner": checked.manner or None,
            "backdated": checked.recorded_at - checked.withdrawn_at > _FUTURE_TOLERANCE,
            **(details or {}),
        },
    )


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
    consent was given. ``manner`` is how she withdrew it (``WithdrawalManner``; empty = not
    stated, for API clients), ``note`` a short note.

    The one write allowed on a closed case: the user may withdraw her consent at any time
    (C1), also after her stay, and the withdrawal must bind the centre from then on.

    The consent alone: the police contacts that rest on it are police's (above consent in the
    layering). The pages and the API withdraw through the workflow
    ``vern.police.withdrawal.consent_withdraw_with_contacts``, which uses this function's
    check and save and voids those contacts in the same transaction."""
    ensure_same_centre(consent.case, acting_user)
    checked = consent_withdrawal_check(
        consent=consent, withdrawn_at=withdrawn_at, manner=manner, note=note
    )
    consent_withdrawal_save(
        acting_user=acting_user, consent=consent, checked=checked, request=request
    )
    _reevaluate(acting_user=acting_user, case=consent.case, cause="consent_withdrawn")
    return consent


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
