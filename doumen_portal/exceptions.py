"""The portal's small exception hierarchy.

Services raise these with translated messages; portal views turn them into form errors and the API
turns them into HTTP responses (400, 403, 409), so bad input never ends in a server error.
"""

from django.utils.translation import gettext_lazy as _


class PortalError(Exception):
    """A refusal the user can understand and act on."""

    status_code = 400
    default_message = _("The request could not be carried out.")
    # Machine-readable reason in snake_case (the API's "code"); a raise may give a more precise one.
    default_code = "invalid"

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        self.code = code or self.default_code
        # Messages by input field (``{"legal_channel": ["..."]}``) when the refusal is about named fields.
        self.fields = fields or {}
        super().__init__(str(self.message))


class InvalidInput(PortalError):
    """The data given is not acceptable (HTTP 400)."""


class NotPermitted(PortalError):
    """The user may not do this (HTTP 403)."""

    status_code = 403
    default_message = _("You are not allowed to do this.")
    default_code = "permission_denied"


class Conflict(PortalError):
    """The object is not in a state that allows this, or the data clashes with stored data (HTTP 409)."""

    status_code = 409
    default_message = _("This cannot be done in the current state.")
    default_code = "conflict"
