"""Production settings pass `check --deploy`, and our own checks catch the wiring coming apart."""

import os
import secrets
import subprocess
import sys

from cryptography.fernet import Fernet
from django.conf import settings
from django.test import override_settings

from doumen_portal.security import checks


def production_environment() -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "PII_ENCRYPTION_KEYS", "PII_HASH_KEY"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="doumen_portal.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        PII_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        PII_HASH_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="portal.example.cn",
    )
    return environment


def test_production_settings_pass_the_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_AGE)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.splitlines()[-1].split() == ["True"] * 6 + ["43200"], result.stderr


def ids(messages) -> set[str]:
    return {message.id for message in messages}


def test_the_current_wiring_passes_our_checks():
    for check in (
        checks.check_authentication_backends,
        checks.check_middleware,
        checks.check_password_validators,
        checks.check_content_security_policy,
    ):
        assert check(None) == []


def test_axes_backend_must_come_first():
    backends = [name for name in settings.AUTHENTICATION_BACKENDS if "axes" not in name] + [checks.AXES_BACKEND]
    with override_settings(AUTHENTICATION_BACKENDS=backends):
        assert ids(checks.check_authentication_backends(None)) == {"security.E001"}


def test_missing_security_middleware_is_reported():
    middleware = [name for name in settings.MIDDLEWARE if "AdminSecondFactor" not in name]
    with override_settings(MIDDLEWARE=middleware):
        assert ids(checks.check_middleware(None)) == {"security.E002"}


def test_a_dropped_password_validator_is_reported():
    validators = [v for v in settings.AUTH_PASSWORD_VALIDATORS if "CharacterClasses" not in v["NAME"]]
    with override_settings(AUTH_PASSWORD_VALIDATORS=validators):
        assert ids(checks.check_password_validators(None)) == {"security.E004"}


def test_unsafe_inline_scripts_in_the_policy_are_reported():
    policy = {
        "DIRECTIVES": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"] | {"script-src": ["'self'", "'unsafe-inline'"]}
    }
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert ids(checks.check_content_security_policy(None)) == {"security.E006"}


def test_security_middleware_before_authentication_is_reported():
    middleware = [name for name in settings.MIDDLEWARE if "SessionTimeout" not in name]
    middleware.insert(0, "doumen_portal.security.middleware.SessionTimeoutMiddleware")
    with override_settings(MIDDLEWARE=middleware):
        assert ids(checks.check_middleware(None)) == {"security.E003"}
