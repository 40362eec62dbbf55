import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from doumen_portal.audit.models import AuditEntry
from doumen_portal.audit.services import blank_secrets, log_action, purge_expired_entries
from tests.conftest import require
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_secrets_are_blanked_and_id_numbers_masked_in_the_payload():
    entry = log_action(
        "accounts.test.change",
        payload={"password": "hunter2", "nested": {"otp_code": "123456"}, "note": "身份证 440403200201011232"},
    )
    assert entry.payload == {
        "password": "********",
        "nested": {"otp_code": "********"},
        "note": "身份证 440403********1232",
    }


def test_blank_secrets_keeps_ordinary_values():
    assert blank_secrets({"from": "submitted", "count": 3, "items": ["a"]}) == {
        "from": "submitted",
        "count": 3,
        "items": ["a"],
    }


def test_an_entry_names_actor_object_and_ip():
    from django.test import RequestFactory

    user = UserFactory(username="clerk")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    entry = log_action("accounts.user.view", actor=user, obj=user, request=request)
    assert (entry.actor, entry.actor_repr, entry.object_id, entry.ip_address) == (
        user,
        "clerk",
        str(user.pk),
        "10.1.2.3",
    )


def _require_postgres():
    require(connection.vendor == "postgresql", "PostgreSQL (audit protection triggers)")


def test_the_database_refuses_to_change_an_entry():
    _require_postgres()
    entry = log_action("test.entry.create", payload={"a": 1})

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.entry.forged")

    entry.refresh_from_db()
    assert entry.action == "test.entry.create"


def test_the_database_refuses_to_delete_a_recent_entry_even_with_raw_sql():
    _require_postgres()
    entry = log_action("test.entry.create")

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_retention_job_removes_only_entries_past_the_retention_period(settings):
    _require_postgres()
    settings.AUDIT_RETENTION_DAYS = 30  # configured too short: 180 days is the floor
    now = timezone.now()
    old = AuditEntry.objects.create(action="test.old", created_at=now - datetime.timedelta(days=400))
    half_year = AuditEntry.objects.create(action="test.recent", created_at=now - datetime.timedelta(days=179))

    assert purge_expired_entries(now=now) == 1

    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=half_year.pk).exists()


def test_admin_shows_the_log_read_only(admin_client):
    entry = log_action("test.entry.create")

    assert admin_client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 200
    assert admin_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_admin_list_has_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    for n in range(40):
        log_action(f"test.entry.n{n}", actor=UserFactory())
    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200


def test_an_entry_records_the_client_address_behind_the_proxy_as_the_lockout_does(settings):
    from django.test import RequestFactory

    from doumen_portal.security.lockout import client_ip as lockout_client_ip

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The client forged an entry; the proxy appended the address it saw, and connects from its own.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")

    entry = log_action("accounts.user.view", request=request)

    assert entry.ip_address == "203.0.113.7" == lockout_client_ip(request)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert log_action("accounts.user.view", request=request).ip_address == "203.0.113.9"


def test_an_api_request_records_the_client_address_behind_the_proxy(settings):
    from django.test import RequestFactory
    from rest_framework.request import Request

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = Request(RequestFactory().get("/api/v1/me/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.8"))

    assert log_action("accounts.user.view", request=request).ip_address == "203.0.113.8"
