"""Settings for the test suite: the real settings with fast hashing and deterministic side channels.

The database is whatever DATABASE_URL names (PostgreSQL in CI), SQLite otherwise. Tasks run eagerly;
integration tests switch to the real broker themselves.
"""

import os
import tempfile

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if os.environ.get("EMAIL_FILE_PATH"):
    # The Celery worker of the integration tests writes e-mail where the test reads it.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
SMS_BACKEND = "doumen_portal.notifications.sms.FileBackend"
# The Celery worker that integration tests start is told where to write (see tests/integration).
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH") or tempfile.mkdtemp(prefix="doumen-sms-")
# That worker runs with CELERY_TASK_ALWAYS_EAGER=false, so its retries go through the broker too.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true").lower() != "false"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="doumen-media-")
PII_ENCRYPTION_KEYS = ["u6dKZ1kV3v5b0x3y8nQ2cW9mJ4hT7pR1sA6eF0gL2iE="]
PII_HASH_KEY = "test-hash-key"
# Threads in tests (live server, concurrency tests) must not keep connections open past a request.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
