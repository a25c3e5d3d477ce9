"""Opening the register: engine and pragmas, lock, health checks, backups and upgrades.

:func:`open_register` is the one way in, for the GUI, the command line and the tests. It refuses
what it must (a register already open elsewhere, one from a newer app, a damaged file — never
replacing it by an empty one), takes a verified backup before an upgrade, and upgrades with
foreign keys off and ``foreign_key_check`` after, all in one transaction.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import re
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.dialects.sqlite  # (see below: imported before Qt)
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from zunyi_trainer import audit, paths, reference
from zunyi_trainer.backups import BackupInfo, check_file, create_backup, list_backups
from zunyi_trainer.errors import (
    RegisterDamaged,
    RegisterError,
    RegisterMissing,
    RegisterTooNew,
    explain_storage_error,
)
from zunyi_trainer.i18n import text
from zunyi_trainer.lockfile import RegisterLock

# The SQLite dialect and the reference data are needed by every opening of a register: imported
# here at the top, they come in before the desktop app imports Qt, whose import hook reads the
# source of every module imported after it (about 15 ms of each start for these).

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, connection_record: object) -> None:
    # Let SQLAlchemy, not the driver, decide where transactions begin (the pysqlite recipe in
    # the SQLAlchemy docs): the driver's own handling on Python 3.11 commits before DDL, which
    # would break the all-or-nothing upgrade.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    # WAL: readers never block the writer, and a crash mid-write leaves the last commit intact.
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk when it returns; the register outlives a power cut.
    cur.execute("PRAGMA synchronous=FULL")
    # SQLite leaves foreign keys off unless each connection asks.
    cur.execute("PRAGMA foreign_keys=ON")
    # Wait for a moment instead of failing when another connection is writing.
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str | Path) -> sa.Engine:
    """An engine for a SQLite file path or any SQLAlchemy URL, with the register's settings."""
    if isinstance(url, Path) or "://" not in str(url):
        url = f"sqlite:///{Path(url).as_posix()}"
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def alembic_config(connection: sa.Connection | None = None):
    """Alembic's configuration for the app's migrations (Alembic is imported only here and for
    an upgrade: every start of the app reads the revisions without it)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision(?::[^=]+)?=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


@functools.lru_cache(maxsize=1)
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files' headers."""
    graph: dict[str, str | None] = {}
    for path in sorted((paths.migrations_dir() / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev:
            graph[rev.group(1)] = down.group(1) if down else None
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    parents = {down for down in graph.values() if down}
    heads = [rev for rev in graph if rev not in parents]
    return heads[0] if len(heads) == 1 else ""


def known_revisions() -> set[str]:
    return set(_revision_graph())


def current_revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _raw(connection: sa.Connection) -> sqlite3.Connection:
    return connection.connection.dbapi_connection  # type: ignore[return-value]


def upgrade(engine: sa.Engine) -> tuple[str | None, str]:
    """Upgrade to head in one transaction; returns (from, to). Foreign keys are off while the
    tables are rebuilt (Alembic batch mode) and checked as a whole before the commit."""
    with engine.connect() as conn:
        before = current_revision(conn)
        conn.rollback()
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            _raw(conn).execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or it is ignored
        try:
            with conn.begin():
                from alembic import command

                command.upgrade(alembic_config(conn), "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RegisterError(
                            "升级后发现 {n} 处外键不一致，升级已撤销，登记册保持原样。",
                            "The upgrade left {n} broken references and was undone; the register is unchanged.",
                            n=len(broken),
                        )
        finally:
            if sqlite:
                _raw(conn).execute("PRAGMA foreign_keys=ON")
        after = current_revision(conn)
        conn.rollback()
    return before, after or ""


def integrity_problem(engine: sa.Engine) -> str | None:
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
    return None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:5])


_CLOUD_MARKERS = (
    "onedrive",
    "dropbox",
    "icloud",
    "google drive",
    "googledrive",
    "百度网盘",
    "baidunetdisk",
    "坚果云",
    "nutstore",
    "wps云盘",
    "wpsdrive",
    "微云",
    "weiyun",
    "seafile",
    "nextcloud",
)
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "ncpfs", "davfs", "fuse.davfs2"}


