"""Writes on petitions: filing, agents, the effects of each step, ratings, work log and consultations.

Every status change goes through ``doumen_portal.casework.services.transition``; the functions here add
what is specific to petitions (tracking numbers, the repeat rule, letters, the agents' limit).
"""

import hashlib
import re
import uuid

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.audit.services import log_action
from doumen_portal.casework.references import normalize_reference
from doumen_portal.casework.services import assign, open_case, rate_case
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from .models import (
    ASSIGN,
    HANDLE,
    MAX_AGENTS,
    AgencyAuthorization,
    Consultation,
    Petition,
    PetitionAgent,
    WorkLogEntry,
)

# Tracking numbers are issued and read by the one reference generator of all case types.
normalize_tracking_number = normalize_reference


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
            petition = open_case(
                Petition,
                actor=user,
                applicant=user,
                values={
                    "subject": subject,
                    "facts": facts,
                    "request": request_text,
                    "respondent": respondent,
                    "town": town,
                    "village": village,
                    "involves_others": involves_others,
                    "people_count": people_count,
                    "contact_phone": user.phone or "",
                    "facts_digest": digest,
                    "repeat_of": Petition.objects.filter(
                        applicant=user, facts_digest=digest, status=Petition.Status.FINAL
                    )
                    .order_by("-rereview_issued_on")
                    .first(),
                    "submission_token": submission_token,
                },
                request=request,
            )
            if authorize_agency:
                AgencyAuthorization.objects.create(petition=petition, scope=authorization_scope)
            from doumen_portal.documents.services import attach_upload, store_upload

            for pending in pending_attachments:
                attach_upload(pending, owner=petition, actor=user)
            for uploaded in attachments:
                store_upload(uploaded_file=uploaded, uploaded_by=user, owner=petition)
    except IntegrityError:
        # Only possible when two submits with one token race past the lock on a database without it.
        existing = Petition.objects.filter(applicant=user, submission_token=submission_token).first()
        if existing is None:
            raise
        return existing
    return petition


# ---------------------------------------------------------------- steps


# The letter each step issues is declared on the step (``steps.IssueLetter``): doc_type and template.
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


def _is_agent(user, petition) -> bool:
    """An active member of the petition's unit holding the agents' permission (not necessarily staff)."""
    from doumen_portal.units.selectors import may_handle

    return may_handle(user, petition, HANDLE)


def _may_assign_agents(user, petition) -> bool:
    from doumen_portal.units.selectors import acts_in_unit

    return bool(user and user.is_active and user.has_perm(ASSIGN) and acts_in_unit(user, petition))


def add_agent(petition, *, agent, actor, request=None) -> PetitionAgent:
    """Put ``agent`` on the petition (at most two agents). A supervisor of the petition's unit assigns any of
    its agents; an agent may take an unassigned petition of their unit for themselves. The first agent
    becomes the case's assignee."""
    if not _is_agent(agent, petition):
        raise InvalidInput(_("Only the petition agents of the petition's unit can act on it."), code="not_an_agent")
    if not (_may_assign_agents(actor, petition) or (actor.pk == agent.pk and _is_agent(actor, petition))):
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
        if not _may_assign_agents(actor, locked) and links:
            raise NotPermitted(_("Only a supervisor adds a second agent."), code="not_permitted")
        link = PetitionAgent.objects.create(petition=locked, agent=agent, assigned_by=actor)
        if locked.assignee_id is None:
            assign(locked, assignee=agent, actor=actor, request=request)
        else:
            log_action(
                "petitions.petition.add_agent", actor=actor, obj=locked, payload={"agent": agent.pk}, request=request
            )
    petition.refresh_from_db()
    return link


def remove_agent(petition, *, agent, actor, request=None) -> None:
    if not _may_assign_agents(actor, petition):
        raise NotPermitted(_("You may not assign agents to this petition."), code="not_permitted")
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        deleted, _rows = PetitionAgent.objects.filter(petition=locked, agent=agent).delete()
        if not deleted:
            return
        if locked.assignee_id == agent.pk:
            successor = locked.agent_links.select_related("agent").first()
            assign(locked, assignee=successor.agent if successor else None, actor=actor, request=request)
        log_action(
            "petitions.petition.remove_agent", actor=actor, obj=locked, payload={"agent": agent.pk}, request=request
        )
    petition.refresh_from_db()


def set_agents(petition, *, agents, actor, request=None) -> None:
    """Make the petition's agents exactly ``agents`` (the admin form), within the limit."""
    agents = list(dict.fromkeys(agents))
    if len(agents) > MAX_AGENTS:
        raise Conflict(_("A petition has at most %(count)d agents.") % {"count": MAX_AGENTS}, code="too_many_agents")
    with transaction.atomic():
        current = {link.agent_id: link.agent for link in petition.agent_links.select_related("agent")}
        for agent_id, agent in current.items():
            if agent_id not in {a.pk for a in agents}:
                remove_agent(petition, agent=agent, actor=actor, request=request)
        for agent in agents:
            if agent.pk not in current:
                add_agent(petition, agent=agent, actor=actor, request=request)


# ---------------------------------------------------------------- petitioner's rating, work log, consultations


def rate_petition(petition, *, actor, satisfaction: str, comment: str = "", request=None) -> Petition:
    """The petitioner rates the outcome once the petition is decided (once): ``casework.services.rate_case``."""
    return rate_case(petition, actor=actor, satisfaction=satisfaction, comment=comment, request=request)


def record_work(petition, *, actor, kind: str, summary: str, happened_on=None) -> WorkLogEntry:
    if not actor.has_perm(HANDLE):
        raise NotPermitted(code="not_permitted")
    if kind not in WorkLogEntry.Kind.values or not (summary or "").strip():
        raise InvalidInput(_("Give the kind of work and a summary."), code="work_log")
    with transaction.atomic():
        entry = WorkLogEntry.objects.create(
            petition=petition,
            kind=kind,
            summary=summary.strip(),
            happened_on=happened_on or timezone.localdate(),
            recorded_by=actor,
        )
        log_action("petitions.worklog.add", actor=actor, obj=petition, payload={"kind": kind})
    return entry


def record_consultation(
    *,
    actor,
    kind: str,
    topic: str,
    answer_summary: str,
    unit_name: str = "",
    unit_type: str = "",
    person_count: int = 1,
    consulted_on=None,
) -> Consultation:
    """A legal consultation given by the station: a unit (name and type) or individuals (person-times)."""
    if not actor.has_perm("petitions.add_consultation"):
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
            recorded_by=actor,
        )
        log_action("petitions.consultation.add", actor=actor, obj=consultation, payload={"kind": kind})
    return consultation
