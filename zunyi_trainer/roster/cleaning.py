"""Cleaning one cell of a roster: what people and software put into Excel, made comparable.

NFKC (full-width digits and letters become ASCII), zero-width and non-breaking characters
removed, whitespace trimmed. Names lose the spaces people type between the characters of a
Chinese name (``张 三``), but keep the middle dot of minority names (``阿依古丽·买买提``).
Phone numbers lose dashes, spaces, brackets and a ``+86``/``0086`` prefix.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e\u202a-\u202e]")
_SPACES = re.compile(r"\s+")
_NAME_DOTS = re.compile("[.．•・‧∙⋅･]")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_PHONE_SEPARATORS = re.compile(r"[\s\-–—()（）.·/]+")
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{9,11}")  # area code + number, written without its dash
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
FOOTER_WORDS: tuple[str, ...] = (
    "合计",
    "总计",
    "小计",
    "制表人",
    "制表",
    "审核人",
    "审核",
    "负责人",
    "填表人",
    "填报人",
    "签字",
    "盖章",
    "日期",
    "注：",
    "注:",
    "说明",
    "填表说明",
    "备注：",
)


def clean_text(value: Any) -> str:
    """A cell as clean text: NFKC, no invisible characters, whitespace collapsed and trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    text = value if type(value) is str else str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not text.isprintable() or "  " in text or (text and (text[0].isspace() or text[-1].isspace())):
        # Zero-width characters (format characters) and line breaks are not printable: a clean
        # cell, the common case, skips the regular expressions.
        text = _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()
    return text


def clean_name(value: Any) -> str:
    text = clean_text(value)
    text = _CJK_SPACE.sub("", text)
    return _NAME_DOTS.sub("·", text)


def clean_phone(value: Any) -> str:
    """Digits only: ``+86 139-0851-2345`` → ``13908512345``; ``0851-2822 1234`` → ``085128221234``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    if not text:
        return ""
    text = _PHONE_SEPARATORS.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13 and MOBILE.fullmatch(text[2:]):
        text = text[2:]
    return text


def phone_is_valid(digits: str) -> bool:
    return bool(MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits))


def id_lost_in_number(value: Any) -> str | None:
    """When an ID number was typed into a numeric cell, what Excel kept of it (its last digits are
    gone: Excel keeps 15 significant digits). ``None`` when the cell was text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return f"{value:.0f}" if abs(value) >= 1e15 else None
    text = clean_text(value)
    if SCIENTIFIC.match(text):  # a CSV written by Excel from such a cell
        return text
    return None


def looks_like_footer(text: str) -> bool:
    """合计/制表人/审核人 lines under a table (``制表人：王芳　审核人：李强``)."""
    return text.replace(" ", "").startswith(FOOTER_WORDS)
