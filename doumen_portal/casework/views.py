"""Portal helpers for case pages: the step forms of a case and taking the step a form posted."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from doumen_portal.exceptions import InvalidInput, PortalError

from .forms import RatingForm, StepForm
from .services import rate_case, transition


def step_forms(case, user, *, steps=None) -> list[StepForm]:
    """An empty form for each step ``user`` may take on the case now (``steps``: only these), for the
    ``casework/partials/step_buttons.html`` partial."""
    steps = case.workflow.available(case, user) if steps is None else steps
    return [StepForm(step=step) for step in steps]


def take_step_from_post(request, case, *, steps=None, done_message: str | None = None, action_url: str = ""):
    """Take the step a case page's form posted, with its note and data, and go back to the case; on GET
    (``?action=``) show that step's form on a page of its own.

    ``steps`` limits the steps this page offers (default: every step the user may take now). A refusal of the
    step (not permitted, not in this state) becomes a message on the case page; missing or wrong data shows
    the step's form again with the errors and what was typed. Nothing is changed then.
    """
    available = case.workflow.available(case, request.user) if steps is None else steps
    chosen = request.POST.get("action", "") if request.method == "POST" else request.GET.get("action", "")
    step = next((s for s in available if s.action == chosen), None)
    if step is None:
        messages.error(request, _("This step is not available here."))
        return redirect(case)
    form = StepForm(request.POST if request.method == "POST" else None, step=step)
    if form.is_valid():
        try:
            transition(case, step.action, actor=request.user, note=form.note, data=form.step_data(), request=request)
        except InvalidInput as error:
            form.add_refusal(error)
        except PortalError as error:
            messages.error(request, error.message)
            return redirect(case)
        else:
            case.refresh_from_db()
            # ``done_message`` may name the new status: "Done: your petition is now “%(status)s”."
            messages.success(request, (done_message or _("Done.")) % {"status": case.get_status_display()})
            return redirect(case)
    return TemplateResponse(
        request,
        "casework/step_form.html",
        {"case": case, "step": step, "form": form, "action_url": action_url or request.path},
    )


def rating_form(case, user) -> RatingForm | None:
    """An empty rating form when ``user`` is the applicant and the case may be rated now, for the
    ``casework/partials/rating.html`` partial."""
    return RatingForm() if case.applicant_id == user.pk and case.can_be_rated else None


def rate_from_post(request, case):
    """Record the rating a case page's form posted and go back to the case (refusals as messages)."""
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how satisfied you are."))
        return redirect(case)
    try:
        rate_case(
            case,
            actor=request.user,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you for rating the outcome."))
    return redirect(case)
