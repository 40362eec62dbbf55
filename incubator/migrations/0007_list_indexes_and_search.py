"""Indexes matching the application lists' order and "my affairs"; on PostgreSQL a trigram index for
searching organizations by any part of their name, Chinese included (kept out of the model state so that
SQLite migrates unchanged).
"""

from django.conf import settings
from django.db import migrations, models

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS incubator_org_name_trgm ON incubator_organization USING gin (upper(name) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS incubator_org_name_trgm;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0006_cases_due_date_provisional"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="gradingapplication",
            index=models.Index(fields=["created_at", "id"], name="incubator_grading_created"),
        ),
        migrations.AddIndex(
            model_name="gradingapplication",
            index=models.Index(fields=["applicant", "updated_at"], name="incubator_grading_applicant"),
        ),
        migrations.AddIndex(
            model_name="incubationapplication",
            index=models.Index(fields=["created_at", "id"], name="incubator_app_created"),
        ),
        migrations.AddIndex(
            model_name="incubationapplication",
            index=models.Index(fields=["applicant", "updated_at"], name="incubator_app_applicant"),
        ),
    ]
