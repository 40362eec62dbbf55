"""The extra data and side effects of the petition workflow's steps (declared in ``models.Petition.workflow``).

Nothing here imports the models at import time: the workflow is built while ``models`` is being loaded.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _


def _legal_channels():
    from .models import Petition

    return [("", "—"), *Petition.LegalChannel.choices]


class NotAcceptForm(forms.Form):
    """Not accepting a petition names the legal channel the petitioner should use instead."""

    legal_channel = forms.ChoiceField(
        label=_("Legal channel to use instead"),
        choices=_legal_channels,
        error_messages={"required": _("Name the legal channel the petitioner should use instead.")},
    )


class ForwardForm(forms.Form):
    """Forwarding a petition names the competent body."""

    forwarded_to = forms.CharField(
        label=_("Competent body"),
        max_length=100,
        error_messages={"required": _("Name the body the petition is forwarded to.")},
    )


class ExtensionForm(forms.Form):
    """An extension of the handling period: at most 30 days, 30 unless fewer are given."""

    days = forms.IntegerField(
        label=_("Extension in days"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("At most 30; leave empty for 30."),
    )


@dataclass(frozen=True)
class IssueLetter:
    """Effect: the numbered PDF letter of the step (``kind`` of ``services.LETTER_TYPES``) to the petitioner."""

    kind: str
    fields: tuple = ()

    def __call__(self, petition, *, actor, data, note, today) -> list[str]:
        from .services import issue_petition_letter

        issue_petition_letter(petition, kind=self.kind, note=note, issued_by=actor)
        return []
