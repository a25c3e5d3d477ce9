"""attendance_write: record marks through the core (validated, audited, all or nothing) next to
a plain sqlite3 executemany of the same rows into the same schema. Goal: at most 3×.

Ours writes twice the rows of the floor (each mark and its hash-chained audit event; since
revision 0003 the audit table has no index on its random record keys). 3.38× at 200,000 marks
before the second pass; about 2.2× after it (a 64 MB page cache for the length of the write, the audit
chain's shared fields encoded once per run of events, UUIDs and snapshots made in bulk). See
docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import uuid
from pathlib import Path

import sqlalchemy as sa

from benchmarks.common import Result, compare
from zunyi_trainer import idcard
from zunyi_trainer.attendance import Mark, record_marks
from zunyi_trainer.db import open_register
from zunyi_trainer.models import (
    AttendanceMethod,
    AttendanceStatus,
    ClassSession,
    Enrollment,
    Institution,
    Level,
    SessionKind,
    Trade,
    Trainee,
    TrainingClass,
    TrainingType,
)
from zunyi_trainer.timeutil import local_instant, now_utc

TRAINEES = 100


def _template(base: Path, sessions: int) -> Path:
    reg = open_register(base)
    with reg.transaction() as s:
        inst = Institution(name="考勤基准学校", uscc="91110000600037341L", county="meitan")
        s.add(inst)
        s.flush()
        trade = s.scalars(sa.select(Trade)).first()
        c = TrainingClass(
            institution_id=inst.id,
            code="ATT0001",
            name="考勤基准班",
            trade=trade,
            level=Level.L5,
            training_type=TrainingType.EMPLOYMENT,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2027, 1, 1),
        )
        s.add(c)
        day = dt.date(2025, 1, 1)
        for k in range(sessions):
            c.sessions.append(
                ClassSession(
                    date=day + dt.timedelta(days=k // 2),
                    start_time=dt.time(8, 30) if k % 2 == 0 else dt.time(14, 0),
                    end_time=dt.time(11, 30) if k % 2 == 0 else dt.time(17, 0),
                    periods=4,
                    kind=SessionKind.PRACTICE,
                )
            )
        for i in range(TRAINEES):
            number = idcard.make_number("520302", dt.date(1990, 1, 1) + dt.timedelta(days=i), 11)
            t = Trainee(
                institution_id=inst.id,
                name=f"学员{i}",
                id_number=number,
                sex="M",
                birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=i),
            )
            c.enrollments.append(Enrollment(trainee=t, enrolled_on=dt.date(2024, 12, 1)))
    reg.close()
    return base


def run(ctx) -> list[Result]:
    marks_wanted = 20_000 if ctx.quick else 200_000
    sessions = marks_wanted // TRAINEES
    template = _template(ctx.tmp / "att-template", sessions)
    work = ctx.tmp / "att-work"

    opened: list = []

    def fresh() -> None:
        while opened:
            opened.pop().close()
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(template, work, ignore=shutil.ignore_patterns("*.lock"))
        opened.append(open_register(work))  # opening the register is not part of recording marks

    reg = open_register(template)
    with reg.session() as s:
        session_rows = s.execute(
            sa.select(ClassSession.id, ClassSession.date, ClassSession.start_time).order_by(ClassSession.id)
        ).all()
        enrollment_ids = s.scalars(sa.select(Enrollment.id).order_by(Enrollment.id)).all()
    reg.close()
    marks = [
        Mark(sid, eid, AttendanceStatus.PRESENT, sign_in_at=local_instant(day, st))
        for sid, day, st in session_rows
        for eid in enrollment_ids
    ]

    def ours() -> None:
        with opened[0].transaction() as s:
            record_marks(s, marks, method=AttendanceMethod.TERMINAL, recorded_by="基准")

    now = now_utc().replace(tzinfo=None).isoformat(sep=" ")
    rows = [
        (
            uuid.uuid4().hex,
            m.session_id,
            m.enrollment_id,
            "present",
            m.sign_in_at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" "),
            "terminal",
            "基准",
            now,
            0,
            "",
            "",
            "",
            now,
            now,
        )
        for m in marks
    ]

    def floor() -> None:
        while opened:  # the floor writes through its own connection
            opened.pop().close()
        con = sqlite3.connect(work / "register.sqlite3", isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO attendance (uuid, session_id, enrollment_id, status, sign_in_at, method, recorded_by, recorded_at, "
            "is_correction, correction_reason, leave_reason, notes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        con.execute("COMMIT")
        con.close()

    try:
        return [compare("attendance_write", ours, floor, goal=3.0, runs=ctx.runs, setup=fresh, note=f"{len(marks)} marks")]
    finally:
        while opened:
            opened.pop().close()
