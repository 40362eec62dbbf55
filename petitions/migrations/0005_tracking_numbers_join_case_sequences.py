"""Tracking numbers are now issued by the shared reference generator (``casework.CaseSequence``, prefix XF):
each year's last number moves there, so the sequence continues without reusing a number."""

from django.db import migrations


def move_sequences(apps, schema_editor):
    TrackingSequence = apps.get_model("petitions", "TrackingSequence")
    CaseSequence = apps.get_model("casework", "CaseSequence")
    for old in TrackingSequence.objects.all():
        sequence, _created = CaseSequence.objects.get_or_create(prefix="XF", year=old.year)
        if sequence.last_number < old.last_number:
            sequence.last_number = old.last_number
            sequence.save(update_fields=["last_number"])


def move_back(apps, schema_editor):
    TrackingSequence = apps.get_model("petitions", "TrackingSequence")
    CaseSequence = apps.get_model("casework", "CaseSequence")
    for sequence in CaseSequence.objects.filter(prefix="XF"):
        TrackingSequence.objects.update_or_create(year=sequence.year, defaults={"last_number": sequence.last_number})


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0004_list_indexes_and_search"),
        ("casework", "0005_case_reference_sequences"),
    ]

    operations = [
        migrations.RunPython(move_sequences, move_back),
        migrations.DeleteModel(name="TrackingSequence"),
    ]
