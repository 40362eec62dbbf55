from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import CaseHistory

BUILT_IN_LABELS = {
    "submit": _("Filed"),
    "assign": _("Assigned to a handler"),
    "refer": _("Referred to another unit"),
    "recount_deadline": _("Deadline counted again with the confirmed public holidays"),
    "claim": _("Added to your account"),
}


def history_of(case):
    """The case's steps, oldest first, with their actors, in one query."""
    return CaseHistory.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    ).select_related("actor")


def timeline_of(case) -> list[CaseHistory]:
    """History rows with a human ``label`` for each step, for the person following their case."""
    workflow = type(case).workflow
    rows = list(history_of(case))
    for row in rows:
        step = workflow.step(row.action)
        row.label = step.label if step else BUILT_IN_LABELS.get(row.action, row.action)
        if row.action == "submit" and case.filed_by_id is not None:
            # The station's practice: the person sees that the service desk filed it, not which staff member.
            row.label = _("Filed on your behalf by the service desk")
        # Who handles a case is internal to the service; the applicant sees that it was assigned.
        row.public_note = "" if row.action == "assign" else row.note
    return rows
