"""archive_pdf: the 一班一档 of a 60-trainee × 120-session class (7,200 attendance marks), built
through the core (queries, rates, findings, layout, header/footer, table of contents, fonts
embedded), next to plain reportlab tables of the same cells in the same font, in the same run.
Goal: at most 1.5×.

Standalone: ``uv run python -m benchmarks.bench_archive_pdf [--runs N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import tempfile
from pathlib import Path

import sqlalchemy as sa
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from benchmarks.common import Result, compare
from zunyi_trainer import idcard
from zunyi_trainer.attendance import Mark, record_marks
from zunyi_trainer.db import open_register
from zunyi_trainer.documents import build_archive, find_class, fonts_for
from zunyi_trainer.documents.archive import archive_story
from zunyi_trainer.documents.layout import Styles
from zunyi_trainer.models import (
    AttendanceMethod,
    AttendanceStatus,
    ClassSession,
    ClassStatus,
    Employment,
    Enrollment,
    Institution,
    Level,
    SessionKind,
    Teacher,
    Trade,
    Trainee,
    TrainingClass,
    TrainingMode,
    TrainingType,
    Venue,
    VenueKind,
)
from zunyi_trainer.timeutil import local_instant

TRAINEES = 60
SESSIONS = 120
CODE = "BENCH-ARC-01"


def make_register(base: Path, trainees: int = TRAINEES, sessions: int = SESSIONS) -> Path:
    """A register holding one finished class with every trainee marked at every session."""
    reg = open_register(base)
    try:
        with reg.transaction() as s:
            inst = Institution(name="遵义市基准职业培训学校", uscc="91110000600037341L", county="huichuan")
            trade = s.scalars(sa.select(Trade).where(Trade.name == "茶艺师")).one()
            inst.trades = [trade]
            s.add(inst)
            s.flush()
            teacher = Teacher(
                institution_id=inst.id,
                name="王老师",
                id_number=idcard.make_number("520302", dt.date(1980, 5, 5), 11),
                employment=Employment.FULL_TIME,
            )
            venue = Venue(institution_id=inst.id, name="茶艺实训室", kind=VenueKind.MIXED, seats=80)
            start = dt.date(2026, 3, 2)
            c = TrainingClass(
                institution_id=inst.id,
                code=CODE,
                name="茶艺师中级工培训班（基准）",
                trade=trade,
                level=Level.L4,
                training_type=TrainingType.UPSKILLING,
                mode=TrainingMode.OFFLINE,
                start_date=start,
                end_date=start + dt.timedelta(days=sessions // 2),
                venue=venue,
                head_teacher=teacher,
                planned_size=trainees,
                fee_fen=1_200_00,
                subsidy_standard_fen=1_200_00,
                status=ClassStatus.COMPLETED,
                approval_no="汇人社培〔2026〕001号",
                decided_on=start - dt.timedelta(days=7),
                approver="汇川区人社局",
            )
            s.add(c)
            for k in range(sessions):
                day = start + dt.timedelta(days=k // 2)
                morning = k % 2 == 0
                c.sessions.append(
                    ClassSession(
                        date=day,
                        start_time=dt.time(8, 30) if morning else dt.time(14, 0),
                        end_time=dt.time(11, 30) if morning else dt.time(17, 0),
                        periods=4,
                        kind=SessionKind.THEORY if k < sessions * 0.4 else SessionKind.PRACTICE,
                        topic=f"茶艺实训（{k + 1}）",
                        teacher=teacher,
                        venue=venue,
                    )
                )
            for i in range(trainees):
                birth = dt.date(1975, 1, 1) + dt.timedelta(days=i * 97)
                number = idcard.make_number("520303", birth, 11 + 2 * i)
                t = Trainee(
                    institution_id=inst.id,
                    name=f"学员{i + 1:02d}",
                    id_number=number,
                    sex="M",
                    birth_date=birth,
                    phone=f"139{i:08d}",
                )
                c.enrollments.append(Enrollment(trainee=t, enrolled_on=start - dt.timedelta(days=5)))
            s.flush()
            marks = []
            for k, sess in enumerate(c.sessions):
                for i, e in enumerate(c.enrollments):
                    status = AttendanceStatus.ABSENT if (i + k) % 23 == 0 else AttendanceStatus.PRESENT
                    present = status is AttendanceStatus.PRESENT
                    marks.append(
                        Mark(
                            sess.id,
                            e.id,
                            status,
                            sign_in_at=local_instant(sess.date, sess.start_time) - dt.timedelta(minutes=i % 9)
                            if present
                            else None,
                            sign_out_at=local_instant(sess.date, sess.end_time) + dt.timedelta(minutes=i % 7)
                            if present
                            else None,
                        )
                    )
            record_marks(s, marks, method=AttendanceMethod.TERMINAL, recorded_by="基准")
    finally:
        reg.close()
    return base


def _plain(value: object) -> str:
    if isinstance(value, Paragraph):
        return value.getPlainText()
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(_plain(v) for v in value)
    return "" if value is None or not isinstance(value, int | float) else str(value)


def same_cells(register_dir: Path) -> list[list[list[str]]]:
    """Every table of the archive, as the text of its cells."""
    reg = open_register(register_dir)
    try:
        with reg.session() as s:
            cls = find_class(s, CODE)
            story, _ = archive_story(s, cls, Styles(fonts_for(s)), store=reg.attachments_dir)
    finally:
        reg.close()
    return [[[_plain(v) for v in row] for row in f._cellvalues] for f in story if isinstance(f, Table)]


@dataclasses.dataclass
class Setup:
    register_dir: Path
    tables: list[list[list[str]]]
    font: str


def prepare(tmp: Path) -> Setup:
    base = make_register(tmp / "archive-bench")
    reg = open_register(base)
    with reg.session() as s:
        font = fonts_for(s).body
    reg.close()
    return Setup(base, same_cells(base), font)


def runners(setup: Setup):
    reg = open_register(setup.register_dir)

    def ours() -> None:
        with reg.session() as s:
            build_archive(s, find_class(s, CODE), io.BytesIO(), store=reg.attachments_dir)

    def floor() -> None:
        doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4, initialFontName=setup.font)
        story = [
            Table(
                cells,
                repeatRows=1,
                style=[
                    ("FONTNAME", (0, 0), (-1, -1), setup.font),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("GRID", (0, 0), (-1, -1), 0.5, "#444444"),
                ],
            )
            for cells in setup.tables
        ]
        doc.build(story)

    return reg, ours, floor


def run(ctx) -> list[Result]:
    setup = prepare(ctx.tmp)
    reg, ours, floor = runners(setup)
    try:
        cells = sum(len(t) * len(t[0]) for t in setup.tables if t)
        return [
            compare(
                "archive_pdf",
                ours,
                floor,
                goal=1.5,
                runs=ctx.runs,
                note=f"{TRAINEES} trainees × {SESSIONS} sessions, {len(setup.tables)} tables, {cells} cells",
            )
        ]
    finally:
        reg.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_archive_pdf")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    @dataclasses.dataclass
    class Ctx:
        tmp: Path
        runs: int
        quick: bool = False

    with tempfile.TemporaryDirectory(prefix="zt-bench-archive-") as tmp:
        for r in run(Ctx(Path(tmp), args.runs)):
            flag = "ok" if r.met else "MISS"
            print(
                f"{r.name}: ours {r.ours_s:.3f}s  floor {r.floor_s:.3f}s  ratio {r.ratio:.2f}  goal {r.goal}  {flag}  ({r.note})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
