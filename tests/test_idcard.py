"""ID numbers: the cases real rosters bring."""

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zunyi_trainer import idcard
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import Sex

TODAY = dt.date(2026, 11, 28)


def _with_check(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


def test_valid_number_gives_birth_date_sex_and_place():
    parsed = idcard.parse("520302200001010110", today=TODAY)
    assert parsed.birth_date == dt.date(2000, 1, 1)
    assert parsed.sex is Sex.MALE
    assert parsed.birthplace == "贵州省红花岗区"
    assert parsed.warnings == ()


def test_even_order_digit_is_female():
    assert idcard.parse(idcard.make_number("520382", dt.date(1999, 9, 9), 12), today=TODAY).sex is Sex.FEMALE


def test_bad_check_digit_is_an_error_that_says_so():
    with pytest.raises(ValidationError) as err:
        idcard.parse("520302200001010111", today=TODAY)
    assert err.value.code == "id.checksum"
    assert "校验位" in err.value.message()


def test_thirtieth_of_february_is_refused():
    number = _with_check("52030220000230001")
    with pytest.raises(ValidationError) as err:
        idcard.parse(number, today=TODAY)
    assert err.value.code == "id.birth_date"
    assert "2000-02-30" in err.value.message()


def test_fifteen_digit_number_is_refused_with_instruction():
    with pytest.raises(ValidationError) as err:
        idcard.parse("520302800101001", today=TODAY)
    assert err.value.code == "id.fifteen"
    assert "18 位" in err.value.message()


def test_born_in_2099_is_refused():
    number = _with_check("52030220990101001")
    with pytest.raises(ValidationError) as err:
        idcard.parse(number, today=TODAY)
    assert err.value.code == "id.future"


def test_age_outside_the_setting_is_refused():
    child = idcard.make_number("520302", dt.date(2015, 1, 1), 11)
    with pytest.raises(ValidationError) as err:
        idcard.parse(child, today=TODAY)
    assert err.value.code == "id.age"
    assert idcard.parse(child, today=TODAY, min_age=10).birth_date == dt.date(2015, 1, 1)


def test_full_width_digits_spaces_and_zero_width_are_cleaned():
    raw = "\u200b５２０３０２ ２０００ ０１０１ ０１１０\ufeff"
    assert idcard.parse(raw, today=TODAY).number == "520302200001010110"


def test_lowercase_x_is_accepted_as_check_character():
    body = "52038219900101002"
    number = _with_check(body)
    if not number.endswith("X"):  # find an order code whose check character is X
        for order in range(1, 999):
            body = f"5203821990010{order:03d}"[:17]
            body = f"52038219900101{order:03d}"
            number = _with_check(body)
            if number.endswith("X"):
                break
    assert number.endswith("X")
    assert idcard.parse(number.lower(), today=TODAY).number == number


def test_late_registration_number_is_valid_with_a_birthplace_warning():
    parsed = idcard.parse("110115197001010014", today=TODAY)
    assert parsed.number == "110115197001010014"
    assert parsed.warnings == ("id.birthplace",)
    assert parsed.birthplace is None


def test_letters_in_the_body_are_refused():
    with pytest.raises(ValidationError) as err:
        idcard.parse("5203022000010101AB", today=TODAY)
    assert err.value.code == "id.format"


def test_mask_keeps_first_four_and_last_four():
    assert idcard.mask("520302200001010110") == "5203**********0110"
    assert idcard.mask("") == ""


def test_uscc_is_validated():
    assert idcard.parse_uscc(" 91110000600037341l ") == "91110000600037341L"
    with pytest.raises(ValidationError) as err:
        idcard.parse_uscc("91110000600037341X")
    assert err.value.field == "uscc"


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2008, 12, 31)), st.integers(1, 998))
def test_made_numbers_round_trip_through_parse(birth, order):
    area = "522121" if birth.year < 1997 else "520322"
    number = idcard.make_number(area, birth, order)
    parsed = idcard.parse(number, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.sex is (Sex.MALE if order % 2 else Sex.FEMALE)
    assert parsed.warnings == ()
    assert idcard.mask(number) == number[:4] + "*" * 10 + number[-4:]


@given(st.text(max_size=30))
def test_parse_never_fails_with_anything_but_a_validation_error(raw):
    with contextlib.suppress(ValidationError):
        idcard.parse(raw, today=TODAY)


def test_a_cell_shaped_like_an_id_number_is_masked_for_the_screen_and_others_are_not():
    number = idcard.make_number("520302", dt.date(1990, 5, 17), 123)
    assert idcard.mask_cell(number) == idcard.mask(number) and "*" in idcard.mask_cell(number)
    assert idcard.mask_cell(number[:-1] + "x") == idcard.mask(number[:-1] + "X")  # as a roster writes it
    assert idcard.mask_cell("13985000001") == "13985000001"  # a phone
    assert idcard.mask_cell(None) == "" and idcard.mask_cell("√") == "√"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("520302200001010111", "id.checksum"),
        (_with_check("52030220000230001"), "id.birth_date"),
        (_with_check("52030220990101001"), "id.future"),
        (idcard.make_number("520302", dt.date(2015, 1, 1), 11), "id.age"),  # a valid number: a child's
        ("520302800101001", "id.fifteen"),  # an old number is a real one too
        ("52030220000101001", "id.length"),
        ("5203022000010100A1", "id.format"),
    ],
)
def test_no_message_quotes_the_whole_number(raw, code):
    """The messages reach import reports, the log and the screen: the number in them is masked,
    with the last four (the check digit among them) left to find the typo by."""
    with pytest.raises(ValidationError) as err:
        idcard.parse(raw, today=TODAY)
    assert err.value.code == code
    for text in (err.value.zh, err.value.en, repr(err.value.data)):
        assert raw not in text
        assert raw[:4] + "*" in text and raw[-4:] in text
