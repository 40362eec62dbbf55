"""The main lists' queries use indexes on tables of realistic size: no sequential scan of a large table, no
sort of all its rows.

A few hundred thousand rows are inserted set-based (INSERT ... SELECT generate_series) inside the test's
transaction, ANALYZEd, and the querysets the portal, the API and the admin really run are EXPLAINed. A new
list, filter or ordering without a matching index fails here before it times out in production.
PostgreSQL only (the plans are PostgreSQL's).
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory

from doumen_portal.audit.models import AuditEntry
from doumen_portal.casework.registry import affairs_queryset
from doumen_portal.notifications.models import Notification
from doumen_portal.notifications.selectors import notifications_for
from doumen_portal.pagination import LatestFirstCursorPagination, NameCursorPagination
from doumen_portal.places.models import Town
from doumen_portal.units.defaults import PETITION_STATION, default_unit
from incubator import selectors as incubator_selectors
from incubator.models import Organization
from petitions.models import Petition
from petitions.selectors import petitions_of, petitions_visible_to, search_petitions
from tests.factories import StaffFactory, UserFactory, make_unit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]

PETITIONS = 100_000
ORGANIZATIONS = 20_000
NOTIFICATIONS = 100_000
AUDIT_ENTRIES = 100_000
LARGE = {"petitions_petition", "incubator_organization", "notifications_notification", "audit_auditentry"}
SORT_LIMIT = 5_000  # a sort of more rows than this is a sort of the table, not of one person's rows


def fill(people: list, town: Town, units: list) -> None:
    first, count = people[0].pk, len(people)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO petitions_petition (created_at, updated_at, status, tracking_number, subject, facts,
                request, respondent, involves_others, people_count, contact_phone, facts_digest, registration,
                registration_note, legal_channel, forwarded_to, extension_reason, opinion, review_opinion,
                rereview_opinion, satisfaction, satisfaction_comment, due_date, due_date_provisional, applicant_id,
                assignee_id, town_id, unit_id)
            SELECT now() - i * interval '5 minutes', now() - i * interval '4 minutes',
                (ARRAY['submitted','accepted','answered','closed','closed','closed'])[1 + i % 6],
                'XF' || (2026 - i / 100000) || '-' || lpad((i % 100000)::text, 6, '0') || '-AB',
                (ARRAY['征地补偿款未按时发放','拖欠农民工工资','道路施工噪音扰民','低保资格认定有异议'])[1 + i % 4],
                '事实', '请求', (ARRAY['斗门区民政局','井岸镇人民政府'])[1 + i % 2], false, 1, '+8613800000000',
                md5(i::text), '', '', '', '', '', '', '', '', '', '',
                current_date + (i % 60), false, {first} + i % {count}, NULL, {town.pk},
                CASE WHEN i % 10 = 0 THEN {units[1].pk} ELSE {units[0].pk} END
            FROM generate_series(1, {PETITIONS}) AS i
            """
        )
        cursor.execute(
            f"""
            INSERT INTO incubator_organization (name, org_type, credit_code, legal_representative,
                full_time_staff, address, contact_person, contact_phone, purpose, status, grade, created_at,
                updated_at, town_id)
            SELECT (ARRAY['青年志愿服务','长者关爱','社区调解','龙舟文化'])[1 + i % 4] || '协会' || i,
                'charity', NULL, '', 0, '', '', '', '', 'registered', '', now(), now(), {town.pk}
            FROM generate_series(1, {ORGANIZATIONS}) AS i
            """
        )
        cursor.execute(
            f"""
            INSERT INTO notifications_notification (kind, subject, body, url, created_at, read_at, recipient_id)
            SELECT 'case_update', '您的信访事项已受理', '正文', '', now() - i * interval '1 minute', NULL,
                {first} + i % {count}
            FROM generate_series(1, {NOTIFICATIONS}) AS i
            """
        )
        cursor.execute(
            f"""
            INSERT INTO audit_auditentry (action, actor_repr, object_id, object_repr, payload, created_at,
                actor_id, content_type_id)
            SELECT (ARRAY['petitions.petition.accept','accounts.login','incubator.organization.update'])[1 + i % 3],
                '王' || (i % 500), i::text, 'XF2025-' || lpad((i % 100000)::text, 6, '0') || '-AB', '{{}}',
                now() - i * interval '10 seconds', {first} + i % {count}, NULL
            FROM generate_series(1, {AUDIT_ENTRIES}) AS i
            """
        )
        cursor.execute(
            "ANALYZE petitions_petition, incubator_organization, notifications_notification, audit_auditentry"
        )


