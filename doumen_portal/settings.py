"""Settings of the Doumen social-governance portal.

One module for every environment: everything that differs between a laptop and production comes from
environment variables (see the README's configuration table). With no variable set at all the portal runs
for development: SQLite, Celery tasks run eagerly, e-mail and SMS printed to the console, DEBUG on.
"""

import base64
import hashlib
import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)


def _dev_secret_key() -> str:
    """A secret key generated once per checkout, so sessions and encrypted data survive restarts."""
    path = BASE_DIR / ".dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _dev_secret_key()


def _derived_key(purpose: str) -> str:
    digest = hashlib.sha256(f"{purpose}:{SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


# Resident ID numbers are stored encrypted (Fernet) plus a keyed hash for duplicate detection. The keys
# never live in the database, so a dump alone reveals nothing. PII_ENCRYPTION_KEYS is a comma-separated
# list of Fernet keys: the first encrypts, all decrypt (key rotation).
PII_ENCRYPTION_KEYS = env.list("PII_ENCRYPTION_KEYS", default=[])
PII_HASH_KEY = env("PII_HASH_KEY", default="")
if not (PII_ENCRYPTION_KEYS and PII_HASH_KEY):
    if not DEBUG:
        raise ImproperlyConfigured("PII_ENCRYPTION_KEYS and PII_HASH_KEY must be set when DEBUG is off.")
    PII_ENCRYPTION_KEYS = PII_ENCRYPTION_KEYS or [_derived_key("pii-encryption")]
    PII_HASH_KEY = PII_HASH_KEY or _derived_key("pii-hash")

# The portal's public address, for links in e-mail and SMS.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")
# Shown in every page's footer: the ICP filing number (ICP备案) and the public-security filing (公安备案).
PORTAL_ICP_NUMBER = env("PORTAL_ICP_NUMBER", default="")
PORTAL_PSB_NUMBER = env("PORTAL_PSB_NUMBER", default="")
PORTAL_HOTLINE = env("PORTAL_HOTLINE", default="12345")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "doumen_portal.admin_site.PortalAdminConfig",  # django.contrib.admin with the portal's AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "allauth.mfa",
    "axes",
    "csp",
    "doumen_portal.accounts",
    "doumen_portal.places",
    "doumen_portal.units",
    "doumen_portal.audit",
    "doumen_portal.casework",
    "doumen_portal.notifications",
    "doumen_portal.documents",
    "doumen_portal.cache",
    "incubator",
    "petitions",
    "smallbiz",
    "social_work",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "doumen_portal.middleware.PortalLanguageMiddleware",
    "doumen_portal.middleware.RefuseControlCharactersMiddleware",
    "doumen_portal.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "doumen_portal.middleware.RateLimitedMiddleware",
    "doumen_portal.security.middleware.SessionTimeoutMiddleware",
    "doumen_portal.security.middleware.AdminSecondFactorMiddleware",
    "doumen_portal.security.middleware.SuperuserAuditMiddleware",
    "doumen_portal.security.middleware.PasswordAgeReminderMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

if not DEBUG:
    # Static files from the collected, hashed and compressed copy; in development runserver serves them.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "doumen_portal.urls"
WSGI_APPLICATION = "doumen_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doumen_portal.context_processors.portal",
                "doumen_portal.notifications.context_processors.inbox",
            ],
        },
    },
]
# Every form's fields name what is missing in the person's words ("请填写涉及单位").
FORM_RENDERER = "doumen_portal.forms.PortalFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Rate limits live in the cache. While Redis is stopped or hangs (short timeouts), the cache falls back to
    # a database table that all web processes share (doumen_portal.cache.backends), never to an error page.
    CACHES = {
        "default": {
            "BACKEND": "doumen_portal.cache.backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_AFTER": 15},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before any password check
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Everyone's passwords (see doumen_portal.security.validators): 10+ characters of 3 of 4 classes, not common.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "first_name", "last_name", "email", "phone", "real_name"]},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "doumen_portal.security.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
# Database sessions whose save reconnects once when the connection was lost after the request committed.
SESSION_ENGINE = "doumen_portal.security.session_store"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: sign-up and login by mobile phone (SMS code) or e-mail.
ACCOUNT_ADAPTER = "doumen_portal.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "doumen_portal.accounts.forms.LoginForm"}
# Messages such as "以 … 成功登录" name the person (real name or masked mobile number), never the system username.
ACCOUNT_USER_DISPLAY = "builtins.str"
ACCOUNT_SIGNUP_FORM_CLASS = "doumen_portal.accounts.signup_forms.SignupConsentForm"
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "email", "password1*", "password2*"]
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Six digits, as every Chinese SMS code looks.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "dashed": False, "length": 6}

