import datetime

import pytest
from django.utils import timezone

from doumen_portal.accounts.roles import Role
from doumen_portal.casework.services import transition
from doumen_portal.places.models import Town
from incubator import services
from incubator.creditcode import make_credit_code
from incubator.demo import PATHS
from incubator.models import GraduationReview, IncubationApplication, Organization, Representative, Resource
from tests.factories import StaffFactory, UserFactory

S = IncubationApplication.Status


def certificate_scan(name="登记证书.png"):
    """A scan of a registration certificate, as a browser uploads it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.samples import image_bytes

    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def code(n: int) -> str:
    return make_credit_code(f"51440403MJL{n:06d}")


def make_organization(user=None, *, name="斗门区测试公益协会", n=1, town=None, **extra) -> Organization:
    organization = Organization.objects.create(
        name=name,
        org_type=extra.pop("org_type", "charity"),
        credit_code=extra.pop("credit_code", code(n)),
        # get_or_create: transactional tests flush the towns the data migration loaded.
        town=town or Town.objects.get_or_create(code="jingan", defaults={"name": "井岸镇"})[0],
        status=extra.pop("status", Organization.Status.REGISTERED),
        contact_person=extra.pop("contact_person", "王联系"),
        contact_phone=extra.pop("contact_phone", "13712345678"),
        **extra,
    )
    if user is not None:
        Representative.objects.create(organization=organization, user=user)
    return organization


def make_application(organization, user, staff, status=S.DRAFT) -> IncubationApplication:
    """An application moved to ``status`` through the workflow (the same paths as the demo data)."""
    application = services.create_application(
        user, organization=organization, plan="一年内开展四个服务项目。", needs=["space", "training"], team="负责人一名"
    )
    for action, note in PATHS[status]:
        transition(application, action, actor=user if action in ("submit", "resubmit") else staff, note=note or "x")
    if status == S.GRADUATED:
        services.record_graduation_review(
            application,
            actor=staff,
            registered=True,
            governance=True,
            staff=True,
            projects=True,
            decision=GraduationReview.Decision.GRADUATE,
        )
    application.refresh_from_db()
    assert application.status == status
    return application


@pytest.fixture
def representative(db):
    return UserFactory(username="rep", real_name="黄代表")


@pytest.fixture
def outsider(db):
    """A representative of another organization."""
    user = UserFactory(username="other_rep")
    make_organization(user, name="另一家社会组织", n=99)
    return user


@pytest.fixture
def staff(db):
    return StaffFactory(username="base_staff", roles=[Role.INCUBATOR_STAFF])


@pytest.fixture
def leader(db):
    return StaffFactory(username="leader1", roles=[Role.DISTRICT_LEADER])


@pytest.fixture
def organization(representative):
    return make_organization(representative)


@pytest.fixture
def room(db):
    return Resource.objects.create(name="培训教室", kind=Resource.Kind.ROOM, capacity=30)


def slot(days=2, hour=9, hours=2):
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + datetime.timedelta(days=days)
    return start, start + datetime.timedelta(hours=hours)


def pages_with_data(person) -> list[str]:
    """Incubator pages that need an organization and an application of ``person`` (for the translation
    test, which renders every page template in both languages)."""
    from django.urls import reverse

    organization = make_organization(person, name="翻译测试协会", n=77)
    application = services.create_application(
        person, organization=organization, plan="计划", needs=["space"], team="团队"
    )
    from incubator.models import Question, Survey
    from incubator.services.grading import create_grading_application

    survey = Survey.objects.create(
        title="翻译测试调研", status=Survey.Status.SENT, closes_at=timezone.now() + datetime.timedelta(days=3)
    )
    survey.recipients.add(organization)
    Question.objects.create(survey=survey, text="人数", kind=Question.Kind.NUMBER)
    grading = create_grading_application(person, organization=organization)
    return [
        reverse("incubator:surveys"),
        reverse("incubator:survey_answer", args=[survey.pk, organization.pk]),
        reverse("incubator:gradings"),
        grading.get_absolute_url(),
        reverse("incubator:grading_self_assessment", args=[grading.reference]),
        organization.get_absolute_url(),
        reverse("incubator:organization_edit", args=[organization.pk]),
        reverse("incubator:service_record", args=[organization.pk]),
        reverse("incubator:application_new"),
        application.get_absolute_url(),
        reverse("incubator:application_edit", args=[application.reference]),
        reverse("incubator:mine"),
        reverse("incubator:bookings"),
        reverse("incubator:directory"),
    ]
