"""Signed audit checkpoints in the database every node shares (issue 20, docs/audit.md).

PostgreSQL: like the events, the table is append-only even for its owner: a trigger rejects
every UPDATE and DELETE (per row) and TRUNCATE (per statement). Existing checkpoints in this
node's ``checkpoints.jsonl`` are copied in (each checked against its signature first).
"""

from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditcheckpoint is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS audit_checkpoint_no_update_delete ON audit_auditcheckpoint;
CREATE TRIGGER audit_checkpoint_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only();
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint;
CREATE TRIGGER audit_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint;
DROP TRIGGER IF EXISTS audit_checkpoint_no_update_delete ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS audit_checkpoint_append_only();
"""


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def no_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


def copy_file_checkpoints(apps, schema_editor):
    from vern.audit.checkpoints import read_checkpoints

    model = apps.get_model("audit", "AuditCheckpoint")
    found = read_checkpoints()  # lines that are not validly signed are not copied
    model.objects.bulk_create(
        model(seq=c.seq, hash=c.hash, at=c.at, signature=c.signature) for c in found.checkpoints
    )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_action_without_choices'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.BigIntegerField(editable=False)),
                ('hash', models.CharField(editable=False, max_length=64)),
                ('at', models.CharField(editable=False, max_length=40)),
                ('signature', models.CharField(editable=False, max_length=64)),
            ],
            options={
                'ordering': ['seq', 'id'],
                'indexes': [models.Index(fields=['seq'], name='audit_checkpoint_seq_idx')],
            },
        ),
        migrations.RunPython(triggers, no_triggers, elidable=False),
        migrations.RunPython(copy_file_checkpoints, migrations.RunPython.noop, elidable=False),
    ]
