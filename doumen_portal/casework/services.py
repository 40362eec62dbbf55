"""The one way to move a case: ``transition`` (and ``assign``).

Each call runs in one transaction: lock the case row, check the step is allowed from the current state
and by this user, apply the step and its clock, save with ``update_fields``, write the history row and
the audit entry, and let the case model queue its notifications (written to the outbox in the same
transaction, delivered after commit).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from . import calendar
from .models import CaseHistory
from .workflow import Clock, Step


class InvalidTransition(Conflict):
    """The step is not possible in the case's current state."""


def status_label(case, status: str) -> str:
    return str(dict(type(case).Status.choices).get(status, status))


def _running_unit(case) -> str:
    """The unit of the clock running on (or paused on) the case: the one its last clock step recorded."""
    unit = (
        CaseHistory.objects.filter(content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk)
        .exclude(clock_unit="")
        .order_by("-created_at", "-id")
        .values_list("clock_unit", flat=True)
        .first()
    )
    if unit:
        return unit
    opening = getattr(type(case), "opening_clock", None)
    return opening.unit if opening is not None else calendar.CALENDAR_DAYS


def _apply_clock(case, clock: Clock, *, today: datetime.date, days: int | None = None) -> tuple[list[str], dict]:
    """Set the case's deadline as the step's clock says; return the fields changed and the clock's terms
    for the history row (counted from, days, unit).

    ``days`` shortens an extension: the clock's days are its maximum. Pause and resume keep the unit of the
    running clock: a working-day clock paused with 3 working days left resumes with 3 working days.
    """
    if days is not None and clock.mode != "extend":
        raise InvalidInput(_("Only an extension takes a number of days."), code="days_not_allowed")
    if days is not None and not 1 <= days <= clock.days:
        raise InvalidInput(
            _("An extension is between 1 and %(max)d days.") % {"max": clock.days}, code="days_out_of_range"
        )

    if clock.mode == "keep":
        return [], {}
    terms = {}
    if clock.mode == "start":
        unit = clock.unit
        case.due_date, case.paused_days_left = calendar.add_days(today, clock.days, unit), None
        terms = {"clock_from": today, "clock_days": clock.days, "clock_unit": unit}
    elif clock.mode == "extend":
        if case.due_date is None:
            raise InvalidTransition(_("There is no running deadline to extend."), code="no_deadline")
        unit, count = clock.unit, days if days is not None else clock.days
        terms = {"clock_from": case.due_date, "clock_days": count, "clock_unit": unit}
        case.due_date = calendar.add_days(case.due_date, count, unit)
    elif clock.mode == "pause":
        unit = _running_unit(case)
        left = calendar.days_left(today, case.due_date, unit) if case.due_date else None
        case.due_date, case.paused_days_left = None, left
        terms = {"clock_from": today, "clock_days": left, "clock_unit": unit}
    elif clock.mode == "resume":
        unit = _running_unit(case)
        left = case.paused_days_left if case.paused_days_left is not None else 0
        case.due_date, case.paused_days_left = calendar.add_days(today, left, unit), None
        terms = {"clock_from": today, "clock_days": left, "clock_unit": unit}
    elif clock.mode == "stop":
        case.due_date, case.paused_days_left = None, None
    case.due_date_provisional = case.due_date is not None and calendar.is_provisional(today, case.due_date)
    return ["due_date", "paused_days_left", "due_date_provisional"], terms


def start_clock(case, clock: Clock, *, today: datetime.date | None = None) -> dict:
    """Start the first clock of a case being filed (before its first save). Pass the result to
    ``record_creation`` so the filing's history row says how the deadline was counted."""
    _fields, terms = _apply_clock(case, clock, today=today or timezone.localdate())
    return terms


def _check(step: Step, case, actor, note: str) -> None:
    if not step.permits(actor, case):
        raise NotPermitted(
            _("You may not “%(action)s” this case.") % {"action": step.label or step.action}, code="not_permitted"
        )
    if case.status not in step.sources_set:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the case is “%(status)s”.")
            % {"action": step.label or step.action, "status": status_label(case, case.status)},
            code="invalid_transition",
        )
    if step.note_required and not (note or "").strip():
        raise InvalidInput(_("Please give a reason."), code="note_required")
    if step.guard is not None and (refusal := step.guard(case)):
        raise InvalidTransition(refusal, code="guard")


