"""System administrators manage units and memberships in the admin; each change is in the audit log."""

import pytest
from django.urls import reverse

from doumen_portal.accounts.roles import Role
from doumen_portal.audit.models import AuditEntry
from doumen_portal.units.models import Membership, Unit
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_a_system_administrator_adds_a_partner_bank_and_it_is_audited(client):
    sysadmin = StaffFactory(username="sysadmin", roles=[Role.SYSTEM_ADMIN])
    login_with_mfa(client, sysadmin)

    response = client.post(
        reverse("admin:units_unit_add"),
        {
            "code": "cmb-doumen",
            "name": "招商银行珠海斗门支行",
            "kind": "bank",
            "active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    bank = Unit.objects.get(code="cmb-doumen")
    assert AuditEntry.objects.filter(action="units.unit.add", object_id=str(bank.pk), actor=sysadmin).exists()


def test_a_membership_added_in_the_admin_is_audited(client, station_b, worker_a):
    sysadmin = StaffFactory(username="sysadmin", roles=[Role.SYSTEM_ADMIN])
    login_with_mfa(client, sysadmin)

    response = client.post(
        reverse("admin:units_membership_add"),
        {"user": worker_a.pk, "unit": station_b.pk, "role": "worker", "active": "on"},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user=worker_a, unit=station_b)
    assert AuditEntry.objects.filter(action="units.membership.add", object_id=str(membership.pk)).exists()


def test_a_petition_agent_cannot_manage_units(client, worker_a):
    login_with_mfa(client, worker_a)
    assert client.get(reverse("admin:units_unit_changelist")).status_code == 403
