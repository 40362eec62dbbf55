import pytest
from django.core import mail
from django.urls import reverse

from doumen_portal.notifications.models import Notification, OutboxMessage
from tests.conftest import login_with_mfa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


def outbox(count, **fields):
    recipients = [UserFactory() for _ in range(count)]
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel=OutboxMessage.Channel.SMS, recipient=user, to_address=user.phone, body="Accepted.", **fields
        )
        for user in recipients
    )


@pytest.mark.parametrize("rows", [1, 15])
def test_outbox_list_query_count_does_not_grow_with_the_rows(admin_client, rows, django_assert_max_num_queries):
    outbox(rows)

    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:notifications_outboxmessage_changelist"))

    assert response.status_code == 200


def test_outbox_list_masks_mobile_numbers_and_filters_by_status(admin_client):
    [pending] = outbox(1)
    outbox(1, status=Status.SENT)

    response = admin_client.get(reverse("admin:notifications_outboxmessage_changelist"), {"status__exact": "pending"})

    assert list(response.context["cl"].result_list) == [pending]
    page = response.content.decode()
    assert pending.to_address not in page
    assert f"{pending.to_address[3:6]}****{pending.to_address[-4:]}" in page


def test_outbox_messages_cannot_be_added_or_changed(admin_client):
    [message] = outbox(1)

    assert admin_client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:notifications_outboxmessage_change", args=[message.pk]), {"body": "Changed."}
    )
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.body == "Accepted."


def test_requeue_action_sends_failed_messages_again(admin_client, sms_outbox, django_capture_on_commit_callbacks):
    [failed] = outbox(1, status=Status.FAILED, attempts=5, last_error="TimeoutError")
    [sent] = outbox(1, status=Status.SENT, attempts=1)
    changelist = admin_client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert 'value="requeue"' in changelist.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_outboxmessage_changelist"),
            {"action": "requeue", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.SENT, 1)
    assert [sms["phone"] for sms in sms_outbox()] == [failed.to_address]


def test_staff_without_the_change_permission_cannot_requeue(client, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    login_with_mfa(client, viewer)
    [failed] = outbox(1, status=Status.FAILED, attempts=5)

    changelist = client.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert changelist.status_code == 200
    assert 'value="requeue"' not in changelist.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_outboxmessage_changelist"),
            {"action": "requeue", "_selected_action": [failed.pk]},
        )

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.FAILED, 5)
    assert mail.outbox == []


@pytest.mark.parametrize("rows", [1, 15])
def test_notification_list_query_count_does_not_grow(admin_client, rows, django_assert_max_num_queries):
    Notification.objects.bulk_create(
        Notification(recipient=UserFactory(), kind="test", subject="Hello", body="Body") for _ in range(rows)
    )

    # 8, and 1 for the audit entry of the superuser's request.
    with django_assert_max_num_queries(9):
        response = admin_client.get(reverse("admin:notifications_notification_changelist"))

    assert response.status_code == 200