def problems_in(queryset) -> list[str]:
    """Sequential scans of a large table and sorts of more than SORT_LIMIT rows in the plan of ``queryset``."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    found = []

    def walk(node):
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in LARGE:
            found.append(f"sequential scan of {node['Relation Name']}")
        if node["Node Type"] == "Sort" and node["Plan Rows"] > SORT_LIMIT:
            found.append(f"sort of {node['Plan Rows']:,} rows by {node.get('Sort Key')}")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


def changelist_queryset(model, user, query: dict | None = None):
    """The rows query of ``model``'s admin changelist as ``user`` sees it (filters and search applied)."""
    request = RequestFactory().get("/", query or {})
    request.user = user
    changelist = admin.site._registry[model].get_changelist_instance(request)
    return changelist.queryset[: changelist.list_per_page]


@pytest.fixture
def people(db):
    users = [UserFactory(username=f"plan{i}") for i in range(50)]
    town = Town.objects.get_or_create(code="jingan", defaults={"name": "井岸镇"})[0]
    fill(users, town, [default_unit(PETITION_STATION), make_unit("plan-station", kind="petition_station")])
    return users


def test_main_lists_use_indexes_at_a_realistic_size(people):
    citizen = people[0]
    superuser = get_user_model().objects.create_superuser("plan-admin", password="x")
    everything = petitions_visible_to(superuser)
    supervisor = StaffFactory(username="plan-supervisor", roles=["信访代理站站长"])
    lists = {
        "API petitions, newest first": everything.order_by(*LatestFirstCursorPagination.ordering)[:21],
        "API petitions, tracking number prefix": search_petitions(everything, "XF2025-0001").order_by(
            *LatestFirstCursorPagination.ordering
        )[:21],
        "citizen's petitions": petitions_of(citizen)[:20],
        "my affairs": affairs_queryset(Petition, citizen)[:21],
        "inbox": notifications_for(citizen)[:20],
        "directory": incubator_selectors.directory()[:20],
        "directory search": incubator_selectors.directory(q="青年志愿")[:20],
        "API organizations": incubator_selectors.directory().order_by(*NameCursorPagination.ordering)[:21],
        "admin petitions": changelist_queryset(Petition, superuser),
        "admin petitions by state": changelist_queryset(Petition, superuser, {"status__exact": "accepted"}),
        "admin petitions by number": changelist_queryset(Petition, superuser, {"q": "XF2025-0001"}),
        "admin petitions by subject": changelist_queryset(Petition, superuser, {"q": "征地补偿"}),
        "admin organizations": changelist_queryset(Organization, superuser),
        "admin audit log": changelist_queryset(AuditEntry, superuser),
        "admin audit log by object": changelist_queryset(AuditEntry, superuser, {"q": "XF2025-00012"}),
        "admin notifications": changelist_queryset(Notification, superuser),
        # A unit's supervisor: their unit's petitions (nine in ten of them here), by the unit indexes.
        "unit supervisor's petitions": petitions_visible_to(supervisor).order_by(*LatestFirstCursorPagination.ordering)[
            :21
        ],
        "admin petitions of a unit by state": changelist_queryset(Petition, supervisor, {"status__exact": "accepted"}),
    }

    problems = {name: found for name, queryset in lists.items() if (found := problems_in(queryset))}

    assert problems == {}
    # The check itself: an ordering no index covers is reported (one data set for both, to stay fast).
    assert problems_in(Petition.objects.order_by("-respondent", "-id")[:20])
