"""Settings of the web servers integration tests start: the test settings, but the cache as configured for
production (``REDIS_URL``), where the test settings use a per-process memory cache."""

from doumen_portal import settings as configured
from doumen_portal.test_settings import *  # noqa: F403

CACHES = configured.CACHES
