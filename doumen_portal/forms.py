"""How every form of the portal speaks to people: errors in their words, named after the field.

``FORM_RENDERER`` points at ``PortalFormRenderer``, so every Django form (the portal's, allauth's, the admin's)
binds its fields with ``PortalBoundField``. A missing value then reads "请填写涉及单位" (fill in the body
concerned) or "请选择镇街" (choose the town) instead of the generic "该字段是必填项。", without each form
repeating its own ``error_messages``.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

# Error codes that mean "nothing was given": Django's ``required`` and the portal's whitespace-only ``blank``.
MISSING_CODES = frozenset({"required", "blank"})


def missing_value_message(field: forms.Field, label: str) -> str:
    """What to ask for when ``field`` was left empty: choose, upload, tick or fill in."""
    widget = field.widget
    if isinstance(widget, forms.FileInput):
        return _("Upload %(label)s") % {"label": label}
    if isinstance(widget, forms.CheckboxInput):
        return _("Tick “%(label)s”") % {"label": label}
    if isinstance(widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return _("Choose %(label)s") % {"label": label}
    return _("Fill in %(label)s") % {"label": label}


class PortalBoundField(forms.BoundField):
    """A bound field whose "missing value" errors name the field and say what to do."""

    @property
    def errors(self):
        errors = super().errors
        if not errors or not self.label:
            return errors
        # A field that words its own "required" message keeps it.
        own_message = self.field.error_messages.get("required") != forms.Field.default_error_messages["required"]
        reworded = self.form.error_class(renderer=self.form.renderer, field_id=self.auto_id or None)
        for error in errors.as_data():
            if error.code in MISSING_CODES and not (error.code == "required" and own_message):
                reworded.append(missing_value_message(self.field, str(self.label)))
            else:
                reworded.extend(error.messages)
        return reworded


class PortalFormRenderer(DjangoTemplates):
    """Django's template renderer, binding fields with ``PortalBoundField``."""

    bound_field_class = PortalBoundField


# Django 5.2 words its password-length error with "%d", and its Chinese catalog still has the older
# "%(min_length)d" text, so the error showed in English. Naming the exact text here puts its Chinese in the
# portal's catalog, which Django reads first.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
