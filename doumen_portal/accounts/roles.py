"""Staff roles of the portal (DESIGN §2) as Django groups and their permissions.

Each role is a group; adding a staff member to a group is all it takes for them to work. The table below
names permissions as ``app_label.codename``; permissions of apps not migrated yet are skipped and picked
up when ``sync_role_groups`` runs again (each app's migrations that add models call it, as does
``manage.py seed_demo``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The group name is the value, so staff recognise it in the admin."""

    PETITION_AGENT = "信访代理员", _("Petition agent")
    PETITION_SUPERVISOR = "信访代理站站长", _("Petition station supervisor")
    INCUBATOR_STAFF = "孵化基地工作人员", _("Incubation base staff")
    FEDERATION_SECRETARIAT = "小微企业联合会秘书处", _("Federation secretariat")
    BANK_OFFICER = "合作银行信贷员", _("Partner bank officer")
    SOCIAL_WORKER = "社工站社工", _("Station social worker")
    DEPARTMENT_OFFICER = "职能部门工作人员", _("Department officer")
    DISTRICT_LEADER = "区领导（只读）", _("District leader (read-only)")
    SYSTEM_ADMIN = "系统管理员", _("System administrator")
    SECURITY_ADMIN = "安全管理员", _("Security administrator")
    AUDIT_ADMIN = "审计管理员", _("Audit administrator")


# The three separated administrator duties: one account holds at most one of them.
ADMINISTRATOR_ROLES = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


def _crud(label: str, model: str, *, view_only: bool = False) -> list[str]:
    if view_only:
        return [f"{label}.view_{model}"]
    return [f"{label}.{verb}_{model}" for verb in ("add", "change", "delete", "view")]


# Every staff role may look up places; only administrators edit them and manage users.
_PLACES_READ = _crud("places", "town", view_only=True) + _crud("places", "village", view_only=True)

# Agents register, handle and answer the petitions they see (theirs and the unassigned queue) and record
# consultations; the supervisor also assigns, approves extensions, decides reviews and sees everything.
_PETITION_AGENT = [
    "petitions.view_petition",
    "petitions.change_petition",
    "petitions.register_petition",
    "petitions.handle_petition",
    "petitions.issue_opinion",
    "petitions.view_consultation",
    "petitions.add_consultation",
    "petitions.view_worklogentry",
    "petitions.add_worklogentry",
    "petitions.file_on_behalf",
]
_PETITION_SUPERVISOR = _PETITION_AGENT + [
    "petitions.assign_petition",
    "petitions.approve_extension",
    "petitions.decide_review",
    "petitions.view_all_petitions",
    "petitions.view_petition_statistics",
    "petitions.change_consultation",
]
_PETITION_READ = [
    "petitions.view_petition",
    "petitions.view_all_petitions",
    "petitions.view_petition_statistics",
    "petitions.view_consultation",
    "petitions.view_worklogentry",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PETITION_AGENT: _PLACES_READ + _PETITION_AGENT,
    Role.PETITION_SUPERVISOR: _PLACES_READ + _PETITION_SUPERVISOR,
    Role.INCUBATOR_STAFF: _PLACES_READ,
    Role.FEDERATION_SECRETARIAT: _PLACES_READ,
    Role.BANK_OFFICER: [],
    Role.SOCIAL_WORKER: _PLACES_READ,
    Role.DEPARTMENT_OFFICER: _PLACES_READ,
    Role.DISTRICT_LEADER: _PLACES_READ
    + _crud("accounts", "user", view_only=True)
    + _PETITION_READ
    + ["units.view_all_units", "units.view_unit"],
    # Separated administrator duties (MLPS level 3, 三员分立): the system administrator runs people, places and
    # settings; the security administrator gives roles and permissions and handles authenticators and
    # lockouts; the audit administrator reads the audit log. No role holds two of these duties.
    Role.SYSTEM_ADMIN: _crud("places", "town")
    + _crud("places", "village")
    + ["accounts.add_user", "accounts.change_user", "accounts.view_user"]
    + ["accounts.review_identitycorrectionrequest", "accounts.view_identitycorrectionrequest"]
    + ["accounts.change_identitycorrectionrequest"]
    + ["casework.view_calendaroverride", "casework.add_calendaroverride", "casework.change_calendaroverride"]
    + ["casework.delete_calendaroverride"]
    + ["casework.view_holidayyear", "casework.add_holidayyear", "casework.change_holidayyear"]
    + ["casework.confirm_holidayyear"]
    # Units and who works in them; and every unit's cases of the kinds this role handles (identity corrections).
    + _crud("units", "unit")
    + _crud("units", "membership")
    + ["units.view_all_units"],
    Role.SECURITY_ADMIN: [
        "accounts.view_user",
        "accounts.assign_role",
        "auth.view_group",
        "auth.change_group",
        "auth.view_permission",
        "mfa.view_authenticator",
        "mfa.delete_authenticator",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
        "security.manage_apitoken",
    ],
    Role.AUDIT_ADMIN: ["audit.view_auditentry"],
}


