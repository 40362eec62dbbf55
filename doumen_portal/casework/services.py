"""The one way to move a case: ``transition`` (and ``assign``, ``refer_case``).

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
    opening = type(case).workflow.opening_clock
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
    """Start the first clock of a case being filed (before its first save); the result goes on the filing's
    history row so it says how the deadline was counted (``open_case``)."""
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


def clean_step_data(step: Step, data: dict | None) -> dict:
    """The step's extra data as its form cleans it; ``InvalidInput`` naming the fields when it is not valid.

    A step without a form takes no data (a ``days`` given to it is refused by its clock)."""
    form = step.make_form(data or {})
    if form is None:
        return {}
    if not form.is_valid():
        fields = {name: list(errors) for name, errors in form.errors.items()}
        general = fields.pop("__all__", [])
        message = " ".join(general) or " ".join(message for errors in fields.values() for message in errors)
        raise InvalidInput(message, code="invalid_step_data", fields=fields)
    return form.cleaned_data


def transition(case, action: str, *, actor, note: str = "", data: dict | None = None, days=None, request=None):
    """Take ``action`` on ``case`` as ``actor``; return the updated case (the instance passed is refreshed).

    ``data`` is the extra data the step declares (its ``form``: e.g. the legal channel of a "not accept");
    ``days`` is short for ``data={"days": ...}``, an extension shorter than the step's maximum. The step's
    ``sets`` and ``effects`` run on the locked case and are saved with the status. Raises ``NotPermitted``
    (403), ``InvalidTransition`` (409) or ``InvalidInput`` (400, with ``fields`` for the form's errors);
    nothing is changed then.
    """
    from .effects import apply_sets

    model = type(case)
    step = model.workflow.step(action)
    if step is None:
        raise InvalidTransition(_("Unknown action “%(action)s”.") % {"action": action}, code="unknown_action")
    if days is not None:
        data = {**(data or {}), "days": days}
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        _check(step, locked, actor, note)
        # Validated only once the step is known to be allowed: a refusal says why before what is missing.
        cleaned = clean_step_data(step, data)
        # An extension's days: from its form, or checked by its clock when the step declares no form.
        days = cleaned.get("days") if step.form is not None else (data or {}).get("days")
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
        today = timezone.localdate()
        fields += apply_sets(locked, step.sets, actor=actor, data=cleaned, today=today)
        for effect in step.effects:
            fields += effect(locked, actor=actor, data=cleaned, note=note, today=today) or []
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


def _may_assign(actor, case) -> bool:
    """The workflow's assign rule, held within the case's unit, or a supervisor of the case's unit."""
    from doumen_portal.units.models import Membership
    from doumen_portal.units.selectors import unit_ids_of

    rule = type(case).workflow.assign_by
    if rule is not None and Step("assign", [], "", by=rule).permits(actor, case):
        return True
    return unit_ids_of(actor).get(case.unit_id) == Membership.Role.SUPERVISOR


def assign(case, *, assignee, actor, note: str = "", request=None):
    """Give the case to a person who may handle it in its unit (or take it back with ``assignee=None``).

    The assignee is any active member of the case's unit holding the model's ``handle_perm`` (a partner
    lawyer or bank officer need not be staff); the actor holds the assign permission within that unit or
    supervises it. Refused with nothing changed otherwise."""
    from doumen_portal.units.selectors import may_handle

    model = type(case)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        if not _may_assign(actor, locked):
            raise NotPermitted(_("You may not assign this case."), code="not_permitted")
        if assignee is not None and not may_handle(assignee, locked, model.handle_perm):
            raise InvalidInput(
                _("Cases can only be assigned to active people of the case's unit who may handle them."),
                code="bad_assignee",
            )
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


def refer_case(case, *, to_unit, actor, note: str, request=None):
    """Hand the case to another unit (a station refers a request to a department, a case goes to a partner
    organization), with the reason. The actor supervises the case's current unit, or holds the district-wide
    permission and may assign this kind of case. The assignee is cleared (the new unit's supervisors assign
    it); the case model's ``after_referral`` clears what else belonged to the old unit (a petition's
    agents). History, audit and the new unit's supervisors' inbox, in one transaction."""
    from doumen_portal.units.models import VIEW_ALL_UNITS, Membership
    from doumen_portal.units.selectors import unit_ids_of

    note = (note or "").strip()
    model = type(case)
    if not note:
        raise InvalidInput(_("Please give a reason."), code="note_required")
    if to_unit is None or not to_unit.active:
        raise InvalidInput(_("Choose an active unit to refer the case to."), code="bad_unit")
    with transaction.atomic():
        locked = model.objects.select_for_update().select_related("unit").get(pk=case.pk)
        supervises = unit_ids_of(actor).get(locked.unit_id) == Membership.Role.SUPERVISOR
        rule = model.workflow.assign_by
        district_wide = (
            actor.has_perm(VIEW_ALL_UNITS)
            and rule is not None
            and Step("refer", [], "", by=rule).permits(actor, locked)
        )
        if not (supervises or district_wide):
            raise NotPermitted(_("Only a supervisor of the case's unit may refer it."), code="not_permitted")
        if to_unit.pk == locked.unit_id:
            raise Conflict(_("The case already belongs to this unit."), code="same_unit")
        from_unit = locked.unit
        locked.unit, locked.assignee = to_unit, None
        locked.save(update_fields=["unit", "assignee", "updated_at"])
        after = getattr(locked, "after_referral", None)
        if after is not None:
            after(from_unit=from_unit, actor=actor)
        text = _("Referred from %(from)s to %(to)s: %(note)s") % {
            "from": from_unit.name,
            "to": to_unit.name,
            "note": note,
        }
        _record(locked, action="refer", actor=actor, from_status=locked.status, note=str(text), request=request)
        _tell_referral(locked, note=str(text))
    case.refresh_from_db()
    return locked


def _tell_referral(case, *, note: str) -> None:
    """The new unit's supervisors find the referred case in their inbox, linked to its admin page."""
    from django.conf import settings
    from django.urls import reverse

    from doumen_portal.notifications.services import notify
    from doumen_portal.units.selectors import supervisors_of_units

    meta = type(case)._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[case.pk])
    context = {**_update_context(case, note=note), "link": settings.PORTAL_URL.rstrip("/") + url}
    for supervisor in supervisors_of_units([case.unit_id])[case.unit_id]:
        notify(supervisor, kind="case_update", context=context, url=url, channels=("inbox",))


