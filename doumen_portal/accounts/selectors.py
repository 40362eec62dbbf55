"""Reads on user accounts."""

from django.utils import timezone
from django.utils.translation import gettext


def personal_data_of(user) -> dict:
    """Everything the portal holds about a person, as they may see and download it (ID masked)."""
    return {
        "exported_at": timezone.localtime().isoformat(),
        "account": {
            "username": user.username,
            "mobile_phone": user.phone_national,
            "phone_verified": user.phone_verified,
            "email": user.email,
            "preferred_language": user.language,
            "date_joined": timezone.localtime(user.date_joined).isoformat(),
            "last_login": timezone.localtime(user.last_login).isoformat() if user.last_login else None,
        },
        "real_name_verification": {
            "real_name": user.real_name,
            "resident_id_number": user.id_number_masked,
            "verified_at": timezone.localtime(user.real_name_verified_at).isoformat()
            if user.real_name_verified_at
            else None,
            "note": gettext("The full ID number is stored encrypted and is shown masked everywhere."),
        },
        "roles": [group.name for group in user.groups.all()],
    }


def corrections_of(user):
    from .models import IdentityCorrectionRequest

    return IdentityCorrectionRequest.objects.filter(applicant=user)


def correction_for(user, reference: str):
    """The applicant's own request, or ``Http404`` for anyone else (existence is not revealed)."""
    from django.shortcuts import get_object_or_404

    from doumen_portal.casework.references import normalize_reference

    return get_object_or_404(corrections_of(user), reference=normalize_reference(reference))


def corrections_visible_to(user):
    """Reviewers see the requests of their unit (system administrators every unit's); everyone else only
    their own (``units.selectors.cases_visible_to``)."""
    from doumen_portal.units.selectors import cases_visible_to

    from .models import IdentityCorrectionRequest

    return cases_visible_to(user, IdentityCorrectionRequest).select_related("applicant", "assignee")
