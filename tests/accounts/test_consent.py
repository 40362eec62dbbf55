"""Trust: consent to the current user agreement and privacy policy is asked at sign-up and recorded with the
version; the policies and the site's organizer, hotline and filing numbers are on every page."""

import pytest
from django.urls import reverse

from doumen_portal.accounts.models import PolicyConsent, User
from doumen_portal.accounts.policies import CURRENT_VERSIONS

pytestmark = pytest.mark.django_db

PASSWORD = "Doumen-citizen-2026"


def test_sign_up_records_consent_to_the_current_versions(client, sms_outbox):
    response = client.post(
        reverse("account_signup"),
        {"phone": "13912345678", "password1": PASSWORD, "password2": PASSWORD, "agree": "on"},
    )

    assert response.status_code == 302
    user = User.objects.get(phone="+8613912345678")
    recorded = {(c.policy, c.version) for c in PolicyConsent.objects.filter(user=user)}
    assert recorded == set(CURRENT_VERSIONS.items())


def test_sign_up_without_consent_is_refused_and_nothing_is_saved(client, sms_outbox):
    response = client.post(
        reverse("account_signup"), {"phone": "13912345678", "password1": PASSWORD, "password2": PASSWORD}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "请勾选同意《用户协议》和《隐私政策》" in page
    assert not User.objects.exists() and not PolicyConsent.objects.exists()
    assert sms_outbox() == []


def test_sign_up_page_links_the_policies(client):
    page = client.get(reverse("account_signup")).content.decode()

    assert reverse("privacy") in page and reverse("terms") in page


@pytest.mark.parametrize("name", ["privacy", "terms"])
def test_policies_show_their_version(client, name):
    page = client.get(reverse(name)).content.decode()

    assert CURRENT_VERSIONS[name] in page


def test_footer_names_the_organizer_hotline_and_configured_filing_numbers(client, settings):
    settings.PORTAL_ICP_NUMBER = "粤ICP备00000000号-1"
    settings.PORTAL_PSB_NUMBER = "粤公网安备44040302000000号"

    page = client.get("/").content.decode()

    assert "主办单位" in page and "服务热线" in page and "12345" in page
    assert "粤ICP备00000000号-1" in page and "粤公网安备44040302000000号" in page
    assert "开放接口" in page and "开发者接口" not in page


def test_real_name_page_says_why_the_id_number_is_needed(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    page = client.get(reverse("accounts:verify")).content.decode()

    assert "为什么需要您的身份证号码" in page


def test_login_message_names_the_person_not_the_system_username(client):
    from tests.factories import UserFactory

    UserFactory(username="user1", phone="+8613912345678", password=PASSWORD)

    response = client.post(reverse("account_login"), {"login": "13912345678", "password": PASSWORD}, follow=True)

    page = response.content.decode()
    assert "user1" not in page
    assert "139****5678" in page


def test_login_page_offers_the_sms_code_first_and_the_password_second(client):
    page = client.get(reverse("account_login")).content.decode()

    code_link = page.index(reverse("account_request_login_code"))
    password = page.index('name="password"')
    assert code_link < password
    assert "手机验证码登录" in page and "密码登录" in page
