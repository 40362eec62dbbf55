import factory
from django.contrib.auth import get_user_model
from stdnum.cn import ric


def resident_id(body17: str) -> str:
    """A resident ID number with a correct check digit for the given first 17 digits."""
    return body17 + ric.calc_check_digit(body17 + "0")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    phone = factory.Sequence(lambda n: f"+86137{n:08d}")
    phone_verified = True
    password = factory.django.Password("Correct-horse-42")


class VerifiedCitizenFactory(UserFactory):
    real_name = "李明"

    @factory.post_generation
    def identity(self, create, extracted, **kwargs):
        from doumen_portal.accounts.services import verify_real_name

        if create:
            verify_real_name(self, real_name=self.real_name, id_number=extracted or resident_id("44040320020101123"))


# The default unit memberships of each role in tests (unit code, membership role).
ROLE_UNITS = {
    "信访代理员": [("petition-station", "worker")],
    "信访代理站站长": [("petition-station", "supervisor")],
    "孵化基地工作人员": [("incubation-base", "supervisor")],
    "系统管理员": [("social-governance-office", "supervisor")],
}


def make_unit(code: str, *, name: str | None = None, kind: str = "petition_station"):
    """A handling unit (e.g. a second petition station for scoping tests)."""
    from doumen_portal.units.models import Unit

    return Unit.objects.get_or_create(code=code, defaults={"name": name or code, "kind": kind})[0]


def add_member(user, unit, role: str = "worker"):
    from doumen_portal.units.models import Membership

    return Membership.objects.update_or_create(user=user, unit=unit, defaults={"role": role, "active": True})[0]


class StaffFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        from doumen_portal.accounts.roles import sync_role_groups

        if create and extracted:
            if Group.objects.filter(name__in=extracted).count() < len(set(extracted)):
                # A transactional test flushed the groups the migrations created.
                sync_role_groups()
            self.groups.set([Group.objects.get(name=role) for role in extracted])

    @factory.post_generation
    def memberships(self, create, extracted, **kwargs):
        """Unit memberships: ``[(unit, role), ...]``, or by default those the roles given imply (an agent works
        at the petition station, its supervisor supervises it, and so on)."""
        from doumen_portal.units.defaults import default_unit
        from doumen_portal.units.models import Membership

        if not create:
            return
        if extracted is None:
            roles = [group.name for group in self.groups.all()]
            extracted = [(default_unit(code), role) for name in roles for code, role in ROLE_UNITS.get(name, [])]
        for unit, role in extracted:
            Membership.objects.update_or_create(user=self, unit=unit, defaults={"role": role, "active": True})


def api_token(user, *, name="测试脚本", days=90, **fields) -> tuple:
    """An API token of ``user`` and its key, as the portal page issues them (without the page's checks)."""
    from datetime import timedelta

    from django.utils import timezone

    from doumen_portal.security.models import ApiToken, digest_of, new_key

    key = new_key()
    fields.setdefault("expires_at", timezone.now() + timedelta(days=days))
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:12], digest=digest_of(key), **fields)
    return token, key
