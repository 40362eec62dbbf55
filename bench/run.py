"""Request benchmarks of the portal, run in-process against the configured database.

    make bench                      # SQLite unless DATABASE_URL names PostgreSQL

For each page: median and 95th-percentile time per request over N requests, and the number of SQL
queries one request makes. /healthz/live is the ceiling: the cost of Django's request cycle alone.
Not part of `make test`: figures depend on the machine; compare runs on the same machine.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doumen_portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
ANONYMOUS = [
    "/healthz/live",
    "/healthz",
    "/",
    "/petitions/",
    "/api/v1/towns/",
    "/incubator/organizations/",
    "/api/v1/organizations/",
]
CITIZEN = [
    "/",
    "/my-affairs/",
    "/accounts/profile/",
    "/api/v1/me/",
    "/inbox/",
    "/petitions/mine/",
    "/api/v1/petitions/",
    "/incubator/mine/",
    "/api/v1/incubation-applications/",
]


def measure(client: Client, path: str) -> tuple[float, float, int]:
    client.get(path)  # warm caches and connections
    reset_queries()  # each request resets the log; the context counts from an empty one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    citizen = Client()
    citizen.force_login(get_user_model().objects.get(username="citizen"))
    print(f"database: {connection.vendor}, {REQUESTS} requests per page")
    print(f"{'who':<10} {'path':<22} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for who, client, paths in (("anonymous", Client(), ANONYMOUS), ("citizen", citizen, CITIZEN)):
        for path in paths:
            median, p95, queries = measure(client, path)
            print(f"{who:<10} {path:<22} {median:>10.2f} {p95:>8.2f} {queries:>8}")


if __name__ == "__main__":
    main()
