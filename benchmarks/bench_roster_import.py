"""roster_import: import a 20,000-row roster workbook into a class (read, sniff, clean, validate every
ID, check the register, back up, write trainees and enrolments with their audit events, all in
one transaction) next to a plain openpyxl read-only pass over the same file. Goal: at most 1.5×.

Standalone: ``uv run python -m benchmarks.bench_roster_import [--rows N] [--runs N]``.

First measured 2026-11-28 at ratio 1.95–2.6: reading ≈ 0.5 of the floor, validating ≈ 0.75,
writing ≈ 0.9–1.2 (SQLAlchemy Core's per-row parameter dicts and type processing, a JSON dump and
a chain hash per audit event, and SQLite's 2 MB page cache spilling the random index pages).
After the second pass (zunyi_trainer/bulk.py: column-wise bind processing with the very
processors SQLAlchemy calls, snapshots assembled as canonical JSON, a 64 MB page cache for the
length of the write; the ID's birth date read without stdnum's second cleaning) the import sits
at about 1.3× (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from benchmarks.common import Result, compare
from zunyi_trainer import idcard
from zunyi_trainer.db import open_register
from zunyi_trainer.models import Institution, Level, Trade, TrainingClass, TrainingType
from zunyi_trainer.roster import import_roster

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞凤梅琴云莲真环雪荣爱妹香月"
EDUCATION = ("小学及以下", "初中", "高中", "中专/技校", "大专")
CATEGORY = ("脱贫劳动力", "农村转移劳动力", "易地扶贫搬迁劳动力", "其他")


def write_roster(path: Path, rows: int) -> Path:
    """A roster with a title row and IDs and phones as text cells. openpyxl writes its strings inline
    (Excel and WPS write a shared-strings table): both readers read the same file."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["仁怀市2026年白酒酿造工培训班学员花名册"])
    ws.append(["序号", "姓名", "性别", "公民身份号码", "联系电话", "文化程度", "人员类别", "户籍地址"])
    start = dt.date(1970, 1, 1)
    for i in range(rows):
        born = start + dt.timedelta(days=(i * 7) % 12_000)
        area = "522128" if born.year < 1997 else "520382"
        number = idcard.make_number(area, born, i // 12_000 * 50 + (i % 50) + 1)
        sex = "男" if int(number[16]) % 2 else "女"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 3) % len(GIVEN)]
        ws.append(
            [
                i + 1,
                name,
                sex,
                number,
                f"1{3 + i % 7}{i:09d}",
                EDUCATION[i % len(EDUCATION)],
                CATEGORY[i % len(CATEGORY)],
                f"贵州省遵义市仁怀市茅台镇{i % 40 + 1}组",
            ]
        )
    for row in ws.iter_rows(min_row=3, min_col=4, max_col=5):
        for cell in row:
            cell.number_format = "@"
    wb.save(path)
    return path


def make_register(base: Path) -> Path:
    reg = open_register(base)
    try:
        with reg.transaction() as s:
            inst = Institution(name="基准职业培训学校", uscc="91110000600037341L", county="renhuai")
            s.add(inst)
            s.flush()
            trade = s.scalars(sa.select(Trade).where(Trade.name == "白酒酿造工")).one()
            s.add(
                TrainingClass(
                    institution_id=inst.id,
                    code="BENCH1",
                    name="基准班",
                    trade=trade,
                    level=Level.L5,
                    training_type=TrainingType.EMPLOYMENT,
                    start_date=dt.date(2026, 3, 2),
                    end_date=dt.date(2026, 3, 20),
                )
            )
    finally:
        reg.close()
    return base


def openpyxl_pass(path: Path) -> int:
    """The floor: every value of the file through openpyxl's read-only reader, nothing else."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                count += sum(1 for v in row if v is not None)
    finally:
        wb.close()
    return count


def bench(tmp: Path, rows: int, runs: int) -> Result:
    roster = write_roster(tmp / "roster.xlsx", rows)
    template = make_register(tmp / "template")
    work = tmp / "work"

    opened = []

    def fresh() -> None:
        while opened:
            opened.pop().close()
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(template, work, ignore=shutil.ignore_patterns("*.lock"))
        opened.append(open_register(work))  # opening the register is not part of the import

    def ours() -> None:
        report = import_roster(opened[0], roster, "BENCH1")
        assert report.created == rows, report.format_table(limit=5)

    try:
        return compare(
            "roster_import",
            ours,
            lambda: openpyxl_pass(roster),
            goal=1.5,
            runs=runs,
            setup=fresh,
            note=f"{rows} rows",
        )
    finally:
        while opened:
            opened.pop().close()


def run(ctx) -> list[Result]:
    rows = 2_000 if ctx.quick else 20_000
    base = ctx.tmp / "roster-import"
    base.mkdir(parents=True, exist_ok=True)
    return [bench(base, rows, ctx.runs)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_roster_import")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zt-bench-roster-") as tmp:
        result = bench(Path(tmp), args.rows, args.runs)
    print(
        f"{result.name}: ours {result.ours_s:.3f}s, openpyxl read-only floor {result.floor_s:.3f}s, "
        f"ratio {result.ratio:.2f} (goal ≤ {result.goal}) {'met' if result.met else 'MISSED'} — {result.note}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
