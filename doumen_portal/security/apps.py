from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """An app for its system checks, its management command, the session clock on login and the record of
    second factors added and removed."""

    name = "doumen_portal.security"
    label = "security"

    def ready(self):
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the checks)
        from .mfa import record_authenticator_added, record_authenticator_removed
        from .sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="doumen_portal.security.start_session_clock")
        # allauth's own events (a third-party app): enrolling and removing a second factor is on record.
        mfa_signals.authenticator_added.connect(record_authenticator_added, dispatch_uid="security.authenticator.add")
        mfa_signals.authenticator_removed.connect(
            record_authenticator_removed, dispatch_uid="security.authenticator.remove"
        )
