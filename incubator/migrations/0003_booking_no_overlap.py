"""On PostgreSQL, the database itself refuses two booked slots of one resource that overlap.

A GiST exclusion constraint over (resource, [starts_at, ends_at)) needs the btree_gist extension for the
equality on ``resource_id``. SQLite has no such constraint; there the booking service's check (under a
write transaction, which SQLite serializes) is the rule. Kept out of the model state on purpose, so that
django.contrib.postgres need not be installed and SQLite migrations stay valid.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE incubator_resourcebooking ADD CONSTRAINT incubator_booking_no_overlap
    EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status = 'booked');
"""
DROP = "ALTER TABLE incubator_resourcebooking DROP CONSTRAINT IF EXISTS incubator_booking_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("incubator", "0002_roles")]

    operations = [migrations.RunPython(create, drop)]
