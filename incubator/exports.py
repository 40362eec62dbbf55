"""XLSX exports of the incubator (openpyxl, written in memory)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors


def survey_results_xlsx(survey) -> bytes:
    """A workbook with the summary per question and one row per organization's response."""
    from openpyxl import Workbook

    results = selectors.survey_results(survey)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    summary.append([survey.title])
    summary.append([_("Responses"), results["responses"], _("Sent to"), results["recipients"]])
    for row in results["rows"]:
        summary.append([])
        summary.append([row["question"].text, row["question"].get_kind_display(), _("Answered"), row["answered"]])
        for choice in row.get("choices", []):
            summary.append([choice["label"], choice["count"], f"{choice['percent']}%"])
        if "mean" in row:
            summary.append([_("Minimum"), row["min"], _("Maximum"), row["max"], _("Mean"), row["mean"]])
        for organization, text in row.get("texts", []):
            summary.append([organization, text])
    sheet = workbook.create_sheet(_("Responses"))
    questions, table = selectors.survey_responses_table(survey)
    sheet.append([_("Organization"), _("Updated at"), *[q.text for q in questions]])
    for organization, updated_at, *cells in table:
        sheet.append([organization, timezone.localtime(updated_at).replace(tzinfo=None), *cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
