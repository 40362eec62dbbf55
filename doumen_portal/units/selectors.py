"""Who may see and act on which cases, by handling unit. One place for the portal, the API, the admin and
the deadline reminders.

A person sees a case of a model when they filed it; when they are an active member of the case's unit and
hold one of the model's ``unit_view_perms`` (or are its assignee); when the model's ``visibility_extra``
says so (a petition's agents); and in every unit when they hold one of those permissions and
``units.view_all_units`` (district leaders, system administrators). Acting on a case with a
permission-string step needs the permission *and* a membership of the case's unit (``acts_in_unit``).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import VIEW_ALL_UNITS, Membership, Unit


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_all_units(user) -> bool:
    return _active(user) and user.has_perm(VIEW_ALL_UNITS)


def member_units(user, *, role: str | None = None):
    """The units where ``user`` is an active member (of an active unit), as a subquery of unit IDs."""
    memberships = Membership.objects.filter(user=user, active=True, unit__active=True)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.values("unit_id")


def unit_ids_of(user) -> dict[int, str]:
    """``{unit id: role}`` of the person's active memberships; read once per user object (like Django's
    permission cache), so checking several steps costs one query."""
    if not _active(user):
        return {}
    cached = getattr(user, "_unit_roles_cache", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user=user, active=True, unit__active=True).values_list("unit_id", "role")
        )
        user._unit_roles_cache = cached
    return cached


def forget_units_of(user) -> None:
    """Drop the cached memberships of this user object (after they changed)."""
    user.__dict__.pop("_unit_roles_cache", None)


def acts_in_unit(user, case) -> bool:
    """Whether ``user`` works on ``case``'s unit: an active member of it, or holding the district-wide
    permission. The workflow asks this for every permission-string rule."""
    if not _active(user):
        return False
    return case.unit_id in unit_ids_of(user) or user.has_perm(VIEW_ALL_UNITS)


def supervises_unit(user, unit_id) -> bool:
    """Whether ``user`` is an active supervisor of the unit (or holds the district-wide permission)."""
    if not _active(user):
        return False
    return unit_ids_of(user).get(unit_id) == Membership.Role.SUPERVISOR or user.has_perm(VIEW_ALL_UNITS)


def _holds_perm(perm: str) -> Q:
    app_label, codename = perm.split(".", 1)
    return (
        Q(user_permissions__content_type__app_label=app_label, user_permissions__codename=codename)
        | Q(groups__permissions__content_type__app_label=app_label, groups__permissions__codename=codename)
        | Q(is_superuser=True)
    )


def people_in_unit_with_perm(unit, perm: str, *, role: str | None = None):
    """Active people who are active members of ``unit`` (with ``role``, if given) and hold ``perm`` directly
    or through a role group; one query when evaluated."""
    User = get_user_model()
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    members = Membership.objects.filter(unit_id=unit_id, active=True, unit__active=True)
    if role is not None:
        members = members.filter(role=role)
    holders = User.objects.filter(_holds_perm(perm)).values("pk")
    return User.objects.filter(is_active=True, pk__in=members.values("user_id")).filter(pk__in=holders)


def may_handle(user, case, perm: str) -> bool:
    """Whether ``user`` may be given ``case``: active, an active member of its unit, holding ``perm``."""
    return _active(user) and case.unit_id in unit_ids_of(user) and user.has_perm(perm)


def supervisors_of_units(unit_ids) -> dict[int, list]:
    """``{unit id: [active supervisors]}`` for the given units, in one query."""
    found: dict[int, list] = {unit_id: [] for unit_id in unit_ids}
    memberships = (
        Membership.objects.filter(
            unit_id__in=list(found),
            role=Membership.Role.SUPERVISOR,
            active=True,
            unit__active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    for membership in memberships:
        found[membership.unit_id].append(membership.user)
    return found


def units_visible_to(user):
    """The units whose cases ``user`` may see as staff (for list filters and referral choices)."""
    if not _active(user):
        return Unit.objects.none()
    if user.has_perm(VIEW_ALL_UNITS):
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=member_units(user))


def cases_visible_to(user, model):
    """The cases of ``model`` that ``user`` may see (a queryset, a fixed number of queries whatever the
    number of cases). Used by every case list, detail page, API view, admin page and export."""
    queryset = model.objects.all()
    if not _active(user):
        return queryset.none()
    views_unit_cases = any(user.has_perm(perm) for perm in model.unit_view_perms)
    if views_unit_cases and user.has_perm(VIEW_ALL_UNITS):
        # District-wide: every unit's cases of the kinds the person may see at all.
        return queryset
    units = member_units(user)
    visible = Q(applicant=user) | Q(assignee=user, unit__in=units)
    if views_unit_cases:
        visible |= Q(unit__in=units)
    extra = model.visibility_extra(user, units)
    if extra is not None:
        visible |= extra
    return queryset.filter(visible)
