import datetime

import pytest

from doumen_portal.casework.services import assign, send_deadline_reminders, transition
from doumen_portal.notifications.models import Notification
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 10)


def set_due(case, due):
    case.due_date = due
    case.save(update_fields=["due_date"])


def test_overdue_case_reminds_the_assignee_and_the_supervisors_once_a_day(correction, reviewer):
    clerk = StaffFactory(roles=["系统管理员"])
    assign(correction, assignee=clerk, actor=reviewer)
    set_due(correction, TODAY - datetime.timedelta(days=1))

    assert send_deadline_reminders(today=TODAY) == 2
    assert send_deadline_reminders(today=TODAY) == 0  # the task ran twice: nobody is told twice

    reminders = Notification.objects.filter(kind="case_deadline")
    assert {n.recipient for n in reminders} == {clerk, reviewer}
    assert all(correction.reference in n.subject for n in reminders)
    assert "超期" in reminders.first().subject


def test_due_soon_and_not_due_cases(correction, reviewer):
    set_due(correction, TODAY + datetime.timedelta(days=3))
    assert send_deadline_reminders(today=TODAY) == 1  # the supervisor; nobody is assigned yet

    set_due(correction, TODAY + datetime.timedelta(days=4))
    assert send_deadline_reminders(today=TODAY + datetime.timedelta(days=-5)) == 0


def test_a_closed_case_is_never_reminded(correction, reviewer):
    transition(correction, "approve", actor=reviewer)

    assert send_deadline_reminders(today=TODAY + datetime.timedelta(days=365)) == 0


def test_citizens_are_not_supervisors(correction, citizen):
    set_due(correction, TODAY)
    send_deadline_reminders(today=TODAY)
    assert not Notification.objects.filter(kind="case_deadline", recipient=citizen).exists()


def test_a_supervisor_of_another_unit_is_not_reminded(correction, reviewer):
    from tests.factories import make_unit

    other_office = make_unit("other-office", name="另一区社会治理办公室", kind="department")
    stranger = StaffFactory(roles=["系统管理员"], memberships=[(other_office, "supervisor")])
    set_due(correction, TODAY)

    send_deadline_reminders(today=TODAY)

    reminded = set(Notification.objects.filter(kind="case_deadline").values_list("recipient", flat=True))
    assert reminded == {reviewer.pk}
    assert stranger.pk not in reminded
