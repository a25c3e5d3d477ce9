"""The same register on PostgreSQL: the same models, migrations and audit chain.

These run when ``ZUNYI_TRAINER_TEST_POSTGRES`` names a server (a URL to any database on it, e.g.
``postgresql+psycopg://postgres@127.0.0.1:55432/postgres``); ``.ci/run`` starts one. Each test
gets a database of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import factories
import pytest
import sqlalchemy as sa

from zunyi_trainer import audit
from zunyi_trainer.cli import run
from zunyi_trainer.db import head_revision, open_register
from zunyi_trainer.models import Attendance, AuditEvent, Trade, TrainingClass

SERVER = os.environ.get("ZUNYI_TRAINER_TEST_POSTGRES")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not SERVER, reason="no PostgreSQL server: set ZUNYI_TRAINER_TEST_POSTGRES (.ci/run starts one)"),
]


@pytest.fixture
def pg_url():
    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"zt_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def pg_register(pg_url, tmp_path):
    reg = open_register(tmp_path / "data", database_url=pg_url)
    yield reg
    reg.close()


def test_a_new_database_is_migrated_and_seeded(pg_register):
    assert pg_register.report.upgraded_to == head_revision()
    assert not pg_register.is_file
    with pg_register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Trade)) >= 30


def test_records_round_trip_with_the_audit_chain(pg_register):
    with pg_register.transaction() as s:
        c = factories.training_class(s, trainees=3, sessions=2, subsidy_standard_fen=1_500_00)
        c.submitted_at = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        code = c.code
    with pg_register.session() as s:
        c = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == code)).one()
        assert c.subsidy_standard_fen == 150000 and len(c.enrollments) == 3
        assert c.submitted_at == dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)
    with pg_register.engine.connect() as conn:
        report = audit.verify_chain(conn)
    assert report.ok and report.events > 10


def test_the_audit_table_is_append_only_on_postgresql(pg_register):
    with pg_register.transaction() as s:
        factories.trainee(s)
    for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(sa.exc.DBAPIError), pg_register.engine.begin() as conn:
            conn.exec_driver_sql(statement)


WRITER = textwrap.dedent(
    """
    import sys
    from zunyi_trainer.attendance import Mark, record_marks
    from zunyi_trainer.db import open_register
    from zunyi_trainer.models import AttendanceMethod, AttendanceStatus
    url, data, session_ids, enrollment_ids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    reg = open_register(data, database_url=url)
    sessions = [int(x) for x in session_ids.split(",")]
    for eid in [int(x) for x in enrollment_ids.split(",")]:
        with reg.transaction() as s:  # one transaction per trainee: many interleaved writers
            record_marks(s, [Mark(sid, eid, AttendanceStatus.PRESENT) for sid in sessions],
                         method=AttendanceMethod.MANUAL, recorded_by="writer")
    reg.close()
    """
)


def test_two_writers_recording_attendance_at_once_lose_nothing(pg_register, pg_url, tmp_path):
    with pg_register.transaction() as s:
        c = factories.training_class(s, trainees=20, sessions=6)
        sessions = ",".join(str(x.id) for x in c.sessions)
        enrollments = [e.id for e in c.enrollments]
    halves = [",".join(map(str, enrollments[:10])), ",".join(map(str, enrollments[10:]))]
    root = Path(__file__).resolve().parents[1]
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, pg_url, str(tmp_path / f"w{k}"), sessions, half], cwd=root)
        for k, half in enumerate(halves)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with pg_register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 20 * 6
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.table_name == "attendance")) == 120
    with pg_register.engine.connect() as conn:
        assert audit.verify_chain(conn).ok  # serialised appends: the chain did not fork


def test_the_command_line_runs_on_postgresql(pg_url, tmp_path, capsys):
    import json

    assert run(["--data-dir", str(tmp_path / "d"), "--database-url", pg_url, "demo", "--seed", "3"]) == 0
    capsys.readouterr()
    assert run(["--data-dir", str(tmp_path / "d"), "--database-url", pg_url, "class", "list", "--json"]) == 0
    classes = json.loads(capsys.readouterr().out)
    assert {"draft", "in_progress", "completed"} <= {c["status"] for c in classes}
    assert run(["--data-dir", str(tmp_path / "d"), "--database-url", pg_url, "db", "verify-audit"]) == 0
    assert run(["--data-dir", str(tmp_path / "d"), "--database-url", pg_url, "db", "check"]) == 0


def test_backup_uses_pg_dump_where_installed(pg_register, tmp_path):
    import shutil

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    info = pg_register.backup("manual", target=tmp_path / "b.pgdump")
    assert info.path.read_bytes()[:5] == b"PGDMP"
