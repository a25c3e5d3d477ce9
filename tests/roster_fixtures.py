"""Builders of real workbooks for the roster, attendance and punch tests: the shapes users bring."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook

from zunyi_trainer import idcard
from zunyi_trainer.models import Trainee

HEADERS = ["序号", "姓名", "性别", "公民身份号码", "联系电话", "文化程度", "人员类别", "户籍地址"]


def person(k: int, *, born: dt.date | None = None) -> tuple[str, str, str]:
    """(name, ID number, sex) of the k-th made-up trainee; names without digits, like real ones."""
    born = born or dt.date(1975, 1, 1) + dt.timedelta(days=97 * k)
    area = "522128" if born.year < 1997 else "520328"
    number = idcard.make_number(area, born, (k * 7) % 997 + 1)
    surnames, given = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
    name = surnames[k % len(surnames)] + given[(k // len(surnames)) % len(given)] + given[(k * 3) % len(given)]
    sex = "男" if int(number[16]) % 2 else "女"
    return name, number, sex


def roster_rows(n: int, start: int = 0) -> list[list[Any]]:
    rows = []
    for i in range(n):
        name, number, sex = person(start + i)
        rows.append([i + 1, name, sex, number, f"139{start + i:08d}", "初中", "脱贫劳动力", "贵州省遵义市湄潭县湄江街道"])
    return rows


def write_workbook(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    headers: Sequence[str] = HEADERS,
    title_rows: Sequence[str] = (),
    sheet_name: str = "花名册",
    sheets_before: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
    footer: Sequence[Sequence[Any]] = (),
    text_columns: Sequence[int] = (3, 4),
    merges: Sequence[str] = (),
    hidden_columns: Sequence[str] = (),
) -> Path:
    """A roster workbook written with openpyxl (what Excel would save): title rows above the header,
    other sheets in front, footers, merged ranges and hidden columns as asked. ``text_columns``
    (0-based) are written as text cells, like a column formatted as text in Excel."""
    wb = Workbook()
    first = wb.active
    for name, content in sheets_before:
        ws = wb.create_sheet(name)
        for r in content:
            ws.append(list(r))
    ws = wb.create_sheet(sheet_name)
    wb.remove(first)
    for t in title_rows:
        ws.append([t])
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
        for c in text_columns:
            ws.cell(row=ws.max_row, column=c + 1).number_format = "@"
    for r in footer:
        ws.append(list(r))
    for ref in merges:
        ws.merge_cells(ref)
    for letter in hidden_columns:
        ws.column_dimensions[letter].hidden = True
    wb.save(path)
    return path


def trainees_by_number(session) -> dict[str, Trainee]:
    return {t.id_number: t for t in session.scalars(sa.select(Trainee))}


def xlsx_with_part(source: Path, target: Path, part: str, content: bytes) -> Path:
    """A copy of ``source`` with one zip part replaced (for XML attacks and damage)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = content if info.filename == part else zin.read(info.filename)
            zout.writestr(info.filename, data)
        if part not in zin.namelist():
            zout.writestr(part, content)
    return target
