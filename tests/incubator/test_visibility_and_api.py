"""Who sees what: applications, service records, letters (representative / other representative / staff /
anonymous), the applications API with its transitions, and query counts of lists."""

import pytest
from django.urls import reverse

from doumen_portal.documents.models import Document
from incubator import services
from incubator.models import IncubationApplication, ServiceRecord
from tests.conftest import login_with_mfa
from tests.letters import render_pending_documents

from .conftest import S, make_application, make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(organization, representative, staff):
    return make_application(organization, representative, staff, S.SUBMITTED)


def test_application_page_visibility(client, application, representative, outsider, staff, leader):
    url = application.get_absolute_url()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login_with_mfa(client, outsider)
    assert client.get(url).status_code == 404
    for user in (representative, staff, leader):
        login_with_mfa(client, user)
        assert client.get(url).status_code == 200


def test_second_representative_of_the_organization_sees_and_submits(client, organization, representative, staff):
    from incubator.models import Representative
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague")
    Representative.objects.create(organization=organization, user=colleague, role="member")
    application = make_application(organization, representative, staff, S.DRAFT)
    login_with_mfa(client, colleague)
    response = client.post(reverse("incubator:application_step", args=[application.reference]), {"action": "submit"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_portal_draft_then_submit(client, organization, representative):
    login_with_mfa(client, representative)
    response = client.post(
        reverse("incubator:application_new"),
        {"organization": organization.pk, "plan": "开展长者服务", "needs": ["space", "policy"], "team": "三人"},
    )
    application = IncubationApplication.objects.get()
    assert response.status_code == 302 and application.status == S.DRAFT
    assert application.needs == ["space", "policy"]
    page = client.get(application.get_absolute_url())
    assert [form.step.action for form in page.context["step_forms"]] == ["submit"]
    client.post(
        reverse("incubator:application_edit", args=[application.reference]),
        {"plan": "改过的计划", "needs": ["funding"], "team": "四人"},
    )
    client.post(reverse("incubator:application_step", args=[application.reference]), {"action": "submit"})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.plan == "改过的计划"


def test_portal_refused_step_shows_a_message_and_changes_nothing(client, application, representative):
    login_with_mfa(client, representative)
    response = client.post(
        reverse("incubator:application_step", args=[application.reference]), {"action": "accept"}, follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_staff_accepts_on_the_portal_page_and_the_letter_is_listed(client, application, representative, staff):
    login_with_mfa(client, staff)
    client.post(
        reverse("incubator:application_step", args=[application.reference]), {"action": "accept", "note": "同意"}
    )
    login_with_mfa(client, representative)
    page = client.get(application.get_absolute_url()).content.decode()
    document = Document.objects.get(doc_type="incubation_agreement")
    download = reverse("documents:document_download", args=[document.public_id])
    # Until the worker has rendered it, the agreement is listed as being prepared, without a link.
    assert document.number in page and "正在生成" in page and download not in page
    assert client.get(download).status_code == 409

    render_pending_documents()

    page = client.get(application.get_absolute_url()).content.decode()
    assert download in page and "正在生成" not in page
    assert client.get(download).status_code == 200


def test_outsider_cannot_download_the_agreement(client, application, staff, outsider):
    from doumen_portal.casework.services import transition

    transition(application, "accept", actor=staff)
    document = Document.objects.get(doc_type="incubation_agreement")
    login_with_mfa(client, outsider)
    assert client.get(reverse("documents:document_download", args=[document.public_id])).status_code == 404


# Service record ---------------------------------------------------------------------------------------


def test_service_record_visible_to_own_representative_and_staff_only(
    client, organization, representative, outsider, staff
):
    services.log_service(
        organization=organization, kind="staff_training", title="财务培训", hours=6, sessions=2, people=18, actor=staff
    )
    url = reverse("incubator:service_record", args=[organization.pk])
    login_with_mfa(client, representative)
    response = client.get(url)
    assert response.status_code == 200 and "财务培训" in response.content.decode()
    assert response.context["totals"]["people"] == 18
    login_with_mfa(client, outsider)
    assert client.get(url).status_code == 404
    login_with_mfa(client, staff)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_representative_cannot_log_services(organization, representative):
    from doumen_portal.exceptions import NotPermitted

    with pytest.raises(NotPermitted):
        services.log_service(organization=organization, kind="staff_training", title="x", actor=representative)
    assert not ServiceRecord.objects.exists()


def test_service_record_query_count(client, organization, representative, staff, django_assert_max_num_queries):
    for n in range(25):
        services.log_service(organization=organization, kind="project_guidance", title=f"辅导{n}", hours=1, actor=staff)
    login_with_mfa(client, representative)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("incubator:service_record", args=[organization.pk]))
    assert len(response.context["records"]) == 20


def test_staff_totals_per_organization_and_kind(client, organization, staff):
    from tests.conftest import login_with_mfa

    other = make_organization(name="第二家", n=5)
    services.log_service(
        organization=organization, kind="staff_training", title="a", hours=3, sessions=2, people=10, actor=staff
    )
    services.log_service(
        organization=organization, kind="staff_training", title="b", hours=2, sessions=1, people=5, actor=staff
    )
    services.log_service(organization=other, kind="policy_consultation", title="c", hours=1, people=1, actor=staff)
    login_with_mfa(client, staff)
    response = client.get(reverse("admin:incubator_servicerecord_totals"))
    assert response.status_code == 200
    per_kind = {row["kind"]: row for row in response.context["per_kind"]}
    assert per_kind["staff_training"]["people"] == 15 and per_kind["staff_training"]["sessions"] == 3
    per_org = {row["organization__name"]: row for row in response.context["per_organization"]}
    assert per_org[organization.name]["records"] == 2 and float(per_org["第二家"]["hours"]) == 1.0


def test_leader_sees_totals_but_representative_cannot(client, organization, leader, representative):
    from tests.conftest import login_with_mfa

    login_with_mfa(client, leader)
    assert client.get(reverse("admin:incubator_servicerecord_totals")).status_code == 200
    login_with_mfa(client, representative)
    assert client.get(reverse("admin:incubator_servicerecord_totals")).status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "organization",
        "incubationapplication",
        "servicerecord",
        "resource",
        "resourcebooking",
        "graduationreview",
    ],
)
def test_admin_changelists_open_for_staff(client, application, staff, name, django_assert_max_num_queries):
    from tests.conftest import login_with_mfa

    login_with_mfa(client, staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse(f"admin:incubator_{name}_changelist"))
    assert response.status_code == 200


