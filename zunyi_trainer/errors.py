"""Typed errors of the core.

Each carries a stable ``code`` and the data needed to explain it, and renders a sentence in
the user's language with :meth:`ZunyiError.message`. The command line prints that sentence and
exits 1; the GUI shows it in a dialog. Neither shows a traceback.
"""

from __future__ import annotations

from typing import Any

from zunyi_trainer.i18n import language


class ZunyiError(Exception):
    """An error the user can act on."""

    code = "error"

    def __init__(self, zh: str, en: str, /, *, code: str | None = None, **data: Any) -> None:
        self.zh = zh.format(**data) if data else zh
        self.en = en.format(**data) if data else en
        if code:
            self.code = code
        self.data = data
        super().__init__(self.en)

    def message(self) -> str:
        return self.en if language() == "en" else self.zh

    def __str__(self) -> str:
        return self.message()


class RegisterError(ZunyiError):
    code = "register"


class RegisterLocked(RegisterError):
    code = "register.locked"


class RegisterTooNew(RegisterError):
    code = "register.too_new"


class RegisterDamaged(RegisterError):
    code = "register.damaged"

    def __init__(self, zh: str, en: str, /, *, backups: list | None = None, **data: Any) -> None:
        super().__init__(zh, en, **data)
        self.backups = backups or []


class RegisterMissing(RegisterError):
    code = "register.missing"


class BackupError(ZunyiError):
    code = "backup"


class ValidationError(ZunyiError):
    """Bad input; ``field`` names the form field it belongs to, when there is one."""

    code = "invalid"

    def __init__(self, zh: str, en: str, /, *, field: str | None = None, code: str | None = None, **data: Any) -> None:
        super().__init__(zh, en, code=code, **data)
        self.field = field


class NotFound(ZunyiError):
    code = "not_found"