def network_folder_kind(path: Path) -> str | None:
    """``"cloud"`` or ``"network"`` when the register sits where SQLite's locking is unreliable."""
    text_path = str(path).lower()
    if any(marker in text_path for marker in _CLOUD_MARKERS):
        return "cloud"
    if text_path.startswith("\\\\") or text_path.startswith("//"):
        return "network"
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(str(path))[0] + "\\"
        if ctypes.windll.kernel32.GetDriveTypeW(drive) == 4:  # DRIVE_REMOTE
            return "network"
        return None
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, best_type = "", ""
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, best_type = parts[1], parts[2]
    return "network" if best_type in _NETWORK_FS else None


@dataclasses.dataclass
class OpenReport:
    created: bool = False
    upgraded_from: str | None = None
    upgraded_to: str | None = None
    backup: BackupInfo | None = None
    warnings: list[str] = dataclasses.field(default_factory=list)
    # The quick_check was left for later (a large register closed cleanly last time): the GUI
    # runs :meth:`Register.deferred_check` on a worker once its window shows.
    check_deferred: bool = False


class Register:
    """An open register: its engine, a session factory that audits every change, and its lock.

    A school's register is a SQLite file in the data dir; a school with several seats or the
    county points the same models at PostgreSQL (``database_url``). The data dir still holds
    backups, attachments, logs and keys in both cases.
    """

    def __init__(
        self, data_dir: Path, engine: sa.Engine, lock: RegisterLock | None, report: OpenReport, path: Path | None = None
    ) -> None:
        self.data_dir = data_dir
        self.is_file = engine.dialect.name == "sqlite"
        self.path = path or paths.register_path(data_dir)
        self.location = str(self.path) if self.is_file else engine.url.render_as_string(hide_password=True)
        self.engine = engine
        self.lock = lock
        self.report = report
        self.sessionmaker = sessionmaker(engine, expire_on_commit=False)
        audit.install(self.sessionmaker)
        self.actor = audit.default_actor()
        self.damage_found: str | None = None  # what a deferred check found; no clean mark at close then
        self._check_lock = threading.Lock()
        self._check_con: sqlite3.Connection | None = None
        self._closing = False

    @property
    def backups_dir(self) -> Path:
        return paths.backups_dir(self.data_dir)

    @property
    def attachments_dir(self) -> Path:
        return paths.attachments_dir(self.data_dir)

    def session(self) -> Session:
        s = self.sessionmaker()
        s.info["actor"] = self.actor
        return s

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together at the end, or not at all."""
        with self.session() as s, s.begin():
            yield s

    def backup(self, reason: str = "manual", target: Path | None = None, progress=None) -> BackupInfo:
        if not self.is_file:
            return pg_dump_backup(self.engine.url, self.backups_dir, reason, target=target)
        return create_backup(self.path, self.backups_dir, reason, target=target, progress=progress)

    def deferred_check(self) -> str | None:
        """The ``quick_check`` that :func:`open_register` left for later, run on a worker thread
        while the app is in use (a read-only connection of its own; WAL lets it read beside the
        app's writes). Returns what is wrong, or None when the register is sound or the check was
        stopped by :meth:`close`. A problem found is kept in :attr:`damage_found`, so this session
        does not mark the file as closed cleanly and the next start checks it before opening."""
        if not self.is_file:
            return None
        with self._check_lock:
            if self._closing:
                return None
            con = sqlite3.connect(f"file:{self.path.as_posix()}?mode=ro", uri=True, check_same_thread=False)
            self._check_con = con
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        except sqlite3.OperationalError as exc:
            if self._closing and "interrupt" in str(exc):
                return None
            problem = str(exc)
        except sqlite3.DatabaseError as exc:
            problem = str(exc)
        else:
            problem = None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:5])
        finally:
            with self._check_lock:
                self._check_con = None
            con.close()
        if problem:
            self.damage_found = problem
            log.error("the deferred quick_check of %s found: %s", self.path, problem)
        return problem

    def damage(self) -> RegisterDamaged | None:
        """The refusal :func:`open_register` would give, for what the deferred check found."""
        return _damaged(self.path, self.data_dir, self.damage_found) if self.damage_found else None

    def stop_deferred_check(self) -> None:
        """Stop a running :meth:`deferred_check` (and any later one): closing never waits for it."""
        with self._check_lock:
            self._closing = True
            if self._check_con is not None:
                self._check_con.interrupt()

    def close(self) -> None:
        self.stop_deferred_check()
        self.engine.dispose()
        if self.lock is not None:
            if self.is_file and not self.damage_found:
                _mark_closed_cleanly(self.path)
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _damaged(path: Path, data_dir: Path, problem: str) -> RegisterDamaged:
    backups = [b for b in list_backups(paths.backups_dir(data_dir)) if check_file(b.path) is None]
    newest = backups[0].path.name if backups else text("（没有可用的备份）", "(no usable backup)")
    return RegisterDamaged(
        "登记册文件 {path} 已损坏（{problem}）。程序不会用空登记册替换它。可以从最新的完好备份 {newest} 恢复"
        "（命令：zunyi-trainer db restore 备份文件），或把该文件交给技术人员检查。",
        "The register {path} is damaged ({problem}). It will not be replaced by an empty one. Restore "
        "the newest good backup {newest} (zunyi-trainer db restore FILE) or have the file examined.",
        path=str(path),
        problem=problem,
        newest=newest,
        backups=backups,
    )


# --- the quick_check at start ---------------------------------------------------------------------
#
# ``PRAGMA quick_check`` reads every page: about 5 ms per MB, so 5-10 s for the 1.1 GB register of a
# large school after five years. It runs before opening when it is cheap (a register up to
# SYNC_CHECK_MAX_BYTES) or when the last session did not end with a clean close: a ``-wal`` or
# ``-journal`` file left behind (a crash, kill, power cut), or no clean mark matching the file (a file
# copied in, restored or changed by something else). Otherwise the GUI runs it on a worker once the
# window shows (Register.deferred_check) and says what it finds; a damaged file is refused at the
# next start either way, because the clean mark is removed while the register is open and written
# again only when a session closes without having found damage. The command line runs each command
# with the same rule and no background check: ``db check`` is the full check on demand, and every
# write of the CLI starts with a backup that is verified with ``integrity_check``.

SYNC_CHECK_MAX_BYTES = 32 * 1024 * 1024


def _clean_mark(path: Path) -> Path:
    return path.with_name(path.name + ".clean")


def _file_stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"


def _closed_cleanly(path: Path) -> bool:
    """The app's own clean close was the last thing to touch ``path``."""
    if any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-journal")):
        return False
    try:
        return _clean_mark(path).read_text(encoding="ascii") == _file_stamp(path)
    except (OSError, ValueError):
        return False


def _mark_closed_cleanly(path: Path) -> None:
    """After the last connection closed: WAL checkpointed and removed, the file as we leave it."""
    try:
        if path.with_name(path.name + "-wal").exists() or not path.exists():
            return  # a connection is still open somewhere: not a clean close
        _clean_mark(path).write_text(_file_stamp(path), encoding="ascii")
    except OSError as exc:  # the mark only saves time; without it the next start checks
        log.warning("could not write the clean-close mark of %s: %s", path, exc)


def _forget_clean_close(path: Path) -> None:
    try:
        _clean_mark(path).unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove the clean-close mark of %s: %s", path, exc)


def _header_problem(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    return None if header == b"SQLite format 3\x00" else "not an SQLite database"


def _refuse_damage(path: Path, base: Path, problem: str) -> None:
    storage = explain_storage_error(RuntimeError(problem))
    if storage is not None:  # the disk failed us, the file is not shown to be damaged
        raise RegisterError(
            "无法打开登记册 {path}。{why}",
            "The register {path} cannot be opened. {why}",
            code=storage.code,
            path=str(path),
            why=storage.message(),
        )
    raise _damaged(path, base, problem)


ENV_DATABASE_URL = "ZUNYI_TRAINER_DATABASE_URL"


def database_url_from_env(explicit: str | None = None) -> str | None:
    """``--database-url`` wins, then ``ZUNYI_TRAINER_DATABASE_URL``; None means the SQLite file."""
    return explicit or os.environ.get(ENV_DATABASE_URL) or None


def open_register(
    data_dir: Path | str | None = None,
    *,
    create: bool = True,
    upgrade_schema: bool = True,
    lock: bool = True,
    database_url: str | None = None,
) -> Register:
    """Open (or create) the register in ``data_dir`` and bring it to the app's schema.

    With ``database_url`` (a PostgreSQL URL) the same models and migrations run on that server
    instead of the data dir's SQLite file; file locking and file checks do not apply there."""
    if database_url and not database_url.startswith("sqlite"):
        return _open_server_register(paths.data_dir(data_dir), database_url)
    base = paths.data_dir(data_dir)
    path = paths.register_path(base)
    if database_url:  # a SQLite URL names a register file of its own; the data dir keeps the rest
        name = sa.engine.make_url(database_url).database
        if not name or name == ":memory:":
            raise RegisterError(
                "SQLite 地址必须指向一个文件，例如 sqlite:///county.sqlite3。",
                "A SQLite URL must name a file, e.g. sqlite:///county.sqlite3.",
            )
        path = Path(name).expanduser().resolve()
    report = OpenReport()
    exists = path.exists()
    if not exists and not create:
        raise RegisterMissing(
            "在 {base} 中没有找到登记册。请先运行 zunyi-trainer demo 或在程序中新建。",
            "No register in {base}. Run zunyi-trainer demo or create one in the app first.",
            base=str(base),
        )
    base.mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    held = RegisterLock(path) if lock else None
    if held is not None:
        held.acquire()
    try:
        if exists:
            size = path.stat().st_size
            # Only the holder of the lock trusts (and then removes) the clean mark: it is written
            # again when this session closes without having found damage.
            report.check_deferred = held is not None and size > SYNC_CHECK_MAX_BYTES and _closed_cleanly(path)
            if held is not None:
                _forget_clean_close(path)
            if not size:
                problem = "empty file"
            elif report.check_deferred:
                problem = _header_problem(path)
            else:
                problem = check_file(path, quick=True)
            if problem and "alembic_version" in problem:
                problem = None  # a file created but never migrated: upgrade fills it
            if problem:
                _refuse_damage(path, base, problem)
        engine = make_engine(path)
        try:
            _bring_to_head(engine, path, base, exists, report)
        except sa.exc.DatabaseError as exc:
            engine.dispose()
            if report.check_deferred and isinstance(exc.orig, sqlite3.DatabaseError):
                # The schema pages could not even be read: check now and refuse with the reason.
                problem = check_file(path, quick=True)
                if problem:
                    _refuse_damage(path, base, problem)
            raise
        except Exception:
            engine.dispose()
            raise
        kind = network_folder_kind(path)
        if kind:
            report.warnings.append(
                text(
                    "登记册位于{where}（{path}）。这类文件夹的同步和锁定会损坏数据库，请把数据目录移到本机硬盘。",
                    "The register is in a {where} ({path}); syncing and locking there can damage it. "
                    "Move the data dir to a local disk.",
                    where=text("网络共享文件夹", "network share")
                    if kind == "network"
                    else text("云同步文件夹", "cloud-sync folder"),
                    path=str(path),
                )
            )
        report.created = not exists
        register = Register(base, engine, held, report, path)
        if _lacks_reference_data(engine):  # read through Core: no ORM set-up on every start
            from zunyi_trainer.seeding import ensure_reference_data  # after the schema exists

            with register.transaction() as s:
                ensure_reference_data(s)
        return register
    except BaseException:
        if held is not None:
            held.release()
        raise


def _lacks_reference_data(engine: sa.Engine) -> bool:
    """A trade of the plan is missing (what ``ensure_reference_data`` adds). Asked with plain SQL,
    so the ORM's mappers are set up by the first page's worker, not before the window shows."""
    with engine.connect() as conn:
        have = set(conn.exec_driver_sql("SELECT code FROM trade").scalars())
    return not {seed.code for seed in reference.TRADES} <= have


def _bring_to_head(engine: sa.Engine, path: Path, base: Path, existed: bool, report: OpenReport) -> None:
    head = head_revision()
    with engine.connect() as conn:
        current = current_revision(conn)
        has_tables = bool(sa.inspect(conn).get_table_names())
    if current is not None and current not in known_revisions():
        raise RegisterTooNew(
            "这个登记册由更新版本的 zunyi-trainer 创建（数据库版本 {current}），本程序只认识到 {head}。"
            "请安装最新版本后再打开；登记册没有被改动。",
            "This register was written by a newer zunyi-trainer (schema {current}); this app knows up to "
            "{head}. Install the newer version; the register was not changed.",
            current=current,
            head=head,
        )
    if current == head:
        return  # quick_check already passed in open_register (or runs later: check_deferred)
    if existed and has_tables:
        report.backup = create_backup(path, paths.backups_dir(base), "pre-upgrade")
    report.upgraded_from, report.upgraded_to = upgrade(engine)
    problem = integrity_problem(engine)
    if problem:
        raise _damaged(path, base, problem)
    log.info("register %s upgraded from %s to %s", path, report.upgraded_from, report.upgraded_to)


def _open_server_register(base: Path, url: str) -> Register:
    base.mkdir(parents=True, exist_ok=True)
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.ArgumentError, ModuleNotFoundError) as exc:
        raise RegisterError(
            "无法连接数据库 {url}：{error}。请检查地址、用户名、密码，以及数据库服务是否已启动。",
            "Cannot connect to the database {url}: {error}. Check the address, user, password and that the server runs.",
            url=sa.engine.make_url(url).render_as_string(hide_password=True) if "://" in url else url,
            error=str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__,
        ) from exc
    report = OpenReport()
    try:
        head = head_revision()
        with engine.connect() as conn:
            current = current_revision(conn)
        if current is not None and current not in known_revisions():
            raise RegisterTooNew(
                "这个数据库由更新版本的 zunyi-trainer 创建（数据库版本 {current}），本程序只认识到 {head}。请安装最新版本。",
                "This database was written by a newer zunyi-trainer (schema {current}); this app knows up to {head}.",
                current=current,
                head=head,
            )
        if current != head:
            report.created = current is None
            report.upgraded_from, report.upgraded_to = upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    register = Register(base, engine, None, report)
    from zunyi_trainer.seeding import ensure_reference_data

    with register.transaction() as s:
        ensure_reference_data(s)
    return register


def pg_dump_backup(url: sa.URL, directory: Path, reason: str, *, target: Path | None = None) -> BackupInfo:
    """A PostgreSQL register is backed up with ``pg_dump`` (custom format), where it is installed."""
    import datetime as dt
    import shutil
    import subprocess

    from zunyi_trainer.errors import BackupError
    from zunyi_trainer.timeutil import LOCAL_TZ

    exe = shutil.which("pg_dump")
    if exe is None:
        raise BackupError(
            "这台电脑上没有 pg_dump，无法备份 PostgreSQL 数据库。请安装 PostgreSQL 客户端工具，或由数据库管理员备份。",
            "pg_dump is not installed here, so the PostgreSQL database cannot be backed up. Install the "
            "PostgreSQL client tools or have the database administrator back it up.",
        )
    now = dt.datetime.now(LOCAL_TZ)
    if target is None:
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / f"register-{now:%Y%m%d-%H%M%S}-{reason}.pgdump"
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    partial = target.with_name(target.name + ".partial")
    proc = subprocess.run([exe, "--format=custom", "--file", str(partial), libpq], capture_output=True, text=True)
    if proc.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(
            "pg_dump 备份失败：{error}",
            "pg_dump failed: {error}",
            error=(proc.stderr.strip().splitlines() or ["?"])[-1],
        )
    os.replace(partial, target)
    return BackupInfo(target, now, reason, target.stat().st_size)


def check_register(data_dir: Path | str | None = None, database_url: str | None = None) -> list[str]:
    """What ``db check`` reports: an empty list when the register is healthy."""
    base = paths.data_dir(data_dir)
    path = paths.register_path(base)
    if database_url:
        engine = make_engine(database_url)
    else:
        if not path.exists():
            return [text("没有找到登记册：{path}", "No register at {path}", path=str(path))]
        problem = check_file(path)
        if problem:
            return [text("登记册已损坏：{problem}", "The register is damaged: {problem}", problem=problem)]
        engine = make_engine(path)
    problems = []
    try:
        with engine.connect() as conn:
            current = current_revision(conn)
            if current != head_revision():
                problems.append(
                    text(
                        "数据库版本 {cur} 与程序的 {head} 不一致（运行 db upgrade）。",
                        "Schema {cur} differs from the app's {head} (run db upgrade).",
                        cur=current,
                        head=head_revision(),
                    )
                )
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if engine.dialect.name == "sqlite" else []
            if fk:
                problems.append(text("{n} 处外键引用不一致。", "{n} broken foreign-key references.", n=len(fk)))
            report = audit.verify_chain(conn)
            if not report.ok:
                problems.append(
                    text(
                        "审计记录第 {id} 条与哈希链不符，记录可能被篡改。",
                        "Audit event {id} does not match the hash chain: the trail may have been tampered with.",
                        id=report.first_bad_id,
                    )
                )
    finally:
        engine.dispose()
    return problems


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))
