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


def api_token(user, *, name="测试脚本", days=90, **fields) -> tuple:
    """An API token of ``user`` and its key, as the portal page issues them (without the page's checks)."""
    from datetime import timedelta

    from django.utils import timezone

    from doumen_portal.security.models import ApiToken, digest_of, new_key

    key = new_key()
    fields.setdefault("expires_at", timezone.now() + timedelta(days=days))
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:12], digest=digest_of(key), **fields)
    return token, key
