"""The rules, attendance and lifecycle on PostgreSQL (run when ``ZUNYI_TRAINER_TEST_POSTGRES``
names a server; ``.ci/run`` starts one)."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid

import factories
import pytest
import sqlalchemy as sa

from zunyi_trainer import audit, lifecycle
from zunyi_trainer.attendance import Mark, class_rates, record_marks
from zunyi_trainer.db import open_register
from zunyi_trainer.models import Attendance, AttendanceStatus, AuditEvent, ClassStatus, TraineeCategory, TrainingMode
from zunyi_trainer.rules import check_class, check_school
from zunyi_trainer.settings import DEFAULTS, load_settings, save_settings
from zunyi_trainer.subsidy import class_subsidy

SERVER = os.environ.get("ZUNYI_TRAINER_TEST_POSTGRES")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not SERVER, reason="no PostgreSQL server: set ZUNYI_TRAINER_TEST_POSTGRES (.ci/run starts one)"),
]


@pytest.fixture
def pg_register(tmp_path):
    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"zt_rules_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    reg = open_register(tmp_path / "data", database_url=url)
    yield reg
    reg.close()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_marks_corrections_rates_and_checks_on_postgresql(pg_register) -> None:
    reg = pg_register
    with reg.transaction() as s:
        c = factories.training_class(s, trainees=3, sessions=10)
        for e in c.enrollments:
            e.trainee.category = TraineeCategory.GRADUATE
        sess = c.sessions[0]
        t_in = dt.datetime.combine(sess.date, sess.start_time, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        marks = [Mark(x.id, e.id, AttendanceStatus.PRESENT, sign_in_at=t_in) for x in c.sessions for e in c.enrollments]
        assert record_marks(s, marks, method="terminal", recorded_by="a") == 30
        class_id, first = c.id, c.enrollments[0].id
    with reg.transaction() as s:
        fix = [Mark(x.id, first, AttendanceStatus.ABSENT) for x in s.get(type(c), class_id).sessions[:3]]
        assert record_marks(s, fix, method="manual", recorded_by="b", correction_reason="核对纸质签到表") == 3
    with reg.session() as s:
        c = s.get(type(c), class_id)
        row = s.scalars(sa.select(Attendance).where(Attendance.enrollment_id != first)).first()
        assert row.sign_in_at == t_in and row.uuid.version == 4
        rates = class_rates(s, c, DEFAULTS, as_of=dt.date(2026, 12, 31))
        assert rates[first].rate == pytest.approx(0.7) and not rates[first].eligible
        ev = s.scalars(sa.select(AuditEvent).where(AuditEvent.table_name == "attendance", AuditEvent.action == "update")).first()
        assert json.loads(ev.changes)["status"] == ["present", "absent"]
        c.status = ClassStatus.IN_PROGRESS
        found = {f.code for f in check_class(s, c, DEFAULTS, today=dt.date(2026, 3, 20))}
        assert "attendance.below_threshold" in found and "session.identical_sign_ins" in found
        assert class_subsidy(s, c, DEFAULTS, as_of=dt.date(2026, 12, 31)).trainees[0].reasons[0] == "attendance_low"
        s.rollback()
    with reg.engine.connect() as conn:
        assert audit.verify_chain(conn).ok


def test_lifecycle_settings_and_school_checks_on_postgresql(pg_register) -> None:
    with pg_register.transaction() as s:
        c = factories.training_class(s, trainees=2, sessions=10)
        for e in c.enrollments:
            e.trainee.category = TraineeCategory.GRADUATE
        c.mode = None
        with pytest.raises(lifecycle.TransitionRefused):
            lifecycle.submit(s, c, today=dt.date(2026, 2, 1))
        c.mode = TrainingMode.OFFLINE
        lifecycle.submit(s, c, today=dt.date(2026, 2, 1))
        save_settings(s, DEFAULTS.replace(attendance_threshold=0.9))
        codes = {f.code for f in check_school(s, factories.institution(s), DEFAULTS, today=dt.date(2026, 2, 1))}
        assert "teacher.no_training" in codes
    with pg_register.session() as s:
        assert load_settings(s).attendance_threshold == 0.9
        assert s.scalar(sa.select(type(c).status).where(type(c).id == c.id)) is ClassStatus.SUBMITTED
