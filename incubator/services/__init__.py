"""Writes of the incubator: organizations, incubation applications, services, bookings, graduation reviews
(surveys in ``services.surveys``, grading in ``services.grading``).

Every function takes keyword-only arguments, runs in one transaction, checks who acts, and records an
audit entry. Refusals are ``PortalError`` subclasses with translated messages (400, 403, 409).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from ..creditcode import validate_credit_code
from ..models import (
    GraduationReview,
    IncubationApplication,
    Need,
    Organization,
    Representative,
    Resource,
    ResourceBooking,
    ServiceKind,
    ServiceRecord,
    TrainingSession,
)
from ..permissions import can_edit_organization, represents

# Fields of an organization its representatives may edit; status, grade and registry facts set by staff
# are edited in the admin.
ORGANIZATION_FIELDS = (
    "name",
    "org_type",
    "credit_code",
    "legal_representative",
    "founded_on",
    "registered_on",
    "full_time_staff",
    "town",
    "address",
    "contact_person",
    "contact_phone",
    "purpose",
)
# The credit code and registration date are claimed and confirmed by staff (services.registration); status and
# grade are set by that confirmation and by grading: no one edits them directly.
EDITABLE_FIELDS = tuple(name for name in ORGANIZATION_FIELDS if name not in ("credit_code", "registered_on"))
BOOKING_MAX_HOURS = 12
DUPLICATE_CODE = _("An organization with this unified social credit code is already registered.")
DUPLICATE_NAME = _("An organization with this name is already registered.")
SLOT_TAKEN = _("This resource is already booked for part of that time. Choose another time.")


def _clean_organization_values(values: dict) -> dict:
    cleaned = dict(values)
    if "credit_code" in cleaned:
        code = (cleaned["credit_code"] or "").strip()
        if code:
            try:
                code = validate_credit_code(code)
            except ValidationError as error:
                raise InvalidInput(error.messages[0], code="credit_code") from None
        cleaned["credit_code"] = code or None
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            raise InvalidInput(_("Please give the organization's name."), code="name")
    return cleaned


def _check_unique(organization: Organization) -> None:
    others = Organization.objects.exclude(pk=organization.pk)
    if organization.credit_code and others.filter(credit_code=organization.credit_code).exists():
        raise Conflict(DUPLICATE_CODE, code="duplicate_credit_code")
    if others.filter(name=organization.name).exists():
        raise Conflict(DUPLICATE_NAME, code="duplicate_name")


def register_organization(
    user, *, values: dict, certificate=None, pending_certificate=None, request=None
) -> Organization:
    """A person enters an organization in the registry and becomes its person in charge.

    The organization starts "being founded". With a credit code, the registration certificate is required
    (``certificate``: an uploaded file, or ``pending_certificate``: an upload kept from a failed submit) and
    the code is claimed for staff to confirm (``registration.claim_registration``); a code someone else
    claimed or holds is a dispute for staff, not an error. Bad input raises before anything is saved.
    """
    from doumen_portal.documents.services import store_upload

    from .registration import CERTIFICATE_NEEDED, claim_registration

    if not (user and user.is_authenticated and user.is_active):
        raise NotPermitted(code="anonymous")
    values = _clean_organization_values({k: v for k, v in values.items() if k in ORGANIZATION_FIELDS})
    credit_code = values.pop("credit_code", None)
    registered_on = values.pop("registered_on", None)
    if credit_code and certificate is None and pending_certificate is None:
        raise InvalidInput(CERTIFICATE_NEEDED, code="certificate")
    organization = Organization(**values, status=Organization.Status.PREPARING)
    try:
        with transaction.atomic():
            _check_unique(organization)
            organization.save()
            Representative.objects.create(organization=organization, user=user, role=Representative.Role.PRINCIPAL)
            log_action(
                "incubator.organization.register",
                actor=user,
                obj=organization,
                payload={"name": organization.name, "credit_code": credit_code},
                request=request,
            )
            if credit_code:
                stored = pending_certificate or store_upload(uploaded_file=certificate, uploaded_by=user)
                claim_registration(
                    organization,
                    actor=user,
                    credit_code=credit_code,
                    certificate=stored,
                    registered_on=registered_on,
                    request=request,
                )
    except IntegrityError:
        # A concurrent registration of the same name won the race.
        raise Conflict(DUPLICATE_NAME, code="duplicate") from None
    return organization


def update_organization(organization: Organization, *, actor, values: dict, request=None) -> Organization:
    """Change an organization's data: representatives and staff change ``EDITABLE_FIELDS``; the credit code,
    status and grade change through registration claims and grading. Raises ``NotPermitted`` for anyone else
    or any other field, and nothing is changed."""
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if not can_edit_organization(actor, locked):
            raise NotPermitted(_("Only the organization's representatives and base staff may change its data."))
        allowed = EDITABLE_FIELDS
        refused = sorted(set(values) - set(allowed))
        if refused:
            raise NotPermitted(
                _("You may not change these fields: %(fields)s.") % {"fields": ", ".join(refused)}, code="fields"
            )
        values = _clean_organization_values(values)
        changed = {}
        for name, value in values.items():
            if getattr(locked, name) != value:
                changed[name] = value
                setattr(locked, name, value)
        if not changed:
            return locked
        try:
            with transaction.atomic():
                _check_unique(locked)
                locked.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            raise Conflict(DUPLICATE_NAME, code="duplicate") from None
        log_action(
            "incubator.organization.change",
            actor=actor,
            obj=locked,
            payload={name: str(value) for name, value in changed.items()},
            request=request,
        )
    organization.refresh_from_db()
    return locked


def add_representative(organization: Organization, *, user, actor, role=Representative.Role.MEMBER) -> Representative:
    """Staff (or a representative) let another account act for the organization."""
    with transaction.atomic():
        if not can_edit_organization(actor, organization):
            raise NotPermitted(_("Only the organization's representatives and base staff may change its data."))
        link, _created = Representative.objects.get_or_create(
            organization=organization, user=user, defaults={"role": role}
        )
        log_action("incubator.representative.add", actor=actor, obj=organization, payload={"user": user.pk})
    return link


# Incubation applications -------------------------------------------------------------------------------


def _clean_needs(needs) -> list[str]:
    needs = list(dict.fromkeys(needs or []))
    unknown = [need for need in needs if need not in Need.values]
    if unknown:
        raise InvalidInput(_("Unknown need: %(need)s.") % {"need": ", ".join(map(str, unknown))}, code="needs")
    return needs


def create_application(
    user, *, organization: Organization, plan: str, needs, team: str, documents=(), request=None
) -> IncubationApplication:
    """A representative starts an incubation application (a draft, submitted later)."""
    from doumen_portal.casework.services import open_case
    from doumen_portal.documents.services import store_upload

    if not represents(user, organization):
        raise NotPermitted(_("Only the organization's representatives may apply for it."), code="not_representative")
    if organization.status == Organization.Status.DEREGISTERED:
        raise Conflict(_("A deregistered organization cannot apply for incubation."), code="deregistered")
    needs = _clean_needs(needs)
    with transaction.atomic():
        # One open application per organization: lock the organization, then look.
        Organization.objects.select_for_update().get(pk=organization.pk)
        if IncubationApplication.objects.filter(
            organization=organization, status__in=IncubationApplication.OPEN_STATUSES
        ).exists():
            raise Conflict(_("This organization already has an incubation application in progress."), code="open")
        # A draft: its history starts with "create" (audited), and the receipt comes when it is submitted.
        application = open_case(
            IncubationApplication,
            actor=user,
            applicant=user,
            values={
                "organization": organization,
                "organization_name": organization.name,
                "plan": (plan or "").strip(),
                "needs": needs,
                "team": (team or "").strip(),
            },
            action="create",
            receipt=False,
            request=request,
        )
        for document in documents:
            if document:
                store_upload(uploaded_file=document, uploaded_by=user, owner=application)
    return application


def update_application(
    application: IncubationApplication, *, actor, plan=None, needs=None, team=None, documents=(), request=None
) -> IncubationApplication:
    """Representatives change their application while it is a draft or more information is asked for."""
    from doumen_portal.documents.services import store_upload

    with transaction.atomic():
        locked = IncubationApplication.objects.select_for_update().select_related("organization").get(pk=application.pk)
        if not represents(actor, locked.organization):
            raise NotPermitted(_("Only the organization's representatives may change its application."))
        if not locked.is_editable:
            raise Conflict(
                _("The application can be changed only while it is a draft or more information is requested."),
                code="not_editable",
            )
        fields = []
        if plan is not None:
            locked.plan = plan.strip()
            fields.append("plan")
        if needs is not None:
            locked.needs = _clean_needs(needs)
            fields.append("needs")
        if team is not None:
            locked.team = team.strip()
            fields.append("team")
        if fields:
            locked.save(update_fields=[*fields, "updated_at"])
        for document in documents:
            if document:
                store_upload(uploaded_file=document, uploaded_by=actor, owner=locked)
        log_action(
            "incubator.incubationapplication.change",
            actor=actor,
            obj=locked,
            payload={"fields": fields},
            request=request,
        )
    application.refresh_from_db()
    return locked


def issue_incubation_agreement(application: IncubationApplication, *, issued_by):
    """The incubation agreement: numbered inside the accepting transaction, its PDF rendered after commit."""
    from doumen_portal.documents.services import issue_document

    return issue_document(
        doc_type="incubation_agreement",
        template_name="documents/incubation_agreement.html",
        context={
            "reference": application.reference,
            "organization": application.organization,
            "term_months": application.term_months,
            "starts_on": application.starts_on,
            "ends_on": application.ends_on,
            "review_date": application.review_date,
            "needs": application.need_labels(),
            "note": application.decision_note,
        },
        title=_("Incubation agreement"),
        owner=application,
        recipient=application.applicant,
        issued_by=issued_by,
    )


def record_graduation_review(
    application: IncubationApplication,
    *,
    actor,
    registered: bool,
    governance: bool,
    staff: bool,
    projects: bool,
    decision: str,
    note: str = "",
    request=None,
) -> GraduationReview:
    """Record the base's review of an incubating organization and carry out its decision: graduate
    (only when every criterion is met), exit, or continue incubating."""
    from doumen_portal.casework.services import transition

    if not actor.has_perm(IncubationApplication.REVIEW):
        raise NotPermitted(_("Only incubation base staff review graduation."), code="not_permitted")
    if decision not in GraduationReview.Decision.values:
        raise InvalidInput(_("Choose a decision."), code="decision")
    if decision == GraduationReview.Decision.GRADUATE and not all([registered, governance, staff, projects]):
        raise InvalidInput(_("An organization graduates only when it meets every criterion."), code="criteria")
    if decision != GraduationReview.Decision.GRADUATE and not (note or "").strip():
        raise InvalidInput(_("Please give a reason."), code="note_required")
    with transaction.atomic():
        locked = IncubationApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != IncubationApplication.Status.INCUBATING:
            raise Conflict(_("Only an organization in incubation can be reviewed for graduation."), code="state")
        review = GraduationReview.objects.create(
            application=locked,
            registered=registered,
            governance=governance,
            staff=staff,
            projects=projects,
            decision=decision,
            note=(note or "").strip(),
            decided_by=actor,
        )
        log_action(
            "incubator.graduationreview.decide",
            actor=actor,
            obj=locked,
            payload={
                "decision": decision,
                "registered": registered,
                "governance": governance,
                "staff": staff,
                "projects": projects,
            },
            request=request,
        )
        if decision == GraduationReview.Decision.GRADUATE:
            transition(locked, "graduate", actor=actor, note=note, request=request)
        elif decision == GraduationReview.Decision.EXIT:
            transition(locked, "exit", actor=actor, note=note, request=request)
    application.refresh_from_db()
    return review


# Services and bookings ---------------------------------------------------------------------------------


def log_service(
    *,
    organization: Organization,
    kind: str,
    title: str,
    actor,
    date: datetime.date | None = None,
    hours=0,
    sessions: int = 1,
    people: int = 0,
    note: str = "",
) -> ServiceRecord:
    """Staff log a service delivered to an organization."""
    if not actor.has_perm("incubator.add_servicerecord"):
        raise NotPermitted(code="not_permitted")
    if Decimal(str(hours)) < 0 or sessions < 0 or people < 0:
        raise InvalidInput(_("Hours, sessions and people cannot be negative."), code="negative")
    with transaction.atomic():
        record = ServiceRecord.objects.create(
            organization=organization,
            kind=kind,
            title=title,
            date=date or timezone.localdate(),
            hours=hours,
            sessions=sessions,
            people=people,
            note=note,
            logged_by=actor,
        )
        log_action("incubator.servicerecord.log", actor=actor, obj=record, payload={"kind": kind, "hours": str(hours)})
    return record


def add_training_session(
    record: ServiceRecord, *, actor, topic: str, attendees: int, hours=0, date: datetime.date | None = None
) -> TrainingSession:
    """Staff record one session of a staff training and its attendance; the training's totals follow."""
    if not actor.has_perm("incubator.add_servicerecord"):
        raise NotPermitted(code="not_permitted")
    if record.kind != ServiceKind.STAFF_TRAINING:
        raise InvalidInput(_("Sessions with attendance are recorded for staff trainings only."), code="not_training")
    with transaction.atomic():
        session = TrainingSession.objects.create(
            service_record=record, topic=topic, attendees=attendees, hours=hours, date=date or timezone.localdate()
        )
        sync_training_totals(record, actor=actor)
    return session


