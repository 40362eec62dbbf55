"""The unit-scoped lists keep a fixed number of queries whatever the number of cases."""

import pytest
from django.urls import reverse

from doumen_portal.pagination import LatestFirstCursorPagination
from tests.conftest import login_with_mfa

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [2, 20])
def test_the_scoped_lists_do_not_grow_with_the_cases(
    client, citizen, file_petition, worker_a, petition_b, count, django_assert_max_num_queries
):
    for n in range(count):
        file_petition(citizen, subject=f"信访{n}", facts=f"事实{n}：路灯长期不亮。")
    login_with_mfa(client, worker_a)
    client.get(reverse("admin:petitions_petition_changelist"))  # warm the session and permission caches

    with django_assert_max_num_queries(12):
        listing = client.get(reverse("admin:petitions_petition_changelist"))
    with django_assert_max_num_queries(10):
        api = client.get(reverse("api:petition-list"))

    assert listing.context["cl"].result_count == count
    listed = [row["tracking_number"] for row in api.json()["results"]]
    assert len(listed) == min(count, LatestFirstCursorPagination.page_size)
    assert petition_b.tracking_number not in listed
