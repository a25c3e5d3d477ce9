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
        if "{code}" in zh or "{code}" in en:  # `code` is the error's own code, never a placeholder
            raise TypeError("a ZunyiError message may not use {code} as a placeholder: rename it")
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


class StorageError(ZunyiError):
    """The disk refused a write: full, read-only, removed or failing."""

    code = "storage"


_FULL_ERRNOS = {28, 27, 122}  # ENOSPC, EFBIG, EDQUOT
_READONLY_ERRNOS = {30, 13}  # EROFS, EACCES


def explain_storage_error(exc: BaseException) -> StorageError | None:
    """A sentence for a failed write (disk full, read-only, I/O error), or None if it is not one.

    SQLite reports these as ``OperationalError`` texts; the OS as ``OSError`` numbers. Either way
    the transaction was rolled back, so nothing half-written remains: the message says so."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        message = str(exc).lower()
        errno = getattr(exc, "errno", None)
        if errno in _FULL_ERRNOS or "disk is full" in message or "file too large" in message:
            return StorageError(
                "磁盘空间不足，写入失败。操作已撤销，已有的数据没有改动。请清理磁盘（或换一个 U 盘）后重试。",
                "The disk is full and the write failed. The operation was undone and existing data is "
                "unchanged. Free some space (or use another USB stick) and try again.",
                code="storage.full",
            )
        if errno in _READONLY_ERRNOS or "readonly database" in message or "read-only file system" in message:
            return StorageError(
                "无法写入：磁盘或文件是只读的（或没有写入权限）。操作已撤销，已有的数据没有改动。",
                "Cannot write: the disk or file is read-only (or not writable by you). The operation was "
                "undone and existing data is unchanged.",
                code="storage.readonly",
            )
        if errno == 5 or "disk i/o error" in message:
            return StorageError(
                "磁盘读写出错（可能是 U 盘被拔出或磁盘故障）。操作已撤销，已有的数据没有改动。请检查磁盘后重试，并尽快备份。",
                "A disk I/O error occurred (a removed USB stick or a failing disk). The operation was undone "
                "and existing data is unchanged. Check the disk, try again, and back up soon.",
                code="storage.io",
            )
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return None
