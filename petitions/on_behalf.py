"""Petitions the station's staff log for a walk-in or phone petitioner who has no account (writes).

The person is named by name, mobile number, resident ID number (petitions are real-name) and address; the
receipt with the tracking number goes to their mobile, where they follow the petition on the public progress
lookup. When they sign up with that number, confirm it with the SMS code and verify their real name with the
same ID number, the petition joins their "my affairs" (``casework.services.claim_cases``).
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doumen_portal.casework.services import file_on_behalf, open_case
from doumen_portal.exceptions import InvalidInput

from .models import Petition
from .services import facts_digest


def file_petition_on_behalf(
    *,
    actor,
    name: str,
    phone: str,
    id_number: str,
    address: str = "",
    subject: str,
    facts: str,
    request_text: str,
    respondent: str,
    town,
    village=None,
    involves_others: bool = False,
    people_count: int = 1,
    submission_token: uuid.UUID | None = None,
    request=None,
) -> Petition:
    """Log a petition for the person named, filed by ``actor`` (who needs ``petitions.file_on_behalf``);
    the registration clock starts and the receipt goes by SMS to the person's mobile.

    The petition's own fields are checked as on the citizen's form. ``submission_token`` makes a double
    submit return the petition the first one created. Raises ``NotPermitted`` or ``InvalidInput``; nothing
    is saved then.
    """
    subject, facts, request_text, respondent = (
        (value or "").strip() for value in (subject, facts, request_text, respondent)
    )
    petition = Petition(
        subject=subject,
        facts=facts,
        request=request_text,
        respondent=respondent,
        town=town,
        village=village,
        involves_others=involves_others,
        people_count=people_count if involves_others else 1,
        submission_token=submission_token,
    )
    # The person first (permission, name, mobile, ID number), then the petition as the citizen's form has it.
    file_on_behalf(petition, actor=actor, name=name, phone=phone, address=address, id_number=id_number)
    if not (subject and facts and request_text and respondent):
        raise InvalidInput(_("Subject, facts, request and the body concerned are all required."), code="required")
    if town is None:
        raise InvalidInput(_("Choose the town or subdistrict."), code="town_required")
    if village is not None and village.town_id != town.pk:
        raise InvalidInput(_("The village or community is not in the town chosen."), code="village_town")
    if involves_others and people_count < 2:
        raise InvalidInput(_("When others are involved, give the number of people (at least 2)."), code="people")

    digest = facts_digest(facts)
    with transaction.atomic():
        # One filing at a time per staff member: a double click waits here and then finds the first petition.
        get_user_model().objects.select_for_update().get(pk=actor.pk)
        if submission_token is not None:
            existing = Petition.objects.filter(filed_by=actor, submission_token=submission_token).first()
            if existing is not None:
                return existing
        # The repeat rule follows the person (their ID number), whether they filed online or at the desk.
        same_person = Q(filed_for_id_digest=petition.filed_for_id_digest) | Q(
            applicant__id_number_digest=petition.filed_for_id_digest
        )
        repeat_of = (
            Petition.objects.filter(same_person, facts_digest=digest, status=Petition.Status.FINAL)
            .order_by("-rereview_issued_on")
            .first()
        )
        petition = open_case(
            Petition,
            actor=actor,
            applicant=None,
            prepared=petition,
            values={"contact_phone": petition.filed_for_phone, "facts_digest": digest, "repeat_of": repeat_of},
            request=request,
        )
    return petition
