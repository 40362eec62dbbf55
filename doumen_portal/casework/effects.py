"""Reusable pieces of a step's declared side effects.

A step's ``sets`` maps case fields to values; besides constants a value may be one of these, resolved on
the locked case when the step is taken::

    Step("accept", ..., sets={"registered_on": TODAY, "handling_due_date": DEADLINE})
    Step("extend", ..., sets={"extension_approved_by": ACTOR})
    Step("not_accept", ..., form=NotAcceptForm, sets={"legal_channel": data("legal_channel")})

An effect is any callable ``effect(case, *, actor, data, note, today) -> list[str]`` returning the fields
of the case it changed (``transition`` saves them with the status). An effect that names the fields it may
change in a ``fields`` attribute lets the system check verify they exist on the model.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StepValue:
    """A value of ``Step.sets`` known only when the step is taken."""

    kind: str  # today | deadline | actor | data
    name: str = ""

    def resolve(self, case, *, actor, data: dict, today):
        if self.kind == "today":
            return today
        if self.kind == "deadline":
            return case.due_date
        if self.kind == "actor":
            return actor if getattr(actor, "is_authenticated", False) else None
        return data.get(self.name)


TODAY = StepValue("today")  # the day the step is taken
DEADLINE = StepValue("deadline")  # the case's deadline after the step's clock
ACTOR = StepValue("actor")  # the person taking the step


def data(name: str) -> StepValue:
    """The cleaned value of the step form's field ``name``."""
    return StepValue("data", name)


def apply_sets(case, sets, *, actor, data: dict, today) -> list[str]:
    """Set each of a step's declared field values on the case; return the fields set."""
    for name, value in sets.items():
        if isinstance(value, StepValue):
            value = value.resolve(case, actor=actor, data=data, today=today)
        setattr(case, name, value)
    return list(sets)
