"""Move the signed consent forms this node keeps under MEDIA_ROOT into the database (issue 20).

Each file is checked against the SHA-256 recorded at upload and read back before it counts;
the disk copies stay (``vern files import --remove`` deletes them once verified). Files kept
on another app server's disk are moved by running ``vern files import`` there
(docs/operations.md); until then that node still serves them.
"""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)


def forward(apps, schema_editor):
    from vern.consent.filestore import import_from_disk

    report = import_from_disk(
        file_model=apps.get_model("consent", "SignedConsentFile"),
        content_model=apps.get_model("consent", "SignedConsentFileContent"),
    )
    if report.imported or report.missing or report.mismatched:
        logger.warning("signed consent files: %s", report.summary())


class Migration(migrations.Migration):
    dependencies = [("consent", "0008_signed_file_content_in_the_database")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
