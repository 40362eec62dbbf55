"""The start-up check of every case workflow, tried on a deliberately broken workflow (no database)."""

from django import forms
from django.db import models
from django.test.utils import isolate_apps

from doumen_portal.casework.checks import check_workflow, check_workflows
from doumen_portal.casework.effects import TODAY, data
from doumen_portal.casework.models import Case
from doumen_portal.casework.workflow import APPLICANT, Step, Workflow


class ReasonForm(forms.Form):
    reason = forms.CharField()


def good_steps(Status):
    return [
        Step("start", [Status.NEW], Status.OPEN, by="casework.confirm_holidayyear", label="Start"),
        Step(
            "close",
            [Status.OPEN],
            Status.DONE,
            by=APPLICANT,
            label="Close",
            form=ReasonForm,
            note_field="decision",
            sets={"closed_on": TODAY, "decision": data("reason")},
        ),
    ]


@isolate_apps("doumen_portal.casework")
def make_model():
    class Errand(Case):
        class Status(models.TextChoices):
            NEW = "new", "New"
            OPEN = "open", "Open"
            DONE = "done", "Done"

        status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
        decision = models.TextField(blank=True)
        closed_on = models.DateField(null=True)

        class Meta:
            app_label = "casework"

    return Errand


Errand = make_model()
S = Errand.Status


def ids(errors) -> list[str]:
    return sorted(error.id for error in errors)


def test_a_sound_workflow_passes():
    assert check_workflow(Errand, Workflow(good_steps(S))) == []


def test_every_installed_workflow_passes():
    assert check_workflows() == []


def test_a_status_that_does_not_exist_is_an_error():
    broken = Workflow([*good_steps(S), Step("reopen", ["archived"], S.OPEN, by=APPLICANT, label="Reopen")])
    assert ids(check_workflow(Errand, broken)) == ["casework.E010"]


def test_a_permission_nobody_declares_is_an_error():
    broken = Workflow(good_steps(S), assign_by="casework.assign_errand")
    assert ids(check_workflow(Errand, broken)) == ["casework.E011"]


def test_note_fields_and_set_fields_must_exist():
    broken = Workflow(
        [
            good_steps(S)[0],
            Step("close", [S.OPEN], S.DONE, by=APPLICANT, label="Close", note_field="reasons", sets={"ended": TODAY}),
        ]
    )
    assert ids(check_workflow(Errand, broken)) == ["casework.E012", "casework.E013"]


def test_an_unreachable_status_is_an_error():
    broken = Workflow(good_steps(S)[:1])
    errors = check_workflow(Errand, broken)
    assert ids(errors) == ["casework.E014"] and "'done'" in errors[0].msg


def test_a_step_without_a_label_is_an_error():
    broken = Workflow([Step("start", [S.NEW], S.OPEN, by=APPLICANT), good_steps(S)[1]])
    assert ids(check_workflow(Errand, broken)) == ["casework.E015"]


def test_a_form_must_be_a_form_class_with_the_fields_the_step_reads():
    not_a_class = Workflow([good_steps(S)[0], Step("close", [S.OPEN], S.DONE, by=APPLICANT, label="x", form=dict)])
    missing_field = Workflow(
        [
            good_steps(S)[0],
            Step("close", [S.OPEN], S.DONE, by=APPLICANT, label="x", form=ReasonForm, sets={"decision": data("why")}),
        ]
    )
    assert ids(check_workflow(Errand, not_a_class)) == ["casework.E016"]
    assert ids(check_workflow(Errand, missing_field)) == ["casework.E017"]
