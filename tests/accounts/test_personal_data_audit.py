"""A citizen's download of their own data is written to the audit log."""

import pytest
from django.urls import reverse

from doumen_portal.audit.models import AuditEntry
from tests.factories import VerifiedCitizenFactory

pytestmark = pytest.mark.django_db


def test_a_citizens_own_data_download_is_recorded(client):
    citizen = VerifiedCitizenFactory()
    client.force_login(citizen)

    assert client.get(reverse("accounts:data"), REMOTE_ADDR="10.40.1.1").status_code == 200

    [entry] = AuditEntry.objects.filter(action="accounts.personal_data.export")
    assert (entry.actor, entry.object_id, entry.ip_address) == (citizen, str(citizen.pk), "10.40.1.1")
