"""Case models announce themselves here so "my affairs" lists a person's cases from every app."""

from doumen_portal.affairs import Affair, register

# Every registered case model, for the daily deadline reminders and the dashboards.
case_models: list = []


def affairs_queryset(model, user, *, before=None, show: str = "all"):
    """``user``'s cases of ``model``, most recently updated first (before ``before``, if given): all, those
    waiting for the person (``action``), in progress (``open``) or finished (``done``)."""
    cases = model.objects.filter(applicant=user)
    if show == "action":
        cases = cases.filter(status__in=model.workflow.applicant_statuses)
    elif show == "open":
        cases = cases.exclude(status__in=model.workflow.finished_statuses)
    elif show == "done":
        cases = cases.filter(status__in=model.workflow.finished_statuses)
    if before is not None:
        cases = cases.filter(updated_at__lt=before)
    return cases.order_by("-updated_at", "-id")


def register_case_model(model, *, service, title_field: str, reference_field: str = "reference") -> None:
    """List ``model``'s cases filed by a person on their "my affairs" page (one query per model and page,
    served by an index on ``(applicant, updated_at)``)."""

    def provider(user, *, before=None, limit: int, show: str = "all"):
        cases = affairs_queryset(model, user, before=before, show=show)[:limit]
        for case in cases:
            yield Affair(
                service=service,
                title=str(getattr(case, title_field)),
                status=case.get_status_display(),
                reference=getattr(case, reference_field),
                url=case.get_absolute_url(),
                updated_at=case.updated_at,
                deadline=case.due_date,
                deadline_provisional=case.due_date_provisional,
                finished=case.status in model.workflow.finished_statuses,
                needs_action=case.status in model.workflow.applicant_statuses,
            )

    provider.__qualname__ = f"affairs_of_{model._meta.label_lower}"
    register(provider)
    if model not in case_models:
        case_models.append(model)
