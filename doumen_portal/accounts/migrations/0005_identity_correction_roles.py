from django.db import migrations


def grant_roles(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_identity_correction_request"),
        ("casework", "0001_initial"),
        ("audit", "0002_append_only"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
