"""The units every installation has: those the existing kinds of case belong to when filed."""

PETITION_STATION = "petition-station"
INCUBATION_BASE = "incubation-base"
# Identity corrections are decided by the system administrators on behalf of the district's social-governance
# office, which keeps the real-name records of the portal.
SOCIAL_GOVERNANCE_OFFICE = "social-governance-office"

# code: (name, kind). Names are proper names of the district's bodies, stored as they are written.
DEFAULT_UNITS = {
    PETITION_STATION: ("斗门区信访代理服务站", "petition_station"),
    INCUBATION_BASE: ("斗门区社会组织孵化基地", "incubation_base"),
    SOCIAL_GOVERNANCE_OFFICE: ("斗门区社会治理办公室", "department"),
}


def ensure_default_units(apps=None) -> None:
    """Create the default units that are missing (works with a migration's ``apps`` or the live registry)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Unit = apps.get_model("units", "Unit")
    for code, (name, kind) in DEFAULT_UNITS.items():
        Unit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


def default_unit(code: str):
    """The default unit with this code; created if missing (a test that flushed the database, a fresh
    install whose data migration was faked)."""
    from .models import Unit

    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        name, kind = DEFAULT_UNITS[code]
        unit, _created = Unit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return unit
