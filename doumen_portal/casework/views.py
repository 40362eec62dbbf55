"""Portal helpers for case pages."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from doumen_portal.exceptions import PortalError

from .services import transition


def take_step_from_post(request, case, *, step=None):
    """Take the step a case page's button posted (``action`` and ``note``) and go back to the case.

    ``step`` replaces ``transition`` for apps whose steps carry extra data. A refusal becomes a message on
    the case page; nothing is changed then.
    """
    step = step or transition
    try:
        step(
            case, request.POST.get("action", ""), actor=request.user, note=request.POST.get("note", ""), request=request
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect(case)
