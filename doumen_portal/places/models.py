"""Towns, subdistricts, villages and communities of Doumen District."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Town(models.Model):
    """A town (镇) or subdistrict (街道) of Doumen District."""

    class Kind(models.TextChoices):
        TOWN = "town", _("Town")
        SUBDISTRICT = "subdistrict", _("Subdistrict")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TOWN)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("town or subdistrict")
        verbose_name_plural = _("towns and subdistricts")

    def __str__(self):
        return self.name


class Village(models.Model):
    """An administrative village (村) or residents' community (社区) within a town."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="villages", verbose_name=_("town"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=30)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.VILLAGE)

    class Meta:
        ordering = ["town__sort_order", "name"]
        verbose_name = _("village or community")
        verbose_name_plural = _("villages and communities")
        constraints = [models.UniqueConstraint(fields=["town", "name"], name="places_village_unique_name_in_town")]

    def __str__(self):
        return f"{self.town.name}{self.name}"
