"""Security actions taken by people: lifting a login lockout."""

from django.db import transaction
from django.utils.translation import gettext as _

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import InvalidInput

from .lockout import normalize_login
from .login_audit import UNLOCK, account_of, masked_login


def unlock_login(*, actor=None, login: str = "", ip_address: str = "", request=None) -> int:
    """Lift the lockout of an account (``login`` as typed), of a client address, or of both; audited.

    Returns how many failure records were removed. ``actor`` is ``None`` from the command line.
    """
    from axes.utils import reset

    key = normalize_login(login) if login else ""
    if not key and not ip_address:
        raise InvalidInput(_("Name an account or a client address to unlock."))
    with transaction.atomic():
        removed = 0
        if key:
            removed += reset(username=key)
        if ip_address:
            removed += reset(ip=ip_address)
        log_action(
            UNLOCK,
            actor=actor,
            obj=account_of(key),
            payload={"login": masked_login(key), "ip_address": ip_address, "removed": removed},
            request=request,
        )
    return removed
