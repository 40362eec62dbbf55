"""The log newest first; on PostgreSQL, search of an object (a tracking number) or an actor by the
beginning of its name: b-trees with pattern operators, kept out of the model state (SQLite migrates
unchanged).
"""

from django.conf import settings
from django.db import migrations, models

CREATE = """
CREATE INDEX IF NOT EXISTS audit_object_repr_prefix ON audit_auditentry (object_repr varchar_pattern_ops);
CREATE INDEX IF NOT EXISTS audit_actor_repr_prefix ON audit_auditentry (actor_repr varchar_pattern_ops);
"""
DROP = """
DROP INDEX IF EXISTS audit_object_repr_prefix;
DROP INDEX IF EXISTS audit_actor_repr_prefix;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["created_at", "id"], name="audit_created_idx"),
        ),
    ]
