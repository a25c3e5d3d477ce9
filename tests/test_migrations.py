"""Migrations: pytest-alembic's built-in checks, and upgrades of committed fixture registers
with their data intact (one fixture per released schema, in tests/fixtures/registers/; the
PostgreSQL pass of the upgrades is in tests/test_migrations_postgres.py)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytest_alembic.tests import (  # noqa: F401  (collected as tests of this module)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)

from zunyi_trainer import audit
from zunyi_trainer import db as register_db
from zunyi_trainer.db import Register, head_revision, make_engine, open_register
from zunyi_trainer.models import AuditEvent, Enrollment, Institution, Trainee, TrainingClass

FIXTURES = Path(__file__).parent / "fixtures" / "registers"
FIXTURE_FILES = sorted(FIXTURES.glob("*.sql"))

# A table's rows: its column names and its rows as tuples in that order.
Rows = tuple[Sequence[str], list[tuple]]


@pytest.fixture
def alembic_config():
    return register_db.alembic_config()


@pytest.fixture
def alembic_engine(tmp_path):
    engine = make_engine(tmp_path / "alembic-test.sqlite3")
    yield engine
    engine.dispose()


def _load_fixture(sql_file: Path, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    db = target_dir / "register.sqlite3"
    con = sqlite3.connect(db)
    con.executescript(sql_file.read_text(encoding="utf-8"))
    con.close()
    return target_dir


def _sqlite_rows(db: Path) -> dict[str, Rows]:
    """Every table's rows as SQLite stores them (Alembic's own table aside)."""
    con = sqlite3.connect(db)
    try:
        names = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if r[0] != "alembic_version"
        ]
        rows = {}
        for name in names:
            cur = con.execute(f'SELECT * FROM "{name}"')
            rows[name] = ([d[0] for d in cur.description], cur.fetchall())
        return rows
    finally:
        con.close()


def assert_rows_kept(before: Mapping[str, Rows], after: Mapping[str, Rows]) -> None:
    """Every row of every table before the upgrade is still there with the same values (columns
    a later revision added aside; rows a later start seeded may be added)."""
    for table, (columns, rows) in before.items():
        assert table in after, f"table {table} lost in the upgrade"
        after_columns, after_rows = after[table]
        lost = [c for c in columns if c not in after_columns]
        assert not lost, f"columns {lost} of {table} lost in the upgrade"
        index = [list(after_columns).index(c) for c in columns]
        missing = Counter(rows) - Counter(tuple(r[i] for i in index) for r in after_rows)
        assert not missing, f"{sum(missing.values())} rows of {table} lost or changed, e.g. {next(iter(missing))}"


def assert_fixture_data(reg: Register) -> None:
    """The fixture's school, class and trainees read through the app's models; the audit chain
    verifies, takes a new event and still verifies; the schema is at head."""
    with reg.session() as s:
        assert s.scalars(sa.select(Institution.name)).one() == "湄潭县夹具职业培训学校"
        cls = s.scalars(sa.select(TrainingClass)).one()
        assert cls.code == "FX2025001"
        assert len(cls.sessions) == 4
        assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == 3
        assert s.scalar(sa.select(sa.func.count()).select_from(Enrollment)) == 3
    with reg.transaction() as s:  # the upgraded register is written to as any other
        s.scalars(sa.select(Institution)).one().name = "湄潭县夹具职业培训学校（升级后）"
    with reg.engine.connect() as conn:
        report = audit.verify_chain(conn)
        assert report.ok, report
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    with reg.session() as s:
        event = s.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        assert (event.action, event.table_name) == ("update", "institution")


def test_fixture_registers_are_at_their_revisions():
    """Each fixture register holds the schema its name says (the upgrade tests start there)."""
    assert [p.stem for p in FIXTURE_FILES] == sorted(register_db.known_revisions())
    for sql_file in FIXTURE_FILES:
        con = sqlite3.connect(":memory:")
        con.executescript(sql_file.read_text(encoding="utf-8"))
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (sql_file.stem,)
        con.close()


@pytest.mark.parametrize("sql_file", FIXTURE_FILES, ids=lambda p: p.stem)
def test_released_register_upgrades_to_head_with_its_data(sql_file: Path, tmp_path: Path):
    data = _load_fixture(sql_file, tmp_path / "data")
    before = _sqlite_rows(data / "register.sqlite3")
    reg = open_register(data, create=False)
    try:
        if sql_file.stem != head_revision():
            assert (reg.report.upgraded_from, reg.report.upgraded_to) == (sql_file.stem, head_revision())
            assert reg.report.backup is not None  # the register as it was, kept before the upgrade
        assert_rows_kept(before, _sqlite_rows(data / "register.sqlite3"))
        assert_fixture_data(reg)
    finally:
        reg.close()


def test_every_revision_has_a_fixture_register():
    """From 0001 on, each released schema keeps a fixture register (make one with
    tests/fixtures/make_register_fixture.py when adding a revision)."""
    from alembic.script import ScriptDirectory

    revisions = {r.revision for r in ScriptDirectory.from_config(register_db.alembic_config()).walk_revisions()}
    have = {p.stem for p in FIXTURES.glob("*.sql")}
    assert revisions <= have, f"missing fixture registers for {sorted(revisions - have)}"


def test_the_fast_revision_reader_agrees_with_alembic():
    """Starting the app reads revisions from the migration files without importing Alembic; it
    must see exactly what Alembic sees."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(register_db.alembic_config())
    assert register_db.head_revision() == script.get_current_head()
    assert register_db.known_revisions() == {r.revision for r in script.walk_revisions()}
