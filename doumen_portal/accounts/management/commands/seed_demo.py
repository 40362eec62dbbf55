"""Load demonstration data: places (from migrations), role groups, a citizen and staff of every role.

Idempotent: running it again resets the demo accounts to the documented state and creates nothing twice.
The demo logins (a superuser among them) have published passwords and a published TOTP secret, so the
command refuses to run when DEBUG is off unless told explicitly, and never on a database with real users.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from stdnum.cn import ric

from doumen_portal.accounts.roles import Role, sync_role_groups
from doumen_portal.accounts.services import record_role_changes
from doumen_portal.places.models import Town, Village
from doumen_portal.security.mfa import install_totp
from doumen_portal.units.demo import seed_units
from incubator.demo import seed_incubator
from petitions.demo import seed_petitions

CITIZEN_PASSWORD = "Doumen-citizen-2026"
STAFF_PASSWORD = "Doumen-staff-2026!"
# Staff open the admin only after a TOTP code. Every demo staff account shares this published base32 secret
# (development only): add it to an authenticator app, or run `manage.py totp_code <username>`.
DEMO_TOTP_SECRET = "DOUMENDEMOSTAFFTOTPSECRETXYZ2345"

# Staff names shown to colleagues in the admin (citizens see roles, never staff names).
STAFF_NAMES = {
    "agent": "黄志强",
    "supervisor": "梁国华",
    "incubator": "陈静",
    "federation": "赵明",
    "bank": "林晓峰",
    "socialworker": "徐小影",
    "department": "周伟",
    "leader": "李卫东",
    "sysadmin": "吴涛",
    "secadmin": "郑海燕",
    "auditor": "何建国",
}

# (username, phone, role or None for a superuser)
STAFF = [
    ("agent", "13900000001", Role.PETITION_AGENT),
    ("supervisor", "13900000002", Role.PETITION_SUPERVISOR),
    ("incubator", "13900000003", Role.INCUBATOR_STAFF),
    ("federation", "13900000004", Role.FEDERATION_SECRETARIAT),
    ("bank", "13900000005", Role.BANK_OFFICER),
    ("socialworker", "13900000006", Role.SOCIAL_WORKER),
    ("department", "13900000007", Role.DEPARTMENT_OFFICER),
    ("leader", "13900000008", Role.DISTRICT_LEADER),
    ("sysadmin", "13900000009", Role.SYSTEM_ADMIN),
    ("admin", "13900000010", None),
    ("secadmin", "13900000011", Role.SECURITY_ADMIN),
    ("auditor", "13900000012", Role.AUDIT_ADMIN),
]
CITIZENS = ["citizen", "villager"]


def demo_usernames() -> set[str]:
    """Every account this command creates; any other account is a real person's."""
    from incubator.demo import representative_usernames

    return {*CITIZENS, *(username for username, _phone, _role in STAFF), *representative_usernames()}


def demo_resident_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


class Command(BaseCommand):
    help = "Load demonstration data and print the demo logins (development and demonstration databases only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run although DEBUG is off (a demonstration server). Never on a database with real users.",
        )
        parser.add_argument(
            "--skip-if-not-demo",
            action="store_true",
            help="On a database with real users, say so and leave it as it is instead of failing (`make run`).",
        )

    def handle(self, *args, allow_without_debug=False, skip_if_not_demo=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "DEBUG is off: seed_demo creates a superuser and staff with published passwords and TOTP secret. "
                "On a demonstration server, run it with --allow-without-debug."
            )
        real_users = get_user_model().objects.exclude(username__in=demo_usernames())
        if real_users.exists():
            message = (
                f"This database has {real_users.count()} account(s) that seed_demo did not create: it is not a "
                "demonstration database, and demo logins with published passwords will not be added to it."
            )
            if skip_if_not_demo:
                self.stdout.write(self.style.WARNING(message))
                return
            raise CommandError(message)
        # The demo's own notifications (dozens of status changes) are delivered to memory, not printed.
        with (
            override_settings(
                SMS_BACKEND="doumen_portal.notifications.sms.LocmemBackend",
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ),
            transaction.atomic(),
        ):
            self._seed()
        # After the commit, so the logins come after the (eager) delivery of the demo notifications.
        self._print_logins()

    def _seed(self):
        sync_role_groups()
        User = get_user_model()

        # The citizen's real name comes from her verification, as on the portal.
        citizen = self._user(User, "citizen", "13800138000", CITIZEN_PASSWORD)
        if not citizen.is_real_name_verified:
            from doumen_portal.accounts.services import verify_real_name

            verify_real_name(citizen, real_name="陈小梅", id_number=demo_resident_id("44042119850315002"))
        self._user(User, "villager", "13800138001", CITIZEN_PASSWORD)

        for username, phone, role in STAFF:
            user = self._user(
                User,
                username,
                phone,
                STAFF_PASSWORD,
                real_name=STAFF_NAMES.get(username, ""),
                is_staff=True,
                is_superuser=role is None,
            )
            if role:
                # Roles are given as in the admin, where every grant or removal is audited.
                before = set(user.groups.values_list("name", flat=True))
                user.groups.set([Group.objects.get(name=role)])
                record_role_changes(user, before=before, actor=None)
            install_totp(user, secret=DEMO_TOTP_SECRET)
        seed_units()  # the petition station, the incubation base, two partner banks, a station, a department
        seed_incubator()  # organizations, applications, services, rooms
        seed_petitions()  # last year's figures of the article, and this year's petitions of the demo citizen

    def _print_logins(self):
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Town.objects.count()} towns, {Village.objects.count()} villages and communities."
            )
        )
        self.stdout.write("Demo logins (http://127.0.0.1:8000/accounts/login/ , phone + password; /admin/ too):")
        self.stdout.write(f"  citizen (real-name verified)  13800138000 / {CITIZEN_PASSWORD}")
        self.stdout.write(f"  villager (not verified)       13800138001 / {CITIZEN_PASSWORD}")
        for username, phone, role in STAFF:
            label = role.label if role else "superuser"
            self.stdout.write(f"  {label:<28} {phone} / {STAFF_PASSWORD}  (username {username})")
        self.stdout.write("SMS codes are printed on this console (SMS_BACKEND=console).")
        self.stdout.write(
            f"Staff second factor (admin): TOTP secret {DEMO_TOTP_SECRET} (issuer 斗门社会治理平台) in an "
            "authenticator app, or the current code from `python manage.py totp_code <username>` (DEBUG only)."
        )

    def _user(self, User, username, phone, password, *, real_name="", is_staff=False, is_superuser=False):
        user, _created = User.objects.get_or_create(
            username=username, defaults={"phone": f"+86{phone}", "phone_verified": True}
        )
        user.phone = f"+86{phone}"
        user.phone_verified = True
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        if real_name and not user.real_name:
            user.real_name = real_name
        user.set_password(password)
        user.save()
        return user
