from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vern.cases.forms import CloseCaseForm


class CloseWithLiveItemsForm(CloseCaseForm):
    """Closing a case; the confirmation is asked for only when something is still live."""

    confirm_live = forms.BooleanField(
        label=_("Jeg har sett gjennom listen og vil avslutte saken likevel"),
        required=False,
    )

    def __init__(self, *args: object, live: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not live:
            del self.fields["confirm_live"]
