"""Forms whose chosen files survive a failed submit.

Browsers never send a chosen file twice: when a form comes back with an error, the file input is empty and a
petition could go in without its evidence. A form with ``KeepsUploadsMixin`` stores the acceptable files of a
failed submit as the person's pending uploads (``keep_uploads()``, called by the view), lists them by name
with a remove button, and hands them to the service on success; the shared form partial renders the list.
"""

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .selectors import pending_uploads_of
from .services import keep_pending_uploads

KEPT_FIELD = "kept_uploads"
REMOVE_BUTTON = "remove_upload"


def _uuids(values) -> list[uuid.UUID]:
    result = []
    for value in values:
        try:
            result.append(uuid.UUID(str(value)))
        except ValueError:
            continue  # a tampered value is ignored, never a 500
    return result


class KeepsUploadsMixin:
    """For a form with a file field named ``upload_field``, taking ``user=`` (whose pending uploads it keeps)."""

    upload_field = "attachments"
    max_uploads = 5

    def __init__(self, *args, user, kept_upload_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if kept_upload_ids is None:
            getlist = getattr(self.data, "getlist", None)
            kept_upload_ids = getlist(self.add_prefix(KEPT_FIELD)) if getlist else []
        ids = _uuids(kept_upload_ids)[: self.max_uploads]
        self.kept_uploads = list(pending_uploads_of(user, public_ids=ids)) if ids else []

    @property
    def kept_field_name(self) -> str:
        return self.add_prefix(KEPT_FIELD)

    def clean(self):
        cleaned = super().clean()
        new_files = cleaned.get(self.upload_field) or []
        if len(self.kept_uploads) + len(new_files) > self.max_uploads:
            self.add_error(
                self.upload_field,
                ValidationError(
                    _("Attach at most %(count)d files (%(kept)d already attached).")
                    % {"count": self.max_uploads, "kept": len(self.kept_uploads)},
                    code="too_many",
                ),
            )
        return cleaned

    def keep_uploads(self) -> None:
        """After a failed submit: keep the acceptable files just chosen, up to the limit, as pending uploads."""
        files = self.files.getlist(self.add_prefix(self.upload_field)) if self.files else []
        room = max(self.max_uploads - len(self.kept_uploads), 0)
        self.kept_uploads += keep_pending_uploads(uploaded_files=files[:room], uploaded_by=self.user)


def remove_requested(post) -> uuid.UUID | None:
    """The pending upload whose remove button was pressed, if one was."""
    ids = _uuids([post.get(REMOVE_BUTTON, "")])
    return ids[0] if ids else None
