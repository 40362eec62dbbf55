"""The portal's Celery application.

Settings come from Django's settings with the ``CELERY_`` prefix; tasks are discovered in every
installed app's ``tasks.py``. Without a broker configured, tasks run eagerly in the web process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doumen_portal.settings")

app = Celery("doumen_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
