from django.contrib import admin

from .models import Town, Village


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0
    fields = ("name", "code", "kind")


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("name", "code")
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "town", "kind", "code")
    list_filter = ("town", "kind")
    search_fields = ("name", "code")
    list_select_related = ("town",)
