"""rules_check: ``check_class`` of a 60-trainee, 120-session class (with its 7,200 attendance
marks and ten neighbouring classes on the same days) next to a floor: plain sqlite3 reading the
rows the check needs (the class, its sessions with teachers' qualifications, the trainees, the
attendance, the other sessions on the same days, the overlapping enrolments).

The check must be fast enough to run on every edit: the absolute time is printed beside the
ratio. Run alone with ``uv run python -m benchmarks.bench_rules [--runs N] [--json FILE]``, or as
part of ``uv run python -m benchmarks``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

from benchmarks.common import Result, compare
from zunyi_trainer import idcard
from zunyi_trainer.attendance import Mark, record_marks
from zunyi_trainer.db import open_register
from zunyi_trainer.models import (
    AttendanceStatus,
    ClassSession,
    ClassStatus,
    Employment,
    Enrollment,
    Institution,
    Level,
    Qualification,
    QualificationKind,
    SessionKind,
    Teacher,
    TeacherTraining,
    Trade,
    Trainee,
    TraineeCategory,
    TrainingClass,
    TrainingMode,
    TrainingType,
    Venue,
    VenueKind,
)
from zunyi_trainer.rules import check_class
from zunyi_trainer.settings import DEFAULTS

TRAINEES = 60
SESSIONS = 120
NEIGHBOURS = 10
START = dt.date(2026, 3, 2)
GOAL = 6.0  # measured at about 3.4× on 2 shared cores; the check runs on every edit, so guard it


def _teacher(inst: Institution, trade: Trade, n: int) -> Teacher:
    t = Teacher(
        institution_id=inst.id,
        name=f"教师{n}",
        id_number=idcard.make_number("520302", dt.date(1980, 1, 1) + dt.timedelta(days=n), 21),
        employment=Employment.FULL_TIME if n % 2 == 0 else Employment.PART_TIME,
    )
    t.qualifications.append(
        Qualification(
            kind=QualificationKind.SKILL_LEVEL,
            number=f"Q{n:06d}",
            trade=trade,
            level=Level.L3,
            issued_on=dt.date(2020, 1, 1),
            expires_on=dt.date(2030, 1, 1),
        )
    )
    t.trainings.append(TeacherTraining(held_on=dt.date(2026, 1, 5), title="轮训"))
    return t


def _class(inst: Institution, trade: Trade, code: str, teacher: Teacher, venue: Venue, sessions: int, hour: int) -> TrainingClass:
    c = TrainingClass(
        institution_id=inst.id,
        code=code,
        name=f"{trade.name}培训班",
        trade=trade,
        level=Level.L5,
        training_type=TrainingType.EMPLOYMENT,
        mode=TrainingMode.OFFLINE,
        start_date=START,
        end_date=START + dt.timedelta(days=sessions // 2 + 1),
        venue=venue,
        planned_size=TRAINEES,
        subsidy_standard_fen=1_200_00,
        status=ClassStatus.IN_PROGRESS,
    )
    for k in range(sessions):
        morning = k % 2 == 0
        c.sessions.append(
            ClassSession(
                date=START + dt.timedelta(days=k // 2),
                start_time=dt.time(hour if morning else hour + 6, 0),
                end_time=dt.time(hour + 3 if morning else hour + 9, 0),
                periods=4,
                kind=SessionKind.THEORY if k < sessions * 0.35 else SessionKind.PRACTICE,
                teacher=teacher,
                venue=venue,
            )
        )
    return c


def build(base: Path) -> Path:
    """A register with the measured class (code BENCH) and its neighbours."""
    reg = open_register(base)
    try:
        with reg.transaction() as s:
            trade = s.scalars(sa.select(Trade).where(Trade.name == "茶艺师")).one()
            inst = Institution(name="规则基准学校", uscc="91110000600037341L", county="meitan")
            inst.trades = [trade]
            s.add(inst)
            s.flush()
            teachers = [_teacher(inst, trade, n) for n in range(NEIGHBOURS + 1)]
            venues = [
                Venue(institution_id=inst.id, name=f"教室{n}", kind=VenueKind.MIXED, seats=80) for n in range(NEIGHBOURS + 1)
            ]
            s.add_all(teachers + venues)
            s.flush()
            main = _class(inst, trade, "BENCH", teachers[0], venues[0], SESSIONS, 8)
            s.add(main)
            for n in range(1, NEIGHBOURS + 1):
                s.add(_class(inst, trade, f"N{n:03d}", teachers[n], venues[n], 40, 8))
            for i in range(TRAINEES * 2):
                birth = dt.date(1985, 1, 1) + dt.timedelta(days=37 * i)
                t = Trainee(
                    institution_id=inst.id,
                    name=f"学员{i}",
                    id_number=idcard.make_number("522128", birth, 11 + i % 800),
                    sex="M",
                    birth_date=birth,
                    phone=f"139{i:08d}",
                    category=TraineeCategory.RURAL_MIGRANT,
                )
                s.add(t)
                if i < TRAINEES:
                    main.enrollments.append(Enrollment(trainee=t, enrolled_on=START - dt.timedelta(days=5)))
            s.flush()
            marks = [
                Mark(x.id, e.id, AttendanceStatus.PRESENT if (x.id + e.id) % 11 else AttendanceStatus.ABSENT)
                for x in main.sessions
                for e in main.enrollments
            ]
            record_marks(s, marks, method="manual", recorded_by="基准")
    finally:
        reg.close()
    return base


_FLOOR_QUERIES = (
    ("SELECT * FROM training_class WHERE code = 'BENCH'", ()),
    ("SELECT * FROM class_session WHERE class_id = ?", ("class",)),
    (
        "SELECT q.* FROM qualification q JOIN class_session s ON s.teacher_id = q.teacher_id WHERE s.class_id = ?",
        ("class",),
    ),
    ("SELECT e.*, t.* FROM enrollment e JOIN trainee t ON t.id = e.trainee_id WHERE e.class_id = ?", ("class",)),
    (
        "SELECT a.* FROM attendance a JOIN class_session s ON s.id = a.session_id WHERE s.class_id = ?",
        ("class",),
    ),
    (
        "SELECT o.* FROM class_session o WHERE o.date IN (SELECT date FROM class_session WHERE class_id = ?) "
        "AND (o.teacher_id IN (SELECT teacher_id FROM class_session WHERE class_id = ?) "
        "OR o.venue_id IN (SELECT venue_id FROM class_session WHERE class_id = ?))",
        ("class", "class", "class"),
    ),
    (
        "SELECT e2.* FROM enrollment e1 JOIN enrollment e2 ON e2.trainee_id = e1.trainee_id AND e2.id != e1.id "
        "WHERE e1.class_id = ?",
        ("class",),
    ),
)


def measure(base: Path, runs: int) -> Result:
    reg = open_register(base)
    with reg.session() as s:
        cls = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == "BENCH")).one()
        class_id = cls.id
        findings = check_class(s, cls, DEFAULTS, today=START + dt.timedelta(days=70))
    assert findings is not None

    def ours() -> None:
        with reg.session() as s:
            c = s.get(TrainingClass, class_id)
            check_class(s, c, DEFAULTS, today=START + dt.timedelta(days=70))

    def floor() -> None:
        con = sqlite3.connect(base / "register.sqlite3")
        try:
            for sql, params in _FLOOR_QUERIES:
                con.execute(sql, [class_id for _ in params]).fetchall()
        finally:
            con.close()

    try:
        return compare(
            "rules_check",
            ours,
            floor,
            goal=GOAL,
            runs=runs,
            note=f"{TRAINEES} trainees, {SESSIONS} sessions, {TRAINEES * SESSIONS} marks; {len(findings)} findings",
        )
    finally:
        reg.close()


def run(ctx) -> list[Result]:
    """Entry point for ``python -m benchmarks``."""
    base = build(ctx.tmp / "rules-bench")
    return [measure(base, max(ctx.runs, 5))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_rules")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zt-bench-rules-") as tmp:
        result = measure(build(Path(tmp) / "register"), args.runs)
    flag = "ok " if result.met else "MISS"
    print(
        f"{result.name:<14} ours {result.ours_s * 1000:7.1f} ms  floor {result.floor_s * 1000:7.1f} ms  "
        f"ratio {result.ratio:5.2f}  goal {result.goal:4.1f}  {flag} {result.note}"
    )
    if args.json:
        args.json.write_text(json.dumps([result.as_dict()], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