def test_admin_graduation_review_graduates(client, organization, representative, staff):
    from tests.conftest import login_with_mfa

    application = make_application(organization, representative, staff, S.INCUBATING)
    login_with_mfa(client, staff)
    response = client.post(
        reverse("admin:incubator_graduationreview_add"),
        {
            "application": application.pk,
            "registered": "on",
            "governance": "on",
            "staff": "on",
            "projects": "on",
            "decision": "graduate",
            "note": "达标",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.GRADUATED


def test_admin_logs_a_service(client, organization, staff):
    from tests.conftest import login_with_mfa

    login_with_mfa(client, staff)
    response = client.post(
        reverse("admin:incubator_servicerecord_add"),
        {
            "organization": organization.pk,
            "kind": "staff_training",
            "date": "2026-01-05",
            "title": "培训",
            "hours": "3",
            "sessions": "1",
            "people": "12",
            "note": "",
            "training_sessions-TOTAL_FORMS": "0",
            "training_sessions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert ServiceRecord.objects.get().logged_by == staff


# Applications API -------------------------------------------------------------------------------------


def test_api_create_draft_update_and_submit(client, organization, representative):
    login_with_mfa(client, representative)
    response = client.post(
        reverse("api:incubation-application-list"),
        {"organization": organization.pk, "plan": "计划", "needs": ["training"], "team": "团队"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft" and body["available_actions"] == ["submit"]
    url = reverse("api:incubation-application-detail", args=[body["reference"]])
    assert client.patch(url, {"plan": "新计划"}, content_type="application/json").json()["plan"] == "新计划"
    transitions = reverse("api:incubation-application-transitions", args=[body["reference"]])
    assert client.post(transitions, {"action": "submit"}, content_type="application/json").status_code == 200
    response = client.patch(url, {"plan": "再改"}, content_type="application/json")
    assert response.status_code == 409
    assert IncubationApplication.objects.get().plan == "新计划"


def test_api_transition_not_allowed_in_state_is_409_and_role_is_403(client, application, representative, staff):
    transitions = reverse("api:incubation-application-transitions", args=[application.reference])
    login_with_mfa(client, staff)
    assert client.post(transitions, {"action": "graduate"}, content_type="application/json").status_code == 409
    login_with_mfa(client, representative)
    response = client.post(transitions, {"action": "accept"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["detail"]
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_api_create_for_another_organization_is_403(client, organization, outsider):
    login_with_mfa(client, outsider)
    response = client.post(
        reverse("api:incubation-application-list"),
        {"organization": organization.pk, "plan": "计划", "needs": [], "team": "团队"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not IncubationApplication.objects.exists()


def test_api_list_is_scoped_and_fixed_in_queries(
    client, representative, outsider, staff, django_assert_max_num_queries
):
    for n in range(6):
        org = make_organization(representative, name=f"组织{n}", n=300 + n)
        make_application(org, representative, staff, S.SUBMITTED)
    login_with_mfa(client, representative)
    with django_assert_max_num_queries(8):
        body = client.get(reverse("api:incubation-application-list")).json()
    assert body["count"] == 6
    assert all(row["available_actions"] == [] for row in body["results"])
    login_with_mfa(client, staff)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("api:incubation-application-list")).json()
    assert body["count"] == 6
    login_with_mfa(client, outsider)
    assert client.get(reverse("api:incubation-application-list")).json()["count"] == 0
    client.logout()
    assert client.get(reverse("api:incubation-application-list")).status_code in (401, 403)


def test_api_history(client, application, representative):
    login_with_mfa(client, representative)
    body = client.get(reverse("api:incubation-application-history", args=[application.reference])).json()
    assert [row["action"] for row in body] == ["create", "submit"]


def test_mine_page_query_count(client, representative, staff, django_assert_max_num_queries):
    for n in range(5):
        org = make_organization(representative, name=f"组织{n}", n=400 + n)
        make_application(org, representative, staff, S.DRAFT)
    login_with_mfa(client, representative)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("incubator:mine"))
    assert response.status_code == 200


def test_training_sessions_make_the_training_totals(organization, staff):
    record = services.log_service(organization=organization, kind="staff_training", title="财务培训", actor=staff)
    services.add_training_session(record, actor=staff, topic="第一讲", hours=3, attendees=12)
    services.add_training_session(record, actor=staff, topic="第二讲", hours="2.5", attendees=10)
    record.refresh_from_db()
    assert (record.sessions, float(record.hours), record.people) == (2, 5.5, 22)


def test_sessions_only_for_trainings_and_by_staff(organization, staff, representative):
    from doumen_portal.exceptions import InvalidInput, NotPermitted
    from incubator.models import TrainingSession

    consultation = services.log_service(
        organization=organization, kind="policy_consultation", title="咨询", actor=staff
    )
    with pytest.raises(InvalidInput):
        services.add_training_session(consultation, actor=staff, topic="x", attendees=1)
    training = services.log_service(organization=organization, kind="staff_training", title="培训", actor=staff)
    with pytest.raises(NotPermitted):
        services.add_training_session(training, actor=representative, topic="x", attendees=1)
    assert not TrainingSession.objects.exists()


def test_admin_logs_a_training_with_sessions_and_the_organization_sees_them(
    client, organization, staff, representative
):
    from tests.conftest import login_with_mfa

    login_with_mfa(client, staff)
    response = client.post(
        reverse("admin:incubator_servicerecord_add"),
        {
            "organization": organization.pk,
            "kind": "staff_training",
            "date": "2026-01-05",
            "title": "财务培训班",
            "hours": "0",
            "sessions": "1",
            "people": "0",
            "note": "",
            "training_sessions-TOTAL_FORMS": "2",
            "training_sessions-INITIAL_FORMS": "0",
            "training_sessions-MIN_NUM_FORMS": "0",
            "training_sessions-MAX_NUM_FORMS": "1000",
            "training_sessions-0-date": "2026-01-05",
            "training_sessions-0-topic": "会计基础",
            "training_sessions-0-hours": "3",
            "training_sessions-0-attendees": "14",
            "training_sessions-1-date": "2026-01-12",
            "training_sessions-1-topic": "预算编制",
            "training_sessions-1-hours": "3",
            "training_sessions-1-attendees": "11",
        },
    )
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert (record.sessions, record.people, record.logged_by) == (2, 25, staff)
    login_with_mfa(client, representative)
    page = client.get(reverse("incubator:service_record", args=[organization.pk])).content.decode()
    assert "会计基础" in page and "预算编制" in page
