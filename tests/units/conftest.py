"""Two petition stations of the same kind, with a worker and a supervisor each, and a petition in each."""

import pytest

from doumen_portal.accounts.roles import Role
from doumen_portal.units.defaults import PETITION_STATION, default_unit
from doumen_portal.units.models import Unit
from tests.factories import StaffFactory, make_unit
from tests.petitions.conftest import *  # noqa: F403  (the petition fixtures: citizens, filing, media)


@pytest.fixture
def station_a(db):
    return default_unit(PETITION_STATION)


@pytest.fixture
def station_b(db):
    return make_unit("petition-station-b", name="白蕉镇信访代理服务点", kind=Unit.Kind.PETITION_STATION)


@pytest.fixture
def worker_a(station_a):
    return StaffFactory(username="worker_a", real_name="甲站代理", roles=[Role.PETITION_AGENT])


@pytest.fixture
def supervisor_a(station_a):
    return StaffFactory(username="boss_a", real_name="甲站站长", roles=[Role.PETITION_SUPERVISOR])


@pytest.fixture
def worker_b(station_b):
    return StaffFactory(username="worker_b", roles=[Role.PETITION_AGENT], memberships=[(station_b, "worker")])


@pytest.fixture
def supervisor_b(station_b):
    return StaffFactory(username="boss_b", roles=[Role.PETITION_SUPERVISOR], memberships=[(station_b, "supervisor")])


@pytest.fixture
def leader(db):
    return StaffFactory(username="leader", roles=[Role.DISTRICT_LEADER])


@pytest.fixture
def petition_a(citizen, file_petition, station_a):
    return file_petition(citizen, subject="甲站的信访")


@pytest.fixture
def petition_b(other_citizen, file_petition, station_b):
    from petitions.models import Petition

    petition = file_petition(other_citizen, subject="乙站的信访")
    # Filed at station B (the petition's town is served there).
    Petition.objects.filter(pk=petition.pk).update(unit=station_b)
    petition.refresh_from_db()
    return petition
