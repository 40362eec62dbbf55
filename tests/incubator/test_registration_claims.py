"""Registration claims: a credit code counts once staff confirm it from the registration certificate; a second
claim of the same code is a dispute for staff, not an error, and blocks nobody."""

import pytest
from django.urls import reverse
from django.utils import translation

from doumen_portal.accounts.roles import Role
from doumen_portal.audit.models import AuditEntry
from doumen_portal.documents.models import Attachment
from doumen_portal.exceptions import InvalidInput, NotPermitted
from doumen_portal.notifications.models import Notification
from doumen_portal.places.models import Town
from incubator import services
from incubator.models import Organization, RegistrationClaim
from incubator.services.registration import (
    confirm_registration,
    reject_registration,
    resolve_registration_dispute,
)
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, UserFactory

from .conftest import certificate_scan, code

pytestmark = pytest.mark.django_db

C = RegistrationClaim.Status
CODE = code(42)


def register(user, name, credit_code=CODE, **kwargs):
    return services.register_organization(
        user,
        values={"name": name, "org_type": "charity", "credit_code": credit_code, "town": Town.objects.first()},
        certificate=kwargs.pop("certificate", certificate_scan()),
        **kwargs,
    )


@pytest.fixture
def real_one(db):
    return UserFactory(username="real_rep", real_name="真代表")


@pytest.fixture
def squatter(db):
    return UserFactory(username="squatter", real_name="抢注者")


def test_a_new_registration_with_a_code_awaits_staff_confirmation(real_one):
    organization = register(real_one, "斗门区真协会")

    organization.refresh_from_db()
    claim = organization.registration_claims.get()
    assert (organization.status, organization.credit_code, organization.registration_state) == (
        Organization.Status.PREPARING,
        None,
        "awaiting",
    )
    assert (claim.status, claim.credit_code, claim.claimant) == (C.AWAITING, CODE, real_one)
    assert claim.certificate.owner == claim and claim.certificate.original_name == "登记证书.png"


def test_staff_confirm_and_the_organization_is_registered_and_the_claimant_told(real_one, staff):
    organization = register(real_one, "斗门区真协会")
    claim = organization.registration_claims.get()

    confirm_registration(claim, actor=staff, note="证书核对无误")

    organization.refresh_from_db()
    claim.refresh_from_db()
    assert (organization.status, organization.credit_code) == (Organization.Status.REGISTERED, CODE)
    assert (claim.status, claim.decided_by) == (C.CONFIRMED, staff)
    told = Notification.objects.filter(recipient=real_one).latest("pk")
    assert organization.name in told.body and CODE in told.body
    assert AuditEntry.objects.filter(action="incubator.registration.confirm", object_id=str(claim.pk)).exists()


def test_a_second_claim_of_the_code_is_a_dispute_and_staff_resolve_it_for_the_real_one(real_one, squatter, staff):
    squatted = register(squatter, "抢先注册的协会")  # typed someone else's code first
    real = register(real_one, "斗门区真协会")  # not an error: both claims go to staff

    first, second = squatted.registration_claims.get(), real.registration_claims.get()
    assert (first.status, second.status) == (C.DISPUTED, C.DISPUTED)
    assert real.registration_state == "disputed"

    resolve_registration_dispute(second, actor=staff, note="登记证书显示为斗门区真协会")

    real.refresh_from_db()
    squatted.refresh_from_db()
    first.refresh_from_db()
    assert (real.status, real.credit_code) == (Organization.Status.REGISTERED, CODE)
    assert (squatted.status, squatted.credit_code, first.status) == (Organization.Status.PREPARING, None, C.REJECTED)
    assert Notification.objects.filter(recipient=squatter, body__contains="登记证书显示为斗门区真协会").exists()
    assert Notification.objects.filter(recipient=real_one).exists()


def test_claiming_the_code_of_a_registered_organization_is_a_dispute_staff_can_settle(organization, real_one, staff):
    holder_code = organization.credit_code
    claimant_org = register(real_one, "声称持有该代码的协会", credit_code=holder_code)

    claim = claimant_org.registration_claims.get()
    assert claim.status == C.DISPUTED
    organization.refresh_from_db()
    assert organization.status == Organization.Status.REGISTERED  # nothing changes until staff decide

    reject_registration(claim, actor=staff, note="证书与代码不符")
    claim.refresh_from_db()
    organization.refresh_from_db()
    assert claim.status == C.REJECTED and organization.credit_code == holder_code


