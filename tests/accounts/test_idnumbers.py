import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from doumen_portal.accounts.idnumbers import mask_resident_id, validate_resident_id
from tests.factories import resident_id


@pytest.mark.parametrize(
    "number",
    [
        "440403200201011232",  # Doumen District, born 2002
        "11010519491231002X",  # check digit X
        "44042119850315002X",  # Doumen County, before it became a district in 2001
    ],
)
def test_valid_numbers_are_accepted(number):
    assert validate_resident_id(number) == number


def test_input_is_normalized_before_validation():
    assert validate_resident_id(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("44040320020101123", "length"),  # 17 characters
        ("4404032002010112321", "length"),  # 19 characters
        ("4404032002A1011232", "format"),  # a letter inside
        ("44040320020101123Y", "format"),  # last character neither digit nor X
        ("440403200201011233", "checksum"),  # one digit mistyped
        (resident_id("44040320020230123"), "birth_date"),  # 30 February
        (resident_id("99999920020101123"), "region"),  # no such region code
    ],
)
def test_each_kind_of_invalid_number_has_its_own_error(number, code):
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(number)
    assert caught.value.code == code


@pytest.mark.parametrize("birth", ["19600315", "20050315"])
def test_a_doumen_number_is_valid_whatever_the_birth_year(birth):
    # 440403 is Doumen District since 2001; people born before then who registered their household in
    # Doumen afterwards hold 440403 numbers too.
    number = resident_id(f"440403{birth}123")
    assert validate_resident_id(number) == number


def test_a_region_code_retired_long_ago_is_still_accepted():
    # 440921 (Xinyi County, Guangdong) existed until 1995 only; numbers issued there remain valid.
    number = resident_id("44092119800101123")
    assert validate_resident_id(number) == number


def test_birth_date_in_the_future_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=400)
    body = f"440403{tomorrow:%Y%m%d}123"
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(body + ric.calc_check_digit(body + "0"))
    assert caught.value.code == "birth_date"


def test_errors_are_translated_to_chinese():
    with pytest.raises(ValidationError) as caught:
        validate_resident_id("440403200201011233")
    assert "校验" in str(caught.value.messages[0])


def test_mask_shows_region_and_last_four_only():
    assert mask_resident_id("440403200201011232") == "440403********1232"
    assert mask_resident_id("") == ""
