from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """An app only for its system checks, its management command and the session clock on login."""

    name = "doumen_portal.security"
    label = "security"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the checks)
        from .sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="doumen_portal.security.start_session_clock")
