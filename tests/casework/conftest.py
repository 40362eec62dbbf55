import pytest

from doumen_portal.accounts.roles import Role
from doumen_portal.accounts.services import submit_identity_correction
from tests.factories import StaffFactory, VerifiedCitizenFactory

NEW_ID = "11010519491231002X"


@pytest.fixture
def citizen(db):
    return VerifiedCitizenFactory(identity="440403200201011232")


@pytest.fixture
def reviewer(db):
    return StaffFactory(roles=[Role.SYSTEM_ADMIN])


@pytest.fixture
def outsider(db):
    return VerifiedCitizenFactory(identity="440403200505051233")


@pytest.fixture
def correction(citizen):
    return submit_identity_correction(citizen, corrected_name="李明华", id_number=NEW_ID, reason="户籍信息更正")
