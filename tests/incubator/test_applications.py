"""The incubation workflow: every step allowed and refused, clocks, the agreement, graduation, editing."""

import pytest
from django.core import mail  # noqa: F401  (outbox used by notification checks)
from django.utils import translation

from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.services import InvalidTransition, transition
from doumen_portal.documents.models import Document
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted
from doumen_portal.notifications.models import Notification
from incubator import services
from incubator.models import GraduationReview, IncubationApplication

from .conftest import S, make_application

pytestmark = pytest.mark.django_db

WORKFLOW = IncubationApplication.workflow
APPLICANT_ACTIONS = {"submit", "resubmit"}
ALL_STATES = list(S)
ALLOWED = [(status, step.action) for step in WORKFLOW.steps.values() for status in step.sources_set]
REFUSED = [(status, action) for status in ALL_STATES for action in WORKFLOW.steps if (status, action) not in ALLOWED]


def actor_for(action, representative, staff):
    return representative if action in APPLICANT_ACTIONS else staff


@pytest.mark.parametrize(("status", "action"), sorted(ALLOWED))
def test_allowed_step_moves_the_application_and_writes_history(status, action, organization, representative, staff):
    application = make_application(organization, representative, staff, status)
    if action == "graduate":
        GraduationReview.objects.create(
            application=application, decision=GraduationReview.Decision.GRADUATE, decided_by=staff
        )
    before = CaseHistory.objects.count()

    transition(application, action, actor=actor_for(action, representative, staff), note="理由")

    application.refresh_from_db()
    assert application.status == WORKFLOW.step(action).target
    assert CaseHistory.objects.count() == before + 1


@pytest.mark.parametrize(("status", "action"), sorted(REFUSED))
def test_step_from_a_wrong_state_is_refused_and_nothing_changes(status, action, organization, representative, staff):
    application = make_application(organization, representative, staff, status)
    before = CaseHistory.objects.count()

    with pytest.raises(InvalidTransition):
        transition(application, action, actor=actor_for(action, representative, staff), note="理由")

    application.refresh_from_db()
    assert application.status == status
    assert CaseHistory.objects.count() == before


@pytest.mark.parametrize("action", sorted(set(WORKFLOW.steps) - APPLICANT_ACTIONS))
def test_representative_cannot_take_staff_steps(action, organization, representative, staff):
    source = sorted(WORKFLOW.step(action).sources_set)[0]
    application = make_application(organization, representative, staff, source)

    with pytest.raises(NotPermitted):
        transition(application, action, actor=representative, note="x")
    application.refresh_from_db()
    assert application.status == source


@pytest.mark.parametrize("action", sorted(APPLICANT_ACTIONS))
def test_staff_and_other_representatives_cannot_take_applicant_steps(
    action, organization, representative, staff, outsider
):
    source = sorted(WORKFLOW.step(action).sources_set)[0]
    application = make_application(organization, representative, staff, source)
    for actor in (staff, outsider):
        with pytest.raises(NotPermitted):
            transition(application, action, actor=actor, note="x")
    application.refresh_from_db()
    assert application.status == source


def test_leader_reads_but_cannot_decide(organization, representative, staff, leader):
    application = make_application(organization, representative, staff, S.SUBMITTED)
    with pytest.raises(NotPermitted):
        transition(application, "accept", actor=leader)


def test_submit_starts_a_20_working_day_clock_and_request_info_pauses_it(organization, representative, staff):
    from django.utils import timezone

    from doumen_portal.casework.calendar import add_working_days

    application = make_application(organization, representative, staff, S.SUBMITTED)
    assert application.due_date == add_working_days(timezone.localdate(), 20)

    transition(application, "request_info", actor=staff, note="请补充章程")
    application.refresh_from_db()
    assert application.due_date is None
    assert application.paused_days_left is not None

    transition(application, "resubmit", actor=representative)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert application.due_date is not None


def test_request_info_and_reject_need_a_reason(organization, representative, staff):
    application = make_application(organization, representative, staff, S.UNDER_REVIEW)
    for action in ("request_info", "reject"):
        with pytest.raises(InvalidInput):
            transition(application, action, actor=staff, note=" ")
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_accept_issues_the_agreement_with_term_and_review_date_and_tells_the_applicant(
    organization, representative, staff
):
    application = make_application(organization, representative, staff, S.UNDER_REVIEW)

    transition(application, "accept", actor=staff, note="同意入驻")

    application.refresh_from_db()
    assert application.decision_note == "同意入驻"
    assert application.starts_on is not None
    assert (application.review_date - application.starts_on).days in range(365, 367)
    document = Document.objects.get(doc_type="incubation_agreement")
    assert document.number.startswith("斗孵协〔") and document.number.endswith("〕1号")
    assert document.recipient == representative
    assert Notification.objects.filter(recipient=representative, kind="case_update").count() >= 1


