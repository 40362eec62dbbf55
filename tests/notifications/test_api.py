import pytest
from django.urls import reverse
from django.utils import timezone

from doumen_portal.notifications.models import Notification
from tests.notifications.conftest import notifications

pytestmark = pytest.mark.django_db

LIST = reverse("api:notification-list")


def test_list_returns_only_the_callers_notifications(client, owner, outsider):
    [mine] = notifications(owner, 1, url="/my-affairs/")
    notifications(outsider, 2)
    client.force_login(owner)

    body = client.get(LIST).json()

    assert body["count"] == 1
    [item] = body["results"]
    assert item["id"] == mine.pk
    assert {k: item[k] for k in ("kind", "subject", "body", "url", "read_at", "is_read")} == {
        "kind": "test",
        "subject": "Subject 0",
        "body": "Body 0",
        "url": "/my-affairs/",
        "read_at": None,
        "is_read": False,
    }


def test_list_is_paginated_newest_first(client, owner):
    notifications(owner, 25)
    client.force_login(owner)

    body = client.get(LIST).json()

    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["results"][0]["subject"] == "Subject 24"
    assert body["next"]


@pytest.mark.parametrize("rows", [1, 40])
def test_list_query_count_does_not_grow_with_the_rows(client, owner, rows, django_assert_max_num_queries):
    notifications(owner, rows)
    client.force_login(owner)

    # session, user, COUNT, the page
    with django_assert_max_num_queries(4):
        assert client.get(LIST).status_code == 200


def test_anonymous_clients_are_refused(client):
    assert client.get(LIST).status_code in (401, 403)


def test_recipient_marks_a_notification_read(client, owner):
    [notification] = notifications(owner, 1)
    client.force_login(owner)

    response = client.post(reverse("api:notification-read", args=[notification.pk]))

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_another_persons_notification_read_is_404_and_changes_nothing(client, owner, outsider):
    [theirs] = notifications(outsider, 1)
    client.force_login(owner)

    response = client.post(reverse("api:notification-read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_the_callers_unread(client, owner, outsider):
    notifications(owner, 2)
    notifications(owner, 1, read_at=timezone.now())
    notifications(outsider, 1)
    client.force_login(owner)

    response = client.post(reverse("api:notification-read-all"))

    assert response.json() == {"marked_read": 2}
    assert Notification.objects.filter(recipient=outsider, read_at__isnull=True).count() == 1
