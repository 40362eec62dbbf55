"""Registration claims: an organization's credit code counts only once incubation base staff confirm it.

Whoever types a code first blocks nobody: a claim waits for staff with the registration certificate (登记证书);
a second claim to the same code, or a claim to a code already registered, is a dispute that staff resolve for
one claimant. Every decision locks the claims of the code, writes the audit log and tells the claimants.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from ..creditcode import validate_credit_code
from ..models import Organization, RegistrationClaim
from ..permissions import represents

CONFIRM = "incubator.confirm_registrationclaim"
CERTIFICATE_NEEDED = _("Upload the registration certificate (登记证书) with the credit code.")


def clean_credit_code(value: str) -> str:
    """The normalized code, or InvalidInput with the translated reason."""
    try:
        return validate_credit_code((value or "").strip())
    except ValidationError as error:
        raise InvalidInput(error.messages[0], code="credit_code") from None


def _tell(claim: RegistrationClaim, *, outcome: str, note: str = "") -> None:
    from doumen_portal.notifications.services import notify

    organization = claim.organization
    notify(
        claim.claimant,
        kind="registration_claim",
        context={
            "organization": organization.name,
            "credit_code": claim.credit_code,
            "outcome": outcome,
            "note": note,
            "link": settings.PORTAL_URL.rstrip("/") + organization.get_absolute_url(),
        },
        url=organization.get_absolute_url(),
    )


def _lock_claims_of(credit_code: str) -> list[RegistrationClaim]:
    return list(
        RegistrationClaim.objects.select_for_update()
        .select_related("organization", "claimant")
        .filter(credit_code=credit_code)
        .order_by("pk")
    )


def claim_registration(
    organization: Organization, *, actor, credit_code: str, certificate, registered_on=None, request=None
) -> RegistrationClaim:
    """``actor`` (a representative of ``organization``) claims ``credit_code`` with its certificate.

    ``certificate`` is a stored ``Attachment`` of ``actor``'s (``store_upload``). The claim waits for staff;
    when another open claim or a registered organization has the code, every open claim of it is disputed.
    """
    if not represents(actor, organization):
        raise NotPermitted(_("Only the organization's representatives may claim its registration."))
    credit_code = clean_credit_code(credit_code)
    if certificate is None:
        raise InvalidInput(CERTIFICATE_NEEDED, code="certificate")
    from doumen_portal.documents.services import attach_upload

    with transaction.atomic():
        others = [c for c in _lock_claims_of(credit_code) if c.is_open and c.organization_id != organization.pk]
        if any(c.is_open for c in RegistrationClaim.objects.filter(organization=organization, credit_code=credit_code)):
            raise Conflict(_("This organization already claims this credit code; staff will confirm it."))
        holder = Organization.objects.filter(credit_code=credit_code).exclude(pk=organization.pk).first()
        disputed = bool(others) or holder is not None
        claim = RegistrationClaim.objects.create(
            organization=organization,
            credit_code=credit_code,
            registered_on=registered_on,
            claimant=actor,
            certificate=certificate,
            status=RegistrationClaim.Status.DISPUTED if disputed else RegistrationClaim.Status.AWAITING,
        )
        attach_upload(certificate, owner=claim, actor=actor)
        for other in others:
            if other.status != RegistrationClaim.Status.DISPUTED:
                other.status = RegistrationClaim.Status.DISPUTED
                other.save(update_fields=["status"])
        log_action(
            "incubator.registration.claim",
            actor=actor,
            obj=claim,
            payload={
                "organization": organization.pk,
                "credit_code": credit_code,
                "status": claim.status,
                "disputes": [other.pk for other in others] + ([f"organization:{holder.pk}"] if holder else []),
            },
            request=request,
        )
    return claim


def _check_staff(actor) -> None:
    if not (actor and actor.is_active and actor.is_staff and actor.has_perm(CONFIRM)):
        raise NotPermitted(_("Only incubation base staff confirm registrations."), code="not_staff")


def _register(claim: RegistrationClaim, *, actor, note: str) -> None:
    organization = Organization.objects.select_for_update().get(pk=claim.organization_id)
    organization.credit_code = claim.credit_code
    organization.registered_on = claim.registered_on or organization.registered_on
    organization.status = Organization.Status.REGISTERED
    organization.save(update_fields=["credit_code", "registered_on", "status", "updated_at"])
    claim.status = RegistrationClaim.Status.CONFIRMED
    claim.decided_by, claim.decided_at, claim.decision_note = actor, timezone.now(), note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _tell(claim, outcome="confirmed", note=note)


def _reject(claim: RegistrationClaim, *, actor, note: str) -> None:
    claim.status = RegistrationClaim.Status.REJECTED
    claim.decided_by, claim.decided_at, claim.decision_note = actor, timezone.now(), note
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _tell(claim, outcome="rejected", note=note)


def confirm_registration(claim: RegistrationClaim, *, actor, note: str = "", request=None) -> RegistrationClaim:
    """Staff confirm a claim awaiting confirmation: the organization is registered under the code."""
    _check_staff(actor)
    with transaction.atomic():
        claims = {c.pk: c for c in _lock_claims_of(claim.credit_code)}
        locked = claims[claim.pk]
        if locked.status != RegistrationClaim.Status.AWAITING:
            raise Conflict(
                _("Only a claim awaiting confirmation can be confirmed; a disputed one is resolved."), code="state"
            )
        if Organization.objects.filter(credit_code=locked.credit_code).exclude(pk=locked.organization_id).exists():
            raise Conflict(_("Another organization is registered with this code: resolve it as a dispute."))
        _register(locked, actor=actor, note=note)
        log_action(
            "incubator.registration.confirm",
            actor=actor,
            obj=locked,
            payload={"organization": locked.organization_id, "credit_code": locked.credit_code},
            request=request,
        )
    return locked


def reject_registration(claim: RegistrationClaim, *, actor, note: str, request=None) -> RegistrationClaim:
    """Staff reject an open claim, with the reason the claimant is told."""
    _check_staff(actor)
    if not (note or "").strip():
        raise InvalidInput(_("Please give a reason."), code="note")
    with transaction.atomic():
        claims = {c.pk: c for c in _lock_claims_of(claim.credit_code)}
        locked = claims[claim.pk]
        if not locked.is_open:
            raise Conflict(_("This claim has already been decided."), code="state")
        _reject(locked, actor=actor, note=note.strip())
        log_action(
            "incubator.registration.reject",
            actor=actor,
            obj=locked,
            payload={"organization": locked.organization_id, "credit_code": locked.credit_code},
            request=request,
        )
    return locked


def resolve_registration_dispute(claim: RegistrationClaim, *, actor, note: str, request=None) -> RegistrationClaim:
    """Staff give the code to ``claim``'s organization: every other open claim of the code is rejected, an
    organization registered with it before loses it (back to "being founded"), and everyone is told."""
    _check_staff(actor)
    if not (note or "").strip():
        raise InvalidInput(_("Please give a reason."), code="note")
    note = note.strip()
    with transaction.atomic():
        claims = _lock_claims_of(claim.credit_code)
        locked = next(c for c in claims if c.pk == claim.pk)
        if not locked.is_open:
            raise Conflict(_("This claim has already been decided."), code="state")
        losers = [c for c in claims if c.is_open and c.pk != locked.pk]
        holder = (
            Organization.objects.select_for_update()
            .filter(credit_code=locked.credit_code)
            .exclude(pk=locked.organization_id)
            .first()
        )
        if holder is not None:
            holder.credit_code = None
            holder.status = Organization.Status.PREPARING
            holder.save(update_fields=["credit_code", "status", "updated_at"])
        for loser in losers:
            _reject(loser, actor=actor, note=note)
        _register(locked, actor=actor, note=note)
        log_action(
            "incubator.registration.resolve",
            actor=actor,
            obj=locked,
            payload={
                "organization": locked.organization_id,
                "credit_code": locked.credit_code,
                "rejected": [loser.pk for loser in losers],
                "previous_holder": holder.pk if holder else None,
            },
            request=request,
        )
        if holder is not None:
            from doumen_portal.notifications.services import notify

            for link in holder.representative_links.select_related("user"):
                notify(
                    link.user,
                    kind="registration_claim",
                    context={
                        "organization": holder.name,
                        "credit_code": locked.credit_code,
                        "outcome": "rejected",
                        "note": note,
                        "link": settings.PORTAL_URL.rstrip("/") + holder.get_absolute_url(),
                    },
                    url=holder.get_absolute_url(),
                )
    return locked
