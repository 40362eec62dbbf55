"""Demo units and who works in them (``manage.py seed_demo``); idempotent."""

from .defaults import INCUBATION_BASE, PETITION_STATION, SOCIAL_GOVERNANCE_OFFICE, ensure_default_units
from .models import Membership, Unit

# code: (name, kind, town code or "")
DEMO_UNITS = {
    "icbc-doumen": ("工商银行斗门支行", Unit.Kind.BANK, ""),
    "cmb-doumen": ("招商银行珠海斗门支行", Unit.Kind.BANK, ""),
    "baijiao-social-work": ("白蕉镇社工站", Unit.Kind.SOCIAL_WORK_STATION, "baijiao"),
    "civil-affairs": ("斗门区民政局", Unit.Kind.DEPARTMENT, ""),
}

# username: (unit code, membership role)
DEMO_MEMBERSHIPS = {
    "agent": (PETITION_STATION, Membership.Role.WORKER),
    "supervisor": (PETITION_STATION, Membership.Role.SUPERVISOR),
    "incubator": (INCUBATION_BASE, Membership.Role.SUPERVISOR),
    "bank": ("icbc-doumen", Membership.Role.WORKER),
    "socialworker": ("baijiao-social-work", Membership.Role.WORKER),
    "department": ("civil-affairs", Membership.Role.WORKER),
    "sysadmin": (SOCIAL_GOVERNANCE_OFFICE, Membership.Role.SUPERVISOR),
}


def seed_units() -> dict:
    """The default and demo units, and the demo staff's memberships; returns the units by code."""
    from django.contrib.auth import get_user_model

    from doumen_portal.places.models import Town

    ensure_default_units()
    towns = {town.code: town for town in Town.objects.filter(code__in=[t for _n, _k, t in DEMO_UNITS.values() if t])}
    for code, (name, kind, town) in DEMO_UNITS.items():
        Unit.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "town": towns.get(town)})
    units = {unit.code: unit for unit in Unit.objects.all()}
    users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_MEMBERSHIPS)}
    for username, (code, role) in DEMO_MEMBERSHIPS.items():
        if username in users:
            Membership.objects.update_or_create(
                user=users[username], unit=units[code], defaults={"role": role, "active": True}
            )
    return units
