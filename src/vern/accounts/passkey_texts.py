"""Vern's words for the vendored django-otp-webauthn scripts' messages (issue 18).

The scripts call a global ``gettext(english)``; static/vern/passkeys.js defines it from this
table, rendered into each page in the person's language (nb, nn, en) as a JSON data block, so
no catalogue view and no inline script is needed (CSP). The keys are the scripts' own English
strings (vendor/django-otp-webauthn/*.js); a key the scripts no longer use is harmless, a new
string of theirs shows in English until it is added here."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_TRY_CODE = _("Passnøkkelen kunne ikke bekreftes. Prøv igjen, eller bruk en engangskode.")

TEXTS: dict[str, Promise] = {
    "Verify with Passkey": _("Bruk passnøkkel"),
    "Verifying...": _("Venter på passnøkkelen …"),
    "Finishing verification...": _("Bekrefter …"),
    "Verification successful!": _("Bekreftet."),
    "Verification aborted.": _("Avbrutt. Prøv igjen, eller bruk en engangskode."),
    "Verification canceled or not allowed.": _(
        "Avbrutt eller ikke tillatt. Prøv igjen, eller bruk en engangskode."
    ),
    "Verification failed. Could not retrieve parameters from the server.": _TRY_CODE,
    "Verification failed. An unknown error occurred.": _TRY_CODE,
    "Verification failed. An unknown server error occurred.": _TRY_CODE,
    "Verification failed. A server error occurred.": _TRY_CODE,
    "An error occurred during verification.": _TRY_CODE,
    "Register a Passkey": _("Lag passnøkkelen"),
    "Registering...": _("Venter på nettleseren …"),
    "Finishing registration...": _("Lagrer …"),
    "Registration successful!": _("Passnøkkelen er lagt til."),
    "Registration aborted.": _("Avbrutt. Ingen passnøkkel ble lagt til."),
    "Registration aborted or not allowed.": _(
        "Avbrutt eller ikke tillatt. Ingen passnøkkel ble lagt til."
    ),
    "Registration failed. You most likely already have a Passkey registered for this site.": _(
        "Denne enheten har trolig allerede en passnøkkel for Vern."
    ),
    "Registration failed. A technical problem occurred that prevents you from registering "
    "a Passkey for this site.": _(
        "Passnøkkelen kunne ikke lages her. Be den som drifter Vern sjekke adressen "
        "(VERN_WEBAUTHN_RP_ID)."
    ),
    "Registration failed. Unable to fetch registration options from server.": _(
        "Passnøkkelen kunne ikke registreres. Prøv igjen."
    ),
    "Registration failed. The server was unable to verify this passkey.": _(
        "Passnøkkelen kunne ikke registreres. Prøv igjen."
    ),
    "Registration failed. A server error occurred.": _(
        "Passnøkkelen kunne ikke registreres. Prøv igjen."
    ),
    "Registration failed. An unknown error occurred.": _(
        "Passnøkkelen kunne ikke registreres. Prøv igjen."
    ),
    "An error occurred during registration.": _("Passnøkkelen kunne ikke registreres. Prøv igjen."),
}


def texts() -> dict[str, str]:
    """The table in the active language."""
    return {english: str(text) for english, text in TEXTS.items()}
