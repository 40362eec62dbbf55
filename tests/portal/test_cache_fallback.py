"""The shared cache while Redis cannot be reached: the database table takes over, with one warning per retry
interval, and Redis is tried again afterwards."""

import logging

import pytest

from doumen_portal.cache import backends
from doumen_portal.cache.backends import ResilientRedisCache
from doumen_portal.cache.models import FallbackCacheEntry

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def cache():
    backends._down_until.clear()
    yield ResilientRedisCache(NOBODY_LISTENS, {"OPTIONS": {"socket_connect_timeout": 0.5, "RETRY_AFTER": 15}})
    backends._down_until.clear()


def test_counters_are_kept_in_the_database_while_redis_is_unreachable(cache, caplog):
    with caplog.at_level(logging.WARNING, logger="doumen_portal.cache"):
        assert cache.add("lookup:ip:10.0.0.1", 1, 900) is True
        assert cache.incr("lookup:ip:10.0.0.1") == 2
        assert cache.get_many(["lookup:ip:10.0.0.1", "missing"]) == {"lookup:ip:10.0.0.1": 2}

    assert FallbackCacheEntry.objects.count() == 1
    assert cache.using_fallback
    warnings = [r for r in caplog.records if "using the database" in r.getMessage()]
    assert len(warnings) == 1
    assert "127.0.0.1:1" in warnings[0].getMessage()


def test_redis_is_tried_again_after_the_retry_interval(cache, caplog):
    cache.set("k", "v", 60)
    assert cache.using_fallback
    backends._down_until[NOBODY_LISTENS] -= 16  # the 15-second interval has passed

    assert not cache.using_fallback
    with caplog.at_level(logging.WARNING, logger="doumen_portal.cache"):
        assert cache.get("k") == "v"  # Redis was tried, failed again, and the database answered

    assert cache.using_fallback
    assert "using the database" in caplog.text
