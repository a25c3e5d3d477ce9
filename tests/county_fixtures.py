"""Helpers for the county tests: schools with registers of their own, their batches, a county."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from stdnum.cn import uscc as stdnum_uscc

from tests import factories
from zunyi_trainer.county.keys import add_key
from zunyi_trainer.db import Register, open_register
from zunyi_trainer.exchange import signing
from zunyi_trainer.exchange.export import ExportResult, export_batch
from zunyi_trainer.models import (
    Attendance,
    AttendanceStatus,
    ClassStatus,
    EnrollmentResult,
    Funding,
    TrainingClass,
)


def make_uscc(n: int) -> str:
    body = f"9152038{n:04d}MA6D{n:02d}"[:17]
    return body + stdnum_uscc.calc_check_digit(body)


@dataclasses.dataclass
class School:
    name: str
    uscc: str
    data_dir: Path
    register: Register
    out: Path

    def export(self, *, full: bool = False) -> ExportResult:
        return export_batch(self.register, self.out, full=full, documents=False)

    def fingerprint(self) -> str:
        return signing.fingerprint(signing.load_or_create_key(self.data_dir).public_key())

    def close(self) -> None:
        self.register.close()


def new_school(template: Path, base: Path, n: int, *, county: str = "meitan") -> School:
    data_dir = base / f"school{n}"
    shutil.copytree(template, data_dir, ignore=shutil.ignore_patterns("*.lock", "logs"))
    reg = open_register(data_dir)
    uscc = make_uscc(n)
    name = f"测试职业培训学校{n}"
    with reg.transaction() as s:
        factories.institution(s, name=name, uscc=uscc, county=county)
    return School(name, uscc, data_dir, reg, base / "usb")


def add_class(
    school: School,
    *,
    trade: str = "茶艺师",
    trainees: int = 4,
    sessions: int = 4,
    end: dt.date = dt.date(2026, 3, 15),
    status: ClassStatus = ClassStatus.COMPLETED,
    subsidy_fen: int = 1_200_00,
    absent_every: int = 5,
) -> str:
    """A class with attendance marked (every ``absent_every``-th mark absent), all passed; returns its code."""
    with school.register.transaction() as s:
        inst = factories.institution(s)
        cls = factories.training_class(
            s,
            institution=inst,
            trade=factories.trade(s, trade),
            trainees=trainees,
            sessions=sessions,
            start_date=end - dt.timedelta(days=13),
            end_date=end,
            funding=Funding.SUBSIDISED,
        )
        k = 0
        for sess in cls.sessions:
            for e in cls.enrollments:
                k += 1
                status_ = AttendanceStatus.ABSENT if k % absent_every == 0 else AttendanceStatus.PRESENT
                s.add(Attendance(session_id=sess.id, enrollment_id=e.id, status=status_, recorded_by="test"))
        for e in cls.enrollments:
            e.result = EnrollmentResult.PASSED
            e.subsidy_fen = subsidy_fen
        cls.status = status
        if status is ClassStatus.SUBMITTED:
            cls.submitted_at = dt.datetime(2026, 2, 20, 1, 0, tzinfo=dt.UTC)
        return cls.code


def class_by_code(s, code: str) -> TrainingClass:
    return s.scalars(sa.select(TrainingClass).where(TrainingClass.code == code)).one()


def county_register(template: Path, base: Path, database_url: str | None = None) -> Register:
    data_dir = base / "county"
    if database_url is None:
        shutil.copytree(template, data_dir, ignore=shutil.ignore_patterns("*.lock", "logs"))
    return open_register(data_dir, database_url=database_url)


def register_school(county: Register, school: School) -> None:
    add_key(county, school.uscc, school.fingerprint(), name=school.name)


def table_counts(reg: Register) -> dict[str, int]:
    """Rows per table of the register, and audit events: to show that nothing changed."""
    from zunyi_trainer.county.state import metadata as county_metadata
    from zunyi_trainer.models import Base

    out = {}
    with reg.engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
        for table in [*Base.metadata.sorted_tables, *county_metadata.sorted_tables]:
            if table.name in names:
                out[table.name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    return out


POSTGRES_SERVER = os.environ.get("ZUNYI_TRAINER_TEST_POSTGRES")
NO_POSTGRES = "no PostgreSQL server: set ZUNYI_TRAINER_TEST_POSTGRES (.ci/run starts one)"


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards; yields its URL."""
    admin = sa.create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    name = f"zt_county_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
