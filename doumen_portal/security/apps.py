from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """System checks, management commands, the session clock on login, login events in the audit log, API tokens."""

    name = "doumen_portal.security"
    label = "security"

    def ready(self):
        from allauth.account.signals import login_code_rejected
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import checks  # noqa: F401  (registers the checks)
        from .login_audit import record_failed_login, record_lockout, record_login, record_rejected_login_code
        from .sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="doumen_portal.security.start_session_clock")
        # Authentication is announced only by these signals (django.contrib.auth, django-axes, allauth).
        user_logged_in.connect(record_login, dispatch_uid="doumen_portal.security.record_login")
        user_login_failed.connect(record_failed_login, dispatch_uid="doumen_portal.security.record_failed_login")
        user_locked_out.connect(record_lockout, dispatch_uid="doumen_portal.security.record_lockout")
        login_code_rejected.connect(
            record_rejected_login_code, dispatch_uid="doumen_portal.security.record_rejected_login_code"
        )
