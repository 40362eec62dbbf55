from django.db import migrations


def grant_roles(apps, schema_editor):
    """Hand security.manage_apitoken to the roles that list it (the security administrator)."""
    from doumen_portal.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_api_tokens"), ("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