def transition(
    case, action: str, *, actor, note: str = "", changes: dict | None = None, days: int | None = None, request=None
):
    """Take ``action`` on ``case`` as ``actor``; return the updated case (the instance passed is refreshed).

    ``changes`` are further field values the step sets on the locked row (e.g. a decision's reason); they
    are saved with the status. ``days`` chooses an extension shorter than the step's maximum.
    Raises ``NotPermitted`` (403), ``InvalidTransition`` (409) or
    ``InvalidInput`` (400); nothing is changed then.
    """
    model = type(case)
    step = model.workflow.step(action)
    if step is None:
        raise InvalidTransition(_("Unknown action “%(action)s”.") % {"action": action}, code="unknown_action")
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        _check(step, locked, actor, note)
        history = CaseHistory.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=locked.pk)
        if (step.once or step.clock.once) and history.filter(action=action).exists():
            raise InvalidTransition(
                _("“%(action)s” can be done only once per case.") % {"action": step.label or action}, code="once"
            )
        from_status = locked.status
        locked.status = step.target
        fields = ["status", "updated_at"]
        clock_fields, clock_terms = _apply_clock(locked, step.clock, today=timezone.localdate(), days=days)
        fields += clock_fields
        if step.note_field:
            setattr(locked, step.note_field, note)
            fields.append(step.note_field)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        locked.save(update_fields=list(dict.fromkeys(fields)))
        _record(
            locked, action=action, actor=actor, from_status=from_status, note=note, request=request, terms=clock_terms
        )
        after = getattr(locked, "after_transition", None)
        if after is not None:
            after(step, actor=actor, note=note, from_status=from_status)
        for recipient in locked.transition_notifications(step, actor=actor):
            notify_case_update(locked, recipient=recipient, note=note)
    case.refresh_from_db()
    return locked


def assign(case, *, assignee, actor, note: str = "", request=None):
    """Give the case to a staff member (or take it back with ``assignee=None``)."""
    model = type(case)
    rule = model.workflow.assign_by
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        if rule is None or not Step("assign", [], "", by=rule).permits(actor, locked):
            raise NotPermitted(_("You may not assign this case."), code="not_permitted")
        if assignee is not None and not (assignee.is_active and assignee.is_staff):
            raise InvalidInput(_("Cases can only be assigned to active staff members."), code="bad_assignee")
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        _record(
            locked,
            action="assign",
            actor=actor,
            from_status=locked.status,
            note=note or (str(assignee) if assignee else ""),
            request=request,
        )
    case.refresh_from_db()
    return locked


def record_creation(case, *, actor, note: str = "", request=None, clock_terms: dict | None = None) -> None:
    """The first history row of a newly filed case (from no state to its initial state), and the
    applicant's receipt in their inbox, by SMS and e-mail (a case filed on someone's behalf: by SMS to
    their mobile number). ``clock_terms`` come from ``start_clock``."""
    _record(case, action="submit", actor=actor, from_status="", note=note, request=request, terms=clock_terms)
    notify_case_update(case, recipient=case.applicant, note=note)


def notify_case_update(case, *, recipient, note: str = "") -> None:
    """Tell ``recipient`` the case's new status, in their own language (labels stay lazy until rendered).

    ``recipient=None`` stands for the person an unclaimed case was filed for: they have no account, so they
    get a text message at the number staff recorded, in the portal's language, with the public lookup link.
    Nothing goes to anyone's inbox then.
    """
    from django.conf import settings

    from doumen_portal.notifications.services import notify, notify_phone

    context = {
        "case_type": type(case)._meta.verbose_name,
        "reference": str(case),
        "status": type(case).Status(case.status).label,
        "note": note,
        "due_date": case.due_date,
        "due_date_provisional": case.due_date_provisional,
    }
    if recipient is None:
        if case.is_unclaimed and case.filed_for_phone:
            link = settings.PORTAL_URL.rstrip("/") + case.public_lookup_url()
            notify_phone(case.filed_for_phone, kind="case_update", context={**context, "link": link})
        return
    url = case.get_absolute_url()
    notify(recipient, kind="case_update", context={**context, "link": settings.PORTAL_URL.rstrip("/") + url}, url=url)


