"""Walk-in and phone petitions the station logs for a person without an account, and how that person gets them."""

import re
import uuid

import pytest
from django.urls import reverse

from doumen_portal.accounts.models import User
from doumen_portal.accounts.roles import Role
from doumen_portal.accounts.services import verify_real_name
from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.selectors import timeline_of
from doumen_portal.casework.services import claim_cases, transition
from doumen_portal.exceptions import InvalidInput, NotPermitted
from doumen_portal.notifications.models import Notification, OutboxMessage
from petitions.models import Petition
from petitions.on_behalf import file_petition_on_behalf
from petitions.selectors import petitions_visible_to
from petitions.services import rate_petition
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, UserFactory, resident_id

from .conftest import FORM

pytestmark = pytest.mark.django_db

PHONE = "+8613912348888"
PERSON_ID = resident_id("44040319800101123")
OTHER_ID = resident_id("44040319810202123")
PASSWORD = "Doumen-test-2026"


@pytest.fixture
def log_petition(agent, town):
    def log(actor=agent, **overrides):
        data = {
            "name": "黄阿婆",
            "phone": "139 1234 8888",
            "id_number": PERSON_ID,
            "address": "井岸镇新堂村3号",
            "subject": FORM["subject"],
            "facts": FORM["facts"],
            "request_text": FORM["request"],
            "respondent": FORM["respondent"],
            "town": town,
        } | overrides
        return file_petition_on_behalf(actor=actor, **data)

    return log


def sms_code(outbox, phone):
    body = [m for m in outbox() if m["phone"] == phone][-1]["body"]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


def sign_up(client, outbox, phone="13912348888"):
    """Sign up with the number and confirm it with the SMS code, as a villager does on the portal."""
    response = client.post(
        reverse("account_signup"), {"phone": phone, "password1": PASSWORD, "password2": PASSWORD, "agree": "on"}
    )
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": sms_code(outbox, "+86" + phone)})
    assert response.status_code == 302
    return User.objects.get(phone="+86" + phone)


# ---------------------------------------------------------------- filing at the desk


def test_a_desk_petition_records_the_person_and_who_filed_it(log_petition, agent):
    petition = log_petition()

    assert petition.applicant is None and petition.filed_by == agent
    assert (petition.filed_for_name, petition.filed_for_phone, petition.contact_phone) == ("黄阿婆", PHONE, PHONE)
    assert petition.filed_for_address == "井岸镇新堂村3号"
    assert petition.filed_for_id_masked == PERSON_ID[:6] + "********" + PERSON_ID[-4:]
    assert PERSON_ID not in petition.filed_for_id_ciphertext
    assert petition.status == "submitted" and petition.due_date is not None
    submit = CaseHistory.objects.get(object_id=petition.pk, action="submit")
    assert submit.actor == agent


