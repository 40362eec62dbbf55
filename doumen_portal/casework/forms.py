"""The portal's form for one step of a case, built from the step's declaration."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StepForm(forms.Form):
    """What a person fills in to take ``step``: the note (required or not, as the step says), the fields of the
    step's own form, and a confirmation box for an irreversible step. ``step_data()`` is the data the step
    receives."""

    action = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, data=None, *, step, **kwargs):
        kwargs.setdefault("auto_id", f"id_{step.action}_%s")
        super().__init__(data, initial={"action": step.action}, **kwargs)
        self.step = step
        if step.takes_note:
            self.fields["note"] = forms.CharField(
                label=step.note_label or _("Note"),
                max_length=4000,
                required=step.note_required,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        step_form = step.make_form()
        self.step_fields = list(step_form.fields) if step_form is not None else []
        for name in self.step_fields:
            self.fields[name] = step_form.fields[name]
        if step.confirm:
            self.fields["confirm"] = forms.BooleanField(
                label=step.confirm_label or _("I understand that this step cannot be undone."),
                error_messages={"required": _("Tick the box to confirm: this step cannot be undone.")},
            )

    def clean_action(self):
        if self.cleaned_data["action"] != self.step.action:
            raise forms.ValidationError(_("This step is not available here."), code="other_step")
        return self.step.action

    @property
    def note(self) -> str:
        return self.cleaned_data.get("note", "")

    def step_data(self) -> dict:
        """The step's own fields as typed: the step's form cleans them again in ``transition``."""
        return {
            name: self.fields[name].widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name in self.step_fields
        }

    def add_refusal(self, error) -> None:
        """A service's refusal on this form: on the fields it names, else at the top."""
        named = {name: messages for name, messages in error.fields.items() if name in self.fields}
        for name, messages in named.items():
            for message in messages:
                self.add_error(name, message)
        if not named:
            self.add_error(None, str(error.message))


class RatingForm(forms.Form):
    """The applicant's rating of a decided case (``casework.services.rate_case``)."""

    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the outcome?"), choices=[], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        from .models import Satisfaction

        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].choices = Satisfaction.choices
