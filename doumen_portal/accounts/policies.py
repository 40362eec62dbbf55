"""The user agreement and the privacy policy: their current versions and the record of consent to them.

A new version of a text gets a new version string here; consent is recorded per version, so the portal can
tell who agreed to which text (PIPL: consent must be informed, and proven by the handler).
"""

from django.db import transaction

from doumen_portal.audit.services import log_action

from .models import PolicyConsent

# Bump when the text in templates/legal/ changes in substance.
CURRENT_VERSIONS = {
    PolicyConsent.Policy.TERMS: "2026-12-01",
    PolicyConsent.Policy.PRIVACY: "2026-12-01",
}


def record_consent(*, user, request=None) -> list[PolicyConsent]:
    """Record that ``user`` agreed to the current user agreement and privacy policy."""
    consents = []
    with transaction.atomic():
        for policy, version in CURRENT_VERSIONS.items():
            consent, _created = PolicyConsent.objects.get_or_create(user=user, policy=policy, version=version)
            consents.append(consent)
        log_action(
            "accounts.policy.consent",
            actor=user,
            obj=user,
            payload=dict(CURRENT_VERSIONS),
            request=request,
        )
    return consents
