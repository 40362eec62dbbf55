"""Demo units and who works in them (``manage.py seed_demo``); idempotent.

Units and memberships are managed by system administrators in the admin, which audits every save; the demo
saves them as the demo system administrator would there, with the same audit entries, and only what changed.
"""

from django.forms.models import model_to_dict

from doumen_portal.audit.services import log_action

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
ADMINISTRATOR = "sysadmin"


def _save(model, *, lookup: dict, values: dict, actor):
    """Create or update one row as the admin would, audited like its save there; unchanged rows stay as they are."""
    obj = model.objects.filter(**lookup).first()
    is_new = obj is None
    changed = [name for name, value in values.items() if is_new or getattr(obj, name) != value]
    if not changed:
        return obj
    obj = obj or model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    meta = model._meta
    if model is Membership:
        payload = {"user": obj.user_id, "unit": obj.unit_id, "role": obj.role, "active": obj.active}
    else:
        fields = [*lookup, *changed] if is_new else changed
        payload = {"changed": fields, "values": model_to_dict(obj, fields=fields)}
    log_action(
        f"{meta.app_label}.{meta.model_name}.{'add' if is_new else 'change'}", actor=actor, obj=obj, payload=payload
    )
    return obj


def seed_units() -> dict:
    """The default and demo units, and the demo staff's memberships; returns the units by code."""
    from django.contrib.auth import get_user_model

    from doumen_portal.places.models import Town

    ensure_default_units()
    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=[*DEMO_MEMBERSHIPS, ADMINISTRATOR])
    }
    actor = users.get(ADMINISTRATOR)
    towns = {town.code: town for town in Town.objects.filter(code__in=[t for _n, _k, t in DEMO_UNITS.values() if t])}
    for code, (name, kind, town) in DEMO_UNITS.items():
        _save(Unit, lookup={"code": code}, values={"name": name, "kind": kind, "town": towns.get(town)}, actor=actor)
    units = {unit.code: unit for unit in Unit.objects.all()}
    for username, (code, role) in DEMO_MEMBERSHIPS.items():
        if username in users:
            _save(
                Membership,
                lookup={"user": users[username], "unit": units[code]},
                values={"role": role, "active": True},
                actor=actor,
            )
    return units
