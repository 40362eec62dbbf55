"""A web server for integration tests: gunicorn with the shipped configuration (deploy/gunicorn.conf.py),
optionally nginx with the shipped site (deploy/nginx) in front, and a small HTTP client that keeps cookies
and does not follow redirects. Every process started here is stopped by its own handle."""

import http.client
import os
import shutil
import ssl
import subprocess
import sys
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, HTTPSHandler, Request, build_opener

from django.conf import settings

from .processes import _stop, _tail, free_port, wait_until

DEPLOY = Path(settings.BASE_DIR) / "deploy"


class WebServer:
    """gunicorn serving the portal from the test database, with ``tests.integration.web_settings`` (the test
    settings with the production cache, so ``REDIS_URL`` in ``env`` means what it means in production)."""

    def __init__(self, *, database_url: str, log_path: Path, workers: int = 2, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.log_path = log_path
        self.workers = workers
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "tests.integration.web_settings",
            "DATABASE_URL": self.database_url,
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        env.pop("REDIS_URL", None)
        env |= self.env
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "-c", str(DEPLOY / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{self.port}"]
                + ["--workers", str(self.workers), "doumen_portal.wsgi:application"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._answers, timeout=timeout, interval=0.3, message=self.log)

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.log()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/healthz/live")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def log(self) -> str:
        return _tail(self.log_path, 80)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


@dataclass
class Response:
    status: int
    headers: dict
    text: str

    def __getitem__(self, header):
        return self.headers[header.lower()]


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies (session, CSRF) like a browser, answers every status as a ``Response``."""

    def __init__(self, base_url: str, *, timeout: float = 10, verify_tls: bool = True):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.cookies = CookieJar()
        handlers = [HTTPCookieProcessor(self.cookies), _NoRedirect()]
        if not verify_tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            handlers.append(HTTPSHandler(context=context))
        self._opener = build_opener(*handlers)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(self, method: str, path: str, *, data: bytes | None = None, headers: dict | None = None) -> Response:
        request = Request(self.base_url + path, data=data, method=method, headers=headers or {})
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                status, answer_headers, body = answer.status, answer.headers, answer.read()
        except HTTPError as error:
            status, answer_headers, body = error.code, error.headers, error.read()
        headers = {key.lower(): value for key, value in answer_headers.items()}
        return Response(status, headers, body.decode("utf-8", errors="replace"))

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict) -> Response:
        """POST a form as the page would, with the CSRF token of the cookie (fetched from the page if new)."""
        if self.cookie("csrftoken") is None:
            self.get(path)
        body = urlencode({**fields, "csrfmiddlewaretoken": self.cookie("csrftoken")}).encode()
        return self.request("POST", path, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


def nginx_available() -> bool:
    return shutil.which("nginx") is not None or Path("/usr/sbin/nginx").exists()


class NginxServer:
    """Debian's nginx with the shipped site (deploy/nginx/doumen-portal.conf) in front of ``upstream_port``: the
    site as shipped, except for its ports, a throw-away certificate, and paths inside ``work_dir``."""

    def __init__(self, *, upstream_port: int, work_dir: Path):
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.upstream_port = upstream_port
        self.work_dir = work_dir
        self.process: subprocess.Popen | None = None

    @staticmethod
    def binary() -> str:
        return shutil.which("nginx") or "/usr/sbin/nginx"

    def render_site(self) -> str:
        site = (DEPLOY / "nginx" / "doumen-portal.conf").read_text()
        replacements = {
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{self.upstream_port};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "listen 80;": f"listen 127.0.0.1:{free_port()};",
            "listen [::]:80;": "",
            "/etc/ssl/doumen/": f"{self.work_dir}/",
            "/var/log/nginx/": f"{self.work_dir}/",
        }
        for shipped, here in replacements.items():
            assert shipped in site, f"the shipped site no longer has {shipped!r}"
            site = site.replace(shipped, here)
        return site

    def _certificate(self) -> None:
        import datetime

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "portal.example.cn")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        (self.work_dir / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        (self.work_dir / "privkey.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )

    def start(self, timeout: float = 15) -> None:
        import getpass

        self.work_dir.mkdir(parents=True, exist_ok=True)
        self._certificate()
        (self.work_dir / "site.conf").write_text(self.render_site())
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        (self.work_dir / "nginx.conf").write_text(
            f"""{user}
worker_processes 1;
pid {self.work_dir}/nginx.pid;
error_log {self.work_dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {self.work_dir}/client_body;
    proxy_temp_path {self.work_dir}/proxy;
    fastcgi_temp_path {self.work_dir}/fastcgi;
    uwsgi_temp_path {self.work_dir}/uwsgi;
    scgi_temp_path {self.work_dir}/scgi;
    include {self.work_dir}/site.conf;
}}
"""
        )
        self.process = subprocess.Popen(
            [self.binary(), "-p", str(self.work_dir), "-c", str(self.work_dir / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.work_dir / "stderr.log", "ab"),  # noqa: SIM115 (closed with the process)
            start_new_session=True,
        )
        wait_until(self._answers, timeout=timeout, message=lambda: _tail(self.work_dir / "error.log"))

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"nginx exited:\n{_tail(self.work_dir / 'stderr.log')}")
        try:
            return Browser(self.url, timeout=2, verify_tls=False).get("/healthz/live").status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process, grace=5)
            self.process = None
