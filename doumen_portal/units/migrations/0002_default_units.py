"""The units existing cases belong to (the petition station, the incubation base, the social-governance office),
and the district-wide permission for the district leader and system administrator roles."""

from django.db import migrations


def create_default_units(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups
    from doumen_portal.units.defaults import ensure_default_units

    ensure_default_units(apps)
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("units", "0001_units_and_memberships")]

    operations = [migrations.RunPython(create_default_units, migrations.RunPython.noop)]
