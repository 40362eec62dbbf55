"""Portal pages of surveys: the surveys sent to one's organizations, and the answer form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doumen_portal.exceptions import PortalError

from .. import selectors
from ..forms import SurveyAnswerForm
from ..services import surveys as survey_services


@login_required
def survey_list(request):
    """The surveys sent to the organizations one represents, answered or not."""
    return render(request, "incubator/surveys.html", {"rows": selectors.surveys_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, pk, organization_pk):
    """Answer a survey for an organization; the answers can be changed until the survey closes."""
    survey, organization = selectors.survey_for_answer(request.user, pk, organization_pk)
    questions = list(survey.questions.all())
    existing = selectors.answers_of(survey, organization)
    form = SurveyAnswerForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial_answers=existing,
        disabled=not survey.is_open,
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_services.submit_response(
                survey, organization=organization, actor=request.user, answers=form.answers(), request=request
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Thank you: your answers are saved. You may change them until the survey closes.")
            )
            return redirect("incubator:surveys")
    return render(
        request,
        "incubator/survey_answer.html",
        {"survey": survey, "organization": organization, "form": form, "answered": bool(existing)},
    )
