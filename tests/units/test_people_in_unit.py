"""``people_in_unit_with_perm``: active members of a unit holding a permission, at its boundaries."""

import pytest
from django.contrib.auth.models import Permission

from doumen_portal.accounts.roles import Role
from doumen_portal.units.models import Membership
from doumen_portal.units.selectors import people_in_unit_with_perm
from tests.factories import StaffFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

HANDLE = "petitions.handle_petition"


def test_a_member_holding_the_permission_through_a_role_group_is_found(station_a, worker_a):
    assert list(people_in_unit_with_perm(station_a, HANDLE)) == [worker_a]


def test_a_member_holding_the_permission_directly_is_found_and_need_not_be_staff(station_a):
    partner = UserFactory(username="lawyer")
    partner.user_permissions.add(Permission.objects.get(codename="handle_petition"))
    add_member(partner, station_a)

    assert list(people_in_unit_with_perm(station_a, HANDLE)) == [partner]


def test_an_inactive_membership_an_inactive_person_and_another_unit_are_left_out(station_a, station_b, worker_b):
    left = StaffFactory(username="left", roles=[Role.PETITION_AGENT])
    Membership.objects.filter(user=left).update(active=False)
    retired = StaffFactory(username="retired", roles=[Role.PETITION_AGENT], is_active=False)
    without_permission = StaffFactory(username="clerk", roles=[], memberships=[(station_a, "worker")])

    assert list(people_in_unit_with_perm(station_a, HANDLE)) == []
    assert list(people_in_unit_with_perm(station_b, HANDLE)) == [worker_b]
    assert {left, retired, without_permission}.isdisjoint(people_in_unit_with_perm(station_a, HANDLE))


def test_an_inactive_unit_has_nobody(station_a, worker_a):
    station_a.active = False
    station_a.save(update_fields=["active"])
    assert list(people_in_unit_with_perm(station_a, HANDLE)) == []


def test_the_role_narrows_to_supervisors(station_a, worker_a, supervisor_a):
    assert set(people_in_unit_with_perm(station_a, HANDLE)) == {worker_a, supervisor_a}
    assert list(people_in_unit_with_perm(station_a, HANDLE, role=Membership.Role.SUPERVISOR)) == [supervisor_a]


def test_it_is_one_query(station_a, worker_a, supervisor_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(people_in_unit_with_perm(station_a, HANDLE))
