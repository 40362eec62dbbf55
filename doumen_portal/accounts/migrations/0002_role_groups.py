"""Create the staff role groups with their permissions (see ``accounts.roles``)."""

from django.db import migrations


def create_role_groups(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("places", "0002_load_doumen"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
