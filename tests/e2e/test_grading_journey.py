"""A representative of an eligible organization answers a survey, applies for grading and hands in the
self-assessment; incubation base staff (with the second factor) start scoring, enter the experts' points in
the admin and publish the result; after the public notice the grade is awarded; the representative sees the
grade and downloads the certificate: in Chromium."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from tests.e2e.conftest import query
from tests.incubator.conftest import make_organization

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-42"
SECRET = "DOUMENE2EGRADINGTOTPSECRET234567"
ORGANIZATION = "斗门区阳光社工服务中心"
SURVEY = "社会组织发展现状调研"


def seed_grading_defaults():
    """The grade bands and indicators the data migration loads (a transactional test may have flushed them)."""
    from incubator.models import GradeBand, Indicator, IndicatorGroup

    migration = __import__("incubator.migrations.0005_grading_defaults_and_roles", fromlist=["BANDS"])
    for grade, min_score in migration.BANDS:
        GradeBand.objects.get_or_create(grade=grade, defaults={"min_score": min_score})
    if not IndicatorGroup.objects.exists():
        for group_position, (name, indicators) in enumerate(migration.INDICATORS, 1):
            group = IndicatorGroup.objects.create(name=name, position=group_position)
            for position, (indicator, points) in enumerate(indicators, 1):
                Indicator.objects.create(group=group, name=indicator, max_points=points, position=position)


def setup_world():
    from doumen_portal.accounts.roles import Role
    from doumen_portal.security.mfa import install_totp
    from incubator.models import AnnualInspection, Organization, Question, Survey
    from incubator.models.incubation import add_months
    from incubator.services.surveys import send_survey
    from tests.factories import StaffFactory, UserFactory

    seed_grading_defaults()
    rep = UserFactory(username="e2e_grading_rep", phone="+8613755556666", real_name="梁代表")
    staff = StaffFactory(username="e2e_grading_staff", phone="+8613966667777", roles=[Role.INCUBATOR_STAFF])
    install_totp(staff, secret=SECRET)

    # Registered three years ago, last year's annual inspection passed, no penalty: eligible.
    today = timezone.localdate()
    organization = make_organization(rep, name=ORGANIZATION, n=314)
    Organization.objects.filter(pk=organization.pk).update(registered_on=add_months(today, -36))
    AnnualInspection.objects.create(organization=organization, year=today.year - 1, result="passed")

    survey = Survey.objects.create(
        title=SURVEY, closes_at=timezone.now() + datetime.timedelta(days=5), created_by=staff
    )
    Question.objects.create(survey=survey, position=1, text="专职工作人员人数", kind=Question.Kind.NUMBER)
    Question.objects.create(survey=survey, position=2, text="目前最需要的支持", kind=Question.Kind.TEXT)
    send_survey(survey, actor=staff)
    return organization.pk, staff.pk, survey.pk


def log_in(page, base, phone):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def take_step(page, action):
    page.locator(f"form:has(input[name=action][value={action}]) button").click()
    page.wait_for_load_state()


def points_adding_up_to(total, indicators):
    """Points per indicator (``{pk: points}``), about total/1000 of each maximum, adding up to ``total``."""
    points = {pk: max_points * total // 1000 for pk, max_points in indicators}
    left = total - sum(points.values())
    for pk, max_points in indicators:
        extra = min(max_points - points[pk], left)
        points[pk] += extra
        left -= extra
    assert sum(points.values()) == total
    return points


def status_of(pk):
    from incubator.models import GradingApplication

    return query(lambda: GradingApplication.objects.get(pk=pk).status)


def test_representative_applies_staff_score_and_publish_the_grade_is_awarded_and_certificate_downloaded(
    live_server, browser, phone_page
):
    from doumen_portal.security.mfa import totp_code
    from incubator.models import GradingApplication, Indicator, SurveyResponse

    base = live_server.url
    organization_id, staff_id, survey_id = query(setup_world)
    page = phone_page

    # The representative answers the survey sent to the organization.
    log_in(page, base, "13755556666")
    page.goto(f"{base}/incubator/surveys/")
    assert SURVEY in page.content()
    page.get_by_role("link", name="作答").click()
    page.wait_for_url(re.compile(rf"/incubator/surveys/{survey_id}/{organization_id}/$"))
    page.get_by_label("专职工作人员人数").fill("6")
    page.get_by_label("目前最需要的支持").fill("财务管理培训和项目督导。")
    page.get_by_role("button", name="保存答案").click()
    page.wait_for_url(re.compile(r"/incubator/surveys/$"))
    assert (
        query(lambda: SurveyResponse.objects.filter(survey_id=survey_id, organization_id=organization_id).count()) == 1
    )

    # It may apply for grading; it applies, writes the self-assessment and submits.
    page.goto(f"{base}/incubator/grading/")
    card = page.locator("section.card", has_text=ORGANIZATION)
    assert "符合条件，可以申请。" in card.inner_text()
    card.get_by_role("button", name="申请评估").click()
    page.wait_for_url(re.compile(r"/incubator/grading/PG[^/]+/$"))
    application = query(lambda: GradingApplication.objects.get(organization_id=organization_id))
    assert application.reference in page.locator("h1").inner_text()
    assert application.status == "draft"

    page.get_by_role("link", name="填写自评报告").click()
    page.wait_for_url(re.compile(r"/self-assessment/$"))
    page.fill("#id_text", "内部治理规范，财务制度健全，全年开展社区服务项目十二个。")
    page.fill("#id_score", "860")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(rf"/incubator/grading/{application.reference}/$"))
    take_step(page, "submit")
    assert status_of(application.pk) == "submitted"
    take_step(page, "complete_self_assessment")
    assert status_of(application.pk) == "self_assessed"
    assert "全年开展社区服务项目十二个" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Staff log in with the second factor, start scoring, enter the points in the admin and publish.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(15_000)
    log_in(staff_page, base, "13966667777")
    staff_page.fill("input[name=code]", totp_code(SECRET))
    staff_page.locator("form:has(input[name=code]) [type=submit]").first.click()
    staff_page.wait_for_load_state()
    detail_url = f"{base}/incubator/grading/{application.reference}/"
    staff_page.goto(detail_url)
    take_step(staff_page, "start_scoring")
    assert status_of(application.pk) == "scoring"

    # About 85 % of every indicator's maximum, 850 points in all: the 4A band.
    points = points_adding_up_to(850, query(lambda: list(Indicator.objects.values_list("pk", "max_points"))))
    staff_page.goto(f"{base}/admin/incubator/gradingapplication/{application.pk}/scores/")
    for pk, value in points.items():
        staff_page.fill(f"input[name=i{pk}]", str(value))
    staff_page.locator("form input[type=submit]").click()
    staff_page.wait_for_url(re.compile(rf"/admin/incubator/gradingapplication/{application.pk}/change/$"))

    staff_page.goto(detail_url)
    take_step(staff_page, "publish")
    staff_context.close()
    published = query(lambda: GradingApplication.objects.get(pk=application.pk))
    assert (published.status, published.total_score, published.proposed_grade) == ("notice", 850, "4A")
    assert published.due_date is not None

    # The representative sees the result under public notice.
    page.goto(f"{base}/incubator/grading/{application.reference}/")
    assert "850 / 1000" in page.content()

    # After the 7-day notice (a fake clock a day past its end), staff award the grade.
    def award():
        from django.contrib.auth import get_user_model

        from doumen_portal.casework.services import transition

        transition(
            GradingApplication.objects.get(pk=application.pk),
            "decide",
            actor=get_user_model().objects.get(pk=staff_id),
            note="公示期满无异议，评估委员会审定。",
        )
        return timezone.localdate()

    later = datetime.datetime.combine(published.due_date + datetime.timedelta(days=1), datetime.time(10))
    with time_machine.travel(timezone.make_aware(later), tick=True):
        decided_on = query(award)
    decided = query(lambda: GradingApplication.objects.get(pk=application.pk))
    assert (decided.status, decided.awarded_grade) == ("decided", "4A")
    assert decided.valid_until.year == decided_on.year + 5

    # The representative sees the grade and downloads the numbered certificate.
    from doumen_portal.documents.models import Document

    certificate = query(lambda: Document.objects.get(doc_type="grading_certificate"))
    assert certificate.number.startswith("斗社评〔")
    page.goto(f"{base}/incubator/grading/")
    assert "4A" in page.locator("section.card", has_text=ORGANIZATION).inner_text()
    page.goto(f"{base}/incubator/grading/{application.reference}/")
    assert "4A" in page.locator("dl.facts").inner_text()
    link = page.locator("a[href*='/']", has_text=certificate.number)
    with page.expect_download() as download_info:
        link.first.click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.number}.pdf"
    assert download.path().read_bytes().startswith(b"%PDF")
    response = page.request.get(base + link.first.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
