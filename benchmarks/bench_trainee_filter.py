"""trainee_filter: the trainee register of the desktop app with 100,000 trainees. One keystroke
in the search box runs the page's query (a count and the first page of 200 rows, searched with
LIKE on name, ID number and phone, sorted by name) through ``TraineeSqlModel``; the floor is the
same two LIKE queries through plain sqlite3. Also the first paint (no search) and the next page
(what scrolling fetches). Goal: at most 2×.

Standalone: ``uv run python -m benchmarks.bench_trainee_filter [--trainees N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from benchmarks.common import Result, compare
from benchmarks.generate import trainee_rows
from zunyi_trainer.db import open_register
from zunyi_trainer.models import Institution, Trainee
from zunyi_trainer.timeutil import now_utc

GOAL = 2.0
TRAINEES = 100_000
PAGE = 200
COLUMNS = "id, name, id_number, sex, birth_date, phone, education, category, employer, household_address"
WHERE = "name LIKE ? ESCAPE '\\' OR id_number LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\'"


def build(data_dir: Path, trainees: int, seed: int = 11) -> Path:
    """A register with ``trainees`` trainees (bulk insert; the audit trail is not what is measured)."""
    rng = random.Random(seed)
    reg = open_register(data_dir)
    try:
        with reg.engine.begin() as conn:
            now = now_utc()
            conn.execute(
                Institution.__table__.insert(),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "name": "基准学校",
                        "uscc": "91110000600037341L",
                        "county": "huichuan",
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            inst_id = conn.execute(sa.select(Institution.id)).scalar_one()
            rows = trainee_rows(rng, inst_id, trainees, now)
            for i in range(0, len(rows), 20_000):
                conn.execute(Trainee.__table__.insert(), rows[i : i + 20_000])
    finally:
        reg.close()
    return data_dir


def _floor(db: Path, needle: str, offset: int = 0):
    def run() -> None:
        con = sqlite3.connect(db)
        try:
            if needle:
                pattern = f"%{needle}%"
                args = (pattern, pattern.upper(), pattern)
                con.execute(f"SELECT count(*) FROM (SELECT {COLUMNS} FROM trainee WHERE {WHERE})", args).fetchone()
                con.execute(
                    f"SELECT {COLUMNS} FROM trainee WHERE {WHERE} ORDER BY name, id LIMIT {PAGE} OFFSET {offset}", args
                ).fetchall()
            else:
                con.execute(f"SELECT count(*) FROM (SELECT {COLUMNS} FROM trainee)").fetchone()
                con.execute(f"SELECT {COLUMNS} FROM trainee ORDER BY name, id LIMIT {PAGE} OFFSET {offset}").fetchall()
        finally:
            con.close()

    return run


def ui_thread_per_keystroke(model, needle: str, keystrokes: int = 5) -> float:
    """What the UI thread spends on a keystroke when, as in the app, the query runs on a worker:
    handing the task over and showing the result. The median over a few keystrokes."""
    import statistics

    from PySide6.QtCore import QCoreApplication, QThreadPool

    from zunyi_trainer.gui.tasks import TaskRunner

    pool = QThreadPool()
    runner = TaskRunner(pool=pool)
    spent: list[float] = []
    for _ in range(keystrokes):
        shown: list[float] = []

        def show(result, shown=shown) -> None:
            start = time.perf_counter()
            model.apply(result)
            shown.append(time.perf_counter() - start)

        start = time.perf_counter()
        runner.run(lambda _task: model.query(needle, {}), on_done=show)
        handed_over = time.perf_counter() - start
        while not shown:
            QCoreApplication.processEvents()
            time.sleep(0.001)
        spent.append(handed_over + shown[0])
    pool.waitForDone()
    return statistics.median(spent)


def measure(data_dir: Path, runs: int) -> list[Result]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    from zunyi_trainer.gui.table_models import TraineeSqlModel

    QApplication.instance() or QApplication([])
    reg = open_register(data_dir)
    try:
        with reg.session() as s:
            total = s.scalar(sa.select(sa.func.count(Trainee.id)))
            sample = s.scalars(sa.select(Trainee).order_by(Trainee.id).offset(total // 2).limit(1)).one()
        model = TraineeSqlModel(reg.engine.connect, {})
        db = reg.path
        for warm_up in (lambda: model.set_search(""), _floor(db, "")):  # statement caches, file pages
            for _ in range(3):
                warm_up()
        # One connection per query on both sides: the app opens its register the same way.
        results = [
            compare(
                "trainee_first_page",
                lambda: model.set_search(""),
                _floor(db, ""),
                goal=GOAL,
                runs=runs,
                note=f"{total:,} trainees: count + first {PAGE} rows",
            )
        ]
        surname = sample.name[0]
        for label, needle in (("surname", surname), ("id_tail", sample.id_number[-6:]), ("phone", sample.phone[3:8])):
            result = compare(
                f"trainee_filter_{label}",
                lambda needle=needle: model.set_search(needle),
                _floor(db, needle),
                goal=GOAL,
                runs=runs,
            )
            result.note = f"keystroke “{needle}”: {model.total:,} matches"
            results.append(result)
        model.set_search(surname)

        def next_page() -> None:
            model.set_search(surname)
            model.fetchMore(QModelIndex())

        def floor_next_page() -> None:
            _floor(db, surname)()
            _floor(db, surname, PAGE)()

        results.append(
            compare("trainee_scroll_page", next_page, floor_next_page, goal=GOAL, runs=runs, note="search + one more page")
        )
        results[-1].note += f"; UI thread per keystroke {1000 * ui_thread_per_keystroke(model, surname):.1f} ms"
    finally:
        reg.close()
    return results


def run(ctx) -> list[Result]:
    trainees = TRAINEES // 10 if ctx.quick else TRAINEES
    data_dir = build(ctx.tmp / "trainee-filter", trainees)
    return measure(data_dir, ctx.runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_trainee_filter")
    parser.add_argument("--trainees", type=int, default=TRAINEES)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zt-bench-") as tmp:
        start = time.perf_counter()
        data_dir = build(Path(tmp) / "register", args.trainees)
        print(f"built {args.trainees:,} trainees in {time.perf_counter() - start:.1f}s", flush=True)
        failed = False
        for r in measure(data_dir, args.runs):
            failed |= not r.met
            print(
                f"{r.name:<24} ours {1000 * r.ours_s:7.1f} ms  floor {1000 * r.floor_s:7.1f} ms  "
                f"ratio {r.ratio:5.2f}  goal {r.goal:.1f}  {'ok' if r.met else 'MISS'}  {r.note}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
