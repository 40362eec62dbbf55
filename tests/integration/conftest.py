"""Fixtures starting real services: a worker process needs PostgreSQL, because it must see the rows the
test commits, and a Redis broker (the shared one, or a private redis-server the test may stop)."""

import pytest

from tests.conftest import require

from .processes import CeleryWorker, RedisServer, celery_app_using, database_url, read_mail_files


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


@pytest.fixture(autouse=True)
def _closed_broker_breaker():
    """Each test starts with the publishing circuit breaker closed, whatever the previous test tripped."""
    from doumen_portal.notifications.services import broker_breaker

    broker_breaker.succeeded()
    yield
    broker_breaker.succeeded()


@pytest.fixture
def worker_mail(tmp_path):
    """The e-mails the workers sent during the test (Django's file-based backend, in a fresh folder)."""
    directory = tmp_path / "mail"
    directory.mkdir()
    return directory


@pytest.fixture
def sent_mail(worker_mail):
    """Reads the e-mails the workers sent, oldest first."""
    return lambda: read_mail_files(worker_mail)


@pytest.fixture
def start_worker(worker_database_url, sms_outbox, worker_mail, settings, tmp_path):
    """Starts Celery workers on a broker; they write text messages where ``sms_outbox`` reads them, and
    e-mail where ``sent_mail`` does.

    Teardown stops them before the database fixture flushes the tables they use.
    """
    workers = []

    def start(broker_url: str, **options) -> CeleryWorker:
        worker = CeleryWorker(
            broker_url=broker_url,
            database_url=worker_database_url,
            sms_file_path=settings.SMS_FILE_PATH,
            email_file_path=str(worker_mail),
            log_path=tmp_path / f"worker-{len(workers)}.log",
            **options,
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
