"""Settings for the test suite: the real settings with fast hashing and deterministic side channels.

The database is whatever DATABASE_URL names (PostgreSQL in CI), SQLite otherwise. Tasks run eagerly;
integration tests switch to the real broker themselves.
"""

import tempfile

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "doumen_portal.notifications.sms.FileBackend"
SMS_FILE_PATH = tempfile.mkdtemp(prefix="doumen-sms-")
CELERY_TASK_ALWAYS_EAGER = True
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
