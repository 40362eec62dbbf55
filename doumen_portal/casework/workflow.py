"""Declaring a case workflow: states, the steps between them, who may take each, and their clocks.

A domain model declares its workflow once; ``casework.services.transition`` is the one way to move a
case along it. Sketch::

    class Petition(Case):
        class Status(models.TextChoices): ...
        workflow = Workflow([
            Step("accept", [Status.SUBMITTED], Status.ACCEPTED, by="petitions.register_petition",
                 label=_("Accept"), clock=Clock.start(60)),
            Step("extend", [Status.ACCEPTED], Status.ACCEPTED, by="petitions.approve_extension",
                 label=_("Extend"), clock=Clock.extend(30, once=True), note_required=True),
            Step("not_accept", [Status.SUBMITTED], Status.NOT_ACCEPTED, by="petitions.register_petition",
                 label=_("Do not accept"), form=NotAcceptForm, confirm=True,
                 sets={"legal_channel": data("legal_channel"), "registered_on": TODAY},
                 effects=(IssueLetter("registration"),)),
        ], opening_clock=Clock.start(15))

A step's extra data is a Django form (``form``): ``transition(case, action, actor=..., data={...})``
validates ``data`` with it (``InvalidInput`` with the form's errors by field, nothing saved) and the
step receives its ``cleaned_data``. ``sets`` names field values set on the locked case (constants, or
``TODAY``, ``DEADLINE``, ``ACTOR``, ``data(name)`` from ``casework.effects``); ``effects`` are callables
``effect(case, *, actor, data, note, today) -> list[str]`` run after them in the same transaction,
returning the fields they changed (saved with the status).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.utils.functional import Promise

APPLICANT = "applicant"  # ``by`` value: the person who filed the case
ASSIGNEE = "assignee"  # ``by`` value: the staff member the case is assigned to


@dataclass(frozen=True)
class Clock:
    """What a step does to the case's deadline, and in which unit it counts.

    A clock counts calendar days unless it says working days; ``unit_setting`` names a setting
    (``"calendar"`` or ``"working"``) that switches the unit where a local rule says so.
    """

    mode: str = "keep"  # keep | start | extend | pause | resume | stop
    days: int = 0
    working_days: bool = False
    once: bool = False
    unit_setting: str = ""

    @classmethod
    def start(cls, days: int, *, working_days: bool = False, unit_setting: str = "") -> "Clock":
        """A new deadline ``days`` after today."""
        return cls("start", days, working_days, unit_setting=unit_setting)

    @classmethod
    def extend(cls, days: int, *, working_days: bool = False, once: bool = True) -> "Clock":
        """Push the current deadline back by ``days``; by default only once per case."""
        return cls("extend", days, working_days, once)

    @classmethod
    def pause(cls) -> "Clock":
        """Stop the clock and remember the days left, in the running clock's unit (e.g. while the applicant
        supplies documents)."""
        return cls("pause")

    @classmethod
    def resume(cls) -> "Clock":
        """Restart a paused clock with the days that were left, counted in the same unit."""
        return cls("resume")

    @classmethod
    def stop(cls) -> "Clock":
        """No deadline any more (closed cases)."""
        return cls("stop")

    @property
    def unit(self) -> str:
        """``"calendar"`` or ``"working"`` (``casework.calendar.CALENDAR_DAYS`` / ``WORKING_DAYS``)."""
        if self.unit_setting:
            from django.conf import settings

            configured = getattr(settings, self.unit_setting, "")
            if configured:
                return configured
        return "working" if self.working_days else "calendar"


KEEP = Clock()

Permission = str | Callable[[object, object], bool]


@dataclass(frozen=True)
class Step:
    action: str
    sources: Iterable[str]
    target: str
    by: Permission | Iterable[Permission]
    label: Promise | str = ""
    clock: Clock = KEEP
    note_required: bool = False
    # The step may be taken only once per case (e.g. one re-check of a grading).
    once: bool = False
    # A field of the case that keeps this step's note (e.g. the decision's reasons shown to the applicant).
    note_field: str | None = None
    # Extra rule checked on the locked case: returns a translated refusal message, or None to allow.
    guard: Callable[[object], str | None] | None = None
    # A step the applicant may take but need not (withdrawing): it does not put the case in their hands.
    voluntary: bool = False
    # The extra data the step takes: a Django form class whose ``cleaned_data`` the step receives.
    form: type | None = None
    # Field values set on the locked case (constants or ``casework.effects`` values such as ``TODAY``).
    sets: Mapping = field(default_factory=dict)
    # Callables ``effect(case, *, actor, data, note, today) -> list[str]`` (fields changed), run after ``sets``.
    effects: tuple = ()
    # Irreversible: the portal asks the person to tick a box to confirm (``confirm_label`` says what it means).
    confirm: bool = False
    confirm_label: Promise | str = ""
    # How the portal asks for the note (e.g. "Your reasons"), and the look of the step's button
    # ("danger", "ok", "secondary" or "" for the default).
    note_label: Promise | str = ""
    tone: str = ""
    sources_set: frozenset = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "sources_set", frozenset(self.sources))
        object.__setattr__(self, "sets", MappingProxyType(dict(self.sets)))
        object.__setattr__(self, "effects", tuple(self.effects))

    def make_form(self, data=None, **kwargs):
        """The step's form (bound to ``data`` when given), or ``None`` for a step that takes no data."""
        return self.form(data, **kwargs) if self.form is not None else None

    @property
    def takes_note(self) -> bool:
        """Whether the step's forms ask for a note: required, kept in a field, or given a label to ask for it."""
        return self.note_required or bool(self.note_field) or bool(self.note_label)

    def permits(self, user, case) -> bool:
        return any(_rule_permits(rule, user, case) for rule in self.rules)

    @property
    def rules(self) -> list:
        return list(self.by) if isinstance(self.by, list | tuple) else [self.by]

    @property
    def is_applicants(self) -> bool:
        """Whether the applicant's side takes this step: the applicant, or a rule function (the portal's rule
        functions say who stands for the applicant, such as an organization's representatives)."""
        return any(rule == APPLICANT or callable(rule) for rule in self.rules)


