"""The daily deadline reminders include petitions and reach their agents and the supervisors."""

import datetime

import pytest

from doumen_portal.casework.services import send_deadline_reminders, transition
from doumen_portal.notifications.models import Notification
from petitions.services import add_agent

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 10)


def test_an_overdue_petition_reminds_its_agents_and_the_supervisor_once(
    petition, agent, other_agent, supervisor, third_agent, citizen
):
    add_agent(petition, agent=agent, actor=supervisor)
    add_agent(petition, agent=other_agent, actor=supervisor)
    transition(petition, "accept", actor=agent)
    petition.__class__.objects.filter(pk=petition.pk).update(due_date=TODAY - datetime.timedelta(days=1))

    assert send_deadline_reminders(today=TODAY) == 3
    assert send_deadline_reminders(today=TODAY) == 0

    told = {n.recipient for n in Notification.objects.filter(kind="case_deadline")}
    assert told == {agent, other_agent, supervisor}
    assert third_agent not in told and citizen not in told


def test_a_petition_due_within_three_days_is_reminded_and_a_closed_one_is_not(
    petition, supervisor, file_petition, citizen
):
    petition.__class__.objects.filter(pk=petition.pk).update(due_date=TODAY + datetime.timedelta(days=3))
    closed = file_petition(citizen, facts="另一件事")
    transition(closed, "withdraw", actor=citizen)

    assert send_deadline_reminders(today=TODAY) == 1  # the supervisor; no agent yet
    reminded = Notification.objects.get(kind="case_deadline")
    assert petition.tracking_number in reminded.subject


def test_the_daily_beat_task_includes_petitions(petition, supervisor):
    from doumen_portal.casework.tasks import remind_due_cases

    petition.__class__.objects.filter(pk=petition.pk).update(due_date=datetime.date(2020, 1, 1))

    assert remind_due_cases() >= 1
    assert Notification.objects.filter(kind="case_deadline", recipient=supervisor).exists()
