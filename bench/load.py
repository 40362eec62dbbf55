"""Load benchmark of every list page, API list and admin changelist against the ceiling (`make bench`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/doumen_bench make bench

Serves the portal with gunicorn (4 sync workers, persistent database connections, DEBUG off, throwaway
keys) on loopback, logs in the people who use each list (the demo citizen with a thousand petitions, an
agent, the station supervisor, incubation staff, a system administrator; staff sessions carry the second
factor), then measures with wrk at concurrency 8, interleaved: each round runs ``/healthz/live`` and then
every page for a few seconds. Prints requests/s, p50/p95/p99 and the ratio of each page's requests/s to
``/healthz/live``'s in the same round, and writes the table to ``bench/README.md`` with the machine, the
date and the load average (the ratio is the measure on a shared machine; absolute numbers are noise).

BENCH_SECONDS (3) per page and round, BENCH_ROUNDS (3), BENCH_CONCURRENCY (8), BENCH_PORT (8765).
Targets: portal and API lists ratio >= 0.09 and p95 <= 50 ms; admin changelists p95 <= 300 ms.
"""

import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CEILING = "/healthz/live"
PORTAL_RATIO, PORTAL_P95, ADMIN_P95 = 0.09, 50.0, 300.0

# (who, path): every list a person uses, as that person. None is anonymous.
PAGES = [
    (None, "/incubator/organizations/"),
    (None, "/incubator/organizations/?q=%E9%9D%92%E5%B9%B4"),  # 青年
    (None, "/api/v1/organizations/"),
    (None, "/api/v1/organizations/?search=%E5%BF%97%E6%84%BF"),  # 志愿
    ("citizen", "/petitions/mine/"),
    ("citizen", "/my-affairs/"),
    ("citizen", "/inbox/"),
    ("citizen", "/api/v1/petitions/"),
    ("citizen", "/api/v1/notifications/"),
    ("agent", "/api/v1/petitions/"),
    ("supervisor", "/api/v1/petitions/"),
    ("supervisor", "/api/v1/petitions/?search=XF2025-0001"),
    ("incubator", "/api/v1/incubation-applications/"),
    ("incubator", "/api/v1/gradings/"),
    ("supervisor", "/admin/petitions/petition/"),
    ("supervisor", "/admin/petitions/petition/?status__exact=accepted"),
    ("supervisor", "/admin/petitions/petition/?q=XF2025-0001"),
    ("supervisor", "/admin/petitions/petition/?q=%E5%BE%81%E5%9C%B0%E8%A1%A5%E5%81%BF"),  # 征地补偿
    ("agent", "/admin/petitions/petition/"),
    ("incubator", "/admin/incubator/organization/"),
    ("incubator", "/admin/incubator/organization/?q=%E9%9D%92%E5%B9%B4%E5%BF%97%E6%84%BF"),  # 青年志愿
    ("incubator", "/admin/incubator/incubationapplication/"),
    ("incubator", "/admin/incubator/gradingapplication/"),
    ("incubator", "/admin/incubator/resourcebooking/"),
    ("admin", "/admin/audit/auditentry/"),
    ("admin", "/admin/audit/auditentry/?app=petitions"),
    ("admin", "/admin/notifications/notification/"),
    ("admin", "/admin/accounts/user/"),
]

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH {\\"requests\\": %d, \\"seconds\\": %.6f, \\"p50\\": %.3f, \\"p95\\": %.3f, "
    .. "\\"p99\\": %.3f, \\"errors\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def server_environment(static_root: str) -> dict:
    from cryptography.fernet import Fernet

    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "doumen_portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PII_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PII_HASH_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "600",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def prepare_sessions(env: dict) -> dict:
    """Session cookies of the bench users, made with the server's secret key (second factor for staff)."""
    code = """
import json, django
django.setup()
from allauth.account.internal.flows.login import record_authentication
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.test import Client
cookies = {}
for username in ("citizen", "agent", "supervisor", "incubator", "admin"):
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    record_authentication(request, user, method="password")
    if user.is_staff:
        record_authentication(request, user, method="mfa", type="totp")
    request.session.save()
    cookies[username] = request.session.session_key
print(json.dumps(cookies))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url}")


def check_page(path: str, cookie: str | None) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}")
    if cookie:
        request.add_header("Cookie", f"sessionid={cookie}")
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200 or response.url.rstrip("/") != request.full_url.rstrip("/"):
            raise SystemExit(f"{path} answered {response.status} at {response.url}: not the list itself")


def wrk(path: str, cookie: str | None, script: str) -> dict:
    command = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{SECONDS}s", "--timeout", "10s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{PORT}{path}"], check=True, capture_output=True, text=True)
    line = next(line for line in out.stdout.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH ") :])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} CPU cores ({cpu}), {memory:.0f} GiB RAM, {socket.gethostname()}"


def table_counts(env: dict) -> str:
    code = """
import django
django.setup()
from django.db import connection
rows = []
with connection.cursor() as cursor:
    for table in ("petitions_petition", "casework_casehistory", "incubator_organization", "accounts_user",
                  "notifications_notification", "audit_auditentry"):
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
        rows.append(f"{table} {cursor.fetchone()[0]:,}")
print("; ".join(rows))
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the generated PostgreSQL database (see bench/generate.py).")
    work = Path(tempfile.mkdtemp(prefix="doumen-bench-"))
    env = server_environment(str(work / "static"))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    cookies = prepare_sessions(env)
    script = work / "report.lua"
    script.write_text(LUA)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "doumen_portal.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(f"http://127.0.0.1:{PORT}{CEILING}")
        load_before = os.getloadavg()
        for who, path in PAGES:  # every page answers 200 itself (no login redirect), and warms the workers
            check_page(path, cookies.get(who))
        results: dict = {(None, CEILING): [], **{page: [] for page in PAGES}}
        for number in range(ROUNDS):
            print(f"round {number + 1} of {ROUNDS}", file=sys.stderr, flush=True)
            ceiling = wrk(CEILING, None, str(script))
            results[(None, CEILING)].append(ceiling)
            for who, path in PAGES:
                time.sleep(1)  # let the workers finish the previous page's last requests
                result = wrk(path, cookies.get(who), str(script))
                result["ratio"] = result["rps"] / ceiling["rps"] if ceiling["rps"] else 0.0
                results[(who, path)].append(result)
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    report(results, load_before, load_after, table_counts(env))


def report(results: dict, load_before, load_after, counts: str) -> None:
    lines = [
        "| who | page | requests/s | p50 ms | p95 ms | p99 ms | ratio | errors | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    failures = 0
    for (who, path), rounds in results.items():
        rps = statistics.median(r["rps"] for r in rounds)
        p50, p95, p99 = (statistics.median(r[key] for r in rounds) for key in ("p50", "p95", "p99"))
        # A round without one completed request is a failure, not a fast page.
        errors = sum(r["errors"] + (r["requests"] == 0) for r in rounds)
        if path == CEILING:
            ratio, verdict = 1.0, "ceiling"
        else:
            ratio = statistics.median(r["ratio"] for r in rounds)
            if path.startswith("/admin/"):
                ok = p95 <= ADMIN_P95 and not errors
                verdict = f"p95 ≤ {ADMIN_P95:.0f} ms: {'met' if ok else 'NOT MET'}"
            else:
                ok = ratio >= PORTAL_RATIO and p95 <= PORTAL_P95 and not errors
                verdict = f"ratio ≥ {PORTAL_RATIO}, p95 ≤ {PORTAL_P95:.0f} ms: {'met' if ok else 'NOT MET'}"
            failures += not ok
        lines.append(
            f"| {who or 'anonymous'} | `{path}` | {rps:.1f} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {ratio:.3f} "
            f"| {errors} | {verdict} |"
        )
    table = "\n".join(lines)
    print(table)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text() if readme.exists() else ""
    start, end = "<!-- latest run -->", "<!-- end of latest run -->"
    section = (
        f"{start}\n"
        f"Latest run: {stamp} on {machine()}.\n"
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.1f}' for x in load_before)}; after: "
        f"{', '.join(f'{x:.1f}' for x in load_after)}.\n"
        f"Rows (planner estimates): {counts}.\n"
        f"gunicorn 4 sync workers, wrk 2 threads, concurrency {CONCURRENCY}, {ROUNDS} rounds of {SECONDS} s per "
        f"page; medians over the rounds. Ratio: the page's requests/s over `{CEILING}`'s in the same round.\n\n"
        f"{table}\n{end}"
    )
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    readme.write_text(text)
    print(f"{failures} page(s) below target; table written to {readme.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
