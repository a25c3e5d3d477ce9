"""One process at a time per register.

The lock is an operating-system lock on ``<register>.lock`` (released by the OS when the holder
dies, so a crash never leaves a stale lock), and the file tells who holds it: host, process and
since when, so that a second instance can say so.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

from zunyi_trainer.errors import RegisterLocked
from zunyi_trainer.timeutil import format_local, now_utc

if os.name == "nt":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _holder(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


class RegisterLock:
    def __init__(self, register: Path) -> None:
        self.path = register.with_name(register.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            who = _holder(self.path)
            raise RegisterLocked(
                "登记册已被另一个程序打开（计算机 {host}，进程 {pid}，自 {since} 起）。请先关闭那个窗口再试。",
                "The register is already open in another program (host {host}, process {pid}, "
                "since {since}). Close that window and try again.",
                host=who.get("host", "?"),
                pid=who.get("pid", "?"),
                since=who.get("since", "?"),
            )
        info = json.dumps(
            {"host": socket.gethostname(), "pid": os.getpid(), "since": format_local(now_utc())},
            ensure_ascii=False,
        ).encode("utf-8")
        # Write the holder after byte 0 is locked; Windows locks the first byte only.
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, info)
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> RegisterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
