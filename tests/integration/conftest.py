"""Fixtures starting real services: a worker process needs PostgreSQL, because it must see the rows the
test commits, and a Redis broker (the shared one, or a private redis-server the test may stop)."""

import pytest

from tests.conftest import require

from .processes import CeleryWorker, RedisServer, celery_app_using, database_url


@pytest.fixture
def worker_database_url(transactional_db):
    """The test database as a DATABASE_URL for a worker process (PostgreSQL only)."""
    from django.db import connection

    require(connection.vendor == "postgresql", "PostgreSQL")
    return database_url(connection.settings_dict)


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own, on a free port, stopped at the end."""
    require(RedisServer.available(), "redis-server")
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(worker_database_url, sms_outbox, settings, tmp_path):
    """Starts Celery workers on a broker; they write text messages where ``sms_outbox`` reads them.

    Teardown stops them before the database fixture flushes the tables they use.
    """
    workers = []

    def start(broker_url: str) -> CeleryWorker:
        worker = CeleryWorker(
            broker_url=broker_url,
            database_url=worker_database_url,
            sms_file_path=settings.SMS_FILE_PATH,
            log_path=tmp_path / f"worker-{len(workers)}.log",
        )
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def web_broker():
    """Points this process's Celery app at a broker for real publishing; restored afterwards."""
    contexts = []

    def use(broker_url: str):
        context = celery_app_using(broker_url)
        contexts.append(context)
        return context.__enter__()

    yield use
    for context in reversed(contexts):
        context.__exit__(None, None, None)