# ---------------------------------------------------------------- filed on someone's behalf


def file_on_behalf(case, *, actor, name: str, phone: str, address: str = "", id_number: str = ""):
    """Make an unsaved ``case`` one that staff (``actor``) file for a person without an account: check the
    actor's permission (the model's ``on_behalf_by``) and the person's name, mobile number and, for a case
    type that requires real names, resident ID number; record them and who filed it. The caller saves the
    case and records its creation (``record_creation``), whose receipt then goes by SMS to that number.

    Raises ``NotPermitted`` or ``InvalidInput`` (translated); the case is not changed then.
    """
    from django.core.exceptions import ValidationError

    from doumen_portal.accounts import pii
    from doumen_portal.accounts.idnumbers import mask_resident_id, validate_resident_id
    from doumen_portal.accounts.phones import to_e164

    model = type(case)
    permission = getattr(model, "on_behalf_by", None)
    if not (
        permission
        and actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.is_staff
        and actor.has_perm(permission)
    ):
        raise NotPermitted(_("You may not file cases on someone's behalf."), code="not_permitted")
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("Give the name of the person the case is filed for."), code="name_required")
    if len(name) > 50:
        raise InvalidInput(_("A name has at most 50 characters."), code="name_too_long")
    e164 = to_e164(phone or "")
    if e164 is None:
        raise InvalidInput(_("Enter the person's valid mobile number, for example 13800138000."), code="invalid_phone")
    address = " ".join((address or "").split())
    if len(address) > 200:
        raise InvalidInput(_("An address has at most 200 characters."), code="address_too_long")
    id_fields = {}
    if model.requires_real_name:
        if not (id_number or "").strip():
            raise InvalidInput(
                _("Give the person's resident ID number: this kind of case is filed under a real name."),
                code="id_number_required",
            )
        try:
            number = validate_resident_id(id_number)
        except ValidationError as error:
            raise InvalidInput(error.messages[0], code=error.code or "invalid_id_number") from None
        id_fields = {
            "filed_for_id_ciphertext": pii.encrypt(number),
            "filed_for_id_digest": pii.keyed_digest(number),
            "filed_for_id_masked": mask_resident_id(number),
        }
    case.applicant = None
    case.filed_by = actor
    case.filed_for_name = name
    case.filed_for_phone = e164
    case.filed_for_address = address
    for field, value in id_fields.items():
        setattr(case, field, value)
    return case


def claimable_cases(model, user):
    """``model``'s unclaimed cases ``user`` may claim: filed for the mobile number they confirmed with an SMS
    code and, for a case type that requires real names, for the resident ID number their account is
    verified with (an account not verified yet gets none of those)."""
    if not (user.is_authenticated and user.is_active and user.phone and user.phone_verified):
        return model.objects.none()
    cases = model.objects.filter(applicant__isnull=True, filed_for_phone=user.phone)
    if model.requires_real_name:
        if not (user.is_real_name_verified and user.id_number_digest):
            return model.objects.none()
        cases = cases.filter(filed_for_id_digest=user.id_number_digest)
    return cases