def sync_training_totals(record: ServiceRecord, *, actor) -> ServiceRecord:
    """A training with sessions on record counts them: sessions, hours and attendance (person-times)."""
    from django.db.models import Count, Sum

    with transaction.atomic():
        locked = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        totals = locked.training_sessions.aggregate(count=Count("id"), hours=Sum("hours"), people=Sum("attendees"))
        if not totals["count"]:
            return locked
        locked.sessions, locked.hours, locked.people = totals["count"], totals["hours"], totals["people"]
        locked.save(update_fields=["sessions", "hours", "people"])
        log_action(
            "incubator.servicerecord.sessions",
            actor=actor,
            obj=locked,
            payload={"sessions": locked.sessions, "hours": str(locked.hours), "people": locked.people},
        )
    record.refresh_from_db()
    return locked


def may_book(organization: Organization) -> bool:
    """Shared resources are for organizations accepted at the base and not yet gone."""
    return IncubationApplication.objects.filter(
        organization=organization,
        status__in=[IncubationApplication.Status.ACCEPTED, IncubationApplication.Status.INCUBATING],
    ).exists()


def book_resource(
    *,
    resource: Resource,
    organization: Organization,
    actor,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    request=None,
) -> ResourceBooking:
    """Book ``resource`` for ``organization``; a slot overlapping another booking is refused (409).

    The resource row is locked while looking for overlaps, so two bookings of one resource are checked one
    after the other; on PostgreSQL the exclusion constraint refuses an overlap even if something skipped
    this function.
    """
    if not (represents(actor, organization) or actor.has_perm("incubator.add_resourcebooking")):
        raise NotPermitted(_("Only the organization's representatives may book for it."), code="not_representative")
    if ends_at <= starts_at:
        raise InvalidInput(_("The end must be after the start."), code="order")
    if starts_at < timezone.now():
        raise InvalidInput(_("A booking cannot start in the past."), code="past")
    window = settings.INCUBATOR_BOOKING_WINDOW_DAYS
    if starts_at > timezone.now() + datetime.timedelta(days=window):
        raise InvalidInput(
            ngettext(
                "Bookings can be made at most %(days)d day ahead.",
                "Bookings can be made at most %(days)d days ahead.",
                window,
            )
            % {"days": window},
            code="beyond_window",
        )
    if ends_at - starts_at > datetime.timedelta(hours=BOOKING_MAX_HOURS):
        raise InvalidInput(
            _("A booking lasts at most %(hours)d hours.") % {"hours": BOOKING_MAX_HOURS}, code="too_long"
        )
    if not may_book(organization):
        raise Conflict(_("Only organizations accepted for incubation may book shared resources."), code="not_incubated")
    try:
        with transaction.atomic():
            locked = Resource.objects.select_for_update().get(pk=resource.pk)
            if not locked.is_active:
                raise Conflict(_("This resource cannot be booked at the moment."), code="inactive")
            overlapping = ResourceBooking.objects.filter(
                resource=locked,
                status=ResourceBooking.Status.BOOKED,
                starts_at__lt=ends_at,
                ends_at__gt=starts_at,
            )
            if overlapping.exists():
                raise Conflict(SLOT_TAKEN, code="overlap")
            booking = ResourceBooking.objects.create(
                resource=locked,
                organization=organization,
                booked_by=actor,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=(purpose or "").strip(),
            )
            log_action(
                "incubator.resourcebooking.book",
                actor=actor,
                obj=booking,
                payload={"resource": locked.pk, "from": starts_at.isoformat(), "until": ends_at.isoformat()},
                request=request,
            )
    except IntegrityError:
        raise Conflict(SLOT_TAKEN, code="overlap") from None
    return booking


def cancel_booking(booking: ResourceBooking, *, actor, request=None) -> ResourceBooking:
    """The organization (or staff) cancel a booking that has not started; the slot is free again."""
    with transaction.atomic():
        locked = ResourceBooking.objects.select_for_update().select_related("organization").get(pk=booking.pk)
        if not (represents(actor, locked.organization) or actor.has_perm("incubator.change_resourcebooking")):
            raise NotPermitted(code="not_permitted")
        if locked.status != ResourceBooking.Status.BOOKED:
            raise Conflict(_("This booking is already cancelled."), code="cancelled")
        if locked.starts_at <= timezone.now():
            raise Conflict(_("A booking that has started cannot be cancelled."), code="started")
        locked.status = ResourceBooking.Status.CANCELLED
        locked.save(update_fields=["status"])
        log_action("incubator.resourcebooking.cancel", actor=actor, obj=locked, request=request)
    booking.refresh_from_db()
    return locked
