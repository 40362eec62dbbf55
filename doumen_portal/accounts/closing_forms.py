from django import forms
from django.utils.translation import gettext_lazy as _


class CloseAccountForm(forms.Form):
    """The owner proves who they are again (password or SMS code) and confirms the consequences."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Or leave it empty and use a verification code sent to your mobile number."),
    )
    code = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that closing cannot be undone, and I want to close my account."),
        error_messages={"required": _("Tick the box to confirm that you want to close your account.")},
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("password") and not cleaned.get("code"):
            self.add_error("password", _("Enter your password or a verification code."))
        return cleaned
