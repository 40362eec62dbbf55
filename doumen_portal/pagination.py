"""Pagination for large tables: pages never count a whole table, API collections page by cursor.

A page of 20 rows costs an index walk; ``COUNT(*)`` over a million petitions costs a scan of all of them.
``EstimatedCountPaginator`` counts exactly up to ``EXACT_COUNT_LIMIT`` rows and, beyond that, takes the
PostgreSQL planner's estimate of the query's rows (``EXPLAIN``, no execution): page links stay useful and a
request stays fast. The API's large collections use cursor pagination, which needs no count at all.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.pagination import CursorPagination

EXACT_COUNT_LIMIT = 1000


def estimated_count(queryset, *, limit: int = EXACT_COUNT_LIMIT) -> int:
    """The exact number of rows when at most ``limit``; otherwise PostgreSQL's estimate (never less than
    ``limit + 1``). Other databases count exactly."""
    if not hasattr(queryset, "query"):
        return len(queryset)
    capped = queryset.order_by()[: limit + 1].count()  # SELECT COUNT(*) FROM (SELECT ... LIMIT limit + 1)
    if capped <= limit:
        return capped
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return queryset.count()
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return max(int(plan[0]["Plan"]["Plan Rows"]), limit + 1)


class EstimatedCountPaginator(Paginator):
    """A paginator whose count is exact for small results and estimated for large ones (see above)."""

    @cached_property
    def count(self):
        return estimated_count(self.object_list)

    @property
    def is_estimate(self) -> bool:
        """Whether ``count`` is the planner's estimate rather than an exact count."""
        return self.count > EXACT_COUNT_LIMIT


class LatestFirstCursorPagination(CursorPagination):
    """Newest first, by a cursor (``?cursor=``, links in ``next`` and ``previous``): no count, and the
    same cost on the last page as on the first. ``created_at`` is indexed on every paged collection."""

    page_size = 20
    ordering = ("-created_at", "-id")


class NameCursorPagination(CursorPagination):
    """By name (unique), by a cursor: the public directory of organizations."""

    page_size = 20
    ordering = ("name", "id")
