"""Writes on user accounts."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from doumen_portal.exceptions import Conflict

from . import pii
from .idnumbers import mask_resident_id, validate_resident_id

DUPLICATE_ID_MESSAGE = _(
    "This resident ID number already verifies another account. If it is yours, contact the district service desk."
)


def verify_real_name(user, *, real_name: str, id_number: str):
    """Record a citizen's real name and resident ID number.

    The ID number is validated, then stored encrypted with its keyed digest; one ID number verifies one
    account only. A verified identity is not changed here (staff correct it after checking documents).
    Raises ``django.core.exceptions.ValidationError`` for a malformed number and ``Conflict`` otherwise.
    """
    number = validate_resident_id(id_number)
    real_name = real_name.strip()
    User = get_user_model()
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            if locked.is_real_name_verified:
                raise Conflict(_("Your real name is already verified."), code="already_verified")
            if User.objects.filter(id_number_digest=pii.keyed_digest(number)).exclude(pk=user.pk).exists():
                raise Conflict(DUPLICATE_ID_MESSAGE, code="duplicate_id")
            locked.save(update_fields=locked.record_verified_identity(real_name=real_name, number=number))
    except IntegrityError:
        # Two accounts verifying the same number at the same moment: the unique digest decides.
        raise Conflict(DUPLICATE_ID_MESSAGE, code="duplicate_id") from None
    for field in locked.IDENTITY_FIELDS:
        setattr(user, field, getattr(locked, field))
    # Petitions a desk filed for this person (their confirmed mobile and this ID number) are theirs now.
    from doumen_portal.casework.services import claim_cases

    claim_cases(user)
    return user


def set_language_preference(user, *, language: str) -> None:
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def sync_staff_status(user) -> None:
    """Staff status follows the roles: a person given a role can open the admin at once, one who loses
    every role cannot. Superusers keep their status."""
    from .roles import Role

    has_role = user.groups.filter(name__in=Role.values).exists()
    if user.is_superuser or user.is_staff == has_role:
        return
    user.is_staff = has_role
    user.save(update_fields=["is_staff"])


def submit_identity_correction(user, *, corrected_name: str, id_number: str, reason: str, document=None, request=None):
    """A verified citizen asks for their real name or ID number to be corrected, with a supporting
    document (a scan of the ID card or household register) checked like every upload."""
    from doumen_portal.casework.services import open_case

    from .models import IdentityCorrectionRequest

    if not user.is_real_name_verified:
        raise Conflict(_("Verify your real name first; a correction changes a verified identity."), code="unverified")
    number = validate_resident_id(id_number)
    Status = IdentityCorrectionRequest.Status
    with transaction.atomic():
        # One open request per person: lock the person, then look.
        User = get_user_model()
        User.objects.select_for_update().get(pk=user.pk)
        if IdentityCorrectionRequest.objects.filter(
            applicant=user, status__in=[Status.SUBMITTED, Status.MORE_INFO]
        ).exists():
            raise Conflict(_("You already have a correction request in progress."), code="already_open")
        digest = pii.keyed_digest(number)
        if User.objects.filter(id_number_digest=digest).exclude(pk=user.pk).exists():
            raise Conflict(DUPLICATE_ID_MESSAGE, code="duplicate_id")
        correction = open_case(
            IdentityCorrectionRequest,
            actor=user,
            applicant=user,
            values={
                "corrected_name": corrected_name.strip(),
                "id_number_ciphertext": pii.encrypt(number),
                "id_number_digest": digest,
                "id_number_masked": mask_resident_id(number),
                "reason": reason.strip(),
            },
            request=request,
        )
        if document is not None:
            from doumen_portal.documents.services import store_upload

            store_upload(uploaded_file=document, uploaded_by=user, owner=correction)
    return correction


def issue_correction_notice(correction, *, approved: bool, note: str, issued_by):
    """The decision letter for the applicant: numbered inside the deciding transaction, its PDF rendered after
    commit (``issue_document``)."""
    from doumen_portal.documents.services import issue_document

    return issue_document(
        doc_type="identity_correction_notice",
        template_name="documents/identity_correction_notice.html",
        context={
            "approved": approved,
            "reference": correction.reference,
            "corrected_name": correction.corrected_name,
            "id_number_masked": correction.id_number_masked,
            "note": note,
        },
        title=_("Decision on a real-name correction request"),
        owner=correction,
        recipient=correction.applicant,
        issued_by=issued_by,
    )


def apply_identity_correction(correction) -> None:
    """Write the approved name and number on the account (inside the approving transaction)."""
    if correction.applicant_id is None:
        raise Conflict(_("This request has no account to correct yet."), code="unclaimed")
    User = get_user_model()
    person = User.objects.select_for_update().get(pk=correction.applicant_id)
    if User.objects.filter(id_number_digest=correction.id_number_digest).exclude(pk=person.pk).exists():
        raise Conflict(DUPLICATE_ID_MESSAGE, code="duplicate_id")
    fields = person.record_verified_identity(
        real_name=correction.corrected_name, number=correction.reveal_resident_id()
    )
    person.save(update_fields=fields)


def _permission_names(ids) -> list[str]:
    from django.contrib.auth.models import Permission

    return sorted(
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.filter(pk__in=ids).values_list(
            "content_type__app_label", "codename"
        )
    )


def record_role_changes(account, *, before: set[str], actor, request=None, permissions_before: set[int] = frozenset()):
    """Record the roles (and per-user permissions) given to or taken from ``account`` since ``before``.

    Called inside the transaction that changed them.
    """
    from doumen_portal.audit.services import log_action

    after = set(account.groups.values_list("name", flat=True))
    for role in sorted(after - before):
        log_action("security.role.grant", actor=actor, obj=account, payload={"role": role}, request=request)
    for role in sorted(before - after):
        log_action("security.role.remove", actor=actor, obj=account, payload={"role": role}, request=request)
    permissions_after = set(account.user_permissions.values_list("pk", flat=True))
    if permissions_after != set(permissions_before):
        log_action(
            "security.user_permissions.change",
            actor=actor,
            obj=account,
            payload={
                "added": _permission_names(permissions_after - set(permissions_before)),
                "removed": _permission_names(set(permissions_before) - permissions_after),
            },
            request=request,
        )


def record_group_permission_changes(group, *, before: set[int], actor, request=None) -> None:
    """Record the permissions added to or removed from a role group since ``before`` (permission IDs)."""
    from doumen_portal.audit.services import log_action

    after = set(group.permissions.values_list("pk", flat=True))
    if after == before:
        return
    log_action(
        "security.group_permissions.change",
        actor=actor,
        obj=group,
        payload={"added": _permission_names(after - before), "removed": _permission_names(before - after)},
        request=request,
    )


def remove_authenticator(authenticator, *, actor, request=None) -> None:
    """Remove someone's lost second factor, with their recovery codes once no other factor is left (as
    allauth does when people remove their own). The person enrols a new one at their next admin visit."""
    from allauth.mfa.models import Authenticator

    from doumen_portal.audit.services import log_action
    from doumen_portal.exceptions import NotPermitted

    from .permissions import may_see_account

    owner = authenticator.user
    if owner.pk == actor.pk or not may_see_account(actor, owner):
        raise NotPermitted(_("You cannot remove this authenticator."))
    with transaction.atomic():
        removed = [authenticator.type]
        authenticator.delete()
        remaining = Authenticator.objects.filter(user=owner)
        if not remaining.exclude(type=Authenticator.Type.RECOVERY_CODES).exists():
            removed += list(remaining.values_list("type", flat=True))
            remaining.delete()
        for kind in removed:
            log_action("security.authenticator.remove", actor=actor, obj=owner, payload={"type": kind}, request=request)


def create_breakglass_superuser(*, username: str, phone: str, password: str, reason: str, operator: str):
    """Create a superuser for an emergency (break-glass). Superusers are never made in the admin; this is the
    only way, run on the server, and it is recorded with the reason and the operating-system account."""
    from django.contrib.auth.password_validation import validate_password

    from doumen_portal.audit.services import log_action

    from .phones import to_e164

    User = get_user_model()
    e164 = to_e164(phone)
    if e164 is None:
        raise Conflict(_("Enter a valid mobile phone number."), code="invalid_phone")
    if not reason.strip():
        raise Conflict(_("Give the reason for the break-glass account."), code="reason_required")
    with transaction.atomic():
        if User.objects.filter(username=username).exists() or User.objects.filter(phone=e164).exists():
            raise Conflict(_("An account with this username or mobile number already exists."), code="exists")
        account = User(username=username, phone=e164, phone_verified=True, is_staff=True, is_superuser=True)
        validate_password(password, account)
        account.set_password(password)
        account.save()
        log_action(
            "security.superuser.grant",
            obj=account,
            payload={"reason": reason.strip(), "operator": operator, "via": "create_breakglass_superuser"},
        )
    return account


def revoke_superuser(account, *, reason: str, operator: str) -> None:
    """End a break-glass account's superuser powers (it keeps no role and leaves the admin); recorded."""
    from doumen_portal.audit.services import log_action

    User = get_user_model()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if not locked.is_superuser:
            raise Conflict(_("This account is not a superuser."), code="not_superuser")
        locked.is_superuser = False
        locked.save(update_fields=["is_superuser"])
        sync_staff_status(locked)
        log_action(
            "security.superuser.remove",
            obj=locked,
            payload={"reason": reason.strip(), "operator": operator, "via": "revoke_superuser"},
        )
    account.is_superuser = False
