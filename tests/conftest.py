"""Shared fixtures: a template register migrated once per test session and copied per test,
a demo register likewise, and the factories in ``tests/factories.py``.

The core suite runs on both databases. The ``register`` and ``demo_register`` fixtures are
parametrized by backend: ``sqlite`` (the school's register file) and ``postgresql`` (the same
models and migrations on a server). The PostgreSQL pass runs when ``ZUNYI_TRAINER_TEST_POSTGRES``
names a server (a URL to any database on it; ``.ci/run`` starts one) and is skipped with that
reason otherwise. Each PostgreSQL test gets a database of its own, copied from a template database
migrated (and, for the demo, filled) once per session: ``CREATE DATABASE x TEMPLATE t`` costs a
file copy, not a migration. While a PostgreSQL register is open, ``ZUNYI_TRAINER_DATABASE_URL``
points at its database, so the command line run inside the test uses it too.

Tests that only make sense for the SQLite file (lock files, quick_check, file backups, faults
injected into the file) carry ``@pytest.mark.sqlite_only(reason=...)``; the GUI tests
(``test_gui_*``) run on SQLite only, as the desktop app is one administrator's file.

The whole suite runs in one worker process per core (pytest-xdist, ``-n auto`` in pyproject's
addopts); each worker makes its own session templates, and its PostgreSQL databases carry a random
prefix of their own, so workers share nothing but the server. A run of one or two files stays in
one process (``pytest_xdist_auto_num_workers`` below); ``-n 0`` forces one process (pdb, ``-s``).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt application exists
os.environ["ZUNYI_TRAINER_LANG"] = "zh"  # messages are asserted in Chinese

import pytest

from zunyi_trainer.db import ENV_DATABASE_URL, Register, open_register
from zunyi_trainer.i18n import set_language

POSTGRES_SERVER = os.environ.get("ZUNYI_TRAINER_TEST_POSTGRES")
NO_POSTGRES = "no PostgreSQL server: set ZUNYI_TRAINER_TEST_POSTGRES (.ci/run starts one)"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): the test is about the SQLite register file; its PostgreSQL pass is skipped with the reason",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject's addopts) runs the suite in one process per core; a run of one or
    two test files stays in this process, where starting workers (each building its own session
    templates) would cost more than it saves. ``-n N`` or PYTEST_XDIST_AUTO_NUM_WORKERS overrides."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    files = set()
    for arg in config.args:
        path = config.invocation_params.dir / arg.split("::")[0]
        if not path.is_file():
            return None  # a folder or an expression: xdist's default, one worker per core
        files.add(path)
    return 0 if len(files) <= 2 else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass of a test marked ``sqlite_only`` is skipped with its reason; that of a
    GUI test is deselected (the desktop app runs on the school's file)."""
    keep, deselected = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("backend") == "postgresql"
        if on_postgres and item.path.name.startswith("test_gui_"):
            deselected.append(item)
            continue
        if on_postgres:
            marker = item.get_closest_marker("sqlite_only")
            if marker is not None:
                reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "SQLite only")
                item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
        keep.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = keep


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    """Without a server, the summary counts the skipped PostgreSQL passes on one line."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and NO_POSTGRES in str(report.longrepr[2]):
        report.longrepr = (__file__, _NO_POSTGRES_LINE, report.longrepr[2])
    return report


_NO_POSTGRES_LINE = next(  # the line where the reason is written
    i + 1 for i, line in enumerate(Path(__file__).read_text(encoding="utf-8").splitlines()) if line.startswith("NO_POSTGRES =")
)


@pytest.fixture(autouse=True)
def _chinese_messages() -> Iterator[None]:
    set_language("zh")
    yield
    set_language(None)


def _copy_data_dir(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("*.lock", "logs"))
    return target


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("template-empty")
    open_register(base).close()
    return base


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from zunyi_trainer.demo import fill_demo

    base = tmp_path_factory.mktemp("template-demo")
    reg = open_register(base)
    try:
        fill_demo(reg, seed=7)
    finally:
        reg.close()
    return base


# --- PostgreSQL -----------------------------------------------------------------------------


class PostgresServer:
    """The test server: databases copied from a template and dropped, by one worker thread.

    A test takes a copy made ahead of time while the previous test ran, and its database is
    dropped while the next one runs, so a test waits for neither."""

    AHEAD = 2  # copies of a template kept ready

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.url = url
        self.admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        self.prefix = f"zt_{uuid.uuid4().hex[:8]}"  # this session's databases
        # Two at a time: the server copies on the second core while the tests run on the first.
        self.worker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pg-test-databases")
        self.ready: dict[str, deque[Future[str]]] = {}

    def url_for(self, name: str) -> str:
        import sqlalchemy as sa

        return sa.engine.make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def create(self, kind: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{kind}_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def take(self, template: str) -> str:
        """A fresh copy of ``template`` (made ahead of time), and the next ones put in hand."""
        queue = self.ready.setdefault(template, deque())
        while len(queue) < self.AHEAD:
            queue.append(self.worker.submit(self.create, "t", template))
        name = queue.popleft().result()
        queue.append(self.worker.submit(self.create, "t", template))
        return name

    def release(self, name: str) -> None:
        self.worker.submit(self.drop, name)

    def close(self, template: str | None = None) -> None:
        """Drop the copies made ahead of ``template`` (of every template when None) and wait."""
        for key in [template] if template else list(self.ready):
            for future in self.ready.pop(key, ()):
                self.release(future.result())
        if template is None:
            self.worker.shutdown(wait=True)
            self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if not POSTGRES_SERVER:
        pytest.skip(NO_POSTGRES)
    server = PostgresServer(POSTGRES_SERVER)
    yield server
    server.close()


@pytest.fixture(scope="session")
def postgres_empty_template(postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, seeded, empty register database; copied for each test, never opened by one."""
    name = postgres_server.create("tpl_empty")
    open_register(tmp_path_factory.mktemp("pg-template-empty"), database_url=postgres_server.url_for(name)).close()
    yield name
    postgres_server.close(name)
    postgres_server.drop(name)


