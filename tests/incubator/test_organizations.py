"""The registry: credit codes, registering, who may edit, the public directory and page, query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted
from doumen_portal.places.models import Town
from incubator import services
from incubator.creditcode import validate_credit_code
from incubator.models import Organization, Representative

from .conftest import certificate_scan, code, make_organization

pytestmark = pytest.mark.django_db

VALID = code(1)


def test_valid_code_is_normalized():
    assert validate_credit_code(f" {VALID.lower()[:9]} {VALID[9:]} ") == VALID


@pytest.mark.parametrize(
    ("value", "kind", "words"),
    [
        ("51440403MJL00000", "length", "18 characters"),
        ("5144040XMJL000001" + "A", "format", "8 digits"),
        (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "checksum", "check character"),
        ("51440403MJL00000I" + "1", "format", "8 digits"),
    ],
)
def test_invalid_codes_say_what_is_wrong(value, kind, words):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_credit_code(value)
    assert error.value.code == kind
    with translation.override("en"):
        assert words in error.value.messages[0]


def test_registering_makes_the_user_its_representative_and_the_code_awaits_staff(representative):
    town = Town.objects.get(code="baijiao")
    organization = services.register_organization(
        representative,
        values={"name": "白蕉镇新成立协会", "org_type": "charity", "credit_code": VALID, "town": town},
        certificate=certificate_scan(),
    )
    organization.refresh_from_db()
    assert (organization.status, organization.credit_code) == (Organization.Status.PREPARING, None)
    assert organization.registration_state == "awaiting"
    assert Representative.objects.filter(organization=organization, user=representative).exists()


def test_organization_being_founded_has_no_code(representative):
    organization = services.register_organization(
        representative,
        values={"name": "筹建中的协会", "org_type": "other", "credit_code": "", "town": Town.objects.first()},
    )
    assert organization.credit_code is None
    assert organization.status == Organization.Status.PREPARING


def test_invalid_credit_code_is_refused_and_nothing_created(representative):
    with translation.override("en"), pytest.raises(InvalidInput, match="check character"):
        services.register_organization(
            representative,
            values={
                "name": "错码协会",
                "org_type": "other",
                "credit_code": VALID[:-1] + "0",
                "town": Town.objects.first(),
            },
        )
    assert not Organization.objects.filter(name="错码协会").exists()


def test_duplicate_name_is_refused_with_its_translated_message(organization, representative):
    with translation.override("en"), pytest.raises(Conflict, match="this name"):
        services.register_organization(
            representative,
            values={"name": organization.name, "org_type": "other", "credit_code": "", "town": organization.town},
        )
    assert Organization.objects.count() == 1


def test_representative_edits_own_organization(organization, representative):
    services.update_organization(organization, actor=representative, values={"full_time_staff": 5, "address": "井岸镇"})
    organization.refresh_from_db()
    assert organization.full_time_staff == 5 and organization.address == "井岸镇"


def test_non_representative_edit_is_refused_and_nothing_changes(organization, outsider):
    with pytest.raises(NotPermitted):
        services.update_organization(organization, actor=outsider, values={"name": "被篡改"})
    organization.refresh_from_db()
    assert organization.name == "斗门区测试公益协会"


@pytest.mark.parametrize("who", ["representative", "staff"])
def test_nobody_sets_grade_status_or_credit_code_by_editing(organization, representative, staff, who):
    editor = representative if who == "representative" else staff
    for values in ({"grade": "5A"}, {"status": "deregistered"}, {"credit_code": code(5)}):
        with pytest.raises(NotPermitted):
            services.update_organization(organization, actor=editor, values=values)
    organization.refresh_from_db()
    assert (organization.grade, organization.status, organization.credit_code) == ("", "registered", code(1))


# Portal -----------------------------------------------------------------------------------------------


def test_register_page_creates_and_redirects(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("incubator:organization_new"),
        {
            "name": "门户注册协会",
            "org_type": "sci_tech",
            "credit_code": code(7),
            "town": Town.objects.first().pk,
            "full_time_staff": 2,
            "certificate": certificate_scan(),
        },
    )
    organization = Organization.objects.get(name="门户注册协会")
    assert response.status_code == 302 and response.url == organization.get_absolute_url()
    assert organization.representatives.filter(pk=representative.pk).exists()
    page = client.get(organization.get_absolute_url()).content.decode()
    assert "待确认" in page


def test_register_page_shows_the_credit_code_error(client, representative):
    client.force_login(representative)
    with translation.override("en"):
        response = client.post(
            reverse("incubator:organization_new"),
            {
                "name": "错码",
                "org_type": "other",
                "credit_code": code(7)[:-1] + "0",
                "town": Town.objects.first().pk,
                "full_time_staff": 0,
            },
        )
    assert response.status_code == 200
    assert not Organization.objects.filter(name="错码").exists()
    assert response.context["form"].errors["credit_code"]


def test_edit_page_for_outsider_redirects_with_an_error_and_changes_nothing(client, organization, outsider):
    client.force_login(outsider)
    url = reverse("incubator:organization_edit", args=[organization.pk])
    response = client.post(
        url, {"name": "被篡改", "org_type": "other", "town": organization.town_id, "full_time_staff": 0}
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "斗门区测试公益协会"


def test_edit_page_saves_for_representative(client, organization, representative):
    client.force_login(representative)
    url = reverse("incubator:organization_edit", args=[organization.pk])
    assert client.get(url).status_code == 200
    data = {
        "name": organization.name,
        "org_type": "charity",
        "town": organization.town_id,
        "full_time_staff": 9,
        "contact_person": "王联系",
        "contact_phone": "13712345678",
    }
    assert client.post(url, data).status_code == 302
    organization.refresh_from_db()
    assert organization.full_time_staff == 9


def test_public_page_hides_private_contacts(client, organization, representative):
    url = organization.get_absolute_url()
    page = client.get(url).content.decode()
    assert organization.name in page and organization.credit_code in page
    assert "13712345678" not in page and "王联系" not in page
    client.force_login(representative)
    assert "13712345678" in client.get(url).content.decode()


def test_directory_search_and_filters(client, representative):
    jingan, baijiao = Town.objects.get(code="jingan"), Town.objects.get(code="baijiao")
    make_organization(name="珠海新青志愿者协会", n=2, town=baijiao, grade="3A")
    make_organization(name="斗门区科技创新促进会", n=3, org_type="sci_tech", town=jingan)
    url = reverse("incubator:directory")

    def names(**params):
        return [o.name for o in client.get(url, params).context["organizations"]]

    assert names(q="志愿") == ["珠海新青志愿者协会"]
    assert names(org_type="sci_tech") == ["斗门区科技创新促进会"]
    assert names(town=baijiao.pk) == ["珠海新青志愿者协会"]
    assert names(grade="3A") == ["珠海新青志愿者协会"]
    assert len(names()) == 2


def test_directory_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(30):
        make_organization(name=f"组织{n:02d}", n=100 + n)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("incubator:directory"), {"org_type": "charity"})
    assert response.status_code == 200
    assert len(response.context["organizations"]) == 20


def test_organization_page_query_count(client, organization, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(organization.get_absolute_url()).status_code == 200


# API --------------------------------------------------------------------------------------------------


def test_api_public_list_has_no_private_fields_and_filters(client, organization, django_assert_max_num_queries):
    for n in range(10):
        make_organization(name=f"科技组织{n}", n=200 + n, org_type="sci_tech")
    with django_assert_max_num_queries(3):
        body = client.get(reverse("api:organization-list"), {"type": "sci_tech"}).json()
    assert [row["name"] for row in body["results"]] == [f"科技组织{n}" for n in range(10)]  # by name
    assert "contact_phone" not in body["results"][0] and "contact_person" not in body["results"][0]
    body = client.get(reverse("api:organization-list"), {"search": "测试公益"}).json()
    assert [row["name"] for row in body["results"]] == [organization.name]
    detail = client.get(reverse("api:organization-detail", args=[organization.pk])).content.decode()
    assert "13712345678" not in detail


@pytest.mark.parametrize("rows", [1, 50])
def test_api_directory_is_paged_by_cursor_in_fixed_queries(client, django_assert_max_num_queries, rows):
    for n in range(rows):
        make_organization(name=f"组织{n:02d}", n=300 + n)
    with django_assert_max_num_queries(2):
        body = client.get(reverse("api:organization-list")).json()
    assert "count" not in body  # no COUNT(*) over a province's organizations
    assert [row["name"] for row in body["results"]] == [f"组织{n:02d}" for n in range(min(rows, 20))]
    assert (body["next"] is not None) == (rows > 20)


def test_directory_finds_an_organization_by_its_credit_code(client, organization):
    body = client.get(reverse("api:organization-list"), {"search": organization.credit_code.lower()}).json()
    assert [row["id"] for row in body["results"]] == [organization.pk]


def test_api_patch_by_outsider_is_403_and_changes_nothing(client, organization, outsider):
    client.force_login(outsider)
    response = client.patch(
        reverse("api:organization-detail", args=[organization.pk]), {"name": "被篡改"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    organization.refresh_from_db()
    assert organization.name == "斗门区测试公益协会"


def test_api_patch_anonymous_is_refused(client, organization):
    response = client.patch(
        reverse("api:organization-detail", args=[organization.pk]), {"name": "x"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_api_patch_by_representative(client, organization, representative):
    client.force_login(representative)
    response = client.patch(
        reverse("api:organization-detail", args=[organization.pk]),
        {"full_time_staff": 4},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["full_time_staff"] == 4


def test_api_credit_code_and_status_are_read_only_and_the_state_is_shown(client, organization, representative):
    client.force_login(representative)
    response = client.patch(
        reverse("api:organization-detail", args=[organization.pk]),
        {"credit_code": code(5), "status": "deregistered", "full_time_staff": 3},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["registration_state"] == "registered"
    organization.refresh_from_db()
    assert (organization.credit_code, organization.status, organization.full_time_staff) == (
        code(1),
        "registered",
        3,
    )


def test_representative_adds_a_colleague_and_an_outsider_cannot(organization, representative, outsider):
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague2")
    services.add_representative(organization, user=colleague, actor=representative)
    assert organization.representatives.filter(pk=colleague.pk).exists()
    with pytest.raises(NotPermitted):
        services.add_representative(organization, user=outsider, actor=outsider)
    assert not organization.representatives.filter(pk=outsider.pk).exists()


def test_a_user_may_represent_several_organizations(client, representative):
    first = make_organization(representative, name="第一家", n=11)
    second = make_organization(representative, name="第二家", n=12)
    client.force_login(representative)
    page = client.get(reverse("incubator:mine")).content.decode()
    assert first.name in page and second.name in page
