"""The casework engine on its sample workflow, the identity correction request."""

import threading

import pytest
from django.db import connection

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.audit.models import AuditEntry
from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.selectors import history_of
from doumen_portal.casework.services import InvalidTransition, assign, transition
from doumen_portal.exceptions import InvalidInput, NotPermitted
from tests.conftest import require
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

S = IdentityCorrectionRequest.Status

# (action, state it is taken from, who takes it, state it leads to)
ALLOWED = [
    ("request_info", S.SUBMITTED, "reviewer", S.MORE_INFO),
    ("resubmit", S.MORE_INFO, "citizen", S.SUBMITTED),
    ("approve", S.SUBMITTED, "reviewer", S.APPROVED),
    ("reject", S.SUBMITTED, "reviewer", S.REJECTED),
    ("withdraw", S.SUBMITTED, "citizen", S.WITHDRAWN),
    ("withdraw", S.MORE_INFO, "citizen", S.WITHDRAWN),
]


def put_in(correction, status):
    """Bring a fresh case into ``status`` through the workflow itself."""
    reviewer = StaffFactory(roles=["系统管理员"])
    if status == S.MORE_INFO:
        transition(correction, "request_info", actor=reviewer, note="请补充户口簿")
    elif status in (S.APPROVED, S.REJECTED):
        transition(correction, "approve" if status == S.APPROVED else "reject", actor=reviewer, note="审核意见")
    elif status == S.WITHDRAWN:
        transition(correction, "withdraw", actor=correction.applicant)
    assert correction.status == status


def snapshot(correction):
    correction.refresh_from_db()
    return (
        correction.status,
        correction.due_date,
        CaseHistory.objects.count(),
        AuditEntry.objects.count(),
        correction.applicant.real_name,
    )


@pytest.mark.parametrize(("action", "source", "who", "target"), ALLOWED)
def test_every_allowed_transition(request, correction, action, source, who, target):
    put_in(correction, source)
    actor = request.getfixturevalue(who)
    before = CaseHistory.objects.count()

    transition(correction, action, actor=actor, note="说明")

    assert correction.status == target
    last = history_of(correction).last()
    assert (last.action, last.from_status, last.to_status, last.actor, last.note) == (
        action,
        source,
        target,
        actor,
        "说明",
    )
    assert CaseHistory.objects.count() == before + 1
    assert AuditEntry.objects.filter(action=f"accounts.identitycorrectionrequest.{action}").exists()


REFUSED_STATES = [
    (action, state)
    for action, source, _who, _target in ALLOWED
    for state in S.values
    if state not in {src for act, src, _w, _t in ALLOWED if act == action}
]


@pytest.mark.parametrize(("action", "state"), REFUSED_STATES)
def test_every_step_is_refused_in_a_wrong_state_and_changes_nothing(request, correction, action, state):
    put_in(correction, state)
    actor = request.getfixturevalue({a: w for a, _s, w, _t in ALLOWED}[action])
    before = snapshot(correction)

    with pytest.raises(InvalidTransition) as caught:
        transition(correction, action, actor=actor, note="说明")

    assert caught.value.status_code == 409
    assert snapshot(correction) == before


@pytest.mark.parametrize(
    ("action", "who"),
    [
        ("approve", "citizen"),  # the applicant cannot decide their own case
        ("reject", "outsider"),
        ("request_info", "citizen"),
        ("withdraw", "reviewer"),  # staff cannot withdraw on the citizen's behalf
        ("withdraw", "outsider"),  # nor can another citizen
    ],
)
def test_every_step_is_refused_to_the_wrong_person_and_changes_nothing(request, correction, action, who):
    before = snapshot(correction)

    with pytest.raises(NotPermitted):
        transition(correction, action, actor=request.getfixturevalue(who), note="说明")

    assert snapshot(correction) == before


def test_a_step_needing_a_reason_is_refused_without_one(correction, reviewer):
    before = snapshot(correction)

    with pytest.raises(InvalidInput):
        transition(correction, "reject", actor=reviewer, note="   ")

    assert snapshot(correction) == before


def test_an_unknown_action_is_refused(correction, reviewer):
    with pytest.raises(InvalidTransition):
        transition(correction, "teleport", actor=reviewer)


def test_refusal_message_names_the_step_and_the_state_in_chinese(correction, reviewer):
    transition(correction, "approve", actor=reviewer)

    with pytest.raises(InvalidTransition) as caught:
        transition(correction, "reject", actor=reviewer, note="迟到的驳回")

    assert "驳回" in str(caught.value.message) and "已通过" in str(caught.value.message)


def test_approval_applies_the_correction_to_the_account(correction, reviewer, citizen):
    transition(correction, "approve", actor=reviewer)

    citizen.refresh_from_db()
    assert citizen.real_name == "李明华"
    assert citizen.id_number_masked == "110105********002X"
    assert citizen.reveal_resident_id() == "11010519491231002X"


def test_creation_is_the_first_history_row(correction, citizen):
    first = history_of(correction).first()
    assert (first.action, first.from_status, first.to_status, first.actor) == ("submit", "", S.SUBMITTED, citizen)


def test_assignment_to_a_staff_member_is_recorded(correction, reviewer):
    clerk = StaffFactory(roles=["系统管理员"])

    assign(correction, assignee=clerk, actor=reviewer)

    assert correction.assignee == clerk
    assert history_of(correction).last().action == "assign"


def test_assignment_refused_to_citizens_and_to_non_staff(correction, citizen, reviewer, outsider):
    with pytest.raises(NotPermitted):
        assign(correction, assignee=reviewer, actor=citizen)
    with pytest.raises(InvalidInput):
        assign(correction, assignee=outsider, actor=reviewer)
    correction.refresh_from_db()
    assert correction.assignee is None


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_decisions_leave_exactly_one_applied(correction, reviewer):
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")
    second_reviewer = StaffFactory(roles=["系统管理员"])
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(action, actor):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            transition(IdentityCorrectionRequest.objects.get(pk=correction.pk), action, actor=actor, note="并发")
            outcomes.append(action)
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=decide, args=("approve", reviewer)),
        threading.Thread(target=decide, args=("reject", second_reviewer)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) in (["approve", "refused"], ["refused", "reject"])
    correction.refresh_from_db()
    assert correction.status == (S.APPROVED if "approve" in outcomes else S.REJECTED)
    decisions = history_of(correction).exclude(action="submit")
    assert decisions.count() == 1
