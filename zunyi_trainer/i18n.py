"""The language of the core's messages: Chinese first, English under an English locale.

The core speaks through :func:`text` with both sentences side by side, so a message and its
translation are reviewed together. The GUI has its own Qt translations; this is for the command
line and for errors raised by the core.
"""

from __future__ import annotations

import locale
import os

_language: str | None = None


def detect_language() -> str:
    """``en`` when the environment asks for English, otherwise ``zh``."""
    for var in ("ZUNYI_TRAINER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "en" if loc.lower().startswith("en") else "zh"


def language() -> str:
    global _language
    if _language is None:
        _language = detect_language()
    return _language


def set_language(lang: str | None) -> None:
    """Force ``zh`` or ``en``; ``None`` goes back to the environment's choice."""
    global _language
    if lang not in (None, "zh", "en"):
        raise ValueError(f"unknown language {lang!r}")
    _language = lang


def text(zh: str, en: str, /, **params: object) -> str:
    template = en if language() == "en" else zh
    return template.format(**params) if params else template
