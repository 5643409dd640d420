"""Writes for OpenID Connect identities: link, unlink, accept an invitation by signing in.

Each writes its audit event in the same transaction. An identity is the issuer and the
subject claim; the account's centre and role stay Vern's and come from the invitation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vern.accounts.models import Invitation, OIDCIdentity, User
from vern.accounts.services import can_manage
from vern.audit.actions import AuditAction
from vern.audit.services import audit_record
from vern.core import clock

SUBJECT_MAX_LENGTH = 255


def _check_subject(subject: str) -> str:
    subject = subject.strip()
    if not subject:
        raise ValidationError({"subject": _("Skriv inn identiteten hos kommunen.")})
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise ValidationError(
            {"subject": _("Identiteten kan være høyst %(n)d tegn.") % {"n": SUBJECT_MAX_LENGTH}}
        )
    return subject


def _taken(issuer: str, subject: str) -> bool:
    return bool(OIDCIdentity.objects.filter(issuer=issuer, subject=subject).exists())


def _create(*, user: User, issuer: str, subject: str, linked_by: User | None) -> OIDCIdentity:
    if _taken(issuer, subject):
        raise ValidationError(
            {"subject": _("Denne identiteten hos kommunen er allerede koblet til en konto.")}
        )
    if OIDCIdentity.objects.filter(user=user, issuer=issuer).exists():
        raise ValidationError(
            {"subject": _("Kontoen har allerede en identitet hos kommunen. Fjern den først.")}
        )
    try:
        with transaction.atomic():
            identity: OIDCIdentity = OIDCIdentity.objects.create(
                user=user,
                name="oidc",
                confirmed=True,
                issuer=issuer,
                subject=subject,
                linked_by=linked_by,
            )
            return identity
    except IntegrityError:  # a parallel link of the same identity
        raise ValidationError(
            {"subject": _("Denne identiteten hos kommunen er allerede koblet til en konto.")}
        ) from None


@transaction.atomic
def identity_link(*, acting_user: User, user: User, issuer: str, subject: str) -> OIDCIdentity:
    """An administrator (leaders and administrators) or a leader (their centre's staff) links
    an account to its identity at the provider."""
    if not can_manage(acting_user=acting_user, target=user) or not user.is_active:
        raise PermissionDenied
    identity = _create(
        user=user, issuer=issuer, subject=_check_subject(subject), linked_by=acting_user
    )
    audit_record(
        action=AuditAction.OIDC_LINKED,
        actor=acting_user,
        centre=user.centre,
        object_type="user",
        object_id=user.pk,
        details={"via": "administrator", "identity": identity.pk},
    )
    return identity


@transaction.atomic
def identity_unlink(*, acting_user: User, identity: OIDCIdentity) -> None:
    user = identity.user
    if not can_manage(acting_user=acting_user, target=user):
        raise PermissionDenied
    identity_id = identity.pk
    identity.delete()
    audit_record(
        action=AuditAction.OIDC_UNLINKED,
        actor=acting_user,
        centre=user.centre,
        object_type="user",
        object_id=user.pk,
        details={"identity": identity_id},
    )


@transaction.atomic
def invitation_accept_with_identity(
    *, invitation: Invitation, issuer: str, subject: str
) -> tuple[User, OIDCIdentity]:
    """The invited person signed in at the provider: the account is created from the
    invitation (its role and centre), without a usable password, and linked to the identity."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open(clock.now()):
        raise ValidationError(_("Invitasjonen er brukt eller utløpt."))
    if User.objects.filter(username__iexact=invitation.username).exists():
        raise ValidationError(_("Brukernavnet er allerede i bruk."))
    if _taken(issuer, subject):
        raise ValidationError(
            _("Denne identiteten hos kommunen er allerede koblet til en annen konto.")
        )
    user = User(
        username=invitation.username,
        email=invitation.email,
        full_name=invitation.full_name,
        role=invitation.role,
        centre=invitation.centre,
    )
    user.set_unusable_password()
    user.save()
    identity = _create(user=user, issuer=issuer, subject=subject, linked_by=None)
    invitation.accepted_at = clock.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(
        action=AuditAction.INVITATION_ACCEPTED,
        actor=user,
        centre=user.centre,
        object_type="invitation",
        object_id=invitation.pk,
        details={"via": "oidc"},
    )
    audit_record(
        action=AuditAction.OIDC_LINKED,
        actor=user,
        centre=user.centre,
        object_type="user",
        object_id=user.pk,
        details={"via": "invitation", "identity": identity.pk},
    )
    return user, identity
