import pytest

from doumen_portal.accounts.roles import Role
from doumen_portal.places.models import Town
from tests.factories import StaffFactory, UserFactory, VerifiedCitizenFactory

FORM = {
    "subject": "小区路灯长期不亮",
    "facts": "小区内多盏路灯损坏已超过三个月，多次向物业反映未果。",
    "request": "请求协调尽快修复路灯。",
    "respondent": "井岸镇人民政府",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def town(db):
    # Transactional tests flush the towns the data migration loaded.
    return Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")


@pytest.fixture
def citizen(db):
    return VerifiedCitizenFactory(username="petitioner", real_name="陈小梅", identity="440403200201011232")


@pytest.fixture
def other_citizen(db):
    return VerifiedCitizenFactory(username="neighbour", real_name="王芳", identity="440403200505051233")


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified")


@pytest.fixture
def agent(db):
    return StaffFactory(username="agent1", real_name="张代理", roles=[Role.PETITION_AGENT])


@pytest.fixture
def other_agent(db):
    return StaffFactory(username="agent2", real_name="李代理", roles=[Role.PETITION_AGENT])


@pytest.fixture
def third_agent(db):
    return StaffFactory(username="agent3", roles=[Role.PETITION_AGENT])


@pytest.fixture
def supervisor(db):
    return StaffFactory(username="supervisor1", real_name="站长", roles=[Role.PETITION_SUPERVISOR])


@pytest.fixture
def leader(db):
    return StaffFactory(username="leader1", roles=[Role.DISTRICT_LEADER])


@pytest.fixture
def file_petition(town):
    """File a petition through the service, as the portal and the API do."""
    from petitions.services import submit_petition

    def file(user, **overrides):
        data = {
            "subject": FORM["subject"],
            "facts": FORM["facts"],
            "request_text": FORM["request"],
            "respondent": FORM["respondent"],
            "town": town,
        } | overrides
        return submit_petition(user, **data)

    return file


@pytest.fixture
def petition(citizen, file_petition):
    return file_petition(citizen)


def scan(name="photo.png", content=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.samples import image_bytes

    return SimpleUploadedFile(name, content if content is not None else image_bytes("PNG"), content_type="image/png")
