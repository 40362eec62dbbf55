import re

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from doumen_portal import affairs
from doumen_portal.affairs import Affair
from doumen_portal.services_catalog import SERVICES
from tests.factories import UserFactory, VerifiedCitizenFactory

pytestmark = pytest.mark.django_db

PORTAL_NAME = "斗门区社会治理综合服务平台"


def test_home_page_is_chinese_by_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    page = response.content.decode()
    assert response.status_code == 200
    assert PORTAL_NAME in page
    assert '<html lang="zh-Hans">' in page


def test_home_page_links_the_four_services_and_each_explains_itself(client):
    page = client.get("/").content.decode()

    for service in SERVICES:
        assert f'href="{service.url}"' in page
        response = client.get(service.url)
        assert response.status_code == 200
        assert str(service.name) in response.content.decode()


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/petitions/"})
    assert response.status_code == 302
    assert response["Location"] == "/petitions/"

    page = client.get("/petitions/").content.decode()
    assert "Petition agency station" in page and '<html lang="en">' in page

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "信访代理服务站" in client.get("/petitions/").content.decode()


def test_language_choice_is_remembered_on_the_account(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.language == "en"


def test_unknown_language_is_ignored(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.language == "zh-hans"
    assert PORTAL_NAME in client.get("/").content.decode()


def test_home_page_shows_a_verified_citizen_masked_id(client):
    citizen = VerifiedCitizenFactory(identity="440403200201011232")
    client.force_login(citizen)

    page = client.get("/").content.decode()

    assert "440403********1232" in page
    assert "440403200201011232" not in page


def test_my_affairs_needs_login(client):
    response = client.get(reverse("my_affairs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_affairs_lists_what_each_app_reports_for_this_user_only(client, django_assert_max_num_queries):
    owner, other = UserFactory(), UserFactory()

    def provider(user, *, before=None, limit, show="all"):
        if user == owner:
            yield Affair(
                service=SERVICES[0].name,
                title="征地补偿",
                status="处理中",
                reference="XF2026-000001-7K",
                url="/petitions/",
                updated_at=owner.date_joined,
            )

    affairs.register(provider)
    try:
        client.force_login(owner)
        # One query per registered case model (each app's provider), plus the session, user and inbox count.
        from doumen_portal.casework.registry import case_models

        with django_assert_max_num_queries(3 + len(case_models)):
            assert "XF2026-000001-7K" in client.get(reverse("my_affairs")).content.decode()
        client.force_login(other)
        page = client.get(reverse("my_affairs")).content.decode()
        assert "XF2026-000001-7K" not in page
        assert "您尚未提交任何事项" in page
    finally:
        affairs._providers.remove(provider)


def test_not_found_page_is_friendly_and_chinese(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "找不到" in response.content.decode()
    assert PORTAL_NAME in response.content.decode()


def test_server_error_page_is_friendly_and_chinese():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "出错" in response.content.decode()


def test_profile_page_shows_masked_data_and_the_download_link(client):
    citizen = VerifiedCitizenFactory(identity="440403200201011232", phone="+8613912345678")
    client.force_login(citizen)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "13912345678" in page and "440403********1232" in page
    assert reverse("accounts:data") in page


def test_citizen_downloads_their_personal_data_as_json(client):
    citizen = VerifiedCitizenFactory(identity="440403200201011232", phone="+8613912345678")
    client.force_login(citizen)

    response = client.get(reverse("accounts:data"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = response.json()
    assert data["account"]["mobile_phone"] == "13912345678"
    assert data["real_name_verification"]["resident_id_number"] == "440403********1232"
    assert "440403200201011232" not in response.content.decode()


def test_personal_data_download_needs_login(client):
    assert client.get(reverse("accounts:data")).status_code == 302


def test_pages_load_no_external_asset(client):
    citizen = VerifiedCitizenFactory()
    client.force_login(citizen)
    for url in ["/", "/petitions/", reverse("accounts:profile"), reverse("api_docs")]:
        page = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', page)
        assert external == [], url


def _request(path="/"):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_permission_denied_page_is_friendly_and_chinese():
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    response = permission_denied(_request(), PermissionDenied())

    assert response.status_code == 403
    assert "无权" in response.content.decode()


def test_too_many_attempts_page_is_friendly_and_chinese():
    from allauth.core.ratelimit import respond_429

    response = respond_429(_request())

    assert response.status_code == 429
    assert "请稍候" in response.content.decode() or "稍后" in response.content.decode()


def test_signed_in_person_on_a_new_device_gets_their_saved_language(client):
    user = UserFactory(language="en")
    client.force_login(user)

    assert '<html lang="en">' in client.get("/").content.decode()


def test_language_cookie_wins_over_the_saved_language(client):
    user = UserFactory(language="en")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    assert '<html lang="zh-Hans">' in client.get("/").content.decode()


def test_favicon_ico_points_at_the_portal_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")


def test_dates_are_chinese_with_24_hour_times_and_english_stays_english():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    moment = datetime.datetime(2026, 3, 2, 15, 5)
    template = Template('{{ d|date:"DATE_FORMAT" }} · {{ d|date:"DATETIME_FORMAT" }} · {{ d|date:"TIME_FORMAT" }}')
    with translation.override("zh-hans"):
        chinese = template.render(Context({"d": moment}))
    with translation.override("en"):
        english = template.render(Context({"d": moment}))

    assert chinese == "2026年3月2日 · 2026年3月2日 15:05 · 15:05"
    assert english == "March 2, 2026 · March 2, 2026, 15:05 · 15:05"


def test_citizen_templates_name_their_date_formats_instead_of_iso_patterns():
    """A literal pattern such as "Y-m-d" would show ISO dates to Chinese readers; the admin may keep them."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR) / "templates"
    literal = re.compile(r"\|date:[\"'](?:Y-m-d|H:i)")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and "admin" not in path.parts and literal.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