def test_the_receipt_goes_by_sms_to_the_person_and_nothing_to_any_inbox(
    log_petition, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        petition = log_petition()

    assert not Notification.objects.exists()
    assert list(OutboxMessage.objects.values_list("channel", "to_address", "recipient")) == [("sms", PHONE, None)]
    [text] = [message for message in sms_outbox() if message["phone"] == PHONE]
    assert petition.tracking_number in text["body"]
    assert reverse("petitions:lookup") in text["body"]


def test_the_person_follows_the_petition_on_the_public_lookup(client, log_petition):
    petition = log_petition()

    lookup = {"tracking_number": petition.tracking_number, "phone": "13912348888"}
    page = client.post(reverse("petitions:lookup"), lookup)

    assert page.status_code == 200
    assert page.context["petition"] == petition


def test_steps_before_the_claim_are_texted_to_the_person(log_petition, agent):
    petition = log_petition()
    OutboxMessage.objects.all().delete()

    transition(petition, "accept", actor=agent)

    assert not Notification.objects.exists()
    assert list(OutboxMessage.objects.values_list("to_address", flat=True)) == [PHONE]


def test_a_double_submit_returns_the_first_petition(log_petition):
    token = uuid.uuid4()

    first, second = log_petition(submission_token=token), log_petition(submission_token=token)

    assert first == second and Petition.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"phone": "1391234"}, "invalid_phone"),
        ({"id_number": "440403198001011230"}, "checksum"),
        ({"id_number": ""}, "id_number_required"),
        ({"name": "  "}, "name_required"),
        ({"subject": " "}, "required"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(log_petition, overrides, code):
    with pytest.raises(InvalidInput) as refusal:
        log_petition(**overrides)

    assert refusal.value.code == code
    assert str(refusal.value.message)  # a translated sentence, not a code
    assert not Petition.objects.exists() and not OutboxMessage.objects.exists()


def test_a_citizen_cannot_file_on_someones_behalf(log_petition, citizen):
    with pytest.raises(NotPermitted):
        log_petition(actor=citizen)

    assert not Petition.objects.exists()


# ---------------------------------------------------------------- claiming


def test_signing_up_with_the_number_alone_does_not_give_a_real_name_petition(client, log_petition, sms_outbox):
    petition = log_petition()

    person = sign_up(client, sms_outbox)

    petition.refresh_from_db()
    assert petition.applicant is None
    assert not petitions_visible_to(person).filter(pk=petition.pk).exists()


def test_sign_up_confirm_the_number_and_verify_the_same_id_and_the_petition_is_yours(
    client, log_petition, sms_outbox, agent
):
    petition = log_petition()
    person = sign_up(client, sms_outbox)

    response = client.post(reverse("accounts:verify"), {"real_name": "黄阿婆", "id_number": PERSON_ID})

    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.applicant == person
    assert Notification.objects.filter(recipient=person, kind="cases_claimed").count() == 1
    page = client.get(reverse("my_affairs"))
    assert petition.tracking_number in page.content.decode()
    labels = [str(row.label) for row in timeline_of(petition)]
    assert labels[0] == "由服务窗口代为提交" and labels[-1] == "已加入您的账户"
    assert agent.real_name not in client.get(petition.get_absolute_url()).content.decode()

    transition(petition, "accept", actor=agent)
    assert Notification.objects.filter(recipient=person, kind="case_update").count() == 1


def test_a_different_id_number_never_gets_the_petition(log_petition):
    petition = log_petition()
    person = UserFactory(phone=PHONE, phone_verified=True)

    verify_real_name(person, real_name="黄阿婆", id_number=OTHER_ID)

    petition.refresh_from_db()
    assert petition.applicant is None
    assert claim_cases(person) == []


def test_another_account_never_sees_the_petition(log_petition, citizen):
    petition = log_petition()

    claim_cases(citizen)

    petition.refresh_from_db()
    assert petition.applicant is None
    assert not petitions_visible_to(citizen).filter(pk=petition.pk).exists()


def test_claiming_again_changes_nothing(log_petition):
    petition = log_petition()
    person = UserFactory(phone=PHONE, phone_verified=True)
    verify_real_name(person, real_name="黄阿婆", id_number=PERSON_ID)

    assert claim_cases(person) == []
    assert CaseHistory.objects.filter(object_id=petition.pk, action="claim").count() == 1


def test_logging_in_later_claims_a_petition_filed_since(client, log_petition, sms_outbox):
    person = UserFactory(phone=PHONE, phone_verified=True, password=PASSWORD)
    verify_real_name(person, real_name="黄阿婆", id_number=PERSON_ID)
    petition = log_petition()

    response = client.post(reverse("account_login"), {"login": "13912348888", "password": PASSWORD})

    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.applicant == person


def test_after_the_claim_the_person_asks_for_review_and_rates(log_petition, agent, supervisor):
    petition = log_petition()
    person = UserFactory(phone=PHONE, phone_verified=True)
    verify_real_name(person, real_name="黄阿婆", id_number=PERSON_ID)
    transition(petition, "accept", actor=agent)
    transition(petition, "issue_opinion", actor=agent, note="已协调镇政府修复路灯。")

    transition(petition, "request_review", actor=person, note="路灯仍未修好。")
    transition(petition, "decide_review", actor=supervisor, note="维持原处理意见。")
    transition(petition, "accept_outcome", actor=person)
    rate_petition(petition, actor=person, satisfaction="basically")

    petition.refresh_from_db()
    assert (petition.status, petition.satisfaction) == ("closed", "basically")


# ---------------------------------------------------------------- admin page and API


ADMIN_PAGE = reverse("admin:petitions_petition_on_behalf")
API = "/api/v1/petitions/on-behalf/"


def admin_form(town, **overrides):
    return (
        {
            "name": "黄阿婆",
            "phone": "13912348888",
            "id_number": PERSON_ID,
            "address": "井岸镇新堂村3号",
            "town": town.pk,
            "people_count": 1,
            "submission_token": str(uuid.uuid4()),
        }
        | FORM
        | overrides
    )


def test_the_admin_page_logs_a_petition_end_to_end(client, agent, town):
    login_with_mfa(client, agent)
    assert client.get(ADMIN_PAGE).status_code == 200
    assert ADMIN_PAGE in client.get(reverse("admin:petitions_petition_changelist")).content.decode()

    response = client.post(ADMIN_PAGE, admin_form(town))

    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:petitions_petition_change", args=[petition.pk])
    assert (petition.filed_by, petition.filed_for_phone) == (agent, PHONE)
    page = client.get(response["Location"]).content.decode()
    assert "黄阿婆" in page and PERSON_ID not in page


def test_the_admin_page_shows_translated_errors_and_saves_nothing(client, agent, town):
    login_with_mfa(client, agent)

    response = client.post(ADMIN_PAGE, admin_form(town, phone="1391234", id_number="440403198001011230"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "请输入当事人有效的手机号码" in page
    assert not Petition.objects.exists()


def test_staff_without_the_permission_get_403_on_the_admin_page(client, town):
    officer = StaffFactory(roles=[Role.INCUBATOR_STAFF])
    login_with_mfa(client, officer)

    assert client.get(ADMIN_PAGE).status_code == 403
    assert client.post(ADMIN_PAGE, admin_form(town)).status_code == 403
    assert not Petition.objects.exists()


def test_the_supervisor_logs_a_petition_through_the_api(client, supervisor, town):
    login_with_mfa(client, supervisor)
    payload = admin_form(town) | {"request": FORM["request"]}

    response = client.post(API, payload, content_type="application/json")

    assert response.status_code == 201
    petition = Petition.objects.get()
    assert response.json()["tracking_number"] == petition.tracking_number
    assert petition.filed_by == supervisor


def test_a_citizen_gets_403_from_the_api(client, citizen, town):
    login_with_mfa(client, citizen)

    response = client.post(API, admin_form(town), content_type="application/json")

    assert response.status_code == 403
    assert not Petition.objects.exists()


def test_bad_input_through_the_api_is_a_translated_400(client, agent, town):
    login_with_mfa(client, agent)

    payload = admin_form(town, id_number="440403198001011230")
    response = client.post(API, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "check digit" in str(response.json())
    assert not Petition.objects.exists()
