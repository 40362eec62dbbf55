import pytest
from django.urls import reverse

from doumen_portal.places.models import Town, Village

pytestmark = pytest.mark.django_db


def test_the_six_towns_and_subdistricts_of_doumen_are_loaded():
    assert list(Town.objects.values_list("name", flat=True)) == [
        "井岸镇",
        "白蕉镇",
        "斗门镇",
        "乾务镇",
        "莲洲镇",
        "白藤街道",
    ]
    assert Town.objects.get(name="白藤街道").kind == Town.Kind.SUBDISTRICT


def test_villages_of_the_article_are_in_their_towns():
    assert Village.objects.get(name="南门村").town.name == "斗门镇"
    assert Village.objects.get(name="新伟社区").kind == Village.Kind.COMMUNITY
    assert Village.objects.count() >= 30
    assert not Town.objects.filter(villages__isnull=True).exists()


def test_public_towns_api_lists_villages_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("api:town-list"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    jingan = next(town for town in body["results"] if town["name"] == "井岸镇")
    assert "新伟社区" in {village["name"] for village in jingan["villages"]}


def test_towns_api_query_count_does_not_grow_with_villages(client, django_assert_max_num_queries):
    town = Town.objects.first()
    Village.objects.bulk_create(Village(town=town, name=f"测试村{n}", code=f"test-{n}") for n in range(50))

    with django_assert_max_num_queries(3):
        assert client.get(reverse("api:town-list")).status_code == 200


def test_places_admin_list_pages_have_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:places_village_changelist")).status_code == 200
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:places_town_changelist")).status_code == 200
