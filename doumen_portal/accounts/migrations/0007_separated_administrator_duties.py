"""Separated administrator duties: the security and audit administrator roles, and the powers the system
administrator hands over to them (see ``accounts.roles``)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_sysadmin_corrections_and_mfa"),
        ("axes", "0010_accessattemptexpiration"),
        ("audit", "0002_append_only"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "permissions": [("assign_role", "Can give and take staff roles")],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
