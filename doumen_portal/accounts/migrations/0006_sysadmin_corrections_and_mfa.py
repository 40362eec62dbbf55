from django.db import migrations


def grant_roles(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_identity_correction_roles"), ("mfa", "0003_authenticator_type_uniq")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
