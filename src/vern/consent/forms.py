"""Forms for information, consent, withdrawal, refusal and the signed form.

Forms only parse input; every rule (G4, G5, G15, C1) is enforced in vern.consent.services."""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from vern.centres.models import PoliceDistrict
from vern.consent import uploads
from vern.consent.limits import (
    PURPOSE_MAX,
    REFUSAL_REASONS_MAX,
    VERBAL_REASON_MAX,
    WITHDRAWAL_NOTE_MAX,
)
from vern.consent.models import (
    Consent,
    ConsentForm,
    InformationCategory,
    RecipientKind,
    WithdrawalManner,
    WrittenMethod,
)
from vern.core import clock
from vern.core.forms import DayField, LimitedTextField, MomentField, required_when

if TYPE_CHECKING:
    from vern.cases.models import Case

OTHER_LANGUAGE = "other"
LANGUAGE_CHOICES = [
    ("nb", _("Norsk bokmål")),
    ("nn", _("Norsk nynorsk")),
    ("en", _("Engelsk")),
    (OTHER_LANGUAGE, _("Annet språk")),
]


def upload_help_text() -> str:
    megabytes = max(1, round(uploads.max_bytes() / (1024 * 1024)))
    return _(
        "PDF, JPEG eller PNG, høyst %(mb)s MB. Bilder lagres uten posisjon (GPS) og annen metadata."
    ) % {"mb": megabytes}


def _now_local() -> dt.datetime:
    return timezone.localtime(clock.now()).replace(second=0, microsecond=0)


