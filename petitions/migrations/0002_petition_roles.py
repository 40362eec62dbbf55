from django.db import migrations


def grant_roles(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0001_initial"),
        ("accounts", "0006_sysadmin_corrections_and_mfa"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
