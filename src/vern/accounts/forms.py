from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from vern.accounts.models import Role, User
from vern.centres.models import Centre


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message for an unknown user and a wrong password alike.
        "invalid_login": _("Feil brukernavn eller passord."),
        "inactive": _("Feil brukernavn eller passord."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Brukernavn")
        self.fields["password"].label = _("Passord")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Engangskode"),
        max_length=16,
        help_text=_("Sekssifret kode fra autentiseringsappen, eller en reservekode."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class SetPasswordForInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("Velg passord"),
        strip=False,
        help_text=_("Minst 12 tegn. Bruk gjerne en setning du husker."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Gjenta passordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user_for_validation: User | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.user_for_validation = user_for_validation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Passordene er ikke like."))
        elif p1:
            try:
                validate_password(p1, self.user_for_validation)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Fullt navn"), max_length=200)
    username = forms.SlugField(
        label=_("Brukernavn"),
        max_length=150,
        help_text=_("Små bokstaver, tall og bindestrek."),
    )
    email = forms.EmailField(label=_("E-post"))
    role = forms.ChoiceField(label=_("Rolle"), choices=())
    centre = forms.ModelChoiceField(
        label=_("Krisesenter"), queryset=Centre.objects.none(), required=False
    )

    def __init__(self, *args: Any, inviter: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if inviter.is_administrator:
            role_choices = [
                (Role.LEDER.value, Role.LEDER.label),
                (Role.ADMINISTRATOR.value, Role.ADMINISTRATOR.label),
            ]
            self.fields["centre"].queryset = Centre.objects.filter(is_active=True)  # type: ignore[attr-defined]
            self.fields["centre"].help_text = _("Påkrevd for ledere, tomt for administratorer.")
        else:
            role_choices = [
                (Role.ANSATT.value, Role.ANSATT.label),
                (Role.LEDER.value, Role.LEDER.label),
            ]
            del self.fields["centre"]
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)  # noqa: S101  (narrowing for mypy)
        role_field.choices = role_choices

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].lower()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Brukernavnet er allerede i bruk."))
        return username


class CentreForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Centre
        fields = ["name", "municipality", "police_district"]