class InformationForm(forms.Form):
    """That the user was informed: when, in which language, with an interpreter or not."""

    given_at = MomentField(
        label=_("Tidspunkt"),
        help_text=_("Når informasjonen ble gitt. Forhåndsutfylt med nå."),
    )
    language = forms.ChoiceField(
        label=_("Språk informasjonen ble gitt på"),
        choices=LANGUAGE_CHOICES,
        widget=forms.RadioSelect,
    )
    language_other = forms.CharField(
        label=_("Annet språk, hvilket"),
        max_length=40,
        required=False,
        help_text=_("Fyll ut bare hvis du valgte «Annet språk», for eksempel «arabisk»."),
    )
    interpreter_used = forms.BooleanField(label=_("Tolk ble brukt"), required=False)
    required_when(language_other, _("påkrevd når «Annet språk» er valgt"))
    confirmed = forms.BooleanField(
        label=_("Jeg har gått gjennom informasjonen over med brukeren"),
        required=True,
        error_messages={"required": _("Bekreft at informasjonen er gitt.")},
    )

    def __init__(self, *args: Any, case_language: str = "nb", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_at"].initial = _now_local()
        self.fields["language"].initial = case_language

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("language") == OTHER_LANGUAGE:
            other = " ".join((data.get("language_other") or "").split())
            if not other:
                self.add_error("language_other", _("Skriv hvilket språk."))
            data["language_value"] = other
        else:
            data["language_value"] = data.get("language", "")
        return data


class ConsentCreateForm(forms.Form):
    """A consent with its scope (C1) and its form (G4). Given to the centre, not a person."""

    recipient_kind = forms.ChoiceField(
        label=_("Hvem får opplysningene?"),
        choices=RecipientKind.choices,
        widget=forms.RadioSelect,
        initial=RecipientKind.POLICE,
    )
    police_district = forms.ChoiceField(
        label=_("Politidistrikt"),
        required=False,
        choices=[("", _("Velg politidistrikt")), *PoliceDistrict.choices],
    )
    recipient_unit = forms.CharField(
        label=_("Enhet eller mottaker"),
        max_length=200,
        required=False,
        help_text=_(
            "For politiet: for eksempel familievoldskoordinator eller en navngitt enhet. "
            "Ved flytting: det nye krisesenteret (påkrevd)."
        ),
    )
    purpose = LimitedTextField(
        label=_("Formål"),
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hva opplysningene skal brukes til, for eksempel «vurdere sikkerhetstiltak»."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Opplysninger som omfattes"),
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Samtykket gjelder bare de opplysningene som er krysset av."),
    )
    form = forms.ChoiceField(
        label=_("Form"),
        choices=ConsentForm.choices,
        widget=forms.RadioSelect,
        initial=ConsentForm.WRITTEN,
        help_text=_("Samtykket bør være skriftlig (G4)."),
    )
    written_method = forms.ChoiceField(
        label=_("Skriftlig: hvordan er det signert?"),
        required=False,
        choices=WrittenMethod.choices,
        widget=forms.RadioSelect,
        initial=WrittenMethod.ON_SCREEN,
    )
    signed_by_name = forms.CharField(
        label=_("Brukerens navn, skrevet av brukeren selv"),
        max_length=200,
        required=False,
        help_text=_("Signering på skjermen: brukeren skriver navnet sitt her."),
    )
    signature_confirmed = forms.BooleanField(
        label=_("Jeg samtykker (krysses av av brukeren)"),
        required=False,
    )
    signed_file = forms.FileField(
        label=_("Signert samtykkeskjema"),
        required=False,
    )
    verbal_witness = forms.CharField(
        label=_("Vitne til det muntlige samtykket"),
        max_length=200,
        required=False,
        help_text=_("Muntlig: hvem hørte samtykket, for eksempel en kollega eller tolken."),
    )
    verbal_reason = LimitedTextField(
        label=_("Hvorfor er samtykket ikke skriftlig?"),
        max_length=VERBAL_REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    given_at = MomentField(label=_("Samtykket ble gitt"))
    # Required with some answers (the consent service's rules, G4): the label says when.
    required_when(police_district, _("påkrevd når mottakeren er politiet"))
    required_when(recipient_unit, _("påkrevd ved flytting"))
    required_when(written_method, _("påkrevd ved skriftlig samtykke"))
    required_when(signed_by_name, _("påkrevd ved signering på skjermen"))
    required_when(signed_file, _("påkrevd når skjemaet lastes opp"))
    required_when(verbal_witness, _("påkrevd ved muntlig samtykke"))
    required_when(verbal_reason, _("påkrevd ved muntlig samtykke"))
    expires_on = DayField(
        label=_("Gjelder til og med"),
        required=False,
        help_text=_("La stå tom hvis samtykket gjelder til det trekkes tilbake."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_at"].initial = _now_local()
        self.fields["signed_file"].help_text = upload_help_text()

    # The service speaks of the stored moment; staff typed the last day (C1).
    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"expires_at": "expires_on"}

    def service_error(self, field: str, error: Any) -> Any:
        """A service error on a renamed field, worded after the form's field (finding 3)."""
        given_at = self.cleaned_data.get("given_at")
        code = getattr(error, "code", None)
        if field == "expires_on" and code == "expires_before_given" and given_at is not None:
            return expires_before_given(timezone.localtime(given_at).date())
        return error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given_at: dt.datetime | None = data.get("given_at")
        expires_on: dt.date | None = data.get("expires_on")
        if given_at is not None and expires_on is not None:
            given_on = timezone.localtime(given_at).date()
            if expires_on < given_on:
                self.add_error("expires_on", expires_before_given(given_on))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        expires_on: dt.date | None = data.get("expires_on")
        expires_at = None
        if expires_on is not None:
            # "Until and including" the date: it ends at midnight after it, local time.
            expires_at = timezone.make_aware(
                dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min)
            )
        upload = data.get("signed_file")
        return {
            "recipient_kind": data["recipient_kind"],
            "police_district": data.get("police_district") or "",
            "recipient_unit": data.get("recipient_unit") or "",
            "purpose": data["purpose"],
            "categories": data["categories"],
            "form": data["form"],
            "written_method": data.get("written_method") or "",
            "signed_by_name": data.get("signed_by_name") or "",
            "signature_confirmed": bool(data.get("signature_confirmed")),
            "signed_file": upload,
            "signed_file_size": getattr(upload, "size", None),
            "verbal_witness": data.get("verbal_witness") or "",
            "verbal_reason": data.get("verbal_reason") or "",
            "given_at": data["given_at"],
            "expires_at": expires_at,
        }


def expires_at_after(last_day: dt.date | None) -> dt.datetime | None:
    """The exclusive end of a consent that lasts "til og med" ``last_day`` (C1)."""
    if last_day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min))


