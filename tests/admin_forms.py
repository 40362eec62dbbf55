"""Posting an admin change form back as a browser would: every field the page shows, with its current value."""

import datetime

from django.db.models import Model


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [str(item.pk if isinstance(item, Model) else item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def _form_fields(form, data):
    for name in form.fields:
        value = _as_post_value(form[name].value())
        if value is not None:
            data[form.add_prefix(name)] = value


def change_form_data(response) -> dict:
    """The POST data of the admin change page in ``response``: the main form and every inline's existing rows,
    unchanged (no new inline rows)."""
    data = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_fields(formset.management_form, data)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            _form_fields(form, data)
    return data
