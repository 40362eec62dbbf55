"""The Doumen District social-governance portal (斗门区社会治理综合服务平台)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
