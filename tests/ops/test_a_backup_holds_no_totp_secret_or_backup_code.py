"""Issue 15 point 3: a `vern backup` archive, decrypted with the backup key, holds the MFA
secrets only in their protected form: no TOTP secret (hex or base32), no backup code."""

from __future__ import annotations

import json
import subprocess
import textwrap

from tests.ops.conftest import BACKUP_KEY, DrillDb
from vern.ops.backup import stage_archive

ENROL = textwrap.dedent(
    """
    import base64, json, os
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
    import django
    django.setup()
    from vern.accounts import mfa
    from vern.accounts.models import Role, User
    from vern.centres.models import Centre
    centre = Centre.objects.create(name="MFA", municipality="Oslo", police_district="oslo")
    user = User.objects.create(username="mfa-probe", role=Role.ANSATT, centre=centre)
    device = mfa.pending_totp_device(user)
    codes = mfa.new_backup_codes(user)
    secret = device.bin_key
    print(json.dumps({"hex": secret.hex(), "b32": base64.b32encode(secret).decode(),
                      "codes": codes}))
    """
)


def test_the_decrypted_backup_contains_neither_the_totp_secret_nor_a_backup_code(
    drill_db: DrillDb,
) -> None:
    probe = json.loads(drill_db.run("-c", ENROL).stdout.strip().splitlines()[-1])
    archive = drill_db.root / "mfa.vernbk"
    drill_db.vern("backup", "--output", str(archive))
    staging = drill_db.root / "staging"
    staging.mkdir(mode=0o700)
    staged = stage_archive(
        archive, secret=BACKUP_KEY.encode(), staging=staging, vendor=drill_db.vendor
    )
    dump = staged.dump.read_bytes()
    if drill_db.vendor == "postgresql":  # pg_dump -Fc is compressed: read it as plain SQL
        dump = subprocess.run(
            ["pg_restore", "--file=-", str(staged.dump)],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
    assert b"mfa-probe" in dump  # the user is in the backup...
    for secret in (probe["hex"], probe["hex"].upper(), probe["b32"], probe["b32"].lower()):
        assert secret.encode() not in dump  # ...but not the TOTP secret
    for code in probe["codes"]:
        assert code.encode() not in dump
        assert code.upper().encode() not in dump
