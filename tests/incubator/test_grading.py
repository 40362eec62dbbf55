"""Grading: eligibility, band mapping at the edges, every transition allowed and refused, the grade's effects,
expiry reminders, visibility, API and query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from doumen_portal.casework.calendar import add_calendar_days
from doumen_portal.casework.services import InvalidTransition, transition
from doumen_portal.documents.models import Document
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted
from doumen_portal.notifications.models import Notification
from incubator.models import (
    AnnualInspection,
    GradeBand,
    GradeExpiryReminder,
    GradingApplication,
    Indicator,
    IndicatorScore,
    Organization,
    Penalty,
)
from incubator.models.incubation import add_months
from incubator.services import grading as services
from tests.conftest import login_with_mfa
from tests.letters import render_pending_documents

from .conftest import make_organization

pytestmark = pytest.mark.django_db

G = GradingApplication.Status


def make_eligible(organization, *, today=None):
    today = today or timezone.localdate()
    Organization.objects.filter(pk=organization.pk).update(registered_on=add_months(today, -36))
    AnnualInspection.objects.create(organization=organization, year=today.year - 1, result="passed")
    organization.refresh_from_db()
    return organization


@pytest.fixture
def eligible(organization):
    return make_eligible(organization)


def scores_for(total: int) -> dict:
    """Points per indicator adding up to ``total`` (indicators filled in order)."""
    scores, left = {}, total
    for indicator in Indicator.objects.all():
        points = min(indicator.max_points, left)
        scores[indicator.pk] = points
        left -= points
    return scores


def advance(application, representative, staff, to, *, total=750):
    """Move an application along the workflow to ``to``."""
    path = [G.SUBMITTED, G.SELF_ASSESSED, G.SCORING, G.NOTICE, G.DECIDED]
    for status in path:
        if application.status == to:
            break
        if status == G.SUBMITTED:
            transition(application, "submit", actor=representative)
        elif status == G.SELF_ASSESSED:
            services.save_self_assessment(application, actor=representative, text="治理规范。", score=800)
            transition(application, "complete_self_assessment", actor=representative)
        elif status == G.SCORING:
            transition(application, "start_scoring", actor=staff)
        elif status == G.NOTICE:
            services.record_scores(application, actor=staff, scores=scores_for(total))
            transition(application, "publish", actor=staff)
        elif status == G.DECIDED:
            end_notice(application)
            transition(application, "decide", actor=staff, note="评估委员会审定。")
    application.refresh_from_db()
    assert application.status == to
    return application


def end_notice(application):
    GradingApplication.objects.filter(pk=application.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    application.refresh_from_db()


@pytest.fixture
def application(eligible, representative):
    return services.create_grading_application(representative, organization=eligible)


# Eligibility ---------------------------------------------------------------------------------------------


def test_eligible_organization_has_no_problems(eligible):
    assert services.eligibility_problems(eligible) == []


def test_registered_exactly_two_years_ago_is_eligible_and_a_day_less_is_not(organization):
    today = datetime.date(2026, 6, 15)
    AnnualInspection.objects.create(organization=organization, year=2025, result="passed")
    organization.registered_on = datetime.date(2024, 6, 15)
    assert services.eligibility_problems(organization, today=today) == []
    organization.registered_on = datetime.date(2024, 6, 16)
    problems = services.eligibility_problems(organization, today=today)
    assert len(problems) == 1 and "2024年6月16日" in str(problems[0])


def test_not_registered_is_not_eligible(organization):
    organization.status, organization.registered_on = Organization.Status.PREPARING, None
    assert len(services.eligibility_problems(organization)) == 2  # not registered, no inspection


def test_valid_grade_excludes_and_expired_grade_does_not(eligible):
    eligible.grade, eligible.grade_valid_until = "3A", timezone.localdate()
    assert len(services.eligibility_problems(eligible)) == 1
    eligible.grade_valid_until = timezone.localdate() - datetime.timedelta(days=1)
    assert services.eligibility_problems(eligible) == []


@pytest.mark.parametrize("result, eligible_", [("failed", False), ("missed", False), ("basically_passed", True)])
def test_last_years_inspection_result(eligible, result, eligible_):
    AnnualInspection.objects.filter(organization=eligible).update(result=result)
    assert (services.eligibility_problems(eligible) == []) is eligible_


def test_missing_last_years_inspection_excludes(eligible):
    AnnualInspection.objects.filter(organization=eligible).delete()
    assert len(services.eligibility_problems(eligible)) == 1


def test_penalty_within_a_year_excludes_and_older_does_not(eligible):
    penalty = Penalty.objects.create(
        organization=eligible,
        decided_on=timezone.localdate() - datetime.timedelta(days=30),
        authority="斗门区民政局",
        description="警告",
    )
    assert len(services.eligibility_problems(eligible)) == 1
    Penalty.objects.filter(pk=penalty.pk).update(decided_on=add_months(timezone.localdate(), -13))
    assert services.eligibility_problems(eligible) == []


# Bands ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score, grade",
    [
        (1000, "5A"),
        (900, "5A"),
        (899, "4A"),
        (800, "4A"),
        (799, "3A"),
        (700, "3A"),
        (699, "2A"),
        (600, "2A"),
        (599, "1A"),
        (500, "1A"),
        (499, ""),
        (0, ""),
    ],
)
def test_band_mapping_at_the_edges(score, grade):
    assert services.grade_for_score(score) == grade


@pytest.mark.parametrize("score", [-1, 1001])
def test_score_outside_the_scale_is_refused(score):
    with pytest.raises(InvalidInput):
        services.grade_for_score(score)


def test_staff_edited_band_is_used():
    GradeBand.objects.filter(grade="5A").update(min_score=950)
    assert services.grade_for_score(949) == "4A"
    assert services.grade_for_score(950) == "5A"


def test_indicators_make_a_thousand_points():
    assert sum(Indicator.objects.values_list("max_points", flat=True)) == 1000


# Transitions ---------------------------------------------------------------------------------------------


def test_full_path_awards_the_grade_for_five_years_with_certificate(application, representative, staff):
    application = advance(application, representative, staff, G.DECIDED, total=750)
    organization = application.organization
    organization.refresh_from_db()
    assert (application.total_score, application.proposed_grade, application.awarded_grade) == (750, "3A", "3A")
    assert organization.grade == "3A"
    assert organization.grade_valid_until == add_months(timezone.localdate(), 60) == application.valid_until
    certificate = Document.objects.get(doc_type="grading_certificate")
    assert certificate.number.startswith("斗社评〔")
    assert Notification.objects.filter(recipient=representative, kind="case_update").exists()


def test_2a_grade_gets_no_certificate(application, representative, staff):
    advance(application, representative, staff, G.DECIDED, total=650)
    assert Organization.objects.get(pk=application.organization_id).grade == "2A"
    assert not Document.objects.filter(doc_type="grading_certificate").exists()


def test_submit_refused_with_reasons_when_not_eligible(application, representative):
    AnnualInspection.objects.filter(organization=application.organization).update(result="failed")
    with pytest.raises(InvalidTransition) as refused:
        transition(application, "submit", actor=representative)
    assert str(timezone.localdate().year - 1) in str(refused.value.message)  # the failed inspection's year
    application.refresh_from_db()
    assert application.status == G.DRAFT


def test_one_open_application_per_organization(application, representative):
    with pytest.raises(Conflict):
        services.create_grading_application(representative, organization=application.organization)


def test_outsider_cannot_apply_or_submit(application, eligible, outsider):
    with pytest.raises(NotPermitted):
        services.create_grading_application(outsider, organization=eligible)
    with pytest.raises(NotPermitted):
        transition(application, "submit", actor=outsider)
    assert GradingApplication.objects.get(pk=application.pk).status == G.DRAFT


def test_self_assessment_needed_before_handing_it_in(application, representative, staff):
    transition(application, "submit", actor=representative)
    with pytest.raises(InvalidTransition):
        transition(application, "complete_self_assessment", actor=representative)
    assert GradingApplication.objects.get(pk=application.pk).status == G.SUBMITTED


def test_self_assessment_score_outside_scale_refused(application, representative):
    with pytest.raises(InvalidInput):
        services.save_self_assessment(application, actor=representative, text="x", score=1001)
    assert GradingApplication.objects.get(pk=application.pk).self_score is None


def test_representative_cannot_take_staff_steps(application, representative, staff):
    application = advance(application, representative, staff, G.SELF_ASSESSED)
    with pytest.raises(NotPermitted):
        transition(application, "start_scoring", actor=representative)
    assert GradingApplication.objects.get(pk=application.pk).status == G.SELF_ASSESSED


def test_staff_cannot_submit_for_the_organization(application, staff):
    with pytest.raises(NotPermitted):
        transition(application, "submit", actor=staff)


@pytest.mark.parametrize("points_over", [1, -1])
def test_scores_outside_an_indicators_range_are_refused_and_nothing_saved(
    application, representative, staff, points_over
):
    application = advance(application, representative, staff, G.SCORING)
    indicator = Indicator.objects.first()
    good = Indicator.objects.last()
    bad = indicator.max_points + 1 if points_over > 0 else -1
    with pytest.raises(InvalidInput) as refused:
        services.record_scores(application, actor=staff, scores={good.pk: 10, indicator.pk: bad})
    assert indicator.name in str(refused.value.message)
    assert not IndicatorScore.objects.exists()


def test_scores_only_during_scoring_and_only_by_staff(application, representative, staff):
    with pytest.raises(Conflict):
        services.record_scores(application, actor=staff, scores={Indicator.objects.first().pk: 1})
    with pytest.raises(NotPermitted):
        services.record_scores(application, actor=representative, scores={Indicator.objects.first().pk: 1})
    assert not IndicatorScore.objects.exists()


def test_publish_needs_every_indicator_scored(application, representative, staff):
    application = advance(application, representative, staff, G.SCORING)
    services.record_scores(application, actor=staff, scores={Indicator.objects.first().pk: 10})
    with pytest.raises(InvalidTransition):
        transition(application, "publish", actor=staff)
    assert GradingApplication.objects.get(pk=application.pk).status == G.SCORING


def test_publish_starts_a_seven_day_notice(application, representative, staff):
    application = advance(application, representative, staff, G.NOTICE, total=905)
    assert application.due_date == add_calendar_days(timezone.localdate(), 7)
    assert application.due_date >= timezone.localdate() + datetime.timedelta(days=7)
    assert (application.total_score, application.proposed_grade) == (905, "5A")


def test_decide_refused_during_the_notice(application, representative, staff):
    application = advance(application, representative, staff, G.NOTICE)
    with pytest.raises(InvalidTransition):
        transition(application, "decide", actor=staff)
    assert Organization.objects.get(pk=application.organization_id).grade == ""


def test_decide_refused_when_below_every_band(application, representative, staff):
    application = advance(application, representative, staff, G.NOTICE, total=499)
    assert application.proposed_grade == ""
    end_notice(application)
    with pytest.raises(InvalidTransition):
        transition(application, "decide", actor=staff)
    transition(application, "reject", actor=staff, note="得分未达到一A标准。")
    assert GradingApplication.objects.get(pk=application.pk).status == G.REJECTED


def test_recheck_during_notice_then_rescored_and_decided_the_notice_running_on(application, representative, staff):
    application = advance(application, representative, staff, G.NOTICE, total=795)
    notice_ends = application.due_date
    transition(application, "request_recheck", actor=representative, note="财务管理得分偏低，请复核。")
    application.refresh_from_db()
    assert application.status == G.RECHECK and application.recheck_reason
    assert application.due_date == notice_ends  # the notice runs on during the re-check
    services.record_scores(application, actor=staff, scores=scores_for(800))
    with pytest.raises(InvalidTransition):
        transition(application, "publish", actor=staff)  # publishing again would restart the notice
    transition(application, "publish_recheck", actor=staff)
    application.refresh_from_db()
    assert application.status == G.NOTICE
    assert application.proposed_grade == "4A"
    assert application.due_date == notice_ends  # not restarted
    end_notice(application)
    transition(application, "decide", actor=staff)
    assert Organization.objects.get(pk=application.organization_id).grade == "4A"


def test_only_one_recheck_per_grading(application, representative, staff):
    application = advance(application, representative, staff, G.NOTICE, total=795)
    transition(application, "request_recheck", actor=representative, note="财务管理得分偏低，请复核。")
    transition(application, "publish_recheck", actor=staff)

    with pytest.raises(InvalidTransition):
        transition(application, "request_recheck", actor=representative, note="仍有异议，请再次复核。")
    application.refresh_from_db()
    assert application.status == G.NOTICE
    assert application.recheck_reason == "财务管理得分偏低，请复核。"


def test_a_grading_cannot_be_decided_while_its_recheck_is_open(application, representative, staff):
    application = advance(application, representative, staff, G.NOTICE)
    transition(application, "request_recheck", actor=representative, note="请复核。")
    end_notice(application)
    with pytest.raises(InvalidTransition):
        transition(application, "decide", actor=staff)
    assert GradingApplication.objects.get(pk=application.pk).status == G.RECHECK


def test_recheck_refused_after_notice_without_reason_or_by_outsider(application, representative, staff, outsider):
    application = advance(application, representative, staff, G.NOTICE)
    with pytest.raises(InvalidInput):
        transition(application, "request_recheck", actor=representative, note="")
    with pytest.raises(NotPermitted):
        transition(application, "request_recheck", actor=outsider, note="x")
    end_notice(application)
    with pytest.raises(InvalidTransition):
        transition(application, "request_recheck", actor=representative, note="x")
    assert GradingApplication.objects.get(pk=application.pk).status == G.NOTICE


def test_reject_needs_a_reason(application, representative, staff):
    application = advance(application, representative, staff, G.SUBMITTED)
    with pytest.raises(InvalidInput):
        transition(application, "reject", actor=staff, note="")
    transition(application, "reject", actor=staff, note="材料不实。")
    assert GradingApplication.objects.get(pk=application.pk).status == G.REJECTED


@pytest.mark.parametrize("action", ["start_scoring", "publish", "decide", "downgrade", "revoke", "request_recheck"])
def test_steps_refused_from_draft(application, representative, staff, action):
    actor = representative if action == "request_recheck" else staff
    with pytest.raises(InvalidTransition):
        transition(application, action, actor=actor, note="x")
    assert GradingApplication.objects.get(pk=application.pk).status == G.DRAFT


def test_downgrade_and_revoke_are_recorded_and_change_the_organization(application, representative, staff):
    application = advance(application, representative, staff, G.DECIDED, total=850)
    until = Organization.objects.get(pk=application.organization_id).grade_valid_until
    with pytest.raises(InvalidInput):
        services.downgrade_grade(application, actor=staff, grade="5A", note="x")
    with pytest.raises(NotPermitted):
        services.downgrade_grade(application, actor=representative, grade="2A", note="x")
    assert Organization.objects.get(pk=application.organization_id).grade == "4A"
    services.downgrade_grade(application, actor=staff, grade="2A", note="年检基本合格，降级。")
    organization = Organization.objects.get(pk=application.organization_id)
    assert (organization.grade, organization.grade_valid_until) == ("2A", until)
    transition(application, "revoke", actor=staff, note="受到行政处罚，撤销等级。")
    organization.refresh_from_db()
    assert (organization.grade, organization.grade_valid_until) == ("", None)
    from doumen_portal.casework.selectors import timeline_of

    assert [row.action for row in timeline_of(application)][-2:] == ["downgrade", "revoke"]


# Reminders -----------------------------------------------------------------------------------------------


def test_expiry_reminders_six_and_one_month_before_once_each(organization, representative):
    until = datetime.date(2027, 6, 30)
    Organization.objects.filter(pk=organization.pk).update(grade="3A", grade_valid_until=until)
    assert services.send_grade_expiry_reminders(today=datetime.date(2026, 12, 29)) == 0
    assert services.send_grade_expiry_reminders(today=datetime.date(2026, 12, 30)) == 1
    assert services.send_grade_expiry_reminders(today=datetime.date(2026, 12, 31)) == 0
    assert services.send_grade_expiry_reminders(today=datetime.date(2027, 5, 30)) == 1
    assert services.send_grade_expiry_reminders(today=datetime.date(2027, 6, 1)) == 0
    assert Notification.objects.filter(recipient=representative, kind="grade_expiry").count() == 2


def test_first_reminder_within_a_month_sends_only_one(organization, representative):
    Organization.objects.filter(pk=organization.pk).update(grade="4A", grade_valid_until=datetime.date(2027, 1, 10))
    assert services.send_grade_expiry_reminders(today=datetime.date(2027, 1, 1)) == 1
    assert services.send_grade_expiry_reminders(today=datetime.date(2027, 1, 2)) == 0
    assert GradeExpiryReminder.objects.count() == 2


def test_reminder_task_runs(organization, representative):
    from incubator.tasks import remind_grade_expiry

    today = timezone.localdate()
    Organization.objects.filter(pk=organization.pk).update(grade="3A", grade_valid_until=add_months(today, 1))
    assert remind_grade_expiry.delay().get() == 1


# Pages and visibility ------------------------------------------------------------------------------------


def test_portal_pages_for_representative(client, application, representative, staff):
    client.force_login(representative)
    page = client.get(reverse("incubator:gradings"))
    assert page.status_code == 200 and application.reference in page.content.decode()
    url = reverse("incubator:grading_self_assessment", args=[application.reference])
    assert client.post(url, {"text": "自评报告", "score": "820"}).status_code == 302
    step = reverse("incubator:grading_step", args=[application.reference])
    client.post(step, {"action": "submit"})
    client.post(step, {"action": "complete_self_assessment"})
    application.refresh_from_db()
    assert application.status == G.SELF_ASSESSED and application.self_score == 820
    assert client.get(application.get_absolute_url()).status_code == 200


def test_portal_new_application_from_the_eligibility_page(client, eligible, representative):
    client.force_login(representative)
    response = client.post(reverse("incubator:grading_new"), {"organization": eligible.pk})
    assert response.status_code == 302
    assert GradingApplication.objects.filter(organization=eligible, status=G.DRAFT).count() == 1


@pytest.mark.parametrize("who, status", [("representative", 200), ("outsider", 404), ("staff", 200), ("anon", 302)])
def test_grading_page_visibility(client, application, representative, outsider, staff, who, status):
    users = {"representative": representative, "outsider": outsider, "staff": staff}
    if who in users:
        client.force_login(users[who])
    assert client.get(application.get_absolute_url()).status_code == status


def test_certificate_download_by_representative_not_outsider(client, application, representative, staff, outsider):
    advance(application, representative, staff, G.DECIDED, total=920)
    document = Document.objects.get(doc_type="grading_certificate")
    render_pending_documents()
    url = reverse("documents:document_download", args=[document.public_id])
    client.force_login(representative)
    assert client.get(application.get_absolute_url()).content.decode().count(document.number) == 1
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code in (403, 404)


def test_directory_shows_grade_validity(client, application, representative, staff):
    advance(application, representative, staff, G.DECIDED, total=720)
    until = "{0.year}年{0.month}月{0.day}日".format(add_months(timezone.localdate(), 60))
    assert until in client.get(reverse("incubator:directory")).content.decode()


def test_staff_scores_and_downgrades_in_the_admin(client, application, representative, staff):
    application = advance(application, representative, staff, G.SCORING)
    login_with_mfa(client, staff)
    url = reverse("admin:incubator_gradingapplication_scores", args=[application.pk])
    assert client.get(url).status_code == 200
    data = {f"i{pk}": points for pk, points in scores_for(880).items()}
    too_many = {**data, f"i{Indicator.objects.first().pk}": 999}
    assert client.post(url, too_many).status_code == 200
    assert not IndicatorScore.objects.exists()
    assert client.post(url, data).status_code == 302
    assert sum(IndicatorScore.objects.values_list("points", flat=True)) == 880
    transition(application, "publish", actor=staff)
    end_notice(application)
    transition(application, "decide", actor=staff)
    downgrade = reverse("admin:incubator_gradingapplication_downgrade", args=[application.pk])
    assert client.post(downgrade, {"grade": "1A", "note": "整改不到位"}).status_code == 302
    assert Organization.objects.get(pk=application.organization_id).grade == "1A"
    change = reverse("admin:incubator_gradingapplication_change", args=[application.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:incubator_gradeband_changelist")).status_code == 200


# API -----------------------------------------------------------------------------------------------------


def test_api_visibility(client, application, representative, outsider, staff):
    url = reverse("api:grading-list")
    assert client.get(url).status_code in (401, 403)
    client.force_login(representative)
    assert [a["reference"] for a in client.get(url).json()["results"]] == [application.reference]
    client.force_login(outsider)
    assert client.get(url).json()["results"] == []
    assert client.get(reverse("api:grading-detail", args=[application.reference])).status_code == 404
    login_with_mfa(client, staff)
    assert client.get(url).json()["count"] == 1


def test_api_flow_and_refusals(client, eligible, representative, staff):
    client.force_login(representative)
    created = client.post(
        reverse("api:grading-list"),
        {"organization": eligible.pk, "self_assessment": "自评", "self_score": 800},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    steps = reverse("api:grading-transitions", args=[reference])
    assert client.post(steps, {"action": "submit"}, content_type="application/json").status_code == 200
    assert client.post(steps, {"action": "start_scoring"}, content_type="application/json").status_code == 403
    client.post(steps, {"action": "complete_self_assessment"}, content_type="application/json")
    login_with_mfa(client, staff)
    assert client.post(steps, {"action": "start_scoring"}, content_type="application/json").status_code == 200
    scores = reverse("api:grading-scores", args=[reference])
    first = Indicator.objects.first()
    bad = client.post(scores, {"scores": {str(first.pk): first.max_points + 1}}, content_type="application/json")
    assert bad.status_code == 400 and first.name in bad.json()["detail"]
    assert not IndicatorScore.objects.exists()
    good = client.post(
        scores, {"scores": {str(k): v for k, v in scores_for(910).items()}}, content_type="application/json"
    )
    assert good.status_code == 200 and good.json()["total"] == 910
    published = client.post(steps, {"action": "publish"}, content_type="application/json")
    assert published.json()["proposed_grade"] == "5A"
    assert client.post(steps, {"action": "decide"}, content_type="application/json").status_code == 409


# Query counts --------------------------------------------------------------------------------------------


def grading_rows(representative, staff, rows: int):
    for i in range(rows):
        organization = make_eligible(make_organization(representative, name=f"评估组织{i}", n=600 + i))
        application = services.create_grading_application(representative, organization=organization)
        if i % 2:
            advance(application, representative, staff, G.SUBMITTED)
    return application


# Measured with 3 and with 12 applications (session, user and permission queries included).
# Staff: their unit memberships are read once for the step hints.
LIMITS = {"api (representative)": 7, "gradings page": 11, "grading page": 15, "api (staff)": 8, "admin list": 7}


@pytest.mark.parametrize("rows", [3, 12])
def test_grading_lists_query_counts_are_fixed(client, representative, staff, rows, django_assert_max_num_queries):
    application = grading_rows(representative, staff, rows)
    client.force_login(representative)
    with django_assert_max_num_queries(LIMITS["api (representative)"]):
        assert client.get(reverse("api:grading-list")).status_code == 200
    with django_assert_max_num_queries(LIMITS["gradings page"]):
        assert client.get(reverse("incubator:gradings")).status_code == 200
    with django_assert_max_num_queries(LIMITS["grading page"]):
        assert client.get(application.get_absolute_url()).status_code == 200
    login_with_mfa(client, staff)
    with django_assert_max_num_queries(LIMITS["api (staff)"]):
        assert client.get(reverse("api:grading-list")).status_code == 200
    with django_assert_max_num_queries(LIMITS["admin list"]):
        assert client.get(reverse("admin:incubator_gradingapplication_changelist")).status_code == 200
    with django_assert_max_num_queries(LIMITS["grading page"]):
        assert client.get(application.get_absolute_url()).status_code == 200


def test_band_out_of_order_is_refused_in_the_admin(client, staff):
    login_with_mfa(client, staff)
    band = GradeBand.objects.get(grade="4A")
    url = reverse("admin:incubator_gradeband_change", args=[band.pk])
    assert client.post(url, {"grade": "4A", "min_score": 950}).status_code == 200  # above 5A's 900
    assert GradeBand.objects.get(pk=band.pk).min_score == 800
    assert client.post(url, {"grade": "4A", "min_score": 850}).status_code == 302
    assert services.grade_for_score(850) == "4A"


def test_api_downgrade_step_names_a_grade_that_is_not_lower(client, application, representative, staff):
    application = advance(application, representative, staff, G.DECIDED, total=850)
    login_with_mfa(client, staff)
    url = reverse("api:grading-transitions", args=[application.reference.lower()])

    missing = client.post(url, {"action": "downgrade", "note": "年检基本合格"}, content_type="application/json")
    too_high = client.post(
        url, {"action": "downgrade", "note": "年检基本合格", "grade": "5A"}, content_type="application/json"
    )
    done = client.post(
        url, {"action": "downgrade", "note": "年检基本合格", "grade": "2A"}, content_type="application/json"
    )

    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["grade"]
    assert too_high.status_code == 400 and list(too_high.json()["fields"]) == ["grade"]
    assert done.status_code == 200
    assert Organization.objects.get(pk=application.organization_id).grade == "2A"
