import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from doumen_portal.documents.attachments import AttachmentField, inspect_upload
from doumen_portal.documents.forms import KeepsUploadsMixin
from doumen_portal.exceptions import InvalidInput
from doumen_portal.places.models import Town, Village

from .models import AgencyAuthorization

MAX_FILES = 5
PETITION_FILE_KINDS = {"pdf", "jpeg", "png"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class VillageSelect(forms.Select):
    """Each village option names its town (``data-town``), so the list can follow the chosen town in the browser."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-town"] = instance.town_id
        return option


class PetitionFilesField(AttachmentField):
    """Up to five PDF or image files, each checked by content (not by name) like every upload."""

    widget = MultipleFileInput
    default_validators = []

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ".pdf,.jpg,.jpeg,.png"}

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(count)d files.") % {"count": MAX_FILES}, code="too_many")
        cleaned = []
        for uploaded in files:
            uploaded = super().clean(uploaded, initial)
            try:
                kind = inspect_upload(uploaded).kind
            except InvalidInput as error:
                raise ValidationError(f"{uploaded.name}: {error.message}", code=error.code) from None
            if kind.key not in PETITION_FILE_KINDS:
                raise ValidationError(
                    _("%(name)s: attach PDF documents or JPEG/PNG images only.") % {"name": uploaded.name},
                    code="kind",
                )
            cleaned.append(uploaded)
        if sum(uploaded.size for uploaded in cleaned) > settings.ATTACHMENT_MAX_REQUEST_BYTES:
            raise ValidationError(
                _("The files together may be at most %(limit)s.")
                % {"limit": filesizeformat(settings.ATTACHMENT_MAX_REQUEST_BYTES)},
                code="too_large_together",
            )
        return cleaned


class PetitionFieldsMixin:
    """What the citizen's form and the desk's on-behalf form check alike: a submission token against double
    submits, the village list following the chosen town (also without JavaScript), no blank texts, the village
    in the town and the number of people when others are involved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
        town = self.data.get("town") if self.is_bound else self.initial.get("town")
        if town and str(town).isdigit():
            self.fields["village"].queryset = self.fields["village"].queryset.filter(town_id=int(town))

    def _not_blank(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            raise ValidationError(_("This field cannot be blank."), code="blank")
        return value

    def clean_subject(self):
        return self._not_blank("subject")

    def clean_facts(self):
        return self._not_blank("facts")

    def clean_request(self):
        return self._not_blank("request")

    def clean_respondent(self):
        return self._not_blank("respondent")

    def clean(self):
        cleaned = super().clean()
        town, village = cleaned.get("town"), cleaned.get("village")
        if town and village and village.town_id != town.pk:
            self.add_error("village", _("The village or community is not in the town chosen."))
        if cleaned.get("involves_others") and (cleaned.get("people_count") or 0) < 2:
            self.add_error("people_count", _("When others are involved, give the number of people (at least 2)."))
        return cleaned


class PetitionForm(PetitionFieldsMixin, KeepsUploadsMixin, forms.Form):
    max_uploads = MAX_FILES
    # Without JavaScript, a button after this field shows the form again with the villages of the chosen town.
    refresh_after = "town"

    subject = forms.CharField(
        label=_("Subject"), max_length=100, help_text=_("One line, e.g. “Unpaid land compensation”.")
    )
    facts = forms.CharField(
        label=_("Facts"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, when and where (at most 5,000 characters)."),
    )
    request = forms.CharField(label=_("What you ask for"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    respondent = forms.CharField(
        label=_("Body concerned"), max_length=100, help_text=_("The office, company or person the petition is about.")
    )
    town = forms.ModelChoiceField(label=_("Town or subdistrict"), queryset=Town.objects.all())
    village = forms.ModelChoiceField(
        label=_("Village or community"),
        queryset=Village.objects.select_related("town"),
        required=False,
        widget=VillageSelect(attrs={"data-follows": "id_town"}),
        error_messages={"invalid_choice": _("The village or community is not in the town chosen.")},
        help_text=_("Choose the town first: the list shows its villages and communities."),
    )
    involves_others = forms.BooleanField(label=_("Other people are involved"), required=False)
    people_count = forms.IntegerField(
        label=_("Number of people involved"), min_value=1, max_value=100000, initial=1, help_text=_("Including you.")
    )
    attachments = PetitionFilesField(label=_("Documents and photos"))
    authorize_agency = forms.BooleanField(
        label=_("I authorize the petition agency station to act as my agent"), required=False
    )
    authorization_scope = forms.ChoiceField(
        label=_("What the station may do for me"),
        choices=AgencyAuthorization.Scope.choices,
        initial=AgencyAuthorization.Scope.FULL,
        widget=forms.RadioSelect,
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "Up to %(count)d PDF documents or JPEG/PNG images, at most %(limit)s each and %(total)s together."
        ) % {
            "count": MAX_FILES,
            "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            "total": filesizeformat(settings.ATTACHMENT_MAX_REQUEST_BYTES),
        }


class LookupForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=40, help_text=_("As on your receipt, e.g. XF2026-000123-7K.")
    )
    phone = forms.CharField(
        label=_("Mobile phone number you filed from"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class OnBehalfPetitionForm(PetitionFieldsMixin, forms.Form):
    """The station's desk logs a walk-in or phone petition for a person without an account: who they are, then
    the petition's fields as on the citizen's form (checked the same way, by the form and by the service)."""

    name = forms.CharField(label=_("Petitioner's full name"), max_length=50)
    phone = forms.CharField(
        label=_("Petitioner's mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("The receipt and every step go to this number by SMS until the person signs up with it."),
    )
    id_number = forms.CharField(
        label=_("Petitioner's resident ID number"),
        max_length=22,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Petitions are real-name: only an account verified with this number gets the petition."),
    )
    address = forms.CharField(label=_("Petitioner's address"), max_length=200, required=False)
    subject = PetitionForm.base_fields["subject"]
    facts = PetitionForm.base_fields["facts"]
    request = forms.CharField(
        label=_("What the petitioner asks for"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    respondent = PetitionForm.base_fields["respondent"]
    town = PetitionForm.base_fields["town"]
    village = PetitionForm.base_fields["village"]
    involves_others = PetitionForm.base_fields["involves_others"]
    people_count = forms.IntegerField(
        label=_("Number of people involved"),
        min_value=1,
        max_value=100000,
        initial=1,
        help_text=_("Including the petitioner."),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    # Where the service's refusals belong on this form, by their code.
    ERROR_FIELDS = {
        "name_required": "name",
        "name_too_long": "name",
        "invalid_phone": "phone",
        "address_too_long": "address",
        "id_number_required": "id_number",
        "length": "id_number",
        "format": "id_number",
        "checksum": "id_number",
        "birth_date": "id_number",
        "region": "id_number",
        "village_town": "village",
        "people": "people_count",
    }

    def clean_phone(self):
        from doumen_portal.accounts.phones import to_e164

        e164 = to_e164(self.cleaned_data["phone"])
        if e164 is None:
            raise ValidationError(
                _("Enter the person's valid mobile number, for example 13800138000."), code="invalid_phone"
            )
        return e164

    def clean_id_number(self):
        from doumen_portal.accounts.idnumbers import validate_resident_id

        return validate_resident_id(self.cleaned_data["id_number"])

    def clean_name(self):
        return " ".join(self._not_blank("name").split())

    def add_service_error(self, error) -> None:
        """Show a service's refusal (``PortalError``) next to the field it concerns."""
        field = self.ERROR_FIELDS.get(error.code)
        self.add_error(field if field in self.fields else None, error.message)
