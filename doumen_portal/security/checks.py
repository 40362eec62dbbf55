"""System checks for the wiring the security baseline depends on.

Each piece lives in a shared list in settings (backends, middleware, validators), where an unrelated edit can
drop or reorder it without any test noticing at once; ``manage.py check`` (and CI) notices.
"""

from django.conf import settings
from django.core import checks

AXES_BACKEND = "axes.backends.AxesStandaloneBackend"
REQUIRED_MIDDLEWARE = [
    "csp.middleware.CSPMiddleware",
    "doumen_portal.security.middleware.SessionTimeoutMiddleware",
    "doumen_portal.security.middleware.AdminSecondFactorMiddleware",
    "doumen_portal.security.middleware.PasswordAgeReminderMiddleware",
    "axes.middleware.AxesMiddleware",
]
REQUIRED_VALIDATORS = [
    "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    "django.contrib.auth.password_validation.MinimumLengthValidator",
    "django.contrib.auth.password_validation.CommonPasswordValidator",
    "doumen_portal.security.validators.CharacterClassesValidator",
]
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*"}


@checks.register(checks.Tags.security)
def check_authentication_backends(app_configs, **kwargs):
    backends = list(settings.AUTHENTICATION_BACKENDS)
    if not backends or backends[0] != AXES_BACKEND:
        return [
            checks.Error(
                f"{AXES_BACKEND} must be the first of AUTHENTICATION_BACKENDS.",
                hint="Otherwise a locked-out login is checked by the next backend first.",
                id="security.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def check_middleware(app_configs, **kwargs):
    middleware = list(settings.MIDDLEWARE)
    errors = [
        checks.Error(f"{name} is missing from MIDDLEWARE.", id="security.E002")
        for name in REQUIRED_MIDDLEWARE
        if name not in middleware
    ]
    # Ours read request.user and add messages, so they run inside those two.
    needed = [
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ]
    last_needed = max((middleware.index(name) for name in needed if name in middleware), default=-1)
    errors += [
        checks.Error(f"{name} must come after AuthenticationMiddleware and MessageMiddleware.", id="security.E003")
        for name in REQUIRED_MIDDLEWARE[1:4]
        if name in middleware and middleware.index(name) < last_needed
    ]
    return errors


@checks.register(checks.Tags.security)
def check_password_validators(app_configs, **kwargs):
    names = [validator["NAME"] for validator in settings.AUTH_PASSWORD_VALIDATORS]
    return [
        checks.Error(f"{name} is missing from AUTH_PASSWORD_VALIDATORS.", id="security.E004")
        for name in REQUIRED_VALIDATORS
        if name not in names
    ]


@checks.register(checks.Tags.security)
def check_content_security_policy(app_configs, **kwargs):
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES", {})
    errors = []
    for directive in ("default-src", "script-src", "style-src", "object-src", "frame-ancestors"):
        if directive not in directives:
            errors.append(checks.Error(f"The Content-Security-Policy has no {directive}.", id="security.E005"))
    for directive, sources in directives.items():
        if isinstance(sources, list | tuple | set) and UNSAFE_SOURCES & set(sources):
            errors.append(
                checks.Error(
                    f"The Content-Security-Policy allows {sorted(UNSAFE_SOURCES & set(sources))} in {directive}.",
                    hint="Serve scripts and styles as files instead.",
                    id="security.E006",
                )
            )
    return errors
