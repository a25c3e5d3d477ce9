"""attendance_grid: opening the attendance grid of a class of 60 trainees × 120 sessions, every
mark recorded (7,200 marks, some with sign-in times, leaves and corrections).

- ``grid_open_model``: what opening the tab costs in data — :func:`load_grid` (the marks in one
  query; the class, its sessions and enrolments in three small ones; the settings) and the table
  model's load (every trainee's rate by hours, every session's counts). Floor: the bare sqlite3
  select of the same marks (one query, rows fetched). Goal 5×.
- ``grid_open_window``: the whole tab as the user gets it — the grid widget built, loaded and
  painted once (offscreen). Same floor; goal 10×, the note gives the milliseconds.
- ``grid_mark_session``: marking a whole session (60 cells, all recorded already: a 补录) as one
  action, saving it (one transaction through the audited ``record_marks``) and the grid read again
  (as the class window does on the change signal); floor: a plain sqlite3 executemany of 60 rows
  and the bare select of the marks. Goal 5×.

Standalone: ``uv run python -m benchmarks.bench_attendance_grid [--runs N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import sys
import tempfile
import time
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
from zunyi_trainer.timeutil import local_instant, now_utc, today_local

TRAINEES, SESSIONS = 60, 120
MODEL_GOAL = 5.0
WINDOW_GOAL = 10.0  # a widget, its layout and a first paint against a bare select of the marks
MARK_GOAL = 5.0
FLOOR_SQL = (  # the columns the grid reads of every mark (who recorded it is read for the selected cell only)
    "SELECT session_id, enrollment_id, status, sign_in_at, sign_out_at, leave_reason, is_correction, "
    "correction_reason FROM attendance WHERE session_id IN (SELECT id FROM class_session WHERE class_id = ?)"
)


def build(data_dir: Path) -> tuple[Path, int]:
    """A register holding one class of 60 × 120, every mark recorded through the core."""
    reg = open_register(data_dir)
    try:
        start = today_local() - dt.timedelta(days=SESSIONS // 2 + 5)  # every session held
        with reg.transaction() as s:
            inst = Institution(name="考勤表基准学校", uscc="91110000600037341L", county="meitan")
            s.add(inst)
            s.flush()
            c = TrainingClass(
                institution_id=inst.id,
                code="GRID0001",
                name="考勤表基准班",
                trade=s.scalars(sa.select(Trade)).first(),
                level=Level.L5,
                training_type=TrainingType.EMPLOYMENT,
                start_date=start,
                end_date=start + dt.timedelta(days=SESSIONS // 2),
            )
            s.add(c)
            for k in range(SESSIONS):
                morning = k % 2 == 0
                c.sessions.append(
                    ClassSession(
                        date=start + dt.timedelta(days=k // 2),
                        start_time=dt.time(8, 30) if morning else dt.time(14, 0),
                        end_time=dt.time(11, 30) if morning else dt.time(17, 0),
                        periods=4,
                        kind=SessionKind.PRACTICE,
                    )
                )
            for i in range(TRAINEES):
                born = dt.date(1985, 1, 1) + dt.timedelta(days=97 * i)
                t = Trainee(
                    institution_id=inst.id,
                    name=f"学员{i:02d}",
                    id_number=idcard.make_number("520302", born, 100 + i),
                    sex="M",
                    birth_date=born,
                )
                c.enrollments.append(Enrollment(trainee=t, enrolled_on=start - dt.timedelta(days=3)))
            s.flush()
            class_id = c.id
            sessions = [(x.id, x.date, x.start_time) for x in c.sessions]
            enrolments = [e.id for e in c.enrollments]
        marks = []
        for n, (sid, day, begins) in enumerate(sessions):
            for k, eid in enumerate(enrolments):
                pick = (n * 7 + k * 3) % 20
                if pick == 0:
                    marks.append(Mark(sid, eid, AttendanceStatus.ABSENT))
                elif pick == 1:
                    marks.append(Mark(sid, eid, AttendanceStatus.LEAVE, leave_reason="病假"))
                elif pick == 2:
                    arrived = local_instant(day, begins) + dt.timedelta(minutes=20)
                    marks.append(Mark(sid, eid, AttendanceStatus.LATE, sign_in_at=arrived))
                else:
                    marks.append(Mark(sid, eid, AttendanceStatus.PRESENT, sign_in_at=local_instant(day, begins)))
        with reg.transaction() as s:
            record_marks(s, marks, method=AttendanceMethod.TERMINAL, recorded_by="基准")
        with reg.transaction() as s:  # a few corrections, as a real class has
            record_marks(
                s,
                [Mark(sid, enrolments[0], AttendanceStatus.PRESENT) for sid, _d, _t in sessions[:10]],
                method=AttendanceMethod.MANUAL,
                recorded_by="基准",
                correction_reason="补登",
            )
    finally:
        reg.close()
    return data_dir, class_id


def _floor(db: Path, class_id: int):
    def run() -> None:
        con = sqlite3.connect(db)
        try:
            rows = con.execute(FLOOR_SQL, (class_id,)).fetchall()
            assert len(rows) == TRAINEES * SESSIONS
        finally:
            con.close()

    return run


def measure(data_dir: Path, class_id: int, runs: int, tmp: Path) -> list[Result]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from zunyi_trainer.gui.attendance_grid import AttendanceGrid, AttendanceGridModel, load_grid
    from zunyi_trainer.gui.context import AppContext
    from zunyi_trainer.gui.tasks import SynchronousPool, TaskRunner

    app = QApplication.instance() or QApplication([])
    reg = open_register(data_dir)
    results: list[Result] = []
    try:
        floor = _floor(reg.path, class_id)
        model = AttendanceGridModel()

        def open_model() -> None:
            with reg.session() as s:
                data = load_grid(s, class_id)
            model.load(data)
            assert model.rowCount() == TRAINEES + 1 and model.columnCount() == SESSIONS + 2

        for warm_up in (open_model, floor):
            for _ in range(3):
                warm_up()
        results.append(
            compare(
                "grid_open_model",
                open_model,
                floor,
                goal=MODEL_GOAL,
                runs=runs,
                note=f"{TRAINEES} × {SESSIONS}: the marks, the class, its sessions and enrolments, rates and counts",
            )
        )

        settings = QSettings(str(tmp / "bench-gui.ini"), QSettings.Format.IniFormat)
        ctx = AppContext(reg, runner=TaskRunner(pool=SynchronousPool()), settings=settings)
        opened: list[AttendanceGrid] = []

        def open_window() -> None:
            grid = AttendanceGrid(ctx, class_id)
            grid.resize(1200, 760)
            grid.show()
            grid.reload()
            grid.grab()  # the first paint of the visible cells
            opened.append(grid)

        def close_windows() -> None:
            while opened:
                w = opened.pop()
                w.close()
                w.deleteLater()
            app.processEvents()

        for _ in range(2):
            open_window()
            close_windows()
        result = compare("grid_open_window", open_window, floor, goal=WINDOW_GOAL, runs=runs, setup=close_windows)
        close_windows()
        result.note = f"widget built, loaded and painted: {1000 * result.ours_s:.1f} ms"
        results.append(result)

        # Marking a whole session as one action and saving it, on a copy of the register.
        work = tmp / "grid-mark"
        state: dict = {}

        def fresh() -> None:
            if "reg" in state:
                state.pop("grid").deleteLater()
                state.pop("reg").close()
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(data_dir, work, ignore=shutil.ignore_patterns("*.lock"))
            copy = open_register(work)
            grid = AttendanceGrid(AppContext(copy, runner=TaskRunner(pool=SynchronousPool()), settings=settings), class_id)
            grid.reload()
            grid.view.setCurrentIndex(grid.model.index(0, SESSIONS - 1))
            grid.ask_correction_reason = lambda _n: "基准补录"
            state.update(reg=copy, grid=grid)

        def mark_and_save() -> None:
            grid = state["grid"]
            grid.mark_session(AttendanceStatus.ABSENT)
            assert grid.save()
            grid.reload()  # what the class window does on the change signal

        now = now_utc().replace(tzinfo=None).isoformat(sep=" ")

        def floor_write() -> None:
            con = sqlite3.connect(work / "register.sqlite3")
            try:
                with con:
                    con.executemany(
                        "INSERT INTO attendance (uuid, session_id, enrollment_id, status, method, recorded_by, "
                        "recorded_at, is_correction, correction_reason, leave_reason, notes, created_at, updated_at) "
                        "VALUES (?, ?, ?, 'absent', 'manual', '基准', ?, 0, '', '', '', ?, ?)",
                        [(uuid.uuid4().hex, 10**6, 10**6 + k, now, now, now) for k in range(TRAINEES)],
                    )
                con.execute(FLOOR_SQL, (class_id,)).fetchall()
            finally:
                con.close()

        result = compare("grid_mark_session", mark_and_save, floor_write, goal=MARK_GOAL, runs=runs, setup=fresh)
        result.note = (
            f"{TRAINEES} cells as one action, saved as 补录 in one transaction, read again: {1000 * result.ours_s:.1f} ms"
        )
        results.append(result)
        if "reg" in state:
            state.pop("grid").deleteLater()
            state.pop("reg").close()
    finally:
        reg.close()
    return results


def run(ctx) -> list[Result]:
    data_dir, class_id = build(ctx.tmp / "attendance-grid")
    return measure(data_dir, class_id, ctx.runs, ctx.tmp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_attendance_grid")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zt-bench-") as tmp:
        start = time.perf_counter()
        data_dir, class_id = build(Path(tmp) / "register")
        print(f"built {TRAINEES} × {SESSIONS} marks in {time.perf_counter() - start:.1f}s", flush=True)
        failed = False
        for r in measure(data_dir, class_id, args.runs, Path(tmp)):
            failed |= not r.met
            print(
                f"{r.name:<20} ours {1000 * r.ours_s:7.1f} ms  floor {1000 * r.floor_s:7.1f} ms  "
                f"ratio {r.ratio:5.2f}  goal {r.goal:.1f}  {'ok' if r.met else 'MISS'}  {r.note}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
