"""Who may download a document or an attachment.

Documents and attachments belong to objects of other apps (a petition, a loan application...), and only those
apps know who may see their objects. Each registers a check for its owner models, usually in
``AppConfig.ready()``::

    register_access_check(Petition, lambda user, petition: petition_visible_to(user, petition))

Besides that check: a document's recipient, an attachment's uploader, and superusers.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

AccessCheck = Callable[[object, object], bool]

_access_checks: dict[type, AccessCheck] = {}


def register_access_check(model_class: type, check: AccessCheck) -> AccessCheck:
    """Let ``check(user, owner) -> bool`` decide access to files owned by instances of ``model_class``."""
    model_class = model_class._meta.concrete_model
    existing = _access_checks.get(model_class)
    if existing is not None and existing is not check:
        raise ImproperlyConfigured(f"An access check for {model_class.__name__} is already registered.")
    _access_checks[model_class] = check
    return check


def may_access_owner(user, owner) -> bool:
    if owner is None:
        return False
    check = _access_checks.get(owner._meta.concrete_model)
    return bool(check is not None and check(user, owner))


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_download_document(user, document) -> bool:
    if not _active(user):
        return False
    if user.is_superuser or (document.recipient_id is not None and document.recipient_id == user.pk):
        return True
    return may_access_owner(user, document.owner)


def can_download_attachment(user, attachment) -> bool:
    if not _active(user):
        return False
    if user.is_superuser or (attachment.uploaded_by_id is not None and attachment.uploaded_by_id == user.pk):
        return True
    return attachment.owner_id is not None and may_access_owner(user, attachment.owner)