def test_each_decision_notifies_the_applicant(organization, representative, staff):
    application = make_application(organization, representative, staff, S.SUBMITTED)
    before = Notification.objects.filter(recipient=representative).count()
    transition(application, "reject", actor=staff, note="不符合条件")
    assert Notification.objects.filter(recipient=representative).count() == before + 1


def test_graduate_needs_a_passing_review(organization, representative, staff):
    application = make_application(organization, representative, staff, S.INCUBATING)
    with pytest.raises(InvalidTransition):
        transition(application, "graduate", actor=staff)


def test_graduation_review_records_criteria_and_graduates(organization, representative, staff):
    application = make_application(organization, representative, staff, S.INCUBATING)

    review = services.record_graduation_review(
        application, actor=staff, registered=True, governance=True, staff=True, projects=True, decision="graduate"
    )

    application.refresh_from_db()
    assert application.status == S.GRADUATED
    assert review.decided_by == staff and review.all_criteria_met


def test_graduation_refused_when_a_criterion_is_missing(organization, representative, staff):
    application = make_application(organization, representative, staff, S.INCUBATING)
    with translation.override("en"), pytest.raises(InvalidInput, match="every criterion"):
        services.record_graduation_review(
            application, actor=staff, registered=True, governance=True, staff=False, projects=True, decision="graduate"
        )
    assert not GraduationReview.objects.exists()
    application.refresh_from_db()
    assert application.status == S.INCUBATING


def test_continue_decision_keeps_incubating(organization, representative, staff):
    application = make_application(organization, representative, staff, S.INCUBATING)
    services.record_graduation_review(
        application,
        actor=staff,
        registered=True,
        governance=False,
        staff=True,
        projects=True,
        decision="continue",
        note="理事会尚未换届",
    )
    application.refresh_from_db()
    assert application.status == S.INCUBATING
    assert GraduationReview.objects.count() == 1


def test_representative_cannot_record_a_graduation_review(organization, representative, staff):
    application = make_application(organization, representative, staff, S.INCUBATING)
    with pytest.raises(NotPermitted):
        services.record_graduation_review(
            application,
            actor=representative,
            registered=True,
            governance=True,
            staff=True,
            projects=True,
            decision="graduate",
        )
    assert not GraduationReview.objects.exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.MORE_INFO])
def test_representative_edits_while_draft_or_info_requested(status, organization, representative, staff):
    application = make_application(organization, representative, staff, status)
    services.update_application(application, actor=representative, plan="新的计划", needs=["funding"])
    application.refresh_from_db()
    assert application.plan == "新的计划" and application.needs == ["funding"]


@pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.REJECTED, S.INCUBATING])
def test_editing_is_refused_once_submitted(status, organization, representative, staff):
    application = make_application(organization, representative, staff, status)
    with pytest.raises(Conflict):
        services.update_application(application, actor=representative, plan="改")
    application.refresh_from_db()
    assert application.plan != "改"


def test_outsider_cannot_edit_or_create_for_another_organization(organization, representative, staff, outsider):
    application = make_application(organization, representative, staff, S.DRAFT)
    with pytest.raises(NotPermitted):
        services.update_application(application, actor=outsider, plan="改")
    with pytest.raises(NotPermitted):
        services.create_application(outsider, organization=organization, plan="x", needs=[], team="x")
    application.refresh_from_db()
    assert application.plan != "改"
    assert IncubationApplication.objects.count() == 1


def test_one_open_application_per_organization(organization, representative, staff):
    make_application(organization, representative, staff, S.SUBMITTED)
    with pytest.raises(Conflict):
        services.create_application(representative, organization=organization, plan="x", needs=[], team="x")
    assert IncubationApplication.objects.count() == 1


def test_unknown_need_is_refused(organization, representative):
    with pytest.raises(InvalidInput):
        services.create_application(representative, organization=organization, plan="x", needs=["money"], team="x")
    assert not IncubationApplication.objects.exists()


def test_application_shows_on_my_affairs(client, organization, representative, staff):
    application = make_application(organization, representative, staff, S.SUBMITTED)
    client.force_login(representative)
    page = client.get("/my-affairs/").content.decode()
    assert application.reference in page
    assert organization.name in page
