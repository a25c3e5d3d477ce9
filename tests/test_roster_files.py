"""Files that are not workbooks, damaged or hostile ones, caps, and a property: no file crashes the importer."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import factories as f
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from roster_fixtures import roster_rows, write_workbook, xlsx_with_part

from zunyi_trainer.cli import run
from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.excel.reading import TooLarge, UnreadableFile, read_table
from zunyi_trainer.roster import ImportRefused, import_roster

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refusal(path: Path) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as exc:
        read_table(path)
    return exc.value


def test_a_legacy_xls_is_refused_with_save_as_xlsx(tmp_path):
    path = tmp_path / "花名册.xls"
    path.write_bytes(OLE + b"\x00" * 512 + "Workbook".encode("utf-16-le") + b"\x00" * 2000)
    err = _refusal(path)
    assert err.code == "file.xls"
    assert ".xls" in err.message() and "另存为" in err.message()


def test_a_password_protected_workbook_is_refused_as_such(tmp_path):
    path = tmp_path / "加密.xlsx"
    path.write_bytes(OLE + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 2000)
    err = _refusal(path)
    assert err.code == "file.encrypted" and "密码" in err.message()


def test_an_html_page_renamed_to_xlsx_is_refused_as_a_web_page(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("<html><head><meta charset='utf-8'></head><body><table><tr><td>姓名</td></tr></table></body></html>")
    err = _refusal(path)
    assert err.code == "file.html" and "网页" in err.message()


def test_an_excel_2003_xml_file_is_refused_with_save_as(tmp_path):
    path = tmp_path / "old.xls"
    path.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>')
    assert _refusal(path).code == "file.xml2003"


def test_a_truncated_workbook_is_refused_as_damaged(tmp_path):
    good = write_workbook(tmp_path / "good.xlsx", roster_rows(50))
    data = good.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    err = _refusal(path)
    assert err.code == "file.damaged" and "损坏" in err.message()


def test_a_workbook_whose_directory_claims_a_zip_version_from_the_future_is_refused_as_damaged(tmp_path):
    data = bytearray(write_workbook(tmp_path / "good.xlsx", roster_rows(5)).read_bytes())
    at = bytes(data).rindex(b"PK\x01\x02") + 6  # the last directory entry's "version needed"
    data[at : at + 2] = (109).to_bytes(2, "little")  # zipfile: NotImplementedError("zip file version 10.9")
    path = tmp_path / "future.xlsx"
    path.write_bytes(bytes(data))
    err = _refusal(path)
    assert err.code == "file.damaged" and "损坏" in err.message()


def test_random_bytes_are_refused_as_unknown(tmp_path):
    path = tmp_path / "random.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    assert _refusal(path).code == "file.unknown"


def test_a_pdf_and_an_empty_file_and_a_missing_file_are_refused(tmp_path):
    pdf = tmp_path / "r.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert _refusal(pdf).code == "file.pdf"
    empty = tmp_path / "e.xlsx"
    empty.write_bytes(b"")
    assert _refusal(empty).code == "file.empty"
    assert _refusal(tmp_path / "nothing.xlsx").code == "file.missing"


def test_a_word_document_and_a_plain_zip_are_told_apart(tmp_path):
    docx = tmp_path / "r.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert _refusal(docx).code == "file.docx"
    plain = tmp_path / "p.xlsx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("readme.txt", "hello")
    assert _refusal(plain).code == "file.zip"


def test_an_entity_expansion_attack_is_stopped(tmp_path):
    good = write_workbook(tmp_path / "good.xlsx", roster_rows(2))
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
    )
    path = xlsx_with_part(good, tmp_path / "bomb.xlsx", "xl/workbook.xml", bomb)
    assert _refusal(path).code == "file.xml_attack"


def test_an_external_entity_is_stopped(tmp_path):
    good = write_workbook(tmp_path / "good.xlsx", roster_rows(2))
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>'
    )
    path = xlsx_with_part(good, tmp_path / "xxe.xlsx", "xl/sharedStrings.xml", xxe)
    assert _refusal(path).code == "file.xml_attack"


def test_row_and_column_caps_protect_memory(tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(30))
    with pytest.raises(TooLarge) as exc:
        read_table(path, max_rows=10)
    assert exc.value.code == "file.too_many_rows"
    wide = Workbook()
    wide.active.append(["x"] * 40)
    wide.save(tmp_path / "wide.xlsx")
    with pytest.raises(TooLarge) as exc:
        read_table(tmp_path / "wide.xlsx", max_columns=20)
    assert exc.value.code == "file.too_many_columns"


def test_a_zip_bomb_is_refused_by_its_unpacked_size(tmp_path, monkeypatch):
    from zunyi_trainer.excel import reading

    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x20" * 5_000_000)
    with pytest.raises(TooLarge):
        read_table(path)


def test_dates_shared_strings_rich_text_and_hidden_sheets_are_read(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["日期", "时间", "文字"])
    ws.append([dt.datetime(2026, 3, 2, 8, 25), dt.time(14, 5), "甲"])
    ws["A2"].number_format = "yyyy-mm-dd hh:mm"
    ws["B2"].number_format = "hh:mm"
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden.append(["x"])
    wb.save(tmp_path / "d.xlsx")
    table = read_table(tmp_path / "d.xlsx")
    assert [s.name for s in table.sheets] == ["数据", "隐藏"] and table.sheets[1].hidden
    assert table.sheets[0].rows[1][1] == [dt.datetime(2026, 3, 2, 8, 25), dt.time(14, 5), "甲"]


def test_cli_refuses_a_non_workbook_with_exit_1_and_no_traceback(data_dir, tmp_path, capsys):
    from zunyi_trainer.db import open_register

    with open_register(data_dir) as reg, reg.transaction() as s:
        f.training_class(s, code="C1")
    path = tmp_path / "花名册.xls"
    path.write_bytes(OLE + b"\x00" * 1024)
    code = run(["--data-dir", str(data_dir), "roster", "import", str(path), "--class", "C1"])
    err = capsys.readouterr().err
    assert code == 1 and "另存为" in err and "Traceback" not in err


# --- the property: whatever the file, the importer answers with a report or a ZunyiError --------

_cell = st.one_of(
    st.none(),
    st.sampled_from(
        ["姓名", "学员姓名", "身份证号", "公民身份号码", "联系电话", "学历", "人员类别", "合计", "制表人：", "男", "女", "初中"]
    ),
    st.text(max_size=25),
    st.integers(min_value=-(10**19), max_value=10**19),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.booleans(),
    st.from_regex(r"5[0-9]{16}[0-9Xx]", fullmatch=True),
)
_ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}


def _clean(value):
    if isinstance(value, str):
        return "".join(ch for ch in value if ch not in _ILLEGAL and not (0xD800 <= ord(ch) <= 0xDFFF))
    return value


@pytest.fixture
def property_register(register):
    with register.transaction() as s:
        f.training_class(s, code="P1")
    return register


@pytest.mark.sqlite_only(
    reason="generated files: the reader and validator vary, not the queries (which run on PostgreSQL in test_roster_import.py)"
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    grid=st.lists(st.lists(_cell, max_size=9), max_size=14),
    merges=st.lists(st.tuples(st.integers(1, 12), st.integers(1, 8), st.integers(0, 3), st.integers(0, 2)), max_size=3),
    title=st.booleans(),
)
def test_no_generated_workbook_crashes_the_importer(property_register, tmp_path_factory, grid, merges, title):
    path = tmp_path_factory.mktemp("prop") / "g.xlsx"
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["学员花名册"])
    ws.append(["序号", "姓名", "性别", "公民身份号码", "联系电话", "文化程度", "人员类别", "户籍地址"])
    for row in grid:
        ws.append([_clean(v) for v in row])
    for r, c, dr, dc in merges:
        if dr or dc:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    wb.save(path)
    try:
        report = import_roster(property_register, path, "P1", dry_run=True)
    except ImportRefused as refused:
        report = refused.report
    except ZunyiError:
        return
    assert report.rows_read >= report.valid + len(report.error_rows) - 1
    for issue in report.errors:
        assert issue.message and issue.code


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), cut=st.integers(0, 4000), flip=st.integers(0, 4000))
def test_no_damaged_or_random_file_crashes_the_reader(tmp_path_factory, data, cut, flip):
    base = tmp_path_factory.mktemp("bytes")
    (base / "r.xlsx").write_bytes(data)
    # Random bytes, and a real workbook cut short or with a byte flipped.
    good = io.BytesIO()
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码"])
    wb.save(good)
    raw = bytearray(good.getvalue())
    raw = raw[: max(30, cut % len(raw))] if cut % 2 else raw
    if raw:
        raw[flip % len(raw)] ^= 0xFF
    (base / "g.xlsx").write_bytes(bytes(raw))
    (base / "r.csv").write_bytes(data)  # and the same bytes as a CSV file
    for name in ("r.xlsx", "g.xlsx", "r.csv"):
        try:
            read_table(base / name)
        except ZunyiError as exc:
            assert exc.message()


def test_merged_ranges_covering_too_many_cells_are_refused(tmp_path, monkeypatch):
    from zunyi_trainer.excel import reading

    path = write_workbook(tmp_path / "r.xlsx", roster_rows(30), merges=["H2:H31"])
    monkeypatch.setattr(reading, "MAX_MERGED_CELLS", 100)
    assert read_table(path).sheets[0].rows[5][1][7] == roster_rows(1)[0][7]  # 30 cells: within the budget
    monkeypatch.setattr(reading, "MAX_MERGED_CELLS", 20)
    with pytest.raises(TooLarge) as exc:
        read_table(path)
    assert exc.value.code == "file.too_many_merged"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_entity_attack_in_a_sheet_is_stopped_before_parsing(tmp_path, encoding):
    good = write_workbook(tmp_path / "good.xlsx", roster_rows(2))
    bomb = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<!-- a comment first -->\n'
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    ).encode(encoding)
    path = xlsx_with_part(good, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", bomb)
    assert _refusal(path).code == "file.xml_attack"


def test_an_entity_used_without_a_dtd_is_a_damaged_file_not_an_expansion(tmp_path):
    good = write_workbook(tmp_path / "good.xlsx", roster_rows(2))
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row></sheetData></worksheet>'
    )
    path = xlsx_with_part(good, tmp_path / "e.xlsx", "xl/worksheets/sheet1.xml", sheet)
    assert _refusal(path).code == "file.damaged"


def test_the_prolog_guard_lets_declarations_comments_and_instructions_through():
    from zunyi_trainer.excel.reading import _prolog_is_plain

    assert _prolog_is_plain(b'\xef\xbb\xbf<?xml version="1.0"?>\r\n<!-- x --><?pi y?><worksheet/>')
    assert _prolog_is_plain("<?xml version='1.0' encoding='utf-16'?><sst/>".encode("utf-16"))
    assert not _prolog_is_plain(b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://e/x.dtd"><x/>')
    assert not _prolog_is_plain(b"<!-- never closed")


@pytest.mark.sqlite_only(
    reason="generated files: the reader and validator vary, not the queries (which run on PostgreSQL in test_roster_import.py)"
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=12), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_no_generated_csv_crashes_the_importer(property_register, tmp_path_factory, lines, encoding):
    import csv

    path = tmp_path_factory.mktemp("csv") / "r.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["姓名", "公民身份号码", "联系电话"])
    writer.writerows(lines)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    try:
        import_roster(property_register, path, "P1", dry_run=True)
    except ZunyiError as exc:
        assert exc.message()
