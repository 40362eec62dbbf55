from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from doumen_portal.documents.attachments import AttachmentField

from .idnumbers import validate_resident_id


class RealNameForm(forms.Form):
    real_name = forms.CharField(
        label=_("Full name"),
        max_length=50,
        help_text=_("As printed on your resident identity card."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        min_length=15,
        help_text=_("18 characters; the last may be X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )

    def clean_real_name(self):
        name = self.cleaned_data["real_name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name as on your ID card."), code="short_name")
        return name

    def clean_id_number(self):
        return validate_resident_id(self.cleaned_data["id_number"])


class IdentityCorrectionForm(RealNameForm):
    reason = forms.CharField(
        label=_("What is wrong and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: my name was changed at the household registry in 2025."),
    )

    document = AttachmentField(label=_("Supporting document"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _(
            "A scan or photo of your ID card or household register page. %(formats)s"
        ) % {"formats": self.fields["document"].help_text}
        self.fields["real_name"].label = _("Correct full name")
        self.fields["id_number"].label = _("Correct resident ID number")


class LoginForm(allauth_forms.LoginForm):
    """allauth's login, saying what Doumen users type: their mobile number (or e-mail)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Mobile number or e-mail")
        self.fields["login"].widget.attrs.update(placeholder="13800138000", autocomplete="username")
