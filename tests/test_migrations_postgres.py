"""pytest-alembic's built-in checks on PostgreSQL (tests/test_migrations.py runs them on SQLite),
and the fixture register of each released schema upgraded to head on PostgreSQL with its data.

Runs when ``ZUNYI_TRAINER_TEST_POSTGRES`` names a server (``.ci/run`` starts one); each test gets
an empty database of its own. A fixture register is SQLite text: its rows are copied into a
database migrated to the fixture's revision, which the app then upgrades.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytest_alembic.tests import (  # noqa: F401  (collected as tests of this module)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)

from tests.conftest import NO_POSTGRES, POSTGRES_SERVER
from tests.test_migrations import FIXTURE_FILES, Rows, assert_fixture_data, assert_rows_kept
from zunyi_trainer import db as register_db
from zunyi_trainer.db import make_engine, open_register

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not POSTGRES_SERVER, reason=NO_POSTGRES)]


@pytest.fixture
def alembic_config():
    return register_db.alembic_config()


@pytest.fixture
def alembic_engine(postgres_server):
    name = postgres_server.create("alembic")
    engine = make_engine(postgres_server.url_for(name))
    yield engine
    engine.dispose()
    postgres_server.drop(name)


@pytest.fixture
def database_url(postgres_server) -> Iterator[str]:
    name = postgres_server.create("fixture")
    yield postgres_server.url_for(name)
    postgres_server.drop(name)


def _source_type(column: sa.Column) -> sa.types.TypeEngine:
    """How to read the column's SQLite text so that PostgreSQL takes it (UUIDs from hex, instants
    and dates from ISO text; exact decimals are read as text, not through floats)."""
    try:
        generic = column.type.as_generic()
    except NotImplementedError:
        return column.type
    if isinstance(generic, sa.Numeric) and not isinstance(generic, sa.Float):
        return sa.String()
    return generic


def _copy_fixture(sql_file: Path, tmp_path: Path, url: str) -> dict[str, Rows]:
    """The fixture's rows in a PostgreSQL database at the fixture's revision; returns them as
    PostgreSQL gives them back."""
    import sqlite3

    from alembic import command

    source_db = tmp_path / "fixture.sqlite3"
    con = sqlite3.connect(source_db)
    con.executescript(sql_file.read_text(encoding="utf-8"))
    con.close()
    source, target = sa.create_engine(f"sqlite:///{source_db.as_posix()}"), make_engine(url)
    try:
        with target.begin() as conn:
            command.upgrade(register_db.alembic_config(conn), sql_file.stem)
        md = sa.MetaData()
        md.reflect(target)
        with source.connect() as src, target.begin() as dst:
            for table in md.sorted_tables:
                if table.name == "alembic_version":
                    continue
                columns = [sa.column(c.name, _source_type(c)) for c in table.columns]
                rows = []
                for row in src.execute(sa.select(*columns).select_from(sa.table(table.name))):
                    values = dict(row._mapping)
                    for c in table.columns:
                        v = values[c.name]
                        if isinstance(v, dt.datetime) and v.tzinfo is None:
                            values[c.name] = v.replace(tzinfo=dt.UTC)  # SQLite keeps instants as UTC text
                        elif isinstance(v, str) and isinstance(c.type, sa.Numeric):
                            values[c.name] = decimal.Decimal(v)
                    rows.append(values)
                if rows:
                    dst.execute(table.insert(), rows)
                key = list(table.primary_key.columns)
                sequence = len(key) == 1 and dst.scalar(sa.select(sa.func.pg_get_serial_sequence(table.name, key[0].name)))
                if sequence:  # the next id follows the copied ones, as in the school's database
                    top = sa.select(sa.func.coalesce(sa.func.max(key[0]), 0)).scalar_subquery()
                    dst.execute(sa.select(sa.func.setval(sequence, top + 1, False)))
        return _postgres_rows(target)
    finally:
        source.dispose()
        target.dispose()


def _postgres_rows(engine: sa.Engine) -> dict[str, Rows]:
    md = sa.MetaData()
    md.reflect(engine)
    with engine.connect() as conn:
        return {
            t.name: ([c.name for c in t.columns], [tuple(r) for r in conn.execute(sa.select(t))])
            for t in md.sorted_tables
            if t.name != "alembic_version"
        }


@pytest.mark.parametrize("sql_file", FIXTURE_FILES, ids=lambda p: p.stem)
def test_released_register_upgrades_to_head_on_postgres(sql_file: Path, tmp_path: Path, database_url: str):
    before = _copy_fixture(sql_file, tmp_path, database_url)
    assert len(before["trainee"][1]) == 3 and before["audit_event"][1]
    reg = open_register(tmp_path / "data", database_url=database_url)
    try:
        assert_rows_kept(before, _postgres_rows(reg.engine))
        assert_fixture_data(reg)
    finally:
        reg.close()
