"""No page, API response, download or log line of a full journey shows a resident ID number unmasked.

The only exception is the staff "show full ID number" page, which exists to do so and is audited.
"""

import logging
import re

import pytest
from django.core import mail
from django.urls import reverse
from stdnum.cn import ric

from doumen_portal.accounts.models import IdentityCorrectionRequest, User

pytestmark = pytest.mark.django_db

FIRST_ID = "440403200201011232"
CORRECTED_ID = "11010519491231002X"
CANDIDATE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def scan():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.samples import image_bytes

    return SimpleUploadedFile("id-card.png", image_bytes("PNG"), content_type="image/png")


def unmasked_ids(text: str) -> list[str]:
    return [number for number in CANDIDATE.findall(text) if ric.is_valid(number)]


def test_the_scanner_finds_a_valid_number_and_ignores_masked_ones():
    assert unmasked_ids(f"id={FIRST_ID}; masked=440403********1232; phone=13800138000") == [FIRST_ID]
    assert unmasked_ids("440403200201011233") == []  # bad checksum: not an ID number


def test_full_journey_never_shows_a_full_id_number(client, admin_client, caplog, sms_outbox):
    caplog.set_level(logging.DEBUG)
    seen: list[tuple[str, str]] = []

    def visit(http, method, url, **kwargs):
        response = getattr(http, method)(url, **kwargs)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen.append((f"{method.upper()} {url}", body.decode("utf-8", "replace")))
        return response

    # A citizen signs up by phone, verifies the SMS code and the real name.
    password = "Doumen-journey-2026"
    response = visit(
        client,
        "post",
        reverse("account_signup"),
        data={"phone": "13912345678", "password1": password, "password2": password, "agree": "on"},
    )
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox()[-1]["body"]).group(1)
    visit(client, "post", response["Location"], data={"code": code})
    visit(client, "post", reverse("accounts:verify"), data={"real_name": "王芳", "id_number": FIRST_ID}, follow=True)
    citizen = User.objects.get(phone="+8613912345678")
    assert citizen.is_real_name_verified

    # Every page and API the citizen has.
    for url in ["/", reverse("my_affairs"), reverse("accounts:profile"), reverse("accounts:data"), "/api/v1/me/"]:
        visit(client, "get", url)
    visit(
        client,
        "post",
        reverse("accounts:correction_new"),
        data={"real_name": "王芳", "id_number": CORRECTED_ID, "reason": "更正", "document": scan()},
        follow=True,
    )
    correction = IdentityCorrectionRequest.objects.get()
    visit(client, "get", correction.get_absolute_url())
    visit(client, "get", reverse("api:identity-correction-list"))
    visit(client, "get", reverse("api:identity-correction-history", args=[correction.reference]))
    # Bad input echoes nothing back unmasked either.
    visit(
        client,
        "post",
        reverse("api:identity-correction-list"),
        data={"corrected_name": "王芳", "id_number": CORRECTED_ID, "reason": "再次"},
        content_type="application/json",
    )

    # Staff work on it in the admin.
    for url in [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[citizen.pk]),
        reverse("admin:accounts_identitycorrectionrequest_changelist"),
        reverse("admin:accounts_identitycorrectionrequest_change", args=[correction.pk]),
        reverse("admin:audit_auditentry_changelist"),
    ]:
        visit(admin_client, "get", url)
    visit(
        admin_client,
        "post",
        reverse("admin:accounts_identitycorrectionrequest_step", args=[correction.pk]),
        data={"action": "approve", "note": "材料齐全"},
        follow=True,
    )
    visit(client, "get", correction.get_absolute_url())
    visit(client, "get", "/api/v1/me/")

    leaks = [(where, unmasked_ids(body)) for where, body in seen if unmasked_ids(body)]
    leaks += [
        ("log", unmasked_ids(record.getMessage())) for record in caplog.records if unmasked_ids(record.getMessage())
    ]
    leaks += [("sms", unmasked_ids(message["body"])) for message in sms_outbox() if unmasked_ids(message["body"])]
    leaks += [("mail", unmasked_ids(message.body)) for message in mail.outbox if unmasked_ids(message.body)]
    assert leaks == []
    assert len(seen) >= 18
