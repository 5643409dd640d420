"""Forms of the documents pages: the document language, and what a case summary includes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.documents.exports import SUMMARY_SECTIONS, check_summary_sections
from vern.documents.texts import Language

# Vern's own languages are named in the reader's language (a choice, and in running text,
# where Norwegian writes them in lower case); any other language by its own name.
UI_NAMES = {"nb": _("Norsk bokmål"), "nn": _("Norsk nynorsk"), "en": _("Engelsk")}
UI_NAMES_IN_TEXT = {"nb": _("bokmål"), "nn": _("nynorsk"), "en": _("engelsk")}


def ui_name(lang: Language, *, in_text: bool = False) -> str:
    return str((UI_NAMES_IN_TEXT if in_text else UI_NAMES).get(lang.code, lang.name))


def language_choices(langs: list[Language]) -> list[tuple[str, str]]:
    unreviewed = _("ikke kontrollert oversettelse")
    return [
        (lang.code, ui_name(lang) if lang.reviewed else f"{ui_name(lang)} ({unreviewed})")
        for lang in langs
    ]


class LanguageForm(forms.Form):
    sprak = forms.ChoiceField(
        label=_("Språk i dokumentene"),
        help_text=_("Dokumentene lages på brukerens språk, uavhengig av språket du bruker her."),
    )

    def __init__(self, *args: Any, langs: list[Language], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sprak"].choices = language_choices(langs)  # type: ignore[attr-defined]


class SummaryForm(LanguageForm):
    timeline = forms.BooleanField(label=_("Tidslinjen"), required=False, initial=True)
    assessments = forms.BooleanField(
        label=_("Vurderinger med resultat og regelverksversjon"), required=False, initial=True
    )
    consents = forms.BooleanField(label=_("Samtykker"), required=False, initial=True)
    police = forms.BooleanField(label=_("Kontakter med politiet"), required=False, initial=True)
    relocations = forms.BooleanField(label=_("Flytting"), required=False, initial=False)
    relocation_destination = forms.BooleanField(
        label=_("Navnet på det nye krisesenteret"),
        help_text=_(
            "Sensitivt: ta bare med flyttemålet når det er helt nødvendig og trygt for brukeren."
        ),
        required=False,
        initial=False,
    )

    child_welfare = forms.BooleanField(
        label=_("Melding til barnevernet (opplysningsplikt)"),
        help_text=_(
            "Forklarer opplysningsplikten og viser når meldinger til barnevernstjenesten ble "
            "sendt. Vurder om det er trygt for barnet før du tar det med."
        ),
        required=False,
        initial=False,
    )

    SECTIONS = SUMMARY_SECTIONS

    def clean(self) -> dict[str, Any]:
        """The rules of ``exports.check_summary_sections`` (the API's summary keeps them too)."""
        data = super().clean() or {}
        try:
            check_summary_sections(data)
        except forms.ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            for name, errors in exc.error_dict.items():
                self.add_error(name, errors)
        return data
