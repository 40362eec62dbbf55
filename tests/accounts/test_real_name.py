import threading

import pytest
from django.db import connection
from django.urls import reverse

from doumen_portal.accounts.models import User
from doumen_portal.accounts.services import verify_real_name
from doumen_portal.exceptions import Conflict
from tests.conftest import require
from tests.factories import UserFactory, VerifiedCitizenFactory

NUMBER = "440403200201011232"

pytestmark = pytest.mark.django_db


def test_verification_stores_the_number_protected():
    citizen = UserFactory()
    verify_real_name(citizen, real_name=" 王芳 ", id_number=NUMBER)

    citizen.refresh_from_db()
    assert citizen.is_real_name_verified
    assert citizen.real_name == "王芳"
    assert citizen.id_number_masked == "440403********1232"
    assert citizen.reveal_resident_id() == NUMBER
    # The raw number appears nowhere in the table, not even in a column we did not think of.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {User._meta.db_table} WHERE id = %s", [citizen.pk])
        row = cursor.fetchone()
    assert not any(NUMBER in str(value) for value in row)
    assert NUMBER not in citizen.id_number_ciphertext


def test_one_number_cannot_verify_two_accounts():
    VerifiedCitizenFactory(identity=NUMBER)
    second = UserFactory()

    with pytest.raises(Conflict) as caught:
        verify_real_name(second, real_name="冒名", id_number=NUMBER)

    assert caught.value.code == "duplicate_id"
    second.refresh_from_db()
    assert not second.is_real_name_verified
    assert second.id_number_digest is None and second.real_name == ""


def test_a_verified_identity_is_not_overwritten():
    citizen = VerifiedCitizenFactory(identity=NUMBER)

    with pytest.raises(Conflict):
        verify_real_name(citizen, real_name="别人", id_number="11010519491231002X")

    citizen.refresh_from_db()
    assert citizen.real_name == "李明"
    assert citizen.reveal_resident_id() == NUMBER


def test_verification_page_verifies_and_shows_the_masked_number(client):
    citizen = UserFactory()
    client.force_login(citizen)

    response = client.post(reverse("accounts:verify"), {"real_name": "王芳", "id_number": NUMBER}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "440403********1232" in page
    assert NUMBER not in page


def test_bad_number_on_the_page_gives_a_chinese_error_and_saves_nothing(client):
    citizen = UserFactory()
    client.force_login(citizen)

    response = client.post(reverse("accounts:verify"), {"real_name": "王芳", "id_number": "440403200201011233"})

    assert response.status_code == 200
    assert "校验" in response.content.decode()
    citizen.refresh_from_db()
    assert not citizen.is_real_name_verified


def test_duplicate_number_on_the_page_is_refused_with_a_clear_message(client):
    VerifiedCitizenFactory(identity=NUMBER)
    second = UserFactory()
    client.force_login(second)

    response = client.post(reverse("accounts:verify"), {"real_name": "王芳", "id_number": NUMBER})

    assert response.status_code == 200
    assert "已用于其他账户的实名认证" in response.content.decode()
    second.refresh_from_db()
    assert not second.is_real_name_verified


def test_verification_page_needs_login(client):
    response = client.get(reverse("accounts:verify"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_two_accounts_racing_for_one_number_leave_one_verified():
    require(connection.vendor == "postgresql", "PostgreSQL (concurrent transactions)")
    first, second = UserFactory(), UserFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            verify_real_name(user, real_name="张三", id_number=NUMBER)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "ok"]
    assert User.objects.filter(id_number_digest__isnull=False).count() == 1
