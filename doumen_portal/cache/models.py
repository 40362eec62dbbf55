"""The database table the shared cache falls back to while Redis cannot be reached."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FallbackCacheEntry(models.Model):
    """One cache entry, in the layout of Django's database cache (``createcachetable``), so that Django's
    ``DatabaseCache`` reads and writes it. Made by a migration like every other table."""

    cache_key = models.CharField(_("key"), max_length=255, primary_key=True)
    value = models.TextField(_("value"))
    expires = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        db_table = "portal_cache_fallback"
        verbose_name = _("fallback cache entry")
        verbose_name_plural = _("fallback cache entries")

    def __str__(self):
        return self.cache_key
