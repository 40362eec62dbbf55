"""Writes on petitions: filing, agents, the effects of each step, ratings, work log and consultations.

Every status change goes through ``doumen_portal.casework.services.transition``; the functions here add
what is specific to petitions (tracking numbers, the repeat rule, letters, the agents' limit).
"""

import hashlib
import re
import secrets
import unicodedata
import uuid

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.audit.services import log_action
from doumen_portal.casework.services import assign, record_creation, start_clock, transition
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from .models import (
    ASSIGN,
    HANDLE,
    MAX_AGENTS,
    AgencyAuthorization,
    Consultation,
    Petition,
    PetitionAgent,
    TrackingSequence,
    WorkLogEntry,
)

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
TRACKING_PATTERN = re.compile(r"^XF\d{4}-\d{6}-[2-9A-HJ-NP-Z]{2}$")


TRACKING_NUMBER_PARTS = re.compile(r"^XF(\d{4})(\d{6})([A-Z0-9]{2})$")


def normalize_tracking_number(raw: str) -> str:
    """The tracking number as issued (``XF2026-000123-7K``) from what a person types: lower case, full-width
    characters, spaces or dashes anywhere, or none at all."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    match = TRACKING_NUMBER_PARTS.match(re.sub(r"[\W_]+", "", text))
    if match is None:
        return text.strip()
    return "XF{}-{}-{}".format(*match.groups())


def _next_tracking_number(year: int) -> str:
    """``XF2026-000123-7K``: a gap-free yearly sequence (taken under a row lock) and two random characters,
    so that a number cannot be guessed from its neighbour. Call inside a transaction."""
    TrackingSequence.objects.bulk_create([TrackingSequence(year=year, last_number=0)], ignore_conflicts=True)
    sequence = TrackingSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    suffix = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(2))
    return f"XF{year}-{sequence.last_number:06d}-{suffix}"


def facts_digest(facts: str) -> str:
    """The same facts written with other spacing or punctuation give the same digest."""
    normalized = re.sub(r"[\W_]+", "", facts or "").lower()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def submit_petition(
    user,
    *,
    subject: str,
    facts: str,
    request_text: str,
    respondent: str,
    town,
    village=None,
    involves_others: bool = False,
    people_count: int = 1,
    authorize_agency: bool = False,
    authorization_scope: str = AgencyAuthorization.Scope.FULL,
    attachments=(),
    pending_attachments=(),
    submission_token: uuid.UUID | None = None,
    request=None,
) -> Petition:
    """File a petition for a real-name-verified citizen; the registration clock starts.

    ``submission_token`` (the form's hidden token) makes a double submit return the petition the first one
    created. ``pending_attachments`` are the person's uploads kept from an earlier failed submit of the form.
    A petition repeating the facts of the same person's case that is final after re-review is
    filed and flagged (``repeat_of``), and cannot be accepted.
    """
    if not user.is_real_name_verified:
        raise Conflict(_("Verify your real name before filing a petition."), code="unverified")
    subject, facts, request_text, respondent = (v.strip() for v in (subject, facts, request_text, respondent))
    if not (subject and facts and request_text and respondent):
        raise InvalidInput(_("Subject, facts, request and the body concerned are all required."), code="required")
    if village is not None and village.town_id != town.pk:
        raise InvalidInput(_("The village or community is not in the town chosen."), code="village_town")
    if involves_others and people_count < 2:
        raise InvalidInput(_("When others are involved, give the number of people (at least 2)."), code="people")
    if not involves_others:
        people_count = 1
    if authorize_agency and authorization_scope not in AgencyAuthorization.Scope.values:
        raise InvalidInput(_("Choose what the station may do for you."), code="scope")

    User = get_user_model()
    digest = facts_digest(facts)
    try:
        with transaction.atomic():
            # One filing at a time per person: a double click waits here and then finds the first petition.
            User.objects.select_for_update().get(pk=user.pk)
            if submission_token is not None:
                existing = Petition.objects.filter(applicant=user, submission_token=submission_token).first()
                if existing is not None:
                    return existing
            today = timezone.localdate()
            petition = Petition(
                applicant=user,
                tracking_number=_next_tracking_number(today.year),
                subject=subject,
                facts=facts,
                request=request_text,
                respondent=respondent,
                town=town,
                village=village,
                involves_others=involves_others,
                people_count=people_count,
                contact_phone=user.phone or "",
                facts_digest=digest,
                repeat_of=Petition.objects.filter(applicant=user, facts_digest=digest, status=Petition.Status.FINAL)
                .order_by("-rereview_issued_on")
                .first(),
                submission_token=submission_token,
            )
            clock_terms = start_clock(petition, Petition.opening_clock, today=today)
            petition.save()
            if authorize_agency:
                AgencyAuthorization.objects.create(petition=petition, scope=authorization_scope)
            from doumen_portal.documents.services import attach_upload, store_upload

            for pending in pending_attachments:
                attach_upload(pending, owner=petition, by=user)
            for uploaded in attachments:
                store_upload(uploaded_file=uploaded, uploaded_by=user, owner=petition)
            record_creation(petition, actor=user, request=request, clock_terms=clock_terms)
    except IntegrityError:
        # Only possible when two submits with one token race past the lock on a database without it.
        existing = Petition.objects.filter(applicant=user, submission_token=submission_token).first()
        if existing is None:
            raise
        return existing
    return petition


# ---------------------------------------------------------------- steps


def _require_choice(value, choices, message):
    if value not in choices:
        raise InvalidInput(message, code="choice_required")


def take_step(
    petition,
    action: str,
    *,
    by,
    note: str = "",
    legal_channel: str = "",
    forwarded_to: str = "",
    days: int | None = None,
    request=None,
):
    """One step on a petition, with the extra data some steps need (not-accept: the legal channel to use
    instead; forward: the competent body; extend: the days, at most 30). Views, API and admin call this."""
    changes = {}
    if action == "not_accept":
        changes["legal_channel"] = legal_channel
    elif action == "forward":
        changes["forwarded_to"] = (forwarded_to or "").strip()[:100]
    return transition(petition, action, actor=by, note=note, changes=changes, days=days, request=request)


def apply_step_effects(petition, step, *, actor, note) -> None:
    """Dates and letters of a step, inside the step's transaction (called by ``Petition.after_transition``)."""
    today = timezone.localdate()
    fields = []
    action = step.action
    if action in ("accept", "not_accept", "forward"):
        if action == "not_accept":
            _require_choice(
                petition.legal_channel,
                Petition.LegalChannel.values,
                _("Name the legal channel the petitioner should use instead."),
            )
        if action == "forward" and not petition.forwarded_to:
            raise InvalidInput(_("Name the body the petition is forwarded to."), code="forwarded_to_required")
        petition.registration = {
            "accept": Petition.Registration.ACCEPTED,
            "not_accept": Petition.Registration.NOT_ACCEPTED,
            "forward": Petition.Registration.FORWARDED,
        }[action]
        petition.registered_on = today
        fields += ["registration", "registered_on"]
        if action == "accept":
            petition.handling_due_date = petition.due_date
            fields.append("handling_due_date")
    elif action == "extend":
        petition.handling_due_date = petition.due_date
        petition.extension_approved_by = actor
        fields += ["handling_due_date", "extension_approved_by"]
    elif action == "issue_opinion":
        petition.opinion_issued_on = today
        fields.append("opinion_issued_on")
    elif action == "request_review":
        petition.review_requested_on = today
        fields.append("review_requested_on")
    elif action == "decide_review":
        petition.review_issued_on = today
        fields.append("review_issued_on")
    elif action == "request_rereview":
        petition.rereview_requested_on = today
        fields.append("rereview_requested_on")
    elif action == "decide_rereview":
        petition.rereview_issued_on = today
        fields.append("rereview_issued_on")
    if fields:
        petition.save(update_fields=fields)
    letter = LETTERS.get(action)
    if letter is not None:
        issue_petition_letter(petition, kind=letter, note=note, issued_by=actor)


# doc_type, template and title of the letter each step issues
LETTERS = {
    "accept": "registration",
    "not_accept": "registration",
    "forward": "registration",
    "issue_opinion": "opinion",
    "decide_review": "review",
    "decide_rereview": "rereview",
}

LETTER_TYPES = {
    "registration": ("petition_registration_notice", "documents/petition_registration_notice.html"),
    "opinion": ("petition_opinion", "documents/petition_opinion.html"),
    "review": ("petition_review_opinion", "documents/petition_review_opinion.html"),
    "rereview": ("petition_rereview_opinion", "documents/petition_rereview_opinion.html"),
}


def letter_title(petition, kind: str):
    if kind == "registration":
        return {
            Petition.Registration.ACCEPTED: _("Notice of acceptance of a petition"),
            Petition.Registration.NOT_ACCEPTED: _("Notice of non-acceptance of a petition"),
            Petition.Registration.FORWARDED: _("Notice of forwarding of a petition"),
        }[petition.registration]
    return {
        "opinion": _("Petition handling opinion letter"),
        "review": _("Petition review opinion letter"),
        "rereview": _("Petition re-review opinion letter"),
    }[kind]


def issue_petition_letter(petition, *, kind: str, note: str, issued_by):
    """The numbered PDF letter of a step, addressed to the petitioner, with what they may do next."""
    from doumen_portal.documents.services import issue_document

    doc_type, template_name = LETTER_TYPES[kind]
    return issue_document(
        doc_type=doc_type,
        template_name=template_name,
        context={
            "petition": petition,
            "note": note,
            "registration": petition.registration,
            "legal_channel": petition.get_legal_channel_display() if petition.legal_channel else "",
            # A petition filed at the desk is addressed to the person named there until they claim it.
            "salutation": petition.filed_for_name if petition.applicant_id is None else "",
        },
        title=letter_title(petition, kind),
        owner=petition,
        recipient=petition.applicant,
        issued_by=issued_by,
    )


# ---------------------------------------------------------------- agents


def _is_agent(user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm(HANDLE))


def add_agent(petition, *, agent, by, request=None) -> PetitionAgent:
    """Put ``agent`` on the petition (at most two agents). A supervisor assigns anyone; an agent may take
    an unassigned petition for themselves. The first agent becomes the case's assignee."""
    if not _is_agent(agent):
        raise InvalidInput(_("Only petition agents can act on petitions."), code="not_an_agent")
    if not (by.has_perm(ASSIGN) or (by.pk == agent.pk and _is_agent(by))):
        raise NotPermitted(_("You may not assign agents to this petition."), code="not_permitted")
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        links = list(locked.agent_links.all())
        if any(link.agent_id == agent.pk for link in links):
            raise Conflict(_("This agent already acts on the petition."), code="already_agent")
        if len(links) >= MAX_AGENTS:
            raise Conflict(
                _("A petition has at most %(count)d agents.") % {"count": MAX_AGENTS}, code="too_many_agents"
            )
        if not by.has_perm(ASSIGN) and links:
            raise NotPermitted(_("Only a supervisor adds a second agent."), code="not_permitted")
        link = PetitionAgent.objects.create(petition=locked, agent=agent, assigned_by=by)
        if locked.assignee_id is None:
            assign(locked, assignee=agent, actor=by, request=request)
        else:
            log_action(
                "petitions.petition.add_agent", actor=by, obj=locked, payload={"agent": agent.pk}, request=request
            )
    petition.refresh_from_db()
    return link


def remove_agent(petition, *, agent, by, request=None) -> None:
    if not by.has_perm(ASSIGN):
        raise NotPermitted(_("You may not assign agents to this petition."), code="not_permitted")
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        deleted, _rows = PetitionAgent.objects.filter(petition=locked, agent=agent).delete()
        if not deleted:
            return
        if locked.assignee_id == agent.pk:
            successor = locked.agent_links.select_related("agent").first()
            assign(locked, assignee=successor.agent if successor else None, actor=by, request=request)
        log_action(
            "petitions.petition.remove_agent", actor=by, obj=locked, payload={"agent": agent.pk}, request=request
        )
    petition.refresh_from_db()


def set_agents(petition, *, agents, by, request=None) -> None:
    """Make the petition's agents exactly ``agents`` (the admin form), within the limit."""
    agents = list(dict.fromkeys(agents))
    if len(agents) > MAX_AGENTS:
        raise Conflict(_("A petition has at most %(count)d agents.") % {"count": MAX_AGENTS}, code="too_many_agents")
    with transaction.atomic():
        current = {link.agent_id: link.agent for link in petition.agent_links.select_related("agent")}
        for agent_id, agent in current.items():
            if agent_id not in {a.pk for a in agents}:
                remove_agent(petition, agent=agent, by=by, request=request)
        for agent in agents:
            if agent.pk not in current:
                add_agent(petition, agent=agent, by=by, request=request)


# ---------------------------------------------------------------- petitioner's rating, work log, consultations


def rate_petition(petition, *, by, satisfaction: str, comment: str = "", request=None) -> Petition:
    """The petitioner rates the outcome once the petition is decided (once)."""
    if satisfaction not in Petition.Satisfaction.values:
        raise InvalidInput(_("Choose how satisfied you are."), code="satisfaction")
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        if locked.applicant_id != by.pk:
            raise NotPermitted(_("Only the petitioner rates the outcome."), code="not_permitted")
        if locked.satisfaction:
            raise Conflict(_("You have already rated this petition."), code="already_rated")
        if locked.status not in Petition.RATABLE:
            raise Conflict(_("You can rate the outcome once the petition is decided."), code="not_decided")
        locked.satisfaction = satisfaction
        locked.satisfaction_comment = (comment or "").strip()[:1000]
        locked.rated_on = timezone.localdate()
        locked.save(update_fields=["satisfaction", "satisfaction_comment", "rated_on", "updated_at"])
        log_action(
            "petitions.petition.rate", actor=by, obj=locked, payload={"satisfaction": satisfaction}, request=request
        )
    petition.refresh_from_db()
    return locked


def record_work(petition, *, by, kind: str, summary: str, happened_on=None) -> WorkLogEntry:
    if not by.has_perm(HANDLE):
        raise NotPermitted(code="not_permitted")
    if kind not in WorkLogEntry.Kind.values or not (summary or "").strip():
        raise InvalidInput(_("Give the kind of work and a summary."), code="work_log")
    with transaction.atomic():
        entry = WorkLogEntry.objects.create(
            petition=petition,
            kind=kind,
            summary=summary.strip(),
            happened_on=happened_on or timezone.localdate(),
            recorded_by=by,
        )
        log_action("petitions.worklog.add", actor=by, obj=petition, payload={"kind": kind})
    return entry


def record_consultation(
    *,
    by,
    kind: str,
    topic: str,
    answer_summary: str,
    unit_name: str = "",
    unit_type: str = "",
    person_count: int = 1,
    consulted_on=None,
) -> Consultation:
    """A legal consultation given by the station: a unit (name and type) or individuals (person-times)."""
    if not by.has_perm("petitions.add_consultation"):
        raise NotPermitted(code="not_permitted")
    topic, answer_summary = (topic or "").strip(), (answer_summary or "").strip()
    if not topic or not answer_summary:
        raise InvalidInput(_("Give the topic and a summary of the answer."), code="required")
    if kind == Consultation.Kind.UNIT:
        if not (unit_name or "").strip() or unit_type not in Consultation.UnitType.values:
            raise InvalidInput(_("A unit consultation needs the unit's name and type."), code="unit")
        person_count = 1
    elif kind == Consultation.Kind.INDIVIDUAL:
        unit_name, unit_type = "", ""
        if not person_count or person_count < 1:
            raise InvalidInput(_("Give the number of people (person-times)."), code="person_count")
    else:
        raise InvalidInput(_("Choose unit or individual consultation."), code="kind")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            kind=kind,
            unit_name=(unit_name or "").strip(),
            unit_type=unit_type,
            person_count=person_count,
            topic=topic,
            answer_summary=answer_summary,
            consulted_on=consulted_on or timezone.localdate(),
            recorded_by=by,
        )
        log_action("petitions.consultation.add", actor=by, obj=consultation, payload={"kind": kind})
    return consultation
