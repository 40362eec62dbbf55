"""Portal pages of grading: eligibility, the application, the self-assessment, progress and certificate."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from doumen_portal.casework.selectors import timeline_of
from doumen_portal.casework.views import rate_from_post, rating_form, step_forms, take_step_from_post
from doumen_portal.documents.selectors import documents_of
from doumen_portal.exceptions import PortalError

from .. import selectors
from ..models import GradingApplication
from ..models.grading import MAX_SCORE
from ..permissions import represents
from ..services import grading as grading_services


class SelfAssessmentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Self-assessment"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("How the organization meets each group of indicators: governance, work, finances."),
    )
    score = forms.IntegerField(label=gettext_lazy("Self-assessed score (0 to 1,000)"), min_value=0, max_value=MAX_SCORE)


@login_required
def grading_list(request):
    """The grading applications of one's organizations, and whether each organization may apply now."""
    organizations = selectors.organizations_of(request.user)
    return render(
        request,
        "incubator/gradings.html",
        {
            "applications": selectors.gradings_visible_to(request.user).filter(
                organization__representative_links__user=request.user
            ),
            "eligibility": selectors.eligibility_of(organizations),
        },
    )


@login_required
@require_POST
def grading_new(request):
    organization = selectors.organizations_of(request.user).filter(pk=request.POST.get("organization") or 0).first()
    if organization is None:
        messages.error(request, _("Choose one of your organizations."))
        return redirect("incubator:gradings")
    try:
        application = grading_services.create_grading_application(
            request.user, organization=organization, request=request
        )
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("incubator:gradings")
    messages.success(request, _("Your draft is saved. Write the self-assessment, then submit the application."))
    return redirect(application)


@login_required
def grading_detail(request, reference):
    application = selectors.grading_for(request.user, reference)
    is_representative = represents(request.user, application.organization)
    published = application.total_score is not None
    return render(
        request,
        "incubator/grading_detail.html",
        {
            "application": application,
            "history": timeline_of(application),
            "step_forms": step_forms(application, request.user),
            "rating_form": rating_form(application, request.user),
            "may_edit": application.is_editable and is_representative,
            "problems": grading_services.eligibility_problems(application.organization)
            if application.status == GradingApplication.Status.DRAFT
            else [],
            "sheet": selectors.score_sheet(application) if published or not is_representative else [],
            "documents": documents_of(application),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request, reference):
    application = selectors.grading_for(request.user, reference)
    form = SelfAssessmentForm(
        request.POST or None, initial={"text": application.self_assessment, "score": application.self_score}
    )
    if request.method == "POST" and form.is_valid():
        try:
            grading_services.save_self_assessment(
                application,
                actor=request.user,
                text=form.cleaned_data["text"],
                score=form.cleaned_data["score"],
                request=request,
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect(application)
    return render(request, "incubator/grading_self_assessment.html", {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "POST"])
def grading_step(request, reference):
    application = selectors.grading_for(request.user, reference)
    return take_step_from_post(request, application)


@login_required
@require_http_methods(["POST"])
def grading_rate(request, reference):
    return rate_from_post(request, selectors.grading_for(request.user, reference))
