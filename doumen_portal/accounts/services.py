"""Writes on user accounts."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
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


REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


def new_reference(prefix: str) -> str:
    """An unguessable reference such as ``SM2026-7KQ4X9PA`` (40 bits of randomness)."""
    import secrets

    token = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}{timezone.localdate().year}-{token}"


def submit_identity_correction(user, *, corrected_name: str, id_number: str, reason: str, document=None, request=None):
    """A verified citizen asks for their real name or ID number to be corrected, with a supporting
    document (a scan of the ID card or household register) checked like every upload."""
    from doumen_portal.casework.services import record_creation, start_clock

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
        correction = IdentityCorrectionRequest(
            applicant=user,
            reference=new_reference("SM"),
            corrected_name=corrected_name.strip(),
            id_number_ciphertext=pii.encrypt(number),
            id_number_digest=digest,
            id_number_masked=mask_resident_id(number),
            reason=reason.strip(),
        )
        clock_terms = start_clock(correction, IdentityCorrectionRequest.opening_clock)
        correction.save()
        if document is not None:
            from doumen_portal.documents.services import store_upload

            store_upload(uploaded_file=document, uploaded_by=user, owner=correction)
        record_creation(correction, actor=user, request=request, clock_terms=clock_terms)
    return correction


def issue_correction_notice(correction, *, approved: bool, note: str, issued_by):
    """The numbered decision letter (PDF) for the applicant, inside the deciding transaction."""
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
    User = get_user_model()
    person = User.objects.select_for_update().get(pk=correction.applicant_id)
    if User.objects.filter(id_number_digest=correction.id_number_digest).exclude(pk=person.pk).exists():
        raise Conflict(DUPLICATE_ID_MESSAGE, code="duplicate_id")
    fields = person.record_verified_identity(
        real_name=correction.corrected_name, number=correction.reveal_resident_id()
    )
    person.save(update_fields=fields)
