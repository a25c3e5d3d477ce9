"""Revision 0002: the county's tables are part of the register's schema.

A county database from before it had the four tables made by the county commands on first use
(``create_all``), with the schools' keys, batches and decisions in them; the upgrade keeps them.
Runs on SQLite and, when a server is set (``ZUNYI_TRAINER_TEST_POSTGRES``), on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.county_fixtures import add_class, new_school, register_school
from zunyi_trainer import audit
from zunyi_trainer.county.decisions import list_decisions
from zunyi_trainer.county.ingest import ACCEPTED, ingest_batch
from zunyi_trainer.county.keys import list_keys
from zunyi_trainer.db import alembic_config, head_revision, make_engine, open_register
from zunyi_trainer.models import COUNTY_TABLES
from zunyi_trainer.models.base import NAMING_CONVENTION

USCC = "91520328MA6DX0001X"
FINGERPRINT = "ab" * 32


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty database (no tables yet) on the test's backend."""
    if backend == "sqlite":
        yield f"sqlite:///{(tmp_path / 'county.sqlite3').as_posix()}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create("mig")
    yield server.url_for(name)
    server.drop(name)


def _county_database_of_0001(url: str, *, with_returned_at: bool = True) -> None:
    """A county database as the county commands left it before revision 0002: the register at
    0001 and the four tables made by ``create_all`` (``returned_at`` came later), with rows."""
    from alembic import command

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0001")
        old = sa.MetaData(naming_convention=NAMING_CONVENTION)
        for table in COUNTY_TABLES:
            table.to_metadata(old)
        old.create_all(engine)
        if not with_returned_at:
            with engine.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE county_decision DROP COLUMN returned_at")
        now = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
        with engine.begin() as conn:
            conn.execute(
                old.tables["county_school"]
                .insert()
                .values(uscc=USCC, name="旧库学校", fingerprint=FINGERPRINT, registered_at=now)
            )
            decision = old.tables["county_decision"]
            conn.execute(
                decision.insert().values(
                    uscc=USCC,
                    class_uuid=uuid.uuid4(),
                    class_code="OLD2026001",
                    decision="approved",
                    approval_no="遵人社培〔2026〕001号",
                    decided_on=dt.date(2026, 3, 1),
                    approver="县人社局",
                    entered_at=now,
                )
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("with_returned_at", [True, False], ids=["current", "before-returned_at"])
def test_a_county_database_made_by_create_all_upgrades_with_its_rows(
    database_url: str, tmp_path: Path, with_returned_at: bool
) -> None:
    _county_database_of_0001(database_url, with_returned_at=with_returned_at)
    reg = open_register(tmp_path / "county", database_url=database_url)
    try:
        assert (reg.report.upgraded_from, reg.report.upgraded_to) == ("0001", head_revision())
        keys = list_keys(reg)
        assert [(k.uscc, k.name) for k in keys] == [(USCC, "旧库学校")]
        decisions = list_decisions(reg)
        assert [d.class_code for d in decisions] == ["OLD2026001"]
        with reg.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("county_decision")}
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("county_batch")}
            assert audit.verify_chain(conn).ok
        assert "returned_at" in columns and "ix_county_batch_uscc" in indexes
    finally:
        reg.close()


def test_a_new_register_has_the_county_tables_empty(register) -> None:
    with register.engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
        assert {t.name for t in COUNTY_TABLES} <= names
        assert all(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() == 0 for t in COUNTY_TABLES)


def test_the_upgraded_county_database_takes_batches_in(database_url: str, empty_template: Path, tmp_path: Path) -> None:
    _county_database_of_0001(database_url)
    county = open_register(tmp_path / "county", database_url=database_url)
    school = new_school(empty_template, tmp_path, 7)
    try:
        add_class(school, trainees=2, sessions=2)
        register_school(county, school)
        result = ingest_batch(county, school.export().path)
        assert result.status == ACCEPTED, result.message
        assert {k.uscc for k in list_keys(county)} == {USCC, school.uscc}
    finally:
        school.close()
        county.close()
