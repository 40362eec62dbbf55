"""Races that row locks must settle: two staff accepting at once, a double click, the agents' limit."""

import threading
import uuid

import pytest
from django.db import connection

from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.services import InvalidTransition, transition
from doumen_portal.documents.models import Document
from doumen_portal.exceptions import Conflict
from petitions.models import Petition, PetitionAgent
from petitions.services import add_agent
from tests.conftest import require

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Start the calls at the same moment in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_staff_accepting_the_same_petition_at_once_accept_it_once(petition, supervisor, agent):
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")

    outcomes = run_together(
        lambda: transition(Petition.objects.get(pk=petition.pk), "accept", actor=supervisor, note="受理"),
        lambda: transition(Petition.objects.get(pk=petition.pk), "accept", actor=agent, note="受理"),
    )

    assert sum(isinstance(o, Petition) for o in outcomes) == 1
    assert sum(isinstance(o, InvalidTransition) for o in outcomes) == 1
    assert CaseHistory.objects.filter(action="accept").count() == 1
    assert Document.objects.count() == 1


def test_a_double_click_files_one_petition(citizen, file_petition):
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")
    token = uuid.uuid4()

    outcomes = run_together(
        lambda: file_petition(citizen, submission_token=token), lambda: file_petition(citizen, submission_token=token)
    )

    assert all(isinstance(o, Petition) for o in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk
    assert Petition.objects.count() == 1


def test_concurrent_filings_get_distinct_sequence_numbers(citizen, other_citizen, file_petition):
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")

    outcomes = run_together(lambda: file_petition(citizen), lambda: file_petition(other_citizen))

    numbers = sorted(o.tracking_number.split("-")[1] for o in outcomes)
    assert numbers == ["000001", "000002"]


def test_three_agents_added_at_once_leave_two(petition, supervisor, agent, other_agent, third_agent):
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")

    outcomes = run_together(
        *[
            lambda a=a: add_agent(Petition.objects.get(pk=petition.pk), agent=a, actor=supervisor)
            for a in (agent, other_agent, third_agent)
        ]
    )

    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    assert PetitionAgent.objects.filter(petition=petition).count() == 2


def test_concurrent_filings_of_different_case_types_number_each_type_without_gaps(
    citizen, other_citizen, file_petition
):
    require(connection.vendor == "postgresql", "PostgreSQL (row locks)")
    from doumen_portal.casework.references import next_reference

    outcomes = run_together(
        lambda: file_petition(citizen),
        lambda: next_reference("FH"),
        lambda: file_petition(other_citizen),
    )

    petitions = sorted(o.tracking_number.split("-")[1] for o in outcomes if isinstance(o, Petition))
    assert petitions == ["000001", "000002"]
    assert outcomes[1].split("-")[1] == "000001"
