"""Password policy: 10+ characters, 3 of 4 character classes, not common, not like the person's own data."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from doumen_portal.accounts.management.commands.seed_demo import CITIZEN_PASSWORD, STAFF, STAFF_PASSWORD
from doumen_portal.accounts.models import User
from doumen_portal.security.validators import CharacterClassesValidator, character_classes

pytestmark = pytest.mark.django_db


def refusals(password, user=None) -> set[str]:
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    return {e.code for e in error.value.error_list}


def test_a_password_shorter_than_ten_characters_is_refused():
    assert refusals("Ab1-ef9hz") == {"password_too_short"}


@pytest.mark.parametrize("password", ["onlylowercaseletters", "lowercase1234567", "UPPER-AND-SYMBOLS"])
def test_a_password_of_fewer_than_three_character_classes_is_refused(password):
    assert refusals(password) == {"password_too_simple"}


def test_a_common_password_is_refused_even_when_it_mixes_classes():
    assert refusals("Password1234") == {"password_too_common"}


def test_a_password_like_the_persons_phone_or_name_is_refused():
    user = User(username="wangfang", phone="+8613912345678", real_name="王芳")

    assert refusals("13912345678Ab", user) == {"password_too_similar"}
    assert refusals("Wangfang-2026", user) == {"password_too_similar"}


def test_a_long_mixed_uncommon_password_is_accepted():
    validate_password("Correct-horse-42", User(username="lihua", phone="+8613912345678"))


def test_chinese_characters_count_as_the_fourth_class():
    assert character_classes("斗门abc123") == 3
    validate_password("斗门社会治理abcd12", User(username="lihua"))


def test_the_demo_passwords_pass_for_their_accounts():
    validate_password(CITIZEN_PASSWORD, User(username="citizen", phone="+8613800138000", real_name="陈小梅"))
    validate_password(CITIZEN_PASSWORD, User(username="villager", phone="+8613800138001"))
    for username, phone, _role in STAFF:
        validate_password(STAFF_PASSWORD, User(username=username, phone=f"+86{phone}"))


def test_the_refusal_and_help_text_are_translated():
    validator = CharacterClassesValidator(min_classes=3)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validator.validate("lowercase1234567")
        english = error.value.messages[0]
        help_texts = password_validators_help_texts()
    assert "at least 3 of these" in english
    assert any("at least 3 of these" in text for text in help_texts)


def test_sign_up_with_a_weak_password_creates_nobody(client, sms_outbox):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        reverse("account_signup"), {"phone": "13912345678", "password1": "lowercase1234", "password2": "lowercase1234"}
    )

    assert response.status_code == 200
    assert "at least 3 of these" in response.content.decode()
    assert not User.objects.exists()
    assert sms_outbox() == []
