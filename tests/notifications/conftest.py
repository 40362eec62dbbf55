import pytest

from doumen_portal.notifications.models import Notification
from tests.factories import UserFactory


@pytest.fixture
def owner():
    return UserFactory(language="en")


@pytest.fixture
def outsider():
    return UserFactory(language="en")


def notifications(recipient, count, **fields):
    return Notification.objects.bulk_create(
        Notification(recipient=recipient, kind="test", subject=f"Subject {n}", body=f"Body {n}", **fields)
        for n in range(count)
    )


@pytest.fixture(autouse=True)
def _closed_broker_breaker():
    """Each test starts with the publishing circuit breaker closed, whatever the previous test tripped."""
    from doumen_portal.notifications.services import broker_breaker

    broker_breaker.succeeded()
    yield
    broker_breaker.succeeded()
