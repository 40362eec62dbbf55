import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Town",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=30, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=30, unique=True, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[("town", "Town"), ("subdistrict", "Subdistrict")],
                        default="town",
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="sort order")),
            ],
            options={
                "verbose_name": "town or subdistrict",
                "verbose_name_plural": "towns and subdistricts",
                "ordering": ["sort_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="Village",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=30, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[("village", "Village"), ("community", "Community")],
                        default="village",
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "town",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="villages",
                        to="places.town",
                        verbose_name="town",
                    ),
                ),
            ],
            options={
                "verbose_name": "village or community",
                "verbose_name_plural": "villages and communities",
                "ordering": ["town__sort_order", "name"],
                "constraints": [
                    models.UniqueConstraint(fields=("town", "name"), name="places_village_unique_name_in_town")
                ],
            },
        ),
    ]
