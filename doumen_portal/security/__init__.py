"""The portal's security baseline: MLPS 2.0 level 3 and OWASP ASVS level 2 (MLPS where they differ).

- ``validators``: password composition (length, character classes), used by AUTH_PASSWORD_VALIDATORS;
- ``lockout``: how django-axes names an account and a client when it counts failed logins;
- ``views``: the page shown to a locked-out login;
- ``mfa``: the allauth MFA adapter (TOTP secrets encrypted at rest) and the session's second-factor record;
- ``sessions`` and ``middleware``: idle and absolute session timeouts, the second factor before the admin,
  the reminder to change an old staff password;
- ``checks``: system checks that keep the wiring in settings from silently coming apart.

The settings live in the "Security baseline" section of ``doumen_portal/settings.py``.
"""
