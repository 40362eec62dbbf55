"""The reference deployment (deploy/): nginx with the shipped site in front of gunicorn with the shipped
settings. 200 slow connections leave bare gunicorn answering nobody; behind nginx a normal client is still
answered while they are held, and bodies above the portal's limit are refused by the proxy in its words."""

import socket
import ssl
import threading
import time
from contextlib import contextmanager, suppress

import pytest

from tests.conftest import require

from .web import Browser, NginxServer, WebServer, nginx_available

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SLOW_CONNECTIONS = 200


@pytest.fixture
def portal(worker_database_url, tmp_path):
    server = WebServer(database_url=worker_database_url, log_path=tmp_path / "gunicorn.log", workers=2)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def proxy(portal, tmp_path):
    require(nginx_available(), "nginx (Debian's nginx-light or nginx)")
    server = NginxServer(upstream_port=portal.port, work_dir=tmp_path / "nginx")
    server.start()
    yield server
    server.stop()


@contextmanager
def slow_connections(port: int, *, tls: bool, count: int = SLOW_CONNECTIONS):
    """``count`` clients that never finish: half trickle their headers, half their form body, a few bytes
    every second, as a slow mobile link or a slowloris attack does."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    sockets = []
    for index in range(count):
        raw = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection = context.wrap_socket(raw) if tls else raw
        if index % 2:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        else:
            connection.sendall(
                b"POST /petitions/progress/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
            )
        sockets.append((index, connection))
    stop = threading.Event()

    def trickle():
        while not stop.wait(1):
            for index, connection in sockets:
                with suppress(OSError):
                    connection.sendall(b"X-Slow: 1\r\n" if index % 2 else b"a=1&")

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    try:
        yield
    finally:
        stop.set()
        trickler.join(5)
        for _index, connection in sockets:
            connection.close()


def answered(browser: Browser, path: str) -> int | None:
    try:
        return browser.get(path).status
    except OSError:  # timed out
        return None


def test_bare_gunicorn_answers_nobody_while_slow_clients_hold_its_workers(portal):
    with slow_connections(portal.port, tls=False):
        time.sleep(1)
        assert answered(Browser(portal.url, timeout=3), "/healthz/live") is None


def test_behind_nginx_a_normal_client_is_answered_while_200_slow_connections_are_held(proxy):
    with slow_connections(proxy.port, tls=True):
        answers = []
        for _ in range(4):
            time.sleep(1)
            started = time.monotonic()
            answers.append((answered(Browser(proxy.url, timeout=5, verify_tls=False), "/"), time.monotonic() - started))

    assert [status for status, _elapsed in answers] == [200] * 4
    assert max(elapsed for _status, elapsed in answers) < 3


def test_nginx_refuses_bodies_above_the_portal_limit_in_the_portal_words(proxy):
    browser = Browser(proxy.url, timeout=10, verify_tls=False)
    too_large = str(21 * 1024 * 1024 + 1)

    form = {"Content-Length": too_large, "Content-Type": "multipart/form-data; boundary=x"}
    page = browser.request("POST", "/petitions/new/", data=b"", headers=form)
    json = {"Content-Length": too_large, "Content-Type": "application/json"}
    api = browser.request("POST", "/api/v1/petitions/", data=b"", headers=json)

    assert page.status == 413 and "上传内容过大" in page.text
    assert api.status == 413 and api["Content-Type"] == "application/json"
    assert '"code": "request_too_large"' in api.text
