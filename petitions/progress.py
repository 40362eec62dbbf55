"""What a petition's status means to the petitioner, and what comes next: the step bar of the receipt, the case
page and the public lookup."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Petition

S = Petition.Status

STAGES = (_("Filed"), _("Registered"), _("Being handled"), _("Opinion issued"), _("Finished"))

# status: (index of the current stage, what it means, what comes next)
MEANINGS = {
    S.SUBMITTED: (
        0,
        _("The station has your petition and decides within 15 working days whether to register it."),
        _("You will be told the decision in writing, by SMS and in your inbox."),
    ),
    S.ACCEPTED: (
        2,
        _("The petition was registered and an agent is handling it, within 60 days of registration."),
        _("The station issues a handling opinion letter; the period may be extended once by at most 30 days."),
    ),
    S.NOT_ACCEPTED: (
        4,
        _("The petition was not accepted. The written notice gives the reason and the legal channel to use."),
        _("Follow the channel the notice names, such as a court, arbitration or administrative reconsideration."),
    ),
    S.FORWARDED: (
        4,
        _("The petition was forwarded to the body competent for it."),
        _("That body contacts you and handles the matter under its own procedure."),
    ),
    S.ANSWERED: (
        3,
        _("The handling opinion letter has been issued."),
        _("Within 30 days of receiving it you may ask for a review, or accept the outcome and close the case."),
    ),
    S.REVIEWING: (3, _("Your request for a review is being examined."), _("A review opinion within 30 days.")),
    S.REVIEWED: (
        3,
        _("The review opinion has been issued."),
        _("Within 30 days you may ask for a re-review, or accept the outcome and close the case."),
    ),
    S.REREVIEWING: (3, _("Your request for a re-review is being examined."), _("A re-review opinion within 30 days.")),
    S.HEARING: (
        3,
        _("A hearing is being held for the re-review; its time does not count toward the deadline."),
        _("The re-review opinion follows the hearing."),
    ),
    S.FINAL: (
        4,
        _("The re-review opinion is final."),
        _("A new petition with the same facts and reasons is not accepted again."),
    ),
    S.CLOSED: (4, _("The case is closed."), _("You may rate how satisfied you are with the outcome.")),
    S.WITHDRAWN: (4, _("You withdrew the petition."), _("Nothing more happens; you may file again if needed.")),
}


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Progress:
    stages: list[Stage]
    meaning: str
    next_step: str


def progress_of(petition: Petition) -> Progress:
    current, meaning, next_step = MEANINGS[petition.status]
    finished = current == len(STAGES) - 1
    stages = [
        Stage(
            label=label,
            state="done"
            if index < current or (finished and index == current)
            else "current"
            if index == current
            else "todo",
        )
        for index, label in enumerate(STAGES)
    ]
    return Progress(stages=stages, meaning=meaning, next_step=next_step)