_INCUBATOR_MODELS = ["organization", "representative", "annualinspection", "penalty", "servicerecord", "resource"]
_INCUBATOR_MODELS += ["resourcebooking", "graduationreview", "trainingsession"]
_INCUBATOR_MODELS += ["survey", "question", "surveyresponse", "gradeband", "indicatorgroup"]
_INCUBATOR_MODELS += ["indicator"]
_INCUBATOR_STAFF = [p for model in _INCUBATOR_MODELS for p in _crud("incubator", model)] + [
    "incubator.view_incubationapplication",
    "incubator.change_incubationapplication",
    "incubator.review_incubationapplication",
    "incubator.send_survey",
    "incubator.view_gradingapplication",
    "incubator.change_gradingapplication",
    "incubator.review_gradingapplication",
    "incubator.view_indicatorscore",
    "incubator.view_registrationclaim",
    "incubator.confirm_registrationclaim",
]
_INCUBATOR_READ = [
    p
    for model in _INCUBATOR_MODELS + ["incubationapplication", "gradingapplication"]
    for p in _crud("incubator", model, view_only=True)
]
ROLE_PERMISSIONS[Role.INCUBATOR_STAFF] = ROLE_PERMISSIONS[Role.INCUBATOR_STAFF] + _INCUBATOR_STAFF
ROLE_PERMISSIONS[Role.DISTRICT_LEADER] = ROLE_PERMISSIONS[Role.DISTRICT_LEADER] + _INCUBATOR_READ

# Powers a role once held that now belong to another duty: taken away at every sync, even if an administrator
# had also added them by hand.
ROLE_PERMISSIONS_WITHDRAWN: dict[str, list[str]] = {
    Role.SYSTEM_ADMIN: [
        "auth.view_group",
        "auth.change_group",
        "auth.view_permission",
        "audit.view_auditentry",
        "mfa.view_authenticator",
        "mfa.delete_authenticator",
    ],
}


def _permission_ids(Permission, names) -> set[int]:
    ids = set()
    for name in names:
        app_label, codename = name.split(".")
        ids.update(
            Permission.objects.filter(content_type__app_label=app_label, codename=codename).values_list("pk", flat=True)
        )
    return ids


def sync_role_groups(apps=None) -> None:
    """Create the role groups and give each exactly the permissions listed that exist so far.

    Works with the migration state (``apps`` from a data migration) or the live registry.
    """
    from django.contrib.auth.management import create_permissions

    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    # Permissions are normally created after all migrations ran; create them now so a migration
    # can hand them to groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        # Keep permissions an administrator added by hand to this group; only add what is missing.
        group.permissions.add(*_permission_ids(Permission, names))
        group.permissions.remove(*_permission_ids(Permission, ROLE_PERMISSIONS_WITHDRAWN.get(role, [])))
