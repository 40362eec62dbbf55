from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """System checks, management commands, the session clock on login, API tokens, and the security events
    (logins, lockouts, second factors added and removed) in the audit log."""

    name = "doumen_portal.security"
    label = "security"

    def ready(self):
        from allauth.account.signals import login_code_rejected
        from allauth.mfa import signals as mfa_signals
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import checks  # noqa: F401  (registers the checks)
        from .login_audit import record_failed_login, record_lockout, record_login, record_rejected_login_code
        from .mfa import record_authenticator_added, record_authenticator_removed
        from .sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="doumen_portal.security.start_session_clock")
        # Authentication and second factors are announced only by these signals of third-party apps
        # (django.contrib.auth, django-axes, allauth), so the audit log listens to them.
        user_logged_in.connect(record_login, dispatch_uid="doumen_portal.security.record_login")
        user_login_failed.connect(record_failed_login, dispatch_uid="doumen_portal.security.record_failed_login")
        user_locked_out.connect(record_lockout, dispatch_uid="doumen_portal.security.record_lockout")
        login_code_rejected.connect(
            record_rejected_login_code, dispatch_uid="doumen_portal.security.record_rejected_login_code"
        )
        mfa_signals.authenticator_added.connect(record_authenticator_added, dispatch_uid="security.authenticator.add")
        mfa_signals.authenticator_removed.connect(
            record_authenticator_removed, dispatch_uid="security.authenticator.remove"
        )
