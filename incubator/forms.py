import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.documents.attachments import AttachmentField
from doumen_portal.documents.forms import KeepsUploadsMixin
from doumen_portal.places.models import Town

from .creditcode import validate_credit_code
from .models import Grade, IncubationApplication, Need, Organization, OrganizationType, Resource
from .services import EDITABLE_FIELDS, ORGANIZATION_FIELDS


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters (GET); every field optional."""

    q = forms.CharField(label=_("Organization name"), required=False, max_length=50)
    org_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *OrganizationType.choices]
    )
    town = forms.ModelChoiceField(
        label=_("Town"), required=False, queryset=Town.objects.all(), empty_label=_("All towns")
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", _("All grades")), *Grade.choices])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganizationForm(forms.ModelForm):
    """What a representative edits; the credit code is claimed at registration and confirmed by staff."""

    class Meta:
        model = Organization
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "founded_on": DateInput(),
            "registered_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "credit_code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {"contact_person": _("Contacts are seen by base staff only, never on public pages.")}

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip()
        return validate_credit_code(code) if code else None

    def validate_unique(self):
        # The service checks uniqueness under a lock and says so in a clear message.
        pass


class CertificateField(AttachmentField):
    """The registration certificate (登记证书): one scan or PDF, as a list for ``KeepsUploadsMixin``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        return [uploaded] if uploaded else []


class OrganizationRegistrationForm(KeepsUploadsMixin, OrganizationForm):
    """Registering an organization: with a credit code, the registration certificate goes to staff, who
    confirm the code; a certificate chosen before a failed submit is kept."""

    upload_field = "certificate"
    max_uploads = 1

    certificate = CertificateField(label=_("Registration certificate (登记证书)"))

    class Meta(OrganizationForm.Meta):
        fields = list(ORGANIZATION_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("credit_code") and not (cleaned.get("certificate") or self.kept_uploads):
            self.add_error("certificate", _("Upload the registration certificate (登记证书) with the credit code."))
        return cleaned


class ApplicationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    plan = forms.CharField(
        label=_("Development plan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the organization will do in the coming year and whom it serves."),
    )
    needs = forms.MultipleChoiceField(
        label=_("What you need from the base"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    team = forms.CharField(
        label=_("Team"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who runs the organization, with their experience."),
    )
    document = AttachmentField(label=_("Document (charter, plan, certificate)"), required=False)

    def __init__(self, *args, organizations=None, application: IncubationApplication | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = (
                organizations if organizations is not None else Organization.objects.none()
            )


class BookingForm(forms.Form):
    resource = forms.ModelChoiceField(label=_("Room or equipment"), queryset=Resource.objects.filter(is_active=True))
    organization = forms.ModelChoiceField(label=_("For"), queryset=Organization.objects.none())
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    purpose = forms.CharField(label=_("Purpose"), max_length=200)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )

    def clean(self):
        cleaned = super().clean()
        if {"date", "start", "end"} <= cleaned.keys():
            zone = timezone.get_current_timezone()
            cleaned["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(cleaned["date"], cleaned["start"]), zone
            )
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(cleaned["date"], cleaned["end"]), zone)
        return cleaned


class SurveyAnswerForm(forms.Form):
    """One field per question of a survey (named ``q<id>``); the service checks the answers again."""

    def __init__(self, *args, questions=(), initial_answers=None, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Question

        initial_answers = initial_answers or {}
        self.questions = list(questions)
        for question in self.questions:
            options = {"label": question.text, "required": question.required, "disabled": disabled}
            initial = initial_answers.get(question.pk)
            choices = [(choice, choice) for choice in question.choices]
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **options)
            elif question.kind == Question.Kind.NUMBER:
                field = forms.DecimalField(
                    max_digits=15, decimal_places=4, widget=forms.NumberInput(attrs={"step": "any"}), **options
                )
            else:
                field = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **options)
            field.initial = initial
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict:
        """Answers by question ID, in the form the service takes."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            answers[question.pk] = str(value) if value is not None and not isinstance(value, str | list) else value
        return answers