class ConsentPrintForm(forms.Form):
    """The scope typed on the consent page, for the form to print and sign before the consent
    is registered (issue 14 point 13): the same fields as ``ConsentCreateForm``, nothing saved."""

    SCOPE: ClassVar[tuple[str, ...]] = (
        "recipient_kind",
        "police_district",
        "recipient_unit",
        "purpose",
        "categories",
        "expires_on",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.SCOPE:
            self.fields[name] = copy.deepcopy(ConsentCreateForm.base_fields[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("recipient_kind")
        if kind == RecipientKind.POLICE and not data.get("police_district"):
            self.add_error("police_district", _("Velg politidistriktet samtykket gjelder."))
        if kind == RecipientKind.CRISIS_CENTRE and not data.get("recipient_unit"):
            self.add_error(
                "recipient_unit",
                _("Skriv hvilket krisesenter samtykket gjelder (det nye senteret)."),
            )
        expires_on: dt.date | None = data.get("expires_on")
        if expires_on is not None and expires_on < clock.today():
            self.add_error("expires_on", _("Den siste dagen kan ikke ligge før i dag."))
        return data

    def unsaved_consent(self, case: Case) -> Consent:
        """A consent with this scope, never saved: what the printed form shows."""
        data = self.cleaned_data
        return Consent(
            centre_id=case.centre_id,
            case=case,
            recipient_kind=data["recipient_kind"],
            police_district=(
                data.get("police_district") or ""
                if data["recipient_kind"] == RecipientKind.POLICE
                else ""
            ),
            recipient_unit=data.get("recipient_unit") or "",
            purpose=data["purpose"],
            categories=list(data["categories"]),
            expires_at=expires_at_after(data.get("expires_on")),
        )


class SignedFileForm(forms.Form):
    signed_file = forms.FileField(label=_("Signert samtykkeskjema"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_file"].help_text = upload_help_text()


def expires_before_given(given_on: dt.date) -> str:
    """The error on «Gjelder til og med» when it lies before the day of the consent."""
    return _("«Gjelder til og med» kan ikke være før dagen samtykket ble gitt (%(day)s).") % {
        "day": formats.date_format(given_on, "SHORT_DATE_FORMAT")
    }


class WithdrawForm(forms.Form):
    """C1: when and how she withdrew. Default now; backdating makes it bind from then."""

    withdrawn_at = MomentField(
        label=_("Når trakk brukeren samtykket tilbake?"),
        help_text=_(
            "Forhåndsutfylt med nå. Ble det trukket tilbake tidligere, for eksempel på telefon "
            "i går kveld, skriv det tidspunktet: samtykket gjelder ikke fra da."
        ),
    )
    manner = forms.ChoiceField(
        label=_("Hvordan ble det trukket tilbake?"),
        choices=WithdrawalManner.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvordan brukeren trakk samtykket tilbake.")},
    )
    note = LimitedTextField(
        label=_("Merknad"),
        max_length=WITHDRAWAL_NOTE_MAX,
        required=False,
    )
    confirmed = forms.BooleanField(
        label=_("Brukeren har trukket tilbake samtykket"),
        error_messages={"required": _("Bekreft at brukeren har trukket samtykket tilbake.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_at"].initial = _now_local()
        # Formatted per request (the lazy string is translated into the page's language).
        self.fields["note"].help_text = _(
            "Kort, for eksempel hvem som tok imot beskjeden. Høyst %(max)s tegn."
        ) % {"max": WITHDRAWAL_NOTE_MAX}


class RefusalForm(forms.Form):
    refused_at = MomentField(label=_("Tidspunkt"))
    reasons = LimitedTextField(
        label=_("Brukerens grunner, med brukerens egne ord"),
        max_length=REFUSAL_REASONS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skriv det brukeren selv sier. Det er greit å la feltet stå tomt."),
    )
    information_offered = forms.BooleanField(
        label=_("Informasjon om hva politiet kan gjøre, og om sikkerhetstiltak, ble tilbudt"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["refused_at"].initial = _now_local()
