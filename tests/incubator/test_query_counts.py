"""Every incubator list (portal, API, admin) asks the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incubator import services
from tests.conftest import login_with_mfa

from .conftest import S, make_application, make_organization, slot

pytestmark = pytest.mark.django_db

# The counts measured with 3 and with 25 organizations (session, user and permission queries included).
LIMITS = {
    "directory": 3,
    "organization page": 3,
    "api organizations": 2,
    "api resources": 2,
    "index": 4,
    "mine": 8,
    "bookings": 8,
    "service record": 11,
    "application page": 10,
    "api applications (representative)": 7,
    "api bookings (representative)": 6,
    "my affairs": 7,  # one query per registered case model (grading added one)
    "api applications (staff)": 8,  # the staff member's unit memberships, read once for the step hints
    "api bookings (staff)": 6,
    "admin organization": 8,
    "admin incubationapplication": 7,
    "admin servicerecord": 9,
    "admin resourcebooking": 10,
    "admin service totals": 6,
}


def measure(client, representative, staff, room, rows: int) -> dict:
    for i in range(rows):
        organization = make_organization(representative, name=f"组织{i}", n=500 + i)
        application = make_application(organization, representative, staff, S.ACCEPTED if i < 3 else S.SUBMITTED)
        services.log_service(organization=organization, kind="staff_training", title="培训", hours=1, actor=staff)
        if i < 3:
            start, end = slot(days=i + 1)
            services.book_resource(
                resource=room,
                organization=organization,
                actor=representative,
                starts_at=start,
                ends_at=end,
                purpose="会议",
            )
    public = make_organization(None, name="公开组织", n=999)
    counts = {}

    def count(name, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)

    count("directory", reverse("incubator:directory"))
    count("organization page", public.get_absolute_url())
    count("api organizations", reverse("api:organization-list"))
    count("api resources", reverse("api:resource-list"))
    client.force_login(representative)
    count("index", reverse("incubator:index"))
    count("mine", reverse("incubator:mine"))
    count("bookings", reverse("incubator:bookings"))
    count("service record", reverse("incubator:service_record", args=[application.organization.pk]))
    count("application page", application.get_absolute_url())
    count("api applications (representative)", reverse("api:incubation-application-list"))
    count("api bookings (representative)", reverse("api:resource-booking-list"))
    count("my affairs", "/my-affairs/")
    login_with_mfa(client, staff)
    count("api applications (staff)", reverse("api:incubation-application-list"))
    count("api bookings (staff)", reverse("api:resource-booking-list"))
    for name in ["organization", "incubationapplication", "servicerecord", "resourcebooking"]:
        count(f"admin {name}", reverse(f"admin:incubator_{name}_changelist"))
    count("admin service totals", reverse("admin:incubator_servicerecord_totals"))
    return counts


@pytest.mark.parametrize("rows", [3, 25])
def test_list_query_counts_are_fixed(client, representative, staff, room, rows):
    counts = measure(client, representative, staff, room, rows)
    over = {name: (counts[name], limit) for name, limit in LIMITS.items() if counts[name] > limit}
    assert over == {}
