"""The annual statistics: the source article's year, by month, in a fixed number of queries."""

import pytest
from django.urls import reverse

from petitions.demo import seed_petitions
from petitions.selectors import petition_statistics
from tests.conftest import login_with_mfa

pytestmark = pytest.mark.django_db

ARTICLE = {
    "cases_accepted": 8,
    "opinion_letters_issued": 3,
    "unit_consultations": 12,
    "individual_consultations": 27,
}


@pytest.fixture
def seeded(citizen, agent, supervisor):
    seed_petitions(citizen=citizen, agent=agent, supervisor=supervisor)


def test_the_seeded_year_shows_exactly_the_articles_figures(seeded, django_assert_num_queries):
    with django_assert_num_queries(12):
        stats = petition_statistics(2025)

    assert {name: stats[name] for name in ARTICLE} == ARTICLE
    assert stats["petitions_received"] == 10
    assert stats["not_accepted"] == 1 and stats["forwarded"] == 1
    assert stats["closed_on_time_rate"] == 1.0
    assert stats["satisfaction"] == 1.0
    assert stats["review_requests"] == 0 and stats["rereview_requests"] == 0
    months = stats["by_month"]
    assert len(months) == 12
    for name in ARTICLE:
        assert sum(month[name] for month in months) == ARTICLE[name]


def test_seeding_twice_changes_nothing(seeded, citizen, agent, supervisor):
    from petitions.models import Consultation, Petition

    before = (Petition.objects.count(), Consultation.objects.count())
    seed_petitions(citizen=citizen, agent=agent, supervisor=supervisor)
    assert (Petition.objects.count(), Consultation.objects.count()) == before
    assert {name: petition_statistics(2025)[name] for name in ARTICLE} == ARTICLE


def test_the_seed_gives_the_demo_citizen_current_petitions_in_several_states(seeded, citizen):
    from django.utils import timezone

    from petitions.models import Petition

    current = Petition.objects.filter(applicant=citizen, created_at__year=timezone.localdate().year)
    assert {"submitted", "accepted", "not_accepted", "answered"} <= set(current.values_list("status", flat=True))


def test_this_years_statistics_count_what_happens(seeded):
    from django.utils import timezone

    stats = petition_statistics(timezone.localdate().year)
    assert stats["petitions_received"] == 4
    assert stats["cases_accepted"] == 2 and stats["not_accepted"] == 1
    assert stats["opinion_letters_issued"] == 1


def test_the_api_returns_the_same_figures(client, seeded, supervisor):
    login_with_mfa(client, supervisor)
    body = client.get(reverse("api:petition-statistics"), {"year": 2025}).json()
    assert {name: body[name] for name in ARTICLE} == ARTICLE
    assert {"petitions_received", "not_accepted", "forwarded", "closed_on_time_rate", "review_requests"} <= set(body)
    assert {"rereview_requests", "satisfaction"} <= set(body) and len(body["by_month"]) == 12


def test_the_seed_demo_command_loads_the_year(django_user_model):
    from django.core.management import call_command

    call_command("seed_demo", allow_without_debug=True, stdout=__import__("io").StringIO())
    call_command("seed_demo", allow_without_debug=True, stdout=__import__("io").StringIO())
    assert {name: petition_statistics(2025)[name] for name in ARTICLE} == ARTICLE
