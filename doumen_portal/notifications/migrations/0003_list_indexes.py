"""Indexes matching the inbox (a person's messages newest first) and the admin's list of all messages."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_lease_and_one_message_per_channel"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["recipient", "created_at", "id"], name="notif_recipient_created_idx"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["created_at", "id"], name="notif_created_idx"),
        ),
    ]
