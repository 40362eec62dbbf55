"""Logins, failed logins, lockouts and unlocks are written to the append-only audit log."""

import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from doumen_portal.audit.models import AuditEntry
from doumen_portal.security.login_audit import LOCKOUT, LOGIN, LOGIN_FAILED, UNLOCK
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-42"
WRONG = "Wrong-horse-42"


def log_in(client, login, password, ip="10.30.0.1", **headers):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip, **headers)


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


@pytest.fixture
def owner():
    return UserFactory(phone="+8613912345678", password=PASSWORD)


def test_a_login_is_recorded_with_the_client_address_behind_the_proxy(settings, owner):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    response = log_in(Client(), "13912345678", PASSWORD, ip="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert response.status_code == 302
    [entry] = entries(LOGIN)
    assert (entry.actor, entry.object_id, entry.ip_address) == (owner, str(owner.pk), "203.0.113.7")
    assert entry.payload == {"method": "password"}


def test_a_login_by_sms_code_is_recorded_with_its_method(owner, sms_outbox):
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"phone": "13912345678"}, REMOTE_ADDR="10.30.1.1")
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox()[-1]["body"]).group(1)

    client.post(response["Location"], {"code": code}, REMOTE_ADDR="10.30.1.1")

    [entry] = entries(LOGIN)
    assert (entry.actor, entry.payload, entry.ip_address) == (owner, {"method": "code"}, "10.30.1.1")


def test_a_failed_login_is_recorded_against_the_account_with_the_number_masked(owner):
    log_in(Client(), "139 1234 5678", WRONG, ip="10.30.2.1")

    [entry] = entries(LOGIN_FAILED)
    assert entry.actor is None
    assert (entry.object_id, entry.ip_address) == (str(owner.pk), "10.30.2.1")
    assert entry.payload == {"login": "139****5678", "method": "password", "locked_out": False}
    assert "13912345678" not in str(entry.payload)
    assert not entries(LOGIN)


def test_wrong_sms_codes_at_login_are_recorded_as_failed_logins(owner, sms_outbox):
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"phone": "13912345678"}, REMOTE_ADDR="10.30.7.1")
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox()[-1]["body"]).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(3):
        client.post(response["Location"], {"code": wrong}, REMOTE_ADDR="10.30.7.1")

    failures = entries(LOGIN_FAILED)
    assert [(entry.object_id, entry.ip_address) for entry in failures] == [(str(owner.pk), "10.30.7.1")] * 3
    assert [entry.payload for entry in failures] == [
        {"login": "139****5678", "method": "code", "last_attempt": False},
        {"login": "139****5678", "method": "code", "last_attempt": False},
        {"login": "139****5678", "method": "code", "last_attempt": True},
    ]
    assert not entries(LOGIN)


def test_a_failed_login_for_an_unknown_number_is_recorded_without_an_account():
    log_in(Client(), "13900000001", WRONG, ip="10.30.3.1")

    [entry] = entries(LOGIN_FAILED)
    assert (entry.object_id, entry.payload["login"], entry.ip_address) == ("", "139****0001", "10.30.3.1")


def test_the_failure_that_locks_is_recorded_once_and_every_failure_says_whether_it_is_locked_out(owner):
    for n in range(7):
        log_in(Client(), "13912345678", WRONG if n < 6 else PASSWORD, ip=f"10.30.4.{n}")

    [lockout] = entries(LOCKOUT)
    assert (lockout.object_id, lockout.ip_address) == (str(owner.pk), "10.30.4.4")
    assert lockout.payload == {"login": "139****5678", "failures": 5}
    failures = entries(LOGIN_FAILED)
    assert [entry.payload["locked_out"] for entry in failures] == [False] * 4 + [True] * 3
    assert not entries(LOGIN)


def lock(login="13912345678", ip="10.30.5.1"):
    for _ in range(5):
        log_in(Client(), login, WRONG, ip=ip)
    assert log_in(Client(), login, PASSWORD, ip=ip).status_code == 429


def test_unlocking_in_the_admin_is_recorded_and_lets_the_owner_in(admin_client, admin_user, owner):
    lock()
    [attempt] = AccessAttempt.objects.all()

    response = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert response.status_code == 302
    [entry] = entries(UNLOCK)
    assert (entry.actor, entry.object_id) == (admin_user, str(owner.pk))
    assert entry.payload == {"login": "139****5678", "ip_address": "10.30.5.1", "removed": 1}
    assert log_in(Client(), "13912345678", PASSWORD, ip="10.30.5.1").status_code == 302


def test_unlocking_several_in_the_admin_records_each(admin_client):
    lock("13900000001", ip="10.30.6.1")
    lock("13900000002", ip="10.30.6.2")
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]

    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert sorted(entry.payload["login"] for entry in entries(UNLOCK)) == ["139****0001", "139****0002"]
    assert not AccessAttempt.objects.exists()


def test_the_unlock_command_is_recorded_and_lets_the_owner_in(owner):
    lock()

    call_command("unlock_login", "139 1234 5678", "--ip", "10.30.5.1", stdout=open("/dev/null", "w"))  # noqa: SIM115

    [entry] = entries(UNLOCK)
    assert entry.actor is None
    assert entry.object_id == str(owner.pk)
    assert entry.payload == {"login": "139****5678", "ip_address": "10.30.5.1", "removed": 1}
    assert log_in(Client(), "13912345678", PASSWORD, ip="10.30.5.1").status_code == 302


def test_the_unlock_command_needs_an_account_or_an_address():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("unlock_login")

    assert not entries(UNLOCK)


def test_the_unlock_command_refuses_a_malformed_address_and_records_nothing():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("unlock_login", "--ip", "10.30.5.x")

    assert not entries(UNLOCK)