@pytest.fixture(scope="session")
def postgres_demo_template(
    postgres_server: PostgresServer, postgres_empty_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """The demo school (seed 7) in a database, and the data dir holding its attachments."""
    from zunyi_trainer.demo import fill_demo

    name = postgres_server.create("tpl_demo", template=postgres_empty_template)
    base = tmp_path_factory.mktemp("pg-template-demo")
    reg = open_register(base, database_url=postgres_server.url_for(name))
    try:
        fill_demo(reg, seed=7)
    finally:
        reg.close()
    yield name, base
    postgres_server.close(name)
    postgres_server.drop(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test's registers live in: ``sqlite`` or ``postgresql`` (skipped without
    a server)."""
    if request.param == "postgresql" and not POSTGRES_SERVER:
        pytest.skip(NO_POSTGRES)
    return request.param


def _open_postgres_copy(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, data_dir: Path, template: str
) -> Iterator[Register]:
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.take(template)
    url = server.url_for(name)
    monkeypatch.setenv(ENV_DATABASE_URL, url)  # the command line in the test opens the same database
    reg = open_register(data_dir, database_url=url)
    try:
        yield reg
    finally:
        reg.close()
        server.release(name)


# --- Registers ------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, empty_template: Path) -> Path:
    """A data dir holding a fresh, migrated, empty register (not open)."""
    return _copy_data_dir(empty_template, tmp_path / "data")


@pytest.fixture
def register(data_dir: Path, backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Register]:
    """A fresh, migrated, empty register in ``data_dir``: its SQLite file, or (the ``postgresql``
    pass) a database of its own on the test server with ``data_dir`` for attachments and keys."""
    if backend == "postgresql":
        yield from _open_postgres_copy(request, monkeypatch, data_dir, request.getfixturevalue("postgres_empty_template"))
        return
    reg = open_register(data_dir)
    yield reg
    reg.close()


@pytest.fixture
def demo_dir(tmp_path: Path, demo_template: Path) -> Path:
    """A data dir holding the demo school (seed 7), not open."""
    return _copy_data_dir(demo_template, tmp_path / "demo")


@pytest.fixture
def demo_register(
    demo_dir: Path, backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Register]:
    """The demo school (seed 7), on SQLite in ``demo_dir`` or (the ``postgresql`` pass) in a
    database of its own, with its attachments in ``demo_dir``."""
    if backend == "postgresql":
        template, template_dir = request.getfixturevalue("postgres_demo_template")
        attachments = template_dir / "attachments"
        if attachments.is_dir():
            shutil.copytree(attachments, demo_dir / "attachments", dirs_exist_ok=True)
        yield from _open_postgres_copy(request, monkeypatch, demo_dir, template)
        return
    reg = open_register(demo_dir)
    yield reg
    reg.close()
