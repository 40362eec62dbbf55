"""Every case belongs to a handling unit: existing cases go to their kind's default unit."""

import django.db.models.deletion
from django.db import migrations, models


BACKFILL = [('accounts', 'IdentityCorrectionRequest', 'social-governance-office')]


def backfill_units(apps, schema_editor):
    from doumen_portal.units.defaults import ensure_default_units

    ensure_default_units(apps)
    Unit = apps.get_model("units", "Unit")
    for app_label, model_name, code in BACKFILL:
        apps.get_model(app_label, model_name).objects.filter(unit__isnull=True).update(
            unit=Unit.objects.get(code=code)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_policy_consent'),
        ('units', '0002_default_units'),
    ]

    operations = [
        migrations.AddField(
            model_name='identitycorrectionrequest',
            name='unit',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(app_label)s_%(class)s_cases', to='units.unit', verbose_name='handling unit'),
        ),
        migrations.RunPython(backfill_units, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='identitycorrectionrequest',
            name='unit',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='%(app_label)s_%(class)s_cases', to='units.unit', verbose_name='handling unit'),
        ),
        migrations.AddIndex(
            model_name='identitycorrectionrequest',
            index=models.Index(fields=['unit', 'status', 'due_date'], name='accounts_idcorr_unit_due'),
        ),
        migrations.AddIndex(
            model_name='identitycorrectionrequest',
            index=models.Index(fields=['unit', 'created_at'], name='accounts_idcorr_unit_new'),
        ),
    ]
