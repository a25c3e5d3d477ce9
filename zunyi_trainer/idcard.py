"""公民身份号码 (resident ID numbers): cleaning, validation, derived facts and masking.

Real files carry full-width digits, a lowercase x, stray spaces and zero-width characters: they
are cleaned (NFKC) before anything is checked. Length, check digit and birth date are hard
errors; an unknown or anachronistic birthplace code is only a warning, because people registered
late have such numbers (110115197001010014 is real).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata

from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models.enums import Sex
from zunyi_trainer.timeutil import today_local

# Characters that survive NFKC but are not part of any number.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\\s'\"`-]")

MIN_AGE = 16
MAX_AGE = 80


def clean(raw: object) -> str:
    """NFKC, trimmed, invisible characters and separators removed, letters upper-cased."""
    value = unicodedata.normalize("NFKC", str(raw if raw is not None else ""))
    return _INVISIBLE.sub("", value).upper()


@dataclasses.dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: dt.date
    sex: Sex
    birthplace: str | None  # the county the code stood for in the birth year, if known
    warnings: tuple[str, ...] = ()

    @property
    def masked(self) -> str:
        return mask(self.number)


def _error(zh: str, en: str, code: str, **data: object) -> ValidationError:
    return ValidationError(zh, en, field="id_number", code=code, **data)


def parse(raw: object, *, today: dt.date | None = None, min_age: int = MIN_AGE, max_age: int = MAX_AGE) -> IdNumber:
    """Validate an ID number and return it with its derived facts; raise ValidationError."""
    number = clean(raw)
    # Messages quote the number masked (5203**********1234): they reach import reports, the log and
    # the screen, and an 18-digit number with a wrong check digit or an age out of range is, but for
    # one digit or not at all, somebody's real number. The row and the visible digits find it.
    if not number:
        raise _error("身份证号为空。", "The ID number is empty.", "id.empty")
    if len(number) == 15 and number.isdigit():
        raise _error(
            "“{n}”是 15 位的旧身份证号，请填写 18 位的公民身份号码。",
            "“{n}” is an old 15-digit ID number; enter the 18-digit number.",
            "id.fifteen",
            n=mask(number),
        )
    if len(number) != 18:
        raise _error(
            "身份证号应为 18 位，“{n}”是 {length} 位。如果是从 Excel 复制的，请把该列设为文本格式后重新输入。",
            "An ID number has 18 characters; “{n}” has {length}. If it came from Excel, format the "
            "column as text and enter it again.",
            "id.length",
            n=mask(number),
            length=len(number),
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise _error(
            "身份证号“{n}”含有数字和末位 X 以外的字符。",
            "The ID number “{n}” contains characters other than digits and a final X.",
            "id.format",
            n=mask(number),
        )
    if _check_digit(number) != number[17]:
        raise _error(
            "身份证号“{n}”的校验位不对，请逐位核对。",
            "The check digit of “{n}” is wrong; check each digit.",
            "id.checksum",
            n=mask(number),
        )
    try:
        # What ric.get_birth_date reads, without its second cleaning of an already clean number
        # (that cleaning was a third of the time of checking an ID).
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _error(
            "身份证号“{n}”中的出生日期 {d} 不存在。",
            "The birth date {d} in “{n}” does not exist.",
            "id.birth_date",
            n=mask(number),
            d=f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
        ) from None
    today = today or today_local()
    if born > today:
        raise _error(
            "身份证号“{n}”的出生日期 {d} 在将来。",
            "The birth date {d} in “{n}” is in the future.",
            "id.future",
            n=mask(number),
            d=born.isoformat(),
        )
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    warnings: list[str] = []
    if age < min_age or age > max_age:
        raise _error(
            "身份证号“{n}”对应的年龄为 {age} 岁，不在 {lo}–{hi} 岁之间。",
            "“{n}” gives an age of {age}, outside {lo}–{hi}.",
            "id.age",
            n=mask(number),
            age=age,
            lo=min_age,
            hi=max_age,
        )
    place = _birthplace(number[:6], born.year)
    if place is None:
        warnings.append("id.birthplace")
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return IdNumber(number, born, sex, place, tuple(warnings))


def _check_digit(number: str) -> str:
    # python-stdnum is imported on first use: its utilities pull in pydoc and pkgutil, which the
    # window would otherwise load at every start (lists only mask numbers).
    from stdnum.cn import ric

    return ric.calc_check_digit(number)


@functools.lru_cache(maxsize=8192)
def _birthplace(area: str, year: int) -> str | None:
    """The county an area code stood for in a year (stdnum's table), or None if it did not exist.
    Cached: a roster of thousands repeats a few dozen (area, year) pairs, and the lookup dominates."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        info = ric.get_birth_place(f"{area}{year:04d}01010000")
    except StdnumError:
        return None
    return f"{info.get('province', '')}{info.get('county', '')}"


def is_valid(raw: object) -> bool:
    try:
        parse(raw)
    except ValidationError:
        return False
    return True


def mask(number: str | None) -> str:
    """``5203**********1234``: the area's first four and the last four, for every place that does
    not need the full number."""
    if not number:
        return ""
    value = clean(number)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


_NUMBER_SHAPE = re.compile(r"\d{17}[\dX]")


def mask_cell(value: object) -> str:
    """A cell as read from a file, for a screen: masked when it has the shape of an ID number
    (previews and import reports show the file's values; no full number on the screen)."""
    text = "" if value is None else str(value)
    return mask(text) if _NUMBER_SHAPE.fullmatch(clean(text)) else text


def make_number(area: str, birth: dt.date, order: int) -> str:
    """A valid number for tests and the demo: area code, birth date, 3-digit order (odd: male)."""
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + _check_digit(body + "0")


def parse_uscc(raw: object) -> str:
    """统一社会信用代码: cleaned and validated, or ValidationError."""
    from stdnum.cn import uscc
    from stdnum.exceptions import ValidationError as StdnumError

    value = clean(raw)
    try:
        return uscc.validate(value)
    except StdnumError:
        raise ValidationError(
            "统一社会信用代码“{v}”无效：应为 18 位，且校验位正确。请对照营业执照或登记证书核对。",
            "The unified social credit code “{v}” is invalid: it has 18 characters and a check "
            "character. Compare it with the licence.",
            field="uscc",
            code="uscc.invalid",
            v=value,
        ) from None
