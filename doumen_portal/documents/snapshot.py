"""A letter's context as JSON, saved with its document so the PDF can be rendered later, in another process.

Plain values are kept as they are; translated text is fixed in the language it was snapshotted in; dates,
times and decimals are tagged; a model instance is kept as a reference and read again when the letter is
rendered (its owner's data at that time, which the issuing step has already committed).
"""

import datetime
import decimal

from django.apps import apps
from django.db import models
from django.utils.functional import Promise


def snapshot(value):
    """``value`` as JSON-serializable primitives (see ``restore``)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"__decimal__": str(value)}
    if isinstance(value, models.Model):
        if value.pk is None:
            raise ValueError("A letter's context refers to saved objects only.")
        return {"__model__": value._meta.label, "pk": value.pk}
    if isinstance(value, dict):
        return {str(key): snapshot(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [snapshot(item) for item in value]
    raise TypeError(f"A letter's context cannot hold {type(value).__name__}.")


def restore(value):
    """The context ``snapshot`` saved, with dates, decimals and model instances back."""
    if isinstance(value, list):
        return [restore(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "__datetime__" in value:
        return datetime.datetime.fromisoformat(value["__datetime__"])
    if "__date__" in value:
        return datetime.date.fromisoformat(value["__date__"])
    if "__decimal__" in value:
        return decimal.Decimal(value["__decimal__"])
    if "__model__" in value:
        model = apps.get_model(value["__model__"])
        return model._default_manager.filter(pk=value["pk"]).first()
    return {key: restore(item) for key, item in value.items()}
