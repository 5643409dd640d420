"""``vern demo``: create (or refresh) a demo centre with demo staff and print how to log in.

Idempotent: running it again keeps the data, sets the demo password again and prints fresh
single-use backup codes (the old ones stop working)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vern.accounts import mfa
from vern.accounts.models import Role, User
from vern.accounts.models import VernTOTPDevice as TOTPDevice
from vern.cases.models import Case
from vern.cases.services import case_create
from vern.centres.models import Centre, PoliceDistrict
from vern.centres.tenancy import system_scope
from vern.desk import demo_data

DEMO_PASSWORD = "demo-passord-vern-2026"  # noqa: S105  (demo only; refused in production)
DEMO_CENTRE = {
    "name": "Demo krisesenter",
    "municipality": "Fjordby",
    "police_district": PoliceDistrict.VEST,
}
OTHER_CENTRE = {
    "name": "Demo krisesenter Nord",
    "municipality": "Nordvik",
    "police_district": PoliceDistrict.NORDLAND,
}
DEMO_USERS = [
    ("ansatt", "Demo Ansatt", Role.ANSATT, "main"),
    ("leder", "Demo Leder", Role.LEDER, "main"),
    ("admin", "Demo Administrator", Role.ADMINISTRATOR, None),
    ("ansatt-nord", "Demo Ansatt Nord", Role.ANSATT, "other"),
]


class Command(BaseCommand):
    help = "Create or refresh the demo centre and demo staff, and print how to log in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Print nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            msg = "vern demo refuses to run with VERN_ENV=production."
            raise CommandError(msg)
        codes, created = self.create()
        if options["quiet"]:
            return
        w = self.stdout.write
        if created:
            w(f"Demo cases created: {len(created)} (every step of the workflow, see README).")
        w("")
        w("=" * 72)
        w("Vern demo – log in at http://127.0.0.1:8000/")
        w(f"Password for every demo user: {DEMO_PASSWORD}")
        w("One-time code: use a backup code below (each works once), or add the")
        w("TOTP secret to an authenticator app. Run `make demo` for new codes.")
        w("-" * 72)
        for username, (role, secret, user_codes) in codes.items():
            w(f"{username:12} {role:14} TOTP secret {secret}")
            w(f"{'':12} backup codes: {' '.join(user_codes)}")
        w("=" * 72)

    def create(self) -> tuple[dict[str, tuple[str, str, list[str]]], list[str]]:
        # Demo data spans centres: system scope (PostgreSQL row-level security).
        with system_scope():
            codes = self.create_users()
            staff = User.objects.get(username="ansatt")
            leader = User.objects.get(username="leder")
            created = demo_data.build(staff, leader)
            other = User.objects.get(username="ansatt-nord")
            if not Case.objects.filter(centre=other.centre).exists():
                case_create(acting_user=other, reference="Nord-01", name="Annen Senterbruker")
                created.append("Nord-01")
        return codes, created

    @transaction.atomic
    def create_users(self) -> dict[str, tuple[str, str, list[str]]]:
        main, _ = Centre.objects.get_or_create(name=DEMO_CENTRE["name"], defaults=DEMO_CENTRE)
        other, _ = Centre.objects.get_or_create(name=OTHER_CENTRE["name"], defaults=OTHER_CENTRE)
        centres = {"main": main, "other": other, None: None}
        result: dict[str, tuple[str, str, list[str]]] = {}
        for username, full_name, role, centre_key in DEMO_USERS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "full_name": full_name,
                    "role": role,
                    "centre": centres[centre_key],
                    "email": f"{username}@demo.invalid",
                    "is_active": True,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                TOTPDevice.objects.filter(user=user).delete()
                device = TOTPDevice.objects.create(user=user, name=mfa.TOTP_NAME, confirmed=True)
            codes = mfa.new_backup_codes(user)
            result[username] = (str(role), mfa.secret_base32(device).replace(" ", ""), codes)
        return result
