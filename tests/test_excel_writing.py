"""Styled exports: Chinese headers, IDs and phones as text, real dates, frozen headers, widths; the registers."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import sqlalchemy as sa

from zunyi_trainer.cli import run
from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.excel.registers import REGISTERS, export_register
from zunyi_trainer.excel.writing import DATE, DATETIME, ID, MONEY, PHONE, Column, write_table
from zunyi_trainer.models import Teacher, Trainee


def test_write_table_keeps_ids_and_phones_as_text_dates_as_dates_and_money_in_yuan(tmp_path):
    instant = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)  # 09:30 in Zunyi
    path = write_table(
        tmp_path / "t.xlsx",
        [
            Column("姓名"),
            Column("公民身份号码", ID),
            Column("联系电话", PHONE),
            Column("日期", DATE),
            Column("时间", DATETIME),
            Column("金额（元）", MONEY),
            "人数",
        ],
        [["张三", "52032819900101001X", 13908512345, dt.date(2026, 3, 2), instant, 123456, 7]],
        sheet_name="台账",
    )
    ws = openpyxl.load_workbook(path)["台账"]
    assert [c.value for c in ws[1]] == ["姓名", "公民身份号码", "联系电话", "日期", "时间", "金额（元）", "人数"]
    row = ws[2]
    assert row[1].value == "52032819900101001X" and row[1].number_format == "@" and row[1].data_type == "s"
    assert row[2].value == "13908512345" and row[2].data_type == "s"
    assert row[3].value == dt.datetime(2026, 3, 2) and row[3].is_date
    assert row[4].value == dt.datetime(2026, 3, 2, 9, 30)
    assert row[5].value == 1234.56
    assert row[6].value == 7 and row[6].data_type == "n"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G2"
    assert ws["A1"].font.b


def test_column_widths_fit_wide_characters(tmp_path):
    path = write_table(tmp_path / "w.xlsx", ["户籍地址", "x"], [["贵州省遵义市湄潭县湄江街道办事处", "a"]])
    ws = openpyxl.load_workbook(path).active
    assert ws.column_dimensions["A"].width >= 32  # 16 CJK characters count double
    assert ws.column_dimensions["B"].width < 12


def test_a_title_row_keeps_the_header_frozen_under_it(tmp_path):
    path = write_table(tmp_path / "t.xlsx", ["甲"], [[1]], title="标题")
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "标题" and ws["A2"].value == "甲" and ws.freeze_panes == "A3"


def test_an_export_must_be_named_xlsx(tmp_path):
    with pytest.raises(ZunyiError) as exc:
        write_table(tmp_path / "t.csv", ["甲"], [])
    assert exc.value.code == "export.suffix"
    assert not (tmp_path / "t.csv").exists()


def test_every_register_exports_with_chinese_headers(demo_register, tmp_path):
    with demo_register.session() as s:
        for name in REGISTERS:
            table = export_register(s, name, tmp_path / f"{name}.xlsx")
            ws = openpyxl.load_workbook(tmp_path / f"{name}.xlsx").active
            headers = [c.value for c in ws[1]]
            assert headers == [c.header for c in table.columns]
            assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers), name
            assert ws.max_row == len(table.rows) + 1 and ws.freeze_panes == "A2"
            assert len(table.rows) > 0, name


def test_the_trainee_register_has_full_text_ids_and_real_birth_dates(demo_register, tmp_path):
    with demo_register.session() as s:
        export_register(s, "trainees", tmp_path / "t.xlsx")
        numbers = set(s.scalars(sa.select(Trainee.id_number)))
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    headers = [c.value for c in ws[1]]
    id_col, birth_col = headers.index("公民身份号码"), headers.index("出生日期")
    exported = {r[id_col].value for r in ws.iter_rows(min_row=2)}
    assert exported == numbers
    sample = ws.cell(row=2, column=id_col + 1)
    assert sample.number_format == "@" and len(sample.value) == 18
    assert ws.cell(row=2, column=birth_col + 1).is_date


def test_masked_exports_hide_the_middle_of_id_numbers(demo_register, tmp_path):
    with demo_register.session() as s:
        table = export_register(s, "teachers", tmp_path / "t.xlsx", mask_ids=True)
        first = s.scalars(sa.select(Teacher)).first()
    ids = [r[2] for r in table.rows]
    assert all("*" in v for v in ids if v)
    assert first.id_number not in ids


def test_cli_export_writes_each_register_and_refuses_an_unknown_one(demo_dir, tmp_path, capsys):
    for name in ("classes", "spend"):
        assert run(["--data-dir", str(demo_dir), "export", name, "-o", str(tmp_path / f"{name}.xlsx")]) == 0
        assert (tmp_path / f"{name}.xlsx").exists()
    with pytest.raises(SystemExit) as exc:
        run(["--data-dir", str(demo_dir), "export", "nope", "-o", str(tmp_path / "x.xlsx")])
    assert exc.value.code == 2