# SMS delivery: console (development), file (tests) or locmem; production names a gateway backend.
SMS_BACKEND = env("SMS_BACKEND", default="doumen_portal.notifications.sms.ConsoleBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="斗门区社会治理综合服务平台 <noreply@doumen.example.cn>")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# Named date formats per language (Chinese 2026年3月2日 and 24-hour times), see doumen_portal/formats.
FORMAT_MODULE_PATH = ["doumen_portal.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Celery: a real broker when one is configured, otherwise tasks run in the calling process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Nothing to connect to: tasks run in the calling process, and the in-memory transport keeps Celery
    # from reaching for an AMQP server on localhost.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

REST_FRAMEWORK = {
    # The portal's expiring, revocable tokens (security.ApiToken) first: a refused token then answers 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "doumen_portal.security.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "doumen_portal.api_pagination.PortalPageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "doumen_portal.api_parsers.PortalJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "doumen_portal.api_schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "doumen_portal.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "斗门区社会治理综合服务平台 API",
    "DESCRIPTION": "Doumen District social-governance portal: petitions, incubation base, "
    "small-business federation and social-work stations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}


# Production hardening; DEBUG off means HTTPS behind a proxy that sets X-Forwarded-Proto.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Audit log -----------------------------------------------------------------------------------------
# Rows younger than this are never removed (MLPS: at least 6 months); the database refuses it as well.
AUDIT_RETENTION_DAYS = max(180, env.int("AUDIT_RETENTION_DAYS", default=365))

# --- Notifications --------------------------------------------------------------------------------------
# Outbox delivery (doumen_portal.notifications): a failed send is retried after 30 s, 60 s, 120 s... and the
# message is marked failed after NOTIFICATIONS_MAX_ATTEMPTS; a message still pending after
# NOTIFICATIONS_REQUEUE_AFTER seconds (its task was lost to a broker or worker outage) is published again
# by the requeue task, at most NOTIFICATIONS_REQUEUE_BATCH per run.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_DELAY = env.int("NOTIFICATIONS_RETRY_DELAY", default=30)
NOTIFICATIONS_REQUEUE_AFTER = env.int("NOTIFICATIONS_REQUEUE_AFTER", default=60)
NOTIFICATIONS_REQUEUE_BATCH = env.int("NOTIFICATIONS_REQUEUE_BATCH", default=500)
# Publishing after a request's commit waits at most this long (seconds) for the broker, connecting or
# writing, and never retries: with the broker down or hung the request finishes and the message waits in
# the outbox. After a failure the process skips publishing for NOTIFICATIONS_BROKER_COOLDOWN seconds.
NOTIFICATIONS_BROKER_TIMEOUT = env.float("NOTIFICATIONS_BROKER_TIMEOUT", default=2.0)
NOTIFICATIONS_BROKER_COOLDOWN = env.float("NOTIFICATIONS_BROKER_COOLDOWN", default=30.0)
# A worker sending a message holds it this long (seconds); if it dies meanwhile, the requeue task sends
# the message again, with the same idempotency key, once the lease has expired. Longer than any send.
NOTIFICATIONS_SEND_LEASE = env.int("NOTIFICATIONS_SEND_LEASE", default=300)
# An SMTP server that stops answering fails the attempt well within the lease.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": NOTIFICATIONS_BROKER_TIMEOUT,
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=10.0),
}
CELERY_BEAT_SCHEDULE = {
    "notifications-requeue-pending-outbox": {
        "task": "doumen_portal.notifications.tasks.requeue_pending_outbox",
        "schedule": 60.0,
    },
    "documents-requeue-documents-being-prepared": {
        "task": "doumen_portal.documents.tasks.requeue_documents_being_prepared",
        "schedule": 300.0,
    },
    "casework-remind-due-cases": {
        "task": "doumen_portal.casework.tasks.remind_due_cases",
        "schedule": crontab(hour=8, minute=0),
    },
    "audit-purge-expired-entries": {
        "task": "doumen_portal.audit.tasks.purge_expired_audit_entries",
        "schedule": crontab(hour=3, minute=30),
    },
}
# The incubator: organizations hear 6 months and 1 month before their grade expires (once each).
CELERY_BEAT_SCHEDULE["incubator-remind-grade-expiry"] = {
    "task": "incubator.tasks.remind_grade_expiry",
    "schedule": crontab(hour=8, minute=30),
}
# Shared rooms and equipment of the incubation base can be booked at most this many days ahead.
INCUBATOR_BOOKING_WINDOW_DAYS = env.int("INCUBATOR_BOOKING_WINDOW_DAYS", default=90)

# Clocks: system administrators hear daily from 1 November while next year's public holidays are unconfirmed.
CELERY_BEAT_SCHEDULE["casework-remind-unconfirmed-holiday-year"] = {
    "task": "doumen_portal.casework.tasks.remind_unconfirmed_holiday_year",
    "schedule": crontab(hour=8, minute=15),
}
# The petitions registration clock (15 days, 信访工作条例) counts calendar days; "working" where a
# local rule says working days.
PETITIONS_REGISTRATION_CLOCK = env.str("PETITIONS_REGISTRATION_CLOCK", default="calendar")

# --- Documents and attachments --------------------------------------------------------------------------
# PDFs embed these fonts from Debian's fonts-noto-cjk (installed by `make run` / `make test`), named by path,
# never found through fontconfig. The files are collections (.ttc) whose first face is the Japanese one, so
# the face is chosen by its PostScript name: the Simplified Chinese face. Bold is optional ("" = none).
PDF_CJK_FONT = env("PDF_CJK_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PDF_CJK_FONT_FACE = env("PDF_CJK_FONT_FACE", default="NotoSansCJKsc-Regular")
PDF_CJK_FONT_BOLD = env("PDF_CJK_FONT_BOLD", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
PDF_CJK_FONT_BOLD_FACE = env("PDF_CJK_FONT_BOLD_FACE", default="NotoSansCJKsc-Bold")
# Largest accepted upload (each file), and all the files of one request together (the petition form takes five).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_REQUEST_BYTES = env.int("ATTACHMENT_MAX_REQUEST_BYTES", default=20 * 1024 * 1024)
# The largest request body the portal reads (413 above it): those files plus 1 MiB of form fields. The proxy's
# body limit is the same (deploy/nginx/doumen-portal.conf: client_max_body_size 21m).
REQUEST_BODY_MAX_BYTES = ATTACHMENT_MAX_REQUEST_BYTES + 1024 * 1024
# Files kept from a form that came back with errors wait this long for the form to be sent again; an hourly
# task deletes those never attached to a case (documents.tasks.purge_abandoned_pending_uploads).
ATTACHMENT_PENDING_MAX_AGE_HOURS = env.int("ATTACHMENT_PENDING_MAX_AGE_HOURS", default=24)
CELERY_BEAT_SCHEDULE["documents-purge-abandoned-pending-uploads"] = {
    "task": "doumen_portal.documents.tasks.purge_abandoned_pending_uploads",
    "schedule": crontab(minute=20),
}
# Stored uploads are never executable and not world-readable; they are served only by permission-checked views.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# --- Security baseline ----------------------------------------------------------------------------------
# MLPS 2.0 level 3 and OWASP ASVS level 2 (MLPS where they differ); the code is in doumen_portal/security/.
# Shared lists edited in place above: MIDDLEWARE, AUTHENTICATION_BACKENDS, AUTH_PASSWORD_VALIDATORS.
from datetime import timedelta  # noqa: E402

from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += ["doumen_portal.security"]

# Sessions: logged out after 30 idle minutes or 12 hours in all; the "last seen" time is written at most once a
# minute. Without "remember me" the cookie also ends with the browser (allauth's ACCOUNT_SESSION_REMEMBER).
SECURITY_SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SECURITY_SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SECURITY_SESSION_TOUCH_INTERVAL = timedelta(minutes=1)
SESSION_COOKIE_AGE = int(SECURITY_SESSION_ABSOLUTE_TIMEOUT.total_seconds())
# Staff see a reminder (once per session) when their password is older than this.
SECURITY_PASSWORD_MAX_AGE = timedelta(days=90)

# Failed logins (django-axes): 5 failures lock the account for 30 minutes, and, counted separately, the client
# address: ["username", "ip_address"] makes two independent counters, where [["username", "ip_address"]]
# would count the pair only. The account key is the login normalised to the account (security.lockout), for
# allauth's "login_failed" limit below as well, never one empty key shared by every phone login.
AXES_FAILURE_LIMIT = 5
AXES_VERBOSE = False  # no banner at every start; lockouts are still logged
AXES_COOLOFF_TIME = timedelta(minutes=30)
# A failure that names no account counts for its address only (security.lockout.lockout_parameters).
AXES_LOCKOUT_PARAMETERS = "doumen_portal.security.lockout.lockout_parameters"
AXES_USERNAME_CALLABLE = "doumen_portal.security.lockout.login_key"
AXES_CLIENT_IP_CALLABLE = "doumen_portal.security.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "doumen_portal.security.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# A lockout lasts 30 minutes from the fifth failure; attempts during it are refused without extending it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the counters: it would also wipe its IP's counter, which an attacker with an account
# of their own could use to keep guessing from one address.
AXES_RESET_ON_SUCCESS = False
# Number of reverse proxies in front of the portal; their X-Forwarded-For entries give the client address to
# allauth's rate limits and to axes alike (0: REMOTE_ADDR, for development and direct exposure).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# allauth rate limits. SMS codes per client address (ip) and per number (key), in that order: a request refused
# for its address does not use up the number's quota. The 60-second gap (accounts.sms_codes) matches the 429 page
# and the buttons' countdown. Sign-ups
# are limited below phone verification, so that a sign-up is refused before its account is created. Failed
# logins are left to axes (5 per account), so this limit sits above it; it also bounds wrong TOTP codes per user.
ACCOUNT_RATE_LIMITS = {
    "verify_phone": "5/m/ip,60/h/ip,1/60s/key,5/h/key,10/d/key",
    "request_login_code": "5/m/ip,30/h/ip,1/60s/key,5/h/key,10/d/key",
    # The portal's own SMS password reset (doumen_portal.accounts.recovery), limited as the other SMS codes.
    "reset_password_by_sms": "5/m/ip,30/h/ip,1/60s/key,5/h/key,10/d/key",
    # The SMS code that confirms closing one's own account (doumen_portal.accounts.closing).
    "close_account_code": "5/m/ip,30/h/ip,1/60s/key,5/h/key,10/d/key",
    "signup": "3/m/ip,30/h/ip",
    "login_failed": "20/m/ip,10/5m/key",
}

# API tokens (security.ApiToken): valid API_TOKEN_TTL_DAYS from creation; created only by a person who proved
# who they are within the last 15 minutes (staff: second factor); use recorded at most once a minute.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
API_TOKEN_VERIFICATION_MAX_AGE = timedelta(minutes=15)
API_TOKEN_USE_INTERVAL = timedelta(minutes=1)

# Second factor (allauth MFA): required of staff before the admin opens (AdminSecondFactorMiddleware).
MFA_ADAPTER = "doumen_portal.security.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "斗门社会治理平台"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for phone clocks and typing time

# Content-Security-Policy (django-csp 4): no inline script or style; the API docs use the Swagger UI view that
# serves its start-up script as a file (its template's small inline <style> is blocked, which is cosmetic only).
# The TOTP QR code is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}

if not DEBUG:
    # The session and CSRF cookies are HTTPS-only above; the language cookie too, and out of scripts' reach.
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every font and stylesheet it loads at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One INFO line per task run; failures are logged at ERROR all the same.
        "celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")},
    },
}
