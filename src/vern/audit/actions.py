"""What an audit event records. The values are stored and hashed: never rename one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Authentication and sessions
    LOGIN = "login", _("Innlogging")
    LOGIN_FAILED = "login_failed", _("Mislykket innlogging")
    LOCKOUT = "lockout", _("Utestengt etter for mange forsøk")
    LOGOUT = "logout", _("Utlogging")
    SESSION_EXPIRED = "session_expired", _("Økten utløp")
    MFA_ENROLLED = "mfa_enrolled", _("Tofaktor registrert")
    MFA_VERIFIED = "mfa_verified", _("Tofaktor bekreftet")
    MFA_FAILED = "mfa_failed", _("Tofaktor mislyktes")
    BACKUP_CODES_REGENERATED = "backup_codes_regenerated", _("Reservekoder laget på nytt")
    STEP_UP = "step_up", _("Ny bekreftelse før sensitiv handling")
    STEP_UP_FAILED = "step_up_failed", _("Ny bekreftelse mislyktes")
    # OpenID Connect (issue 18): an identity at the municipality's provider linked or unlinked.
    OIDC_LINKED = "oidc_linked", _("Innlogging med kommunen koblet til konto")
    OIDC_UNLINKED = "oidc_unlinked", _("Innlogging med kommunen fjernet fra konto")
    # Passkeys (issue 18): using one is MFA_VERIFIED / STEP_UP with details {"method": "passkey"}
    PASSKEY_ENROLLED = "passkey_enrolled", _("Passnøkkel registrert")
    PASSKEY_REMOVED = "passkey_removed", _("Passnøkkel fjernet")
    # Accounts and centres
    USER_INVITED = "user_invited", _("Bruker invitert")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitasjon godtatt")
    USER_DEACTIVATED = "user_deactivated", _("Bruker deaktivert")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Tilbakestilling av passord bedt om")
    PASSWORD_RESET_DONE = "password_reset_done", _("Passord tilbakestilt")
    CENTRE_CREATED = "centre_created", _("Krisesenter opprettet")
    CENTRE_UPDATED = "centre_updated", _("Krisesenter endret")
    # Cases
    CASE_VIEWED = "case_viewed", _("Sak åpnet")
    CASE_CREATED = "case_created", _("Sak opprettet")
    CASE_UPDATED = "case_updated", _("Sak endret")
    CASE_CLOSED = "case_closed", _("Sak avsluttet")
    CASE_REOPENED = "case_reopened", _("Sak åpnet igjen")
    CASE_LISTED = "case_listed", _("Saksliste vist")
    ASSESSMENT_SAVED = "assessment_saved", _("Vurdering lagret")
    # Issue 17: the user's own view, given by the user in the "Assess together" mode.
    USER_VIEW_GIVEN = "user_view_given", _("Brukerens syn gitt i «Vurder sammen»")
    PAIRING_CREATED = "pairing_created", _("Kode for annen skjerm vist («Vurder sammen»)")
    PAIRING_CLAIMED = "pairing_claimed", _("Annen skjerm koblet («Vurder sammen»)")
    PAIRING_CLAIM_FAILED = "pairing_claim_failed", _("Feil kode for annen skjerm")
    PAIRING_ENDED = "pairing_ended", _("Kobling til annen skjerm avsluttet")
    RISK_MAPPING_SAVED = "risk_mapping_saved", _("Risikokartlegging lagret")
    INFORMATION_GIVEN = "information_given", _("Informasjon gitt")
    CONSENT_GIVEN = "consent_given", _("Samtykke gitt")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Samtykke trukket tilbake")
    CONSENT_REFUSED = "consent_refused", _("Samtykke avslått")
    POLICE_CONTACT_RECORDED = "police_contact_recorded", _("Kontakt med politiet registrert")
    DEVIATION_OPENED = "deviation_opened", _("Avvik åpnet")
    DEVIATION_CLOSED = "deviation_closed", _("Avvik lukket")
    # The leader acknowledges a contact without consent (duty to avert, danger ground; issue 14).
    POLICE_CONTACT_REVIEWED = (
        "police_contact_reviewed",
        _("Kontakt uten samtykke gjennomgått av leder"),
    )
    RELOCATION_RECORDED = "relocation_recorded", _("Flytting registrert")
    RELOCATION_DESTINATION_REVEALED = (
        "relocation_destination_revealed",
        _("Flyttemål vist"),
    )
    # The duty to notify the child welfare service (B1)
    CHILD_WELFARE_CONCERN_RECORDED = (
        "child_welfare_concern_recorded",
        _("Bekymring for barn registrert (opplysningsplikt til barnevernet)"),
    )
    CHILD_WELFARE_NOTIFIED = "child_welfare_notified", _("Melding til barnevernet registrert")
    # Retention (vern purge): the case and everything in it deleted; only ids stay in the log.
    CASE_PURGED = "case_purged", _("Sak slettet etter oppbevaringstiden")
    # Leaving the system
    EXPORT = "export", _("Eksport")
    PRINT = "print", _("Utskrift")
    DOCUMENT_GENERATED = "document_generated", _("Dokument laget")
    ACCESS_REPORT = "access_report", _("Innsynslogg laget")
    API_READ = "api_read", _("Lest via API")
    API_TOKEN_CREATED = "api_token_created", _("API-nøkkel laget")
    API_TOKEN_REVOKED = "api_token_revoked", _("API-nøkkel trukket tilbake")
    # A new rulebook version applied to the open cases (issue 13 point 6; counts only).
    RULEBOOK_APPLIED = "rulebook_applied", _("Ny versjon av regelboken tatt i bruk")
    # Refused object lookups: an id that is not the user's centre's, or not there at all (the
    # same event either way, never saying which; issue 15 point 7).
    LOOKUP_REFUSED = "lookup_refused", _("Oppslag avvist")
    # Reminders (issue 18): a person's e-mail choice; one event per centre and run of
    # ``vern remind`` with counts only (people, tasks, e-mails), never a case.
    REMINDER_PREFERENCE_CHANGED = (
        "reminder_preference_changed",
        _("Valg om e-post om oppgaver endret"),
    )
    REMINDERS_RUN = "reminders_run", _("Påminnelser om oppgaver laget")
    # The log itself
    AUDIT_VERIFIED = "audit_verified", _("Revisjonsloggen kontrollert")
