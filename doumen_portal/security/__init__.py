"""The portal's security baseline: MLPS 2.0 level 3 and OWASP ASVS level 2 (MLPS where they differ).

- ``validators``: password composition (length, character classes), used by AUTH_PASSWORD_VALIDATORS;
- ``lockout``: how django-axes and allauth name an account and a client when they count failed logins;
- ``login_audit``: logins, failed logins and lockouts in the audit log; ``services.unlock_login`` lifts a lockout;
- ``models``, ``authentication``, ``services``: personal API tokens (hashed, expiring, revocable, use audited);
- ``views``: the page shown to a locked-out login, and the "API tokens" page;
- ``mfa``: the allauth MFA adapter (TOTP secrets encrypted at rest) and the session's second-factor record;
- ``sessions`` and ``middleware``: idle and absolute session timeouts, the second factor before the admin,
  the reminder to change an old staff password;
- ``checks``: system checks that keep the wiring in settings from silently coming apart.

The settings live in the "Security baseline" section of ``doumen_portal/settings.py``.
"""
