from django.db import migrations


def grant_roles(apps, schema_editor):
    from doumen_portal.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """System administrators enter and confirm holiday years."""

    dependencies = [
        ("casework", "0003_holiday_years_and_clock_terms"),
        ("accounts", "0008_identity_correction_due_date_provisional"),
        ("incubator", "0006_cases_due_date_provisional"),
        ("petitions", "0003_petition_due_date_provisional"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