def _rule_permits(rule: Permission, user, case) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if rule == APPLICANT:
        # A case filed on someone's behalf has no applicant until claimed: nobody acts as its applicant.
        return case.applicant_id is not None and case.applicant_id == user.pk
    if rule == ASSIGNEE:
        return case.assignee_id == user.pk
    if callable(rule):
        return bool(rule(user, case))
    return user.has_perm(rule) and _acts_in_unit(user, case)


def _acts_in_unit(user, case) -> bool:
    # A permission is held within the case's unit: a bank officer of one bank never acts on another's cases.
    from doumen_portal.units.selectors import acts_in_unit

    return acts_in_unit(user, case)


class Workflow:
    """The steps of one case model, looked up by action name."""

    def __init__(
        self, steps: Iterable[Step], *, assign_by: Permission | None = None, opening_clock: Clock | None = None
    ):
        self.steps = {step.action: step for step in steps}
        self.assign_by = assign_by
        # The clock ``casework.services.open_case`` starts when the case is filed (e.g. 15 days to register).
        self.opening_clock = opening_clock
        sources = {source for step in self.steps.values() for source in step.sources_set}
        targets = {step.target for step in self.steps.values()}
        # Statuses no step leaves: the case is over.
        self.finished_statuses = frozenset(targets - sources)
        # Statuses where the case waits for the applicant's side (to answer, resubmit, accept or appeal).
        self.applicant_statuses = frozenset(
            source
            for step in self.steps.values()
            if step.is_applicants and not step.voluntary
            for source in step.sources_set
        )

    def step(self, action: str) -> Step | None:
        return self.steps.get(action)

    def available(self, case, user) -> list[Step]:
        """Steps this user may take on the case in its current state (for buttons and API hints)."""
        return [s for s in self.steps.values() if case.status in s.sources_set and s.permits(user, case)]