def claim_cases(actor, *, request=None) -> list:
    """Attach to ``actor``'s account every case filed on their behalf that they may claim (see
    ``claimable_cases``): each becomes theirs (``applicant``), with a history row ("claim") and an audit
    entry, and the person is told in their inbox. Called when a phone is confirmed with an SMS code, at
    each login with a confirmed phone, and after real-name verification; safe to call any number of times
    (a claimed case is no longer unclaimed). Returns the cases claimed now.
    """
    from django.urls import reverse

    from doumen_portal.documents.models import Document
    from doumen_portal.notifications.services import notify

    from .registry import case_models

    claimed = []
    with transaction.atomic():
        for model in case_models:
            cases = claimable_cases(model, actor).select_for_update().order_by("pk")
            for case in cases:
                case.applicant = actor
                case.save(update_fields=["applicant", "updated_at"])
                _record(
                    case,
                    action="claim",
                    actor=actor,
                    from_status=case.status,
                    note=str(_("Filed on your behalf at the service desk; added to your account.")),
                    request=request,
                )
                # Letters issued while the case had no account are the person's own from now on.
                Document.objects.filter(
                    owner_type=ContentType.objects.get_for_model(model), owner_id=case.pk, recipient__isnull=True
                ).update(recipient=actor)
                claimed.append(case)
        if claimed:
            url = reverse("my_affairs")
            notify(
                actor,
                kind="cases_claimed",
                context={"cases": [(type(case)._meta.verbose_name, str(case)) for case in claimed]},
                url=url,
                channels=("inbox",),
            )
    return claimed


def _record(case, *, action, actor, from_status, note, request, terms: dict | None = None):
    CaseHistory.objects.create(
        **(terms or {}),
        content_type=ContentType.objects.get_for_model(type(case)),
        object_id=case.pk,
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note or "",
        due_date=case.due_date,
    )
    meta = type(case)._meta
    log_action(
        f"{meta.app_label}.{meta.model_name}.{action}",
        actor=actor,
        obj=case,
        payload={
            "from": from_status,
            "to": case.status,
            "note": note,
            "due_date": case.due_date,
            "due_date_provisional": case.due_date_provisional,
        },
        request=request,
    )


REMINDER_BATCH = 500


def _claim_reminders(content_type, case_ids: list[int], today: datetime.date) -> set[int]:
    """Write today's reminder row for each case and return the cases this run claimed, that is those not
    reminded yet today. The unique constraint decides between two runs at the same time (one query)."""
    from django.db import connection

    from .models import DeadlineReminder

    if not case_ids:
        return set()
    table = connection.ops.quote_name(DeadlineReminder._meta.db_table)
    values = ", ".join(["(%s, %s, %s)"] * len(case_ids))
    params = [value for pk in case_ids for value in (content_type.pk, pk, today)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, date) VALUES {values} "
            "ON CONFLICT (content_type_id, object_id, date) DO NOTHING RETURNING object_id",
            params,
        )
        return {row[0] for row in cursor.fetchall()}


def send_deadline_reminders(*, today: datetime.date | None = None, due_within: int = 3) -> int:
    """Remind assignees and supervisors of cases overdue or due within ``due_within`` days; once a day.

    A fixed number of queries per case model (and per batch of 500 cases), whatever the number of cases:
    the cases, the reminder rows, the recipients and the notifications are each read or written at once.
    """
    from doumen_portal.notifications.services import notify_many

    from .registry import case_models

    today = today or timezone.localdate()
    sent = 0
    for model in case_models:
        content_type = ContentType.objects.get_for_model(model)
        cases = list(
            model.objects.filter(due_date__lte=today + datetime.timedelta(days=due_within))
            .select_related("assignee")
            .order_by("pk")
        )
        for offset in range(0, len(cases), REMINDER_BATCH):
            batch = cases[offset : offset + REMINDER_BATCH]
            with transaction.atomic():
                claimed = _claim_reminders(content_type, [case.pk for case in batch], today)
                fresh = [case for case in batch if case.pk in claimed]
                if not fresh:
                    continue
                recipients = model.deadline_recipients_of(fresh)
                messages = [
                    (
                        recipient,
                        {
                            "case_type": model._meta.verbose_name,
                            "reference": str(case),
                            "due_date": case.due_date,
                            "due_date_provisional": case.due_date_provisional,
                            "overdue": case.due_date < today,
                        },
                        "",
                    )
                    for case in fresh
                    for recipient in recipients[case.pk]
                ]
                sent += notify_many(messages, kind="case_deadline", channels=("inbox", "email"))
    return sent
