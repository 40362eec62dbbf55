from .models import AuditEntry


def entries_for(obj):
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
