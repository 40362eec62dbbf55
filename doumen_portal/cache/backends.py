"""The portal's shared cache: Redis, and the database while Redis is stopped or hangs.

Rate limits (allauth's, the petition lookup's) live in the cache. With plain ``RedisCache`` a Redis outage
raised inside login, sign-up, SMS codes and the lookup: a 500 for everyone. Here a Redis failure switches
the process to a table in the database (``portal_cache.FallbackCacheEntry``), which every web process
shares, so the limits keep holding across processes; Redis is tried again after ``RETRY_AFTER`` seconds.
Counters made during the outage stay in the database and are not copied back: when Redis returns, limits
count afresh, which errs on the side of letting people in.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)

# Seconds without trying Redis after it failed; per process, for all of its threads.
_down_until: dict[str, float] = {}
_down_lock = threading.Lock()


class ResilientRedisCache(BaseCache):
    """``LOCATION``: the Redis URL. ``OPTIONS``: Redis connection options (set short ``socket_timeout`` and
    ``socket_connect_timeout``: a hung Redis costs a request that long, once per ``RETRY_AFTER``), plus
    ``RETRY_AFTER`` (seconds, default 15) and ``FALLBACK_MAX_ENTRIES`` (default 50,000)."""

    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        self._retry_after = float(options.pop("RETRY_AFTER", 15))
        fallback_max_entries = int(options.pop("FALLBACK_MAX_ENTRIES", 50_000))
        self._server = server if isinstance(server, str) else ",".join(server)
        self._redis = RedisCache(server, {**params, "OPTIONS": options})

        from .models import FallbackCacheEntry

        self._fallback = DatabaseCache(
            FallbackCacheEntry._meta.db_table,
            {**params, "OPTIONS": {"MAX_ENTRIES": fallback_max_entries, "CULL_FREQUENCY": 3}},
        )

    def _where(self) -> str:
        # Host and port only: the URL may carry a password.
        parts = urlsplit(self._server.split(",")[0])
        return f"{parts.hostname}:{parts.port or 6379}"

    def _call(self, method: str, *args, **kwargs):
        if time.monotonic() >= _down_until.get(self._server, 0.0):
            try:
                return getattr(self._redis, method)(*args, **kwargs)
            except REDIS_UNAVAILABLE as error:
                with _down_lock:
                    _down_until[self._server] = time.monotonic() + self._retry_after
                logger.warning(
                    "Cache: Redis at %s is unavailable (%s); using the database for the next %.0f s",
                    self._where(),
                    error,
                    self._retry_after,
                )
        return getattr(self._fallback, method)(*args, **kwargs)

    @property
    def using_fallback(self) -> bool:
        return time.monotonic() < _down_until.get(self._server, 0.0)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")

    def close(self, **kwargs):
        self._redis.close(**kwargs)
        self._fallback.close(**kwargs)
