"""Real services for integration tests: a private redis-server, a Celery worker process, and pointing the
test process's Celery app at a broker. Every process started here is stopped by its own handle."""

import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.2, message=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"not true after {timeout} s: {message()}")


def _tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _stop(process: subprocess.Popen, *, grace: float = 10) -> None:
    """SIGTERM (Celery's warm shutdown, redis' clean exit), then SIGKILL after ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


class RedisServer:
    """A throw-away redis-server on a port of its own: no persistence, so stopping it loses every queued
    message, which is the outage the outbox must survive. ``start`` again reuses the same port."""

    def __init__(self, log_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self, timeout: float = 10) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._answers, timeout=timeout, message=lambda: _tail(self.log_path))

    def _answers(self) -> bool:
        import redis

        if self.process.poll() is not None:
            raise AssertionError(f"redis-server exited:\n{_tail(self.log_path)}")
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def freeze(self) -> None:
        """SIGSTOP: the server keeps its port and the kernel still completes TCP handshakes, but nothing
        answers, as with a Redis hung on a slow disk or swapped out."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None:
            self.thaw()  # a frozen process would not act on SIGTERM
            _stop(self.process)
            self.process = None


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database the tests use (the test database, not the configured one)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


class CeleryWorker:
    """``celery -A doumen_portal worker`` in a subprocess with the test settings, the test database and the
    given broker; text messages go to ``sms_file_path`` and e-mail to ``email_file_path`` where the test
    reads them. ``app`` names another Celery app module (a test one) and ``env`` adds settings."""

    def __init__(
        self,
        *,
        broker_url: str,
        database_url: str,
        sms_file_path: str,
        email_file_path: str,
        log_path: Path,
        app: str = "doumen_portal",
        env: dict[str, str] | None = None,
    ):
        self.broker_url = broker_url
        self.database_url = database_url
        self.sms_file_path = sms_file_path
        self.email_file_path = email_file_path
        self.log_path = log_path
        self.app = app
        self.extra_env = env or {}
        self.name = f"notifications-test-{uuid.uuid4().hex[:8]}@%h"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        celery = Path(sys.executable).with_name("celery")
        env = (
            os.environ
            | {
                "DJANGO_SETTINGS_MODULE": "doumen_portal.test_settings",
                "DATABASE_URL": self.database_url,
                "CELERY_BROKER_URL": self.broker_url,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "SMS_FILE_PATH": self.sms_file_path,
                "EMAIL_FILE_PATH": self.email_file_path,
                "PYTHONPATH": str(settings.BASE_DIR),
            }
            | self.extra_env
        )
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(celery), "-A", self.app, "worker", "--pool=solo", "--concurrency=1", "-l", "info"]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", self.name],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._ready, timeout=timeout, message=self.log)

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the Celery worker exited:\n{self.log()}")
        return self.log_path.exists() and " ready." in self.log_path.read_text(encoding="utf-8", errors="replace")

    def log(self) -> str:
        return _tail(self.log_path)

    def wait_for_exit(self, timeout: float) -> int:
        """Wait until the worker process ends by itself; returns its exit code (-9: SIGKILL)."""
        wait_until(lambda: self.process.poll() is not None, timeout=timeout, message=self.log)
        return self.process.returncode

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


def read_mail_files(directory) -> list[email.message.Message]:
    """The e-mails Django's file-based backend wrote into ``directory`` (one file per connection, each
    message followed by a line of 79 dashes), oldest file first."""
    separator = "\n" + "-" * 79 + "\n"
    messages = []
    for path in sorted(Path(directory).glob("*.log")):
        for chunk in path.read_text(encoding="utf-8").split(separator):
            if chunk.strip():
                messages.append(email.message_from_string(chunk))
    return messages


def _reset_broker_pools(app) -> None:
    # The app keeps a connection pool and a producer pool bound to the broker URL it first saw; forget
    # them (as Celery itself does after a fork) so the next publish uses the broker now configured. They
    # are not closed: kombu shares them per URL and would hand the closed pool back later.
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def celery_app_using(broker_url: str):
    """The test process's Celery app publishes to ``broker_url`` for real (no eager mode) inside the block."""
    from doumen_portal.celery import app

    saved_conf = {key: app.conf.get(key) for key in ("broker_url", "task_always_eager")}
    # Celery prefers the CELERY_BROKER_URL environment variable to its configuration.
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = broker_url
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    _reset_broker_pools(app)
    try:
        yield app
    finally:
        app.conf.update(saved_conf)
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        _reset_broker_pools(app)
