import pytest
from django.urls import reverse
from django.utils import timezone

from doumen_portal.notifications.models import Notification
from tests.factories import UserFactory
from tests.notifications.conftest import notifications

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def test_inbox_needs_a_login(client):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_inbox_shows_only_the_persons_own_notifications(client, owner, outsider):
    Notification.objects.create(recipient=owner, kind="test", subject="Your petition was accepted", body="Mine")
    Notification.objects.create(recipient=outsider, kind="test", subject="Someone else's loan", body="Theirs")
    client.force_login(owner)

    page = client.get(INBOX).content.decode()

    assert "Your petition was accepted" in page
    assert "Someone else" not in page


def test_inbox_lists_newest_first_and_paginates(client, owner):
    notifications(owner, 25)
    client.force_login(owner)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert [n.subject for n in first.context["page"]][:2] == ["Subject 24", "Subject 23"]
    assert len(first.context["page"]) == 20
    assert [n.subject for n in second.context["page"]] == [f"Subject {n}" for n in range(4, -1, -1)]
    assert 'rel="next"' in first.content.decode()


def test_empty_inbox_says_so(client, owner):
    client.force_login(owner)

    assert "You have no notifications yet." in client.get(INBOX).content.decode()


@pytest.mark.parametrize("rows", [1, 40])
def test_inbox_query_count_does_not_grow_with_the_rows(client, owner, rows, django_assert_max_num_queries):
    notifications(owner, rows)
    client.force_login(owner)

    # session, user, COUNT for the pages, the page's rows, the unread COUNT for the header
    with django_assert_max_num_queries(5):
        response = client.get(INBOX)

    assert response.status_code == 200


def test_recipient_marks_a_notification_read(client, owner):
    [notification] = notifications(owner, 1)
    client.force_login(owner)

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]), {"next": f"{INBOX}?page=1"})

    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?page=1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_another_persons_notification_read_is_404_and_changes_nothing(client, owner, outsider):
    [theirs] = notifications(outsider, 1)
    client.force_login(owner)

    response = client.post(reverse("notifications:mark_read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_marks_need_post(client, owner):
    [notification] = notifications(owner, 1)
    client.force_login(owner)

    assert client.get(reverse("notifications:mark_read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_read_mark_does_not_redirect_off_site(client, owner):
    [notification] = notifications(owner, 1)
    client.force_login(owner)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), {"next": "https://evil.example.com/"}
    )

    assert response["Location"] == INBOX


def test_mark_all_read_marks_only_the_persons_own(client, owner, outsider):
    notifications(owner, 3)
    notifications(outsider, 2)
    client.force_login(owner)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=outsider, read_at__isnull=True).count() == 2


def test_header_shows_the_unread_count(client, owner, outsider):
    notifications(owner, 3)
    notifications(owner, 2, read_at=timezone.now())
    notifications(outsider, 7)
    client.force_login(owner)

    page = client.get(reverse("home")).content.decode()

    assert f'href="{INBOX}"' in page
    assert '<span class="badge-count" aria-hidden="true">3</span>' in page
    assert 'aria-label="Inbox, 3 unread notifications"' in page


def test_header_shows_no_badge_when_everything_is_read(client, owner):
    notifications(owner, 2, read_at=timezone.now())
    client.force_login(owner)

    page = client.get(reverse("home")).content.decode()

    assert f'href="{INBOX}"' in page
    assert "badge-count" not in page


def test_large_unread_counts_are_capped_in_the_badge(client, owner):
    notifications(owner, 120)
    client.force_login(owner)

    page = client.get(reverse("home")).content.decode()

    assert '<span class="badge-count" aria-hidden="true">99+</span>' in page
    assert 'aria-label="Inbox, 120 unread notifications"' in page


def test_anonymous_visitors_get_no_inbox_link_and_no_count_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = client.get(reverse("home")).content.decode()

    assert INBOX not in page


def test_inbox_page_is_chinese_by_default(client):
    user = UserFactory()  # language zh-hans
    client.force_login(user)

    page = client.get(INBOX).content.decode()

    assert '<html lang="zh-Hans">' in page
    assert "<h1>站内信</h1>" in page