def open_case(
    model,
    *,
    actor,
    applicant,
    values: dict,
    unit=None,
    request=None,
    action: str = "submit",
    receipt: bool = True,
    on_commit=None,
    prepared=None,
):
    """File a new case of ``model`` for ``applicant`` (``actor`` files it: the applicant, or staff for them).

    In one transaction: build the case from ``values``, issue its reference with the one generator
    (``model.reference_prefix`` into ``model.reference_field``), set its handling ``unit`` when given, start the
    workflow's opening clock, save, write the first history row (``action``: "submit", or "create" for a
    draft) with its audit entry, and send the applicant the receipt (``receipt``; drafts need none).
    ``on_commit(case)`` runs once the filing is committed. ``prepared`` is an unsaved case the caller has
    already filled (a case filed on someone's behalf, see ``file_on_behalf``); ``values`` are set on it.
    Returns the saved case.
    """
    from .references import next_reference

    today = timezone.localdate()
    with transaction.atomic():
        case = prepared if prepared is not None else model(applicant=applicant)
        for name, value in values.items():
            setattr(case, name, value)
        setattr(case, model.reference_field, next_reference(model.reference_prefix, year=today.year))
        if unit is not None:
            case.unit = unit
        opening = model.workflow.opening_clock
        clock_terms = start_clock(case, opening, today=today) if opening is not None else None
        case.save()
        _record(case, action=action, actor=actor, from_status="", note="", request=request, terms=clock_terms)
        if receipt:
            notify_case_update(case, recipient=case.applicant)
        if on_commit is not None:
            transaction.on_commit(lambda: on_commit(case))
    return case


def rate_case(case, *, actor, satisfaction: str, comment: str = "", request=None):
    """The applicant rates the outcome of a decided case, once (case models that opt in: ``Ratable``)."""
    from .models import Ratable

    model = type(case)
    if not issubclass(model, Ratable):
        raise InvalidInput(_("This kind of case is not rated."), code="not_ratable")
    if satisfaction not in model.Satisfaction.values:
        message = _("Choose how satisfied you are.")
        raise InvalidInput(message, code="satisfaction", fields={"satisfaction": [message]})
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        if actor is None or locked.applicant_id != actor.pk:
            raise NotPermitted(_("Only the applicant rates the outcome."), code="not_permitted")
        if locked.satisfaction:
            raise Conflict(_("You have already rated this case."), code="already_rated")
        if locked.status not in model.rating_statuses():
            raise Conflict(_("You can rate the outcome once the case is decided."), code="not_decided")
        locked.satisfaction = satisfaction
        locked.satisfaction_comment = (comment or "").strip()[:1000]
        locked.rated_on = timezone.localdate()
        locked.save(update_fields=["satisfaction", "satisfaction_comment", "rated_on", "updated_at"])
        meta = model._meta
        log_action(
            f"{meta.app_label}.{meta.model_name}.rate",
            actor=actor,
            obj=locked,
            payload={"satisfaction": satisfaction},
            request=request,
        )
    case.refresh_from_db()
    return locked


def _update_context(case, *, note: str) -> dict:
    """What a "case_update" message says of the case (labels stay lazy until rendered in the reader's language)."""
    return {
        "case_type": type(case)._meta.verbose_name,
        "reference": str(case),
        "status": type(case).Status(case.status).label,
        "note": note,
        "due_date": case.due_date,
        "due_date_provisional": case.due_date_provisional,
    }


def notify_case_update(case, *, recipient, note: str = "") -> None:
    """Tell ``recipient`` the case's new status, in their own language (labels stay lazy until rendered).

    ``recipient=None`` stands for the person an unclaimed case was filed for: they have no account, so they
    get a text message at the number staff recorded, in the portal's language, with the public lookup link.
    Nothing goes to anyone's inbox then.
    """
    from django.conf import settings

    from doumen_portal.notifications.services import notify, notify_phone

    context = _update_context(case, note=note)
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
