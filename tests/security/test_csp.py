"""Content-Security-Policy without inline scripts, and every main page living within it."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from doumen_portal.security.mfa import install_totp, totp_code
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, UserFactory, VerifiedCitizenFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-42"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
}
# <script type="application/json"> blocks are data, never executed, and outside script-src.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";") if part.strip())}


class InlineCode(HTMLParser):
    """What a strict policy would block: inline scripts, event-handler attributes, javascript: URLs, styles."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.styles, self._in_inline_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            inline = "src" not in attrs and (attrs.get("type") or "").lower() not in DATA_SCRIPT_TYPES
            self._in_inline_script = inline
            if inline:
                self.scripts.append("")
        if tag == "style":
            self.styles.append("<style>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append(f"{tag} {name}={value}")
            elif name == "style":
                self.styles.append(f"{tag} style={value}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script:
            self.scripts[-1] += data


def assert_within_policy(response, *, own_styles=True):
    url = response.wsgi_request.get_full_path()
    assert response.status_code == 200, url
    assert policy(response) == EXPECTED_POLICY, url
    found = InlineCode()
    found.feed(response.content.decode())
    assert found.scripts == [], url
    assert found.handlers == [], url
    if own_styles:
        assert found.styles == [], url


def test_the_home_page_has_the_policy_and_no_inline_script(client):
    response = client.get("/")

    assert_within_policy(response)
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.parametrize(
    "url",
    ["/", "/petitions/", "/incubator/", "/smallbiz/", "/social-work/", "/accounts/login/", "/accounts/signup/"],
)
def test_public_pages_live_within_the_policy(client, url):
    assert_within_policy(client.get(url))


def test_login_by_code_pages_live_within_the_policy(client, sms_outbox):
    UserFactory(phone="+8613912345678")
    assert_within_policy(client.get(reverse("account_request_login_code")))

    response = client.post(reverse("account_request_login_code"), {"phone": "13912345678"})

    assert_within_policy(client.get(response["Location"]))


def test_signed_in_pages_live_within_the_policy(client):
    client.force_login(VerifiedCitizenFactory())
    for url in [reverse("my_affairs"), reverse("accounts:profile")]:
        assert_within_policy(client.get(url))
    unverified = Client()
    unverified.force_login(UserFactory())
    assert_within_policy(unverified.get(reverse("accounts:verify")))


def test_admin_pages_live_within_the_policy(client):
    staff = StaffFactory(is_superuser=True)
    citizen = VerifiedCitizenFactory()
    login_with_mfa(client, staff)

    for url in [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[citizen.pk]),
        reverse("admin:accounts_user_add"),
        reverse("admin:places_village_changelist"),
        reverse("admin:places_town_add"),
        reverse("admin:mfa_authenticator_changelist"),
    ]:
        assert_within_policy(client.get(url))


def test_setting_up_totp_lives_within_the_policy_and_shows_the_qr_code_as_a_data_image(client):
    staff = StaffFactory(phone="+8613912345678", password=PASSWORD)
    client.force_login(staff)

    asked = client.get(client.get(reverse("admin:index"))["Location"])  # activation asks for the password first
    assert asked.status_code == 302
    assert_within_policy(client.get(asked["Location"]))
    back = client.post(asked["Location"], {"password": PASSWORD})
    activation = client.get(back["Location"])

    assert_within_policy(activation)
    assert 'src="data:image/svg+xml;base64,' in activation.content.decode()
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(client.session["mfa.totp.secret"])})
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert_within_policy(client.get(done["Location"]))
    assert_within_policy(client.get(reverse("mfa_index")))


def test_the_login_totp_step_lives_within_the_policy(client):
    staff = StaffFactory(phone="+8613912345678", password=PASSWORD)
    install_totp(staff, secret=SECRET)

    client.post(reverse("account_login"), {"login": "13912345678", "password": PASSWORD})

    assert_within_policy(client.get(reverse("mfa_authenticate")))


def test_api_docs_load_their_start_up_script_as_a_file(client):
    response = client.get(reverse("api_docs"))

    assert_within_policy(response, own_styles=False)  # Swagger UI's own template carries a <style> block
    script = client.get(reverse("api_docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
