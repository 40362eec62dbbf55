"""Make the audit log append-only in the database itself.

UPDATE is always refused; DELETE only for rows older than 180 days (the retention job). On PostgreSQL the
application's role should in addition lack UPDATE/DELETE/TRUNCATE grants on this table where the
deployment separates the migration role from the application role (see README).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_auditentry_protect() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit entries are append-only';
    END IF;
    IF OLD.created_at > now() - interval '180 days' THEN
        RAISE EXCEPTION 'audit entries younger than 180 days cannot be deleted';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_protect BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_protect();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_auditentry_protect ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_auditentry_protect();
"""


def protect(apps, schema_editor):
    # PostgreSQL is the production database. SQLite (development only) has no such protection: its test
    # flushes use DELETE, which the protection would refuse.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


def grant_roles(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("accounts", "0002_role_groups")]

    operations = [
        migrations.RunPython(protect, unprotect),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
