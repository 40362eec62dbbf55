"""The sign-up form's own fields, added to allauth's through ACCOUNT_SIGNUP_FORM_CLASS.

Kept apart from ``forms.py``, which imports allauth's forms: allauth imports this module while building them.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupConsentForm(forms.Form):
    """The consent box of the sign-up form (allauth's ACCOUNT_SIGNUP_FORM_CLASS); consent recorded per version."""

    agree = forms.BooleanField(
        label=_("I have read and agree to the user agreement and the privacy policy"),
        error_messages={"required": _("Tick the box to agree to the user agreement and the privacy policy.")},
    )

    def signup(self, request, user):
        from .policies import record_consent

        record_consent(user=user, request=request)
