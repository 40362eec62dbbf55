"""gunicorn settings of the reference deployment (see deploy/README.md); options on the command line win.

Sync workers are right here only because nginx stands in front: it reads whole requests before passing them
on and takes whole responses at once, so a worker never waits on a slow client.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer is cut off (its worker is replaced); nginx's proxy_read_timeout is a little longer.
timeout = 30
graceful_timeout = 30
# Workers are replaced now and then, so that a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# Logs go to the journal (systemd) through standard error.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
