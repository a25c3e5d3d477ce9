"""Backups of the register: taken with SQLite's online backup API (never a file copy, which can
catch a half-written page or miss the WAL), verified after writing, rotated, and restorable.

Names say when and why: ``register-20260310-093000-pre-upgrade.sqlite3``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from zunyi_trainer.errors import BackupError, explain_storage_error
from zunyi_trainer.timeutil import LOCAL_TZ

_NAME = re.compile(r"^register-(\d{8}-\d{6})(?:-(\d+))?-([a-z0-9-]+)\.sqlite3$")

# How many backups rotation keeps: the newest few, then one a day, then one a month.
KEEP_RECENT = 10
KEEP_DAILY = 14
KEEP_MONTHLY = 24


@dataclasses.dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime  # local time
    reason: str
    size: int


def _parse(path: Path) -> BackupInfo | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    taken = dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=LOCAL_TZ)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path, taken, m.group(3), size)


def list_backups(directory: Path) -> list[BackupInfo]:
    """Backups in a folder, newest first."""
    if not directory.is_dir():
        return []
    found = [info for p in directory.iterdir() if (info := _parse(p)) is not None]
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def check_file(path: Path, *, quick: bool = False) -> str | None:
    """``None`` when ``path`` is a sound SQLite register; otherwise what is wrong with it.

    ``quick`` runs ``quick_check`` (pages and records, not index contents): fast enough for
    every start of the app; backups and restores get the full ``integrity_check``."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    if header != b"SQLite format 3\x00":
        return "not an SQLite database"
    try:
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                return "; ".join(str(r[0]) for r in result[:5])
            con.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None


def _copy_database(source: Path, target: Path, progress: Callable[[int, int], None] | None = None) -> None:
    """Copy with the online backup API into ``target`` (which must not exist), then fsync it."""
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:

            def _progress(status: int, remaining: int, total: int) -> None:
                if progress:
                    progress(total - remaining, total)

            src.backup(dst, pages=1024, progress=_progress)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())


def create_backup(
    register: Path,
    directory: Path,
    reason: str = "manual",
    *,
    target: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    rotate: bool = True,
) -> BackupInfo:
    """Back the register up into ``directory`` (or to ``target``), verify the copy, rotate."""
    reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    now = dt.datetime.now(LOCAL_TZ)
    partial: Path | None = None
    try:
        if target is None:
            directory.mkdir(parents=True, exist_ok=True)
            stamp = now.strftime("%Y%m%d-%H%M%S")
            target = directory / f"register-{stamp}-{reason}.sqlite3"
            n = 1
            while target.exists():  # two backups in one second
                n += 1
                target = directory / f"register-{stamp}-{n}-{reason}.sqlite3"
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        for stale in target.parent.glob("register-*.sqlite3.partial"):  # left by a backup that was killed
            stale.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
        _copy_database(register, partial, progress)
        problem = check_file(partial)
        if problem:
            raise BackupError(
                "备份校验失败（{problem}），备份未保存。登记册本身没有改动。",
                "The backup failed verification ({problem}) and was not kept. The register is unchanged.",
                problem=problem,
            )
        os.replace(partial, target)
    except BackupError:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    except (OSError, sqlite3.Error) as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        storage = explain_storage_error(exc)
        if storage is not None:
            raise BackupError(
                "备份没有完成，未完成的备份文件已删除。{why}",
                "The backup was not finished and the unfinished file was removed. {why}",
                code="backup.storage",
                why=storage.message(),
            ) from exc
        if isinstance(exc, sqlite3.Error):
            raise BackupError(
                "备份失败：{error}。请检查磁盘空间和写入权限。登记册本身没有改动。",
                "The backup failed: {error}. Check free space and permissions. The register is unchanged.",
                error=str(exc),
            ) from exc
        raise BackupError(
            "无法写入备份 {target}：{error}。请检查磁盘空间和写入权限。登记册本身没有改动。",
            "Could not write the backup {target}: {error}. Check free space and permissions. The register is unchanged.",
            target=str(target or directory),
            error=exc.strerror or str(exc),
        ) from exc
    info = _parse(target) or BackupInfo(target, now, reason, target.stat().st_size)
    if rotate and target.parent == directory:
        rotate_backups(directory)
    return info


def rotate_backups(directory: Path, *, today: dt.date | None = None) -> list[Path]:
    """Keep the newest KEEP_RECENT, the newest of each of the last KEEP_DAILY days and of each of
    the last KEEP_MONTHLY months; remove the rest. Returns what was removed."""
    backups = list_backups(directory)
    today = today or dt.datetime.now(LOCAL_TZ).date()
    keep: set[Path] = {b.path for b in backups[:KEEP_RECENT]}
    days: set[dt.date] = set()
    months: set[tuple[int, int]] = set()
    for b in backups:  # newest first: the first seen of a day or month is its newest
        day = b.taken_at.date()
        if (today - day).days < KEEP_DAILY and day not in days:
            days.add(day)
            keep.add(b.path)
        month = (day.year, day.month)
        months_ago = (today.year - day.year) * 12 + today.month - day.month
        if months_ago < KEEP_MONTHLY and month not in months:
            months.add(month)
            keep.add(b.path)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def newest_good_backup(directory: Path) -> BackupInfo | None:
    for b in list_backups(directory):
        if check_file(b.path) is None:
            return b
    return None


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def restore_backup(backup: Path, register: Path, backups_directory: Path) -> Path | None:
    """Put ``backup`` in place of the register. The caller holds the register's lock and has no
    connection open to it.

    The current register is never lost: a sound one is backed up first (reason ``pre-restore``),
    a damaged one is moved aside as ``register.sqlite3.damaged-…``. Returns where it went.
    """
    problem = check_file(backup)
    if problem:
        raise BackupError(
            "所选备份已损坏（{problem}），不能用于恢复。请选择另一个备份。",
            "The chosen backup is damaged ({problem}) and cannot be restored. Choose another one.",
            problem=problem,
        )
    kept: Path | None = None
    if register.exists():
        if check_file(register) is None:
            kept = create_backup(register, backups_directory, "pre-restore", rotate=False).path
        else:
            stamp = dt.datetime.now(LOCAL_TZ).strftime("%Y%m%d-%H%M%S")
            kept = register.with_name(f"{register.name}.damaged-{stamp}")
            os.replace(register, kept)
            for side in _sidecars(register):
                if side.exists():
                    os.replace(side, side.with_name(f"{kept.name}{side.name[len(register.name) :]}"))
    staging = register.with_name(register.name + ".restoring")
    staging.unlink(missing_ok=True)
    _copy_database(backup, staging)
    problem = check_file(staging)
    if problem:
        staging.unlink(missing_ok=True)
        raise BackupError(
            "恢复后的文件校验失败（{problem}），原登记册保持不变。",
            "The restored copy failed verification ({problem}); the register was left as it was.",
            problem=problem,
        )
    # A WAL left from the old file would be replayed onto the restored one: remove it first.
    for side in _sidecars(register):
        side.unlink(missing_ok=True)
    os.replace(staging, register)
    return kept
