"""Indexes matching each petition list's filter and order; on PostgreSQL also the search indexes.

Staff search a tracking number by its beginning (``XF2026-0001``: a b-tree with pattern operators serves
``LIKE 'XF2026-0001%'`` in any collation) and subjects and bodies concerned by any part of the text,
Chinese included (trigram GIN indexes on ``UPPER(...)``, the expression Django's ``icontains`` uses). The
search indexes stay out of the model state, as the booking constraint does, so SQLite migrates unchanged.
"""

from django.conf import settings
from django.db import migrations, models

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS petitions_tracking_prefix ON petitions_petition (tracking_number varchar_pattern_ops);
CREATE INDEX IF NOT EXISTS petitions_subject_trgm ON petitions_petition USING gin (upper(subject) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS petitions_respondent_trgm ON petitions_petition USING gin (upper(respondent) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS petitions_tracking_prefix;
DROP INDEX IF EXISTS petitions_subject_trgm;
DROP INDEX IF EXISTS petitions_respondent_trgm;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0003_petition_due_date_provisional"),
        ("places", "0002_load_doumen"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["created_at", "id"], name="petitions_created"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["status", "created_at"], name="petitions_status_created"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["town", "status", "due_date"], name="petitions_town_status_due"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["assignee", "status", "due_date"], name="petitions_assignee_status"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["applicant", "created_at"], name="petitions_applicant_created"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["applicant", "updated_at"], name="petitions_applicant_updated"),
        ),
    ]