def test_non_staff_cannot_confirm_and_nothing_changes(real_one, squatter):
    organization = register(real_one, "斗门区真协会")
    claim = organization.registration_claims.get()

    for person in (real_one, squatter, StaffFactory(username="worker", roles=[Role.SOCIAL_WORKER])):
        with pytest.raises(NotPermitted):
            confirm_registration(claim, actor=person)

    claim.refresh_from_db()
    organization.refresh_from_db()
    assert claim.status == C.AWAITING and organization.credit_code is None


def test_a_code_without_certificate_is_refused_with_a_translated_error_and_nothing_saved(real_one):
    with translation.override("en"), pytest.raises(InvalidInput, match="registration certificate"):
        register(real_one, "没有证书的协会", certificate=None)
    assert not Organization.objects.filter(name="没有证书的协会").exists()
    assert not RegistrationClaim.objects.exists()


def test_the_register_page_keeps_the_certificate_when_the_code_is_wrong(client, real_one):
    client.force_login(real_one)
    data = {
        "name": "错码协会",
        "org_type": "other",
        "credit_code": CODE[:-1] + ("0" if CODE[-1] != "0" else "1"),
        "town": Town.objects.first().pk,
        "full_time_staff": 0,
    }

    with translation.override("en"):
        response = client.post(reverse("incubator:organization_new"), {**data, "certificate": certificate_scan()})

    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"]
    assert not Organization.objects.filter(name="错码协会").exists()
    kept = Attachment.objects.get(uploaded_by=real_one, owner_id__isnull=True)
    assert kept.original_name in response.content.decode()

    # Corrected code, no new file chosen: the kept certificate goes with the claim.
    response = client.post(
        reverse("incubator:organization_new"), {**data, "credit_code": CODE, "kept_uploads": [str(kept.public_id)]}
    )
    assert response.status_code == 302
    claim = RegistrationClaim.objects.get()
    assert claim.certificate == kept and claim.status == C.AWAITING


def test_the_register_page_asks_for_the_certificate_with_the_code(client, real_one):
    client.force_login(real_one)
    with translation.override("en"):
        response = client.post(
            reverse("incubator:organization_new"),
            {
                "name": "无证协会",
                "org_type": "other",
                "credit_code": CODE,
                "town": Town.objects.first().pk,
                "full_time_staff": 0,
            },
        )
    assert response.status_code == 200
    assert response.context["form"].errors["certificate"]
    assert not Organization.objects.filter(name="无证协会").exists()


def test_staff_see_a_dispute_in_the_admin_and_resolve_it_with_the_action(client, real_one, squatter, staff):
    squatted = register(squatter, "抢先注册的协会")
    real = register(real_one, "斗门区真协会")
    claim = real.registration_claims.get()
    login_with_mfa(client, staff)

    changelist = client.get(reverse("admin:incubator_registrationclaim_changelist"), {"status__exact": "disputed"})
    page = client.get(reverse("admin:incubator_registrationclaim_change", args=[claim.pk])).content.decode()
    assert changelist.status_code == 200 and squatted.name in changelist.content.decode()
    assert squatted.name in page and "抢注者" in page  # the other claimant, with a link to their certificate

    response = client.post(
        reverse("admin:incubator_registrationclaim_changelist"),
        {"action": "resolve_for_claim", "_selected_action": [claim.pk], "note": "证书为真协会所有"},
    )

    assert response.status_code == 302
    real.refresh_from_db()
    assert real.credit_code == CODE


def test_a_citizen_cannot_run_the_admin_action(client, real_one):
    organization = register(real_one, "斗门区真协会")
    claim = organization.registration_claims.get()
    client.force_login(real_one)

    response = client.post(
        reverse("admin:incubator_registrationclaim_changelist"),
        {"action": "confirm_claims", "_selected_action": [claim.pk]},
    )

    assert response.status_code in (302, 403)  # sent to the admin login, never a change
    claim.refresh_from_db()
    assert claim.status == C.AWAITING
