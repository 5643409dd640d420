"""Forms for the risk mapping (K1), the joint assessment (G6, G7) and the centre settings (G8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vern.assessments import factors as g7
from vern.assessments.models import MappingMethod, RiskMapping, RiskResult
from vern.assessments.questions import QUESTIONS, ui_lang
from vern.cases.models import CaseChild
from vern.core.forms import DATETIME_FORMAT, DayField, MomentField, required_when

USER_SUBJECT = "user"


def answer_field_name(question_id: str) -> str:
    return f"q_{question_id}"


class RiskMappingForm(forms.Form):
    """Whose threat picture, when, how (the guidance's questions or an instrument by name)
    and the result. The questions are shown in the staff member's UI language."""

    subject = forms.ChoiceField(
        label=_("Hvem gjelder kartleggingen?"),
        widget=forms.RadioSelect,
        help_text=_("Hvert medfølgende barn får sin egen kartlegging."),
    )
    mapped_at = MomentField(label=_("Tidspunkt for kartleggingen"))
    method = forms.ChoiceField(
        label=_("Metode"),
        choices=MappingMethod.choices,
        widget=forms.RadioSelect,
        initial=MappingMethod.GUIDANCE_QUESTIONS,
        help_text=_(
            "Ved et annet verktøy registreres bare navnet og resultatet. Spørsmålene i "
            "lisensierte verktøy skal ikke skrives inn her."
        ),
    )
    method_other = required_when(
        forms.CharField(label=_("Navn på annet verktøy"), max_length=100, required=False),
        _("påkrevd når «Annet verktøy» er valgt"),
    )
    result = forms.ChoiceField(
        label=_("Er det risiko for ny alvorlig vold?"),
        choices=RiskResult.choices,
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(
        label=_("Din begrunnelse"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Hva bygger vurderingen på? Ved et annet verktøy: verktøyets samlede resultat."
        ),
    )

    def __init__(self, *args: Any, children: Iterable[CaseChild] = (), **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "mapped_at": timezone.localtime().strftime(DATETIME_FORMAT),
                "subject": USER_SUBJECT,
            },
        )
        super().__init__(*args, **kwargs)
        self.children = {str(child.pk): child for child in children}
        subject = self.fields["subject"]
        assert isinstance(subject, forms.ChoiceField)  # noqa: S101
        subject.choices = [
            (USER_SUBJECT, _("Brukeren selv")),
            *((key, child.label) for key, child in self.children.items()),
        ]
        lang = ui_lang()
        for question in QUESTIONS:
            self.fields[answer_field_name(question.id)] = forms.CharField(
                label=question.text.get(lang),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def question_fields(self, section: str) -> list[forms.BoundField]:
        return [self[answer_field_name(q.id)] for q in QUESTIONS if q.section == section]

    def base_fields_in_order(self) -> list[forms.BoundField]:
        return [self[name] for name in ("subject", "mapped_at", "method", "method_other")]

    def result_fields(self) -> list[forms.BoundField]:
        return [self["result"], self["reasoning"]]

    @property
    def child(self) -> CaseChild | None:
        return self.children.get(self.cleaned_data.get("subject", ""))

    @property
    def answers(self) -> dict[str, str]:
        return {
            q.id: self.cleaned_data.get(answer_field_name(q.id), "")
            for q in QUESTIONS
            if self.cleaned_data.get(answer_field_name(q.id), "").strip()
        }

    def clean_mapped_at(self) -> dt.datetime:
        value = self.cleaned_data["mapped_at"]
        assert isinstance(value, dt.datetime)  # noqa: S101
        return value


def mapping_label(mapping: RiskMapping) -> str:
    """When, how and with what result: how a mapping is chosen in the assessment form."""
    method = (
        mapping.method_other
        if mapping.method == MappingMethod.OTHER
        else str(mapping.get_method_display())
    )
    when = f"{timezone.localtime(mapping.mapped_at):%d.%m.%Y %H:%M}"
    return f"{when} – {method} – {mapping.get_result_display()}"


def note_field_name(factor_id: str) -> str:
    return f"note_{factor_id}"


class AssessmentForm(forms.Form):
    """The nine factors of G7 (7 and 8 shown read-only: derived), kept apart from the user's
    own view and whether she took part (G6) and the staff member's judgement."""

    risk_mapping = forms.ChoiceField(
        label=_("Kartleggingen vurderingen bygger på"),
        help_text=_("Den nyeste kartleggingen av brukeren er valgt. Du kan velge en annen."),
    )
    user_participated = forms.TypedChoiceField(
        label=_("Deltok brukeren i vurderingen?"),
        choices=[("yes", _("Ja")), ("no", _("Nei"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("Politikontakt avgjøres av ansatte og bruker sammen."),
    )
    user_view = forms.CharField(
        label=_("Brukerens syn og ønsker, med brukerens egne ord"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    staff_judgement = forms.CharField(
        label=_("Din vurdering som ansatt"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_reassessment_on = DayField(
        label=_("Egen dato for ny vurdering"),
        required=False,
        help_text=_(
            "Valgfritt. Senteret setter datoen selv etter hva vurderingen kommer fram til. "
            "Her kan dere velge en tidligere dato, aldri en senere."
        ),
    )
    danger_to_life_or_health = forms.BooleanField(
        label=_(
            "Det er fare for liv eller alvorlig skade på helse, og det er nødvendig å gi "
            "politiet opplysninger for å forhindre det."
        ),
        required=False,
        help_text=_(
            "Krisesenterlova § 5 annet ledd gir rett, ikke plikt, til å gi opplysninger til "
            "politiet uten samtykke når det er nødvendig for å forhindre slik fare. Samtykke er "
            "fortsatt det beste grunnlaget når det kan fås."
        ),
    )
    danger_note = forms.CharField(
        label=_("Hva er faren, og hvorfor er det nødvendig å dele?"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    suspected_offences = forms.MultipleChoiceField(
        label=_("Mistenkte lovbrudd"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Brukes til å vise om brukerens ønske om påtale tillegges vekt (strafferamme på "
            "to år eller lavere), og om avvergeplikten kan gjelde: den gjelder bare "
            "lovbruddene på listen i straffeloven § 196. Politiet avgjør hvilke lovbrudd "
            "saken gjelder."
        ),
    )

    def __init__(
        self,
        *args: Any,
        mappings: Iterable[RiskMapping] = (),
        offences: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mappings = {str(m.pk): m for m in mappings}
        mapping_field = self.fields["risk_mapping"]
        assert isinstance(mapping_field, forms.ChoiceField)  # noqa: S101
        mapping_field.choices = [(key, mapping_label(m)) for key, m in self.mappings.items()]
        if self.mappings and not self.is_bound:
            self.initial.setdefault("risk_mapping", next(iter(self.mappings)))
        offence_field = self.fields["suspected_offences"]
        assert isinstance(offence_field, forms.MultipleChoiceField)  # noqa: S101
        offence_field.choices = list(offences)
        for factor in g7.FACTORS:
            if factor.derived:
                continue
            self.fields[factor.id] = forms.BooleanField(label=factor.label, required=False)
            self.fields[note_field_name(factor.id)] = forms.CharField(
                label=_("Merknad til faktor %(n)s") % {"n": factor.number},
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def factor_rows(
        self,
    ) -> list[tuple[g7.Factor, forms.BoundField | None, forms.BoundField | None]]:
        rows: list[tuple[g7.Factor, forms.BoundField | None, forms.BoundField | None]] = []
        for factor in g7.FACTORS:
            if factor.derived:
                rows.append((factor, None, None))
            else:
                rows.append((factor, self[factor.id], self[note_field_name(factor.id)]))
        return rows

    @property
    def chosen_mapping(self) -> RiskMapping | None:
        return self.mappings.get(self.cleaned_data.get("risk_mapping", ""))

    @property
    def factors(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in g7.TICKED}

    @property
    def notes(self) -> dict[str, str]:
        notes = {
            name: self.cleaned_data.get(note_field_name(name), "")
            for name in g7.TICKED
            if self.cleaned_data.get(note_field_name(name), "")
        }
        if self.cleaned_data.get("danger_note"):
            notes[g7.DANGER] = self.cleaned_data["danger_note"]
        return notes


class CentreSettingsForm(forms.Form):
    reassess_days_required = forms.IntegerField(
        label=_("Dager til revurdering når politikontakt er påkrevd"), min_value=1, max_value=365
    )
    reassess_days_recommended = forms.IntegerField(
        label=_("Dager til revurdering når politikontakt er anbefalt"), min_value=1, max_value=365
    )
    reassess_days_not_indicated = forms.IntegerField(
        label=_("Dager til revurdering når politikontakt ikke er aktuelt nå"),
        min_value=1,
        max_value=365,
    )
