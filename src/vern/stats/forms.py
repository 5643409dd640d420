from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.stats.period import years


class PeriodForm(forms.Form):
    aar = forms.TypedChoiceField(label=_("År"), coerce=int, required=False)
    kvartal = forms.TypedChoiceField(
        label=_("Periode"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", _("Hele året")),
            ("1", _("1. kvartal")),
            ("2", _("2. kvartal")),
            ("3", _("3. kvartal")),
            ("4", _("4. kvartal")),
        ],
    )

    def __init__(self, *args: Any, allow_quarter: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aar"].choices = [(str(y), str(y)) for y in years()]  # type: ignore[attr-defined]
        if not allow_quarter:
            del self.fields["kvartal"]
