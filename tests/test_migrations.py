"""Migrations: pytest-alembic's built-in checks, and upgrades of committed fixture registers
with their data intact (one fixture per released schema, in tests/fixtures/registers/)."""

from __future__ import annotations

import sqlite3
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
from zunyi_trainer.db import head_revision, make_engine, open_register
from zunyi_trainer.models import Enrollment, Institution, Trainee, TrainingClass

FIXTURES = Path(__file__).parent / "fixtures" / "registers"


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


@pytest.mark.parametrize("sql_file", sorted(FIXTURES.glob("*.sql")), ids=lambda p: p.stem)
def test_released_register_upgrades_to_head_with_its_data(sql_file: Path, tmp_path: Path):
    data = _load_fixture(sql_file, tmp_path / "data")
    reg = open_register(data, create=False)
    try:
        with reg.session() as s:
            assert s.scalars(sa.select(Institution.name)).one() == "湄潭县夹具职业培训学校"
            cls = s.scalars(sa.select(TrainingClass)).one()
            assert cls.code == "FX2025001"
            assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == 3
            assert s.scalar(sa.select(sa.func.count()).select_from(Enrollment)) == 3
        with reg.engine.connect() as conn:
            assert audit.verify_chain(conn).ok
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
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
