"""Roster import from real workbooks: finding the table, cleaning, validating, all-or-nothing, linking."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import factories as f
import openpyxl
import pytest
import sqlalchemy as sa
from roster_fixtures import HEADERS, person, roster_rows, trainees_by_number, write_workbook

from zunyi_trainer import audit
from zunyi_trainer.backups import list_backups
from zunyi_trainer.cli import run
from zunyi_trainer.models import AuditEvent, Education, Enrollment, Trainee, TraineeCategory
from zunyi_trainer.roster import (
    ImportRefused,
    apply_roster,
    import_roster,
    read_roster,
    sniff_roster,
    validate_roster,
    write_template,
)

# What these tests vary is the file (finding the table, cleaning and validating its cells): their
# PostgreSQL pass would repeat the same few queries, which the plain import, linking, conflict,
# skip-invalid, dry-run and wizard tests below run on PostgreSQL.
FILE_ONLY = pytest.mark.sqlite_only(reason="the file is what varies; the import's queries run on PostgreSQL in the other tests")


@pytest.fixture
def klass(register):
    with register.transaction() as s:
        c = f.training_class(s, code="MT2026001")
    return c


def _count(register, model) -> int:
    with register.session() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model))


def _codes(report) -> list[str]:
    return [i.code for i in report.errors]


def test_a_plain_roster_is_imported_and_enrolled(register, klass, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(5))
    report = import_roster(register, path, "MT2026001")
    assert (report.rows_read, report.valid, report.imported, report.created, report.linked_existing) == (5, 5, 5, 5, 0)
    with register.session() as s:
        trainees = trainees_by_number(s)
        assert len(trainees) == 5
        enrolled = s.scalars(sa.select(Enrollment).where(Enrollment.class_id == klass.id)).all()
        assert len(enrolled) == 5
        name, number, sex = person(0)
        t = trainees[number]
        assert t.name == name and t.sex.zh == sex and t.education == Education.JUNIOR
        assert t.category == TraineeCategory.POVERTY_ALLEVIATED and t.phone == "13900000000"


@FILE_ONLY
def test_title_rows_an_instruction_sheet_in_front_and_header_synonyms_are_understood(register, klass, tmp_path):
    headers = ["编号", "学员姓名", "性别", "身份证号码", "手机号码", "学历", "重点群体类别", "户口所在地"]
    path = write_workbook(
        tmp_path / "r.xlsx",
        roster_rows(3),
        headers=headers,
        title_rows=["湄潭县2026年茶艺师培训班学员花名册", "填报单位：湄江街道（盖章）　　填报日期：2026年3月1日"],
        sheets_before=[("填表说明", [["填表说明"], ["1. 身份证号请设为文本格式。"], ["2. 姓名、身份证号必填。"]])],
        sheet_name="学员名单",
    )
    table = read_roster(path)
    layout = sniff_roster(table)
    assert (layout.sheet_name, layout.header_row) == ("学员名单", 3)
    assert {k: layout.header_of(k) for k in ("name", "id_number", "phone", "education", "category", "household_address")} == {
        "name": "学员姓名",
        "id_number": "身份证号码",
        "phone": "手机号码",
        "education": "学历",
        "category": "重点群体类别",
        "household_address": "户口所在地",
    }
    report = import_roster(register, path, "MT2026001")
    assert report.imported == 3 and report.header_row == 3


@FILE_ONLY
def test_headers_with_asterisks_brackets_and_line_breaks_are_matched(register, klass, tmp_path):
    headers = ["序号", "姓名*", "性别", "公民身份号码（必填）", "联系电话\n（手机）", "文化\n程度", "人员类别", "户籍地址"]
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(2), headers=headers)
    assert import_roster(register, path, "MT2026001").imported == 2


@FILE_ONLY
def test_a_merged_cell_value_belongs_to_every_row_it_spans(register, klass, tmp_path):
    rows = roster_rows(4)
    for r in rows[1:3]:
        r[6] = None  # 人员类别 merged over rows 3..5 (Excel keeps only the top-left value)
        r[7] = None
    rows[0][6] = "易地扶贫搬迁劳动力"
    rows[0][7] = "湄潭县兴隆镇"
    path = write_workbook(tmp_path / "r.xlsx", rows, merges=["G2:G4", "H2:H4"])
    import_roster(register, path, "MT2026001")
    with register.session() as s:
        trainees = trainees_by_number(s)
    categories = [trainees[person(k)[1]].category for k in range(4)]
    addresses = [trainees[person(k)[1]].household_address for k in range(4)]
    assert categories == [TraineeCategory.RELOCATED] * 3 + [TraineeCategory.POVERTY_ALLEVIATED]
    assert addresses[:3] == ["湄潭县兴隆镇"] * 3


@FILE_ONLY
def test_a_hidden_column_with_the_same_meaning_gives_way_to_the_visible_one(register, klass, tmp_path):
    headers = [*HEADERS, "身份证号"]
    rows = [[*r, "110101190001011234"] for r in roster_rows(2)]  # an old, wrong helper column
    path = write_workbook(tmp_path / "r.xlsx", rows, headers=headers, hidden_columns=["I"])
    table = read_roster(path)
    layout = sniff_roster(table)
    assert layout.header_of("id_number") == "公民身份号码"
    assert any(w.code == "column.duplicate" for w in layout.warnings)
    report = import_roster(register, path, "MT2026001")
    assert report.imported == 2 and not report.errors


@FILE_ONLY
def test_values_are_cleaned_full_width_digits_lowercase_x_zero_width_and_phone_formats(register, klass, tmp_path):
    number = next(n for k in range(200) if (n := person(k)[1]).endswith("X"))  # an X check digit
    full_width = number[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    rows = [
        [1, " 张\u200b 三 ", "", "\u200b" + full_width + " ", "+86 139-0851-2345", "高中", "其他", "  遵义市  "],
        [2, "李四", "", person(4)[1], "139 0851 2346", "大学本科", "退役军人", ""],
        [3, "王五", "", person(5)[1], "0851-2822 1234", "", "", ""],
    ]
    path = write_workbook(tmp_path / "r.xlsx", rows)
    report = import_roster(register, path, "MT2026001")
    assert report.imported == 3, report.format_table()
    with register.session() as s:
        trainees = trainees_by_number(s)
    t = trainees[number]
    assert (t.name, t.phone, t.household_address) == ("张三", "13908512345", "遵义市")
    assert trainees[person(4)[1]].phone == "13908512346"
    assert trainees[person(4)[1]].education == Education.BACHELOR
    assert trainees[person(5)[1]].phone == "085128221234"


@FILE_ONLY
def test_an_id_typed_into_a_numeric_cell_is_refused_with_the_text_format_instruction(register, klass, tmp_path):
    rows = roster_rows(3)
    rows[1][3] = int(rows[1][3][:15] + "000")  # what Excel keeps of an 18-digit number
    path = write_workbook(tmp_path / "r.xlsx", rows, text_columns=(4,))
    with pytest.raises(ImportRefused) as refused:
        import_roster(register, path, "MT2026001")
    report = refused.value.report
    assert _codes(report) == ["id.numeric_cell"]
    issue = report.errors[0]
    assert (issue.row, issue.column) == (3, "公民身份号码")
    assert "文本" in issue.message
    assert _count(register, Trainee) == 0  # all or nothing


@FILE_ONLY
def test_a_csv_with_an_id_in_scientific_notation_is_refused_too(register, klass, tmp_path):
    name, _number, _ = person(1)
    path = tmp_path / "r.csv"
    path.write_text(f"姓名,公民身份号码,联系电话\n{name},5.22128E+17,13900000001\n", encoding="utf-8-sig")
    with pytest.raises(ImportRefused) as refused:
        import_roster(register, path, "MT2026001")
    assert _codes(refused.value.report) == ["id.numeric_cell"]


@FILE_ONLY
def test_a_gbk_csv_roster_is_read(register, klass, tmp_path):
    path = tmp_path / "r.csv"
    body = "姓名,公民身份号码,联系电话\n" + "\n".join(f"{r[1]},{r[3]},{r[4]}" for r in roster_rows(2))
    path.write_bytes(body.encode("gbk"))
    assert import_roster(register, path, "MT2026001").imported == 2


@FILE_ONLY
def test_duplicates_in_the_file_are_errors_and_nothing_is_written(register, klass, tmp_path):
    rows = roster_rows(3)
    rows.append([4, rows[0][1], rows[0][2], rows[0][3], "13900009999", "", "", ""])
    path = write_workbook(tmp_path / "r.xlsx", rows)
    with pytest.raises(ImportRefused) as refused:
        import_roster(register, path, "MT2026001")
    report = refused.value.report
    assert [(i.row, i.code) for i in report.errors] == [(5, "id.duplicate_in_file")]
    assert "第 2 行" in report.errors[0].message
    assert _count(register, Trainee) == 0


def test_same_id_with_another_name_in_the_register_is_a_conflict(register, klass, tmp_path):
    name, number, _ = person(0)
    with register.transaction() as s:
        f.trainee(s, name="赵六", id_number=number)
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(2))
    with pytest.raises(ImportRefused) as refused:
        import_roster(register, path, "MT2026001")
    (issue,) = refused.value.report.errors
    assert (issue.row, issue.code) == (2, "id.conflict_register")
    assert "赵六" in issue.message and name in issue.message


def test_a_trainee_already_in_the_register_is_linked_not_duplicated(register, klass, tmp_path):
    name, number, _ = person(0)
    with register.transaction() as s:
        existing = f.trainee(s, name=name, id_number=number)
        other = f.training_class(s, code="OTHER")
        other.enrollments.append(Enrollment(trainee=existing, enrolled_on=dt.date(2026, 1, 5)))
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(3))
    report = import_roster(register, path, "MT2026001")
    assert (report.imported, report.created, report.linked_existing) == (3, 2, 1)
    assert _count(register, Trainee) == 3
    # Importing the same file again adds nobody: all three are in the class already.
    again = import_roster(register, path, "MT2026001")
    assert (again.imported, again.already_enrolled) == (0, 3)
    assert _count(register, Trainee) == 3
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).where(Enrollment.class_id == klass.id)) == 3


@FILE_ONLY
def test_blank_rows_and_footers_are_skipped_and_counted_not_errors(register, klass, tmp_path):
    rows = roster_rows(3)
    rows.insert(1, [None, None, None, None, None, None, None, None])
    rows.insert(2, [None, "", "", "  ", None, None, None, None])
    footer = [
        ["合计", None, None, None, None, None, None, None],
        ["制表人：王芳", None, None, "审核人：李强"],
        [None, "审核人：李强"],
    ]
    path = write_workbook(tmp_path / "r.xlsx", rows, footer=footer, merges=[])
    report = import_roster(register, path, "MT2026001")
    assert report.imported == 3 and not report.errors
    assert report.skipped_blank >= 3  # openpyxl drops fully empty rows; the footers are counted


@FILE_ONLY
def test_a_footer_merged_across_the_row_is_not_a_trainee(register, klass, tmp_path):
    rows = roster_rows(2)
    footer = [["制表人：王芳　　审核人：李强　　日期：2026年3月1日"]]
    path = write_workbook(tmp_path / "r.xlsx", rows, footer=footer, merges=["A4:H4"])
    report = import_roster(register, path, "MT2026001")
    assert (report.imported, report.skipped_blank, report.errors) == (2, 1, [])


@FILE_ONLY
def test_row_errors_name_the_excel_row_the_header_text_and_say_what_to_fix(register, klass, tmp_path):
    rows = roster_rows(6)
    rows[0][3] = rows[0][3][:-1] + ("0" if rows[0][3][-1] != "0" else "1")  # check digit
    rows[1][4] = "1390851"  # phone too short
    rows[2][5] = "幼儿园"  # education unknown
    rows[3][2] = "女" if rows[3][2] == "男" else "男"  # sex contradicts the ID
    rows[4][1] = None  # no name
    path = write_workbook(tmp_path / "r.xlsx", rows, title_rows=["花名册"])
    with pytest.raises(ImportRefused) as refused:
        import_roster(register, path, "MT2026001")
    errors = {(i.row, i.column, i.code) for i in refused.value.report.errors}
    assert errors == {
        (3, "公民身份号码", "id.checksum"),
        (4, "联系电话", "phone.invalid"),
        (5, "文化程度", "education.unknown"),
        (6, "性别", "sex.mismatch"),
        (7, "姓名", "name.empty"),
    }
    assert all(i.message for i in refused.value.report.errors)
    assert "初中" in next(i.message for i in refused.value.report.errors if i.code == "education.unknown")


def test_skip_invalid_imports_the_valid_rows_in_one_go_and_reports_the_rest(register, klass, tmp_path):
    rows = roster_rows(4)
    rows[2][3] = "52032819900101"  # 14 characters
    path = write_workbook(tmp_path / "r.xlsx", rows)
    report = import_roster(register, path, "MT2026001", skip_invalid=True)
    assert (report.valid, report.imported, report.skipped_invalid) == (3, 3, 1)
    assert [(i.row, i.code) for i in report.errors] == [(4, "id.length")]
    assert _count(register, Trainee) == 3


def test_dry_run_reports_what_would_happen_and_writes_nothing(register, klass, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(4))
    before = _count(register, AuditEvent)
    report = import_roster(register, path, "MT2026001", dry_run=True)
    assert (report.imported, report.created, report.written, report.dry_run) == (4, 4, False, True)
    assert _count(register, Trainee) == 0 and _count(register, AuditEvent) == before
    assert not [b for b in list_backups(register.backups_dir) if b.reason == "pre-import"]


@pytest.mark.sqlite_only(reason="the backup before an import is the SQLite file's (a server has its administrator's backups)")
def test_a_real_import_takes_a_backup_first_and_keeps_the_audit_chain_whole(register, klass, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(5))
    before = _count(register, AuditEvent)
    report = import_roster(register, path, "MT2026001")
    assert report.backup and Path(report.backup).exists()
    assert next(b.reason for b in list_backups(register.backups_dir)) == "pre-import"
    # One insert event per trainee and per enrolment, and the named operation with the file's hash.
    assert _count(register, AuditEvent) == before + 5 + 5 + 1
    with register.engine.connect() as conn:
        assert audit.verify_chain(conn).ok
    with register.session() as s:
        op = s.scalars(sa.select(AuditEvent).where(AuditEvent.action == "roster_import")).one()
        details = json.loads(op.changes)
        assert details["created"] == 5 and len(details["sha256"]) == 64
        inserted = s.scalars(sa.select(AuditEvent).where(AuditEvent.table_name == "trainee")).all()
        snapshot = json.loads(inserted[0].changes)
        assert {"id", "uuid", "name", "id_number", "sex", "birth_date"} <= snapshot.keys()


def test_the_wizard_can_correct_a_column_the_sniffer_did_not_recognise(register, klass, tmp_path):
    headers = ["序号", "姓名", "性别", "号码", "联系电话"]  # “号码” alone is not an ID header
    rows = [[r[0], r[1], r[2], r[3], r[4]] for r in roster_rows(2)]
    path = write_workbook(tmp_path / "r.xlsx", rows, headers=headers)
    table = read_roster(path)
    layout = sniff_roster(table)
    assert "id_number" not in layout.columns
    assert any(w.code == "column.missing" for w in layout.warnings)
    corrected = layout.with_columns(id_number=3)
    with register.session() as s:
        from zunyi_trainer.roster import resolve_class

        plan = validate_roster(s, resolve_class(s, "MT2026001"), table, corrected)
    assert plan.report.valid == 2
    assert _count(register, Trainee) == 0  # validating writes nothing
    apply_roster(register, plan)
    assert _count(register, Trainee) == 2


@FILE_ONLY
def test_a_file_without_a_recognisable_header_is_refused_with_what_to_do(register, klass, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", [["a", "b"]], headers=["甲", "乙", "丙"])
    with pytest.raises(Exception) as exc:
        import_roster(register, path, "MT2026001")
    assert getattr(exc.value, "code", "") == "import.no_header"
    assert "姓名" in str(exc.value)


def test_an_unknown_class_is_refused(register, klass, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(1))
    with pytest.raises(Exception) as exc:
        import_roster(register, path, "NOPE")
    assert getattr(exc.value, "code", "") == "class.not_found"


def test_the_template_has_text_id_and_phone_columns_drop_downs_a_frozen_header_and_instructions(tmp_path):
    path = write_template(tmp_path / "模板.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["花名册", "填写说明"]
    ws = wb["花名册"]
    headers = [c.value for c in ws[1]]
    assert headers[:8] == ["序号", "姓名*", "性别", "公民身份号码*", "联系电话", "文化程度", "人员类别", "户籍地址"]
    assert ws.freeze_panes == "A2"
    assert ws["D2"].number_format == "@" and ws["E300"].number_format == "@"
    lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["C"] == '"男,女"' and "初中" in lists["F"] and "脱贫劳动力" in lists["G"]
    assert "文本" in " ".join(str(c.value) for c in wb["填写说明"]["A"])


@FILE_ONLY
def test_a_filled_in_template_imports(register, klass, tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["花名册"]
    for i, r in enumerate(roster_rows(3), start=2):
        for j, v in enumerate(r, start=1):
            ws.cell(row=i, column=j, value=v)
    wb.save(path)
    assert import_roster(register, path, "MT2026001").imported == 3


# --- the command line ----------------------------------------------------------------------------


def test_cli_import_refuses_with_exit_1_prints_the_table_and_writes_the_json_report(data_dir, tmp_path, capsys):
    from zunyi_trainer.db import open_register

    with open_register(data_dir) as reg, reg.transaction() as s:
        f.training_class(s, code="C1")
    rows = roster_rows(3)
    rows[1][3] = float(rows[1][3])
    path = write_workbook(tmp_path / "r.xlsx", rows, text_columns=())
    report_path = tmp_path / "out" / "r.json"
    code = run(["--data-dir", str(data_dir), "roster", "import", str(path), "--class", "C1", "--report", str(report_path)])
    out = capsys.readouterr()
    assert code == 1
    assert "id.numeric_cell" in out.out and "Traceback" not in out.err
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert {"rows_read", "valid", "imported", "linked_existing", "skipped_blank", "errors", "warnings"} <= data.keys()
    assert data["errors"][0] == {
        "row": 3,
        "column": "公民身份号码",
        "code": "id.numeric_cell",
        "message": data["errors"][0]["message"],
        "value": data["errors"][0]["value"],
    }
    assert data["imported"] == 0 or data["written"] is False
    code = run(["--data-dir", str(data_dir), "roster", "import", str(path), "--class", "C1", "--skip-invalid"])
    assert code == 0
    with open_register(data_dir) as reg:
        assert _count(reg, Trainee) == 2


def test_cli_template_and_export_write_workbooks(data_dir, tmp_path, capsys):
    from zunyi_trainer.db import open_register

    with open_register(data_dir) as reg, reg.transaction() as s:
        f.training_class(s, code="C1", trainees=3)
    assert run(["--data-dir", str(data_dir), "roster", "template", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert run(["--data-dir", str(data_dir), "roster", "export", "C1", "-o", str(tmp_path / "e.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").exists() and (tmp_path / "e.xlsx").exists()
    assert run(["--data-dir", str(data_dir), "roster", "export", "NOPE", "-o", str(tmp_path / "x.xlsx")]) == 1
    assert "NOPE" in capsys.readouterr().err


def test_the_wizard_can_pick_another_header_row(tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(2), title_rows=["姓名 公民身份号码 说明"])
    table = read_roster(path)
    from zunyi_trainer.roster import layout_for

    layout = layout_for(table, 0, 2)
    assert layout.header_row == 2 and layout.header_of("id_number") == "公民身份号码"


@FILE_ONLY
def test_a_hidden_id_column_that_is_the_only_one_is_used_with_a_warning(register, klass, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(2), hidden_columns=["D"])
    layout = sniff_roster(read_roster(path))
    assert [w.code for w in layout.warnings] == ["column.hidden"]
    report = import_roster(register, path, "MT2026001")
    assert report.imported == 2 and any(w.code == "column.hidden" for w in report.warnings)


def test_progress_runs_from_the_start_to_the_end_of_checking_and_writing(register, klass, tmp_path):
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(4))
    seen = []
    import_roster(register, path, "MT2026001", progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]
    fractions = [d / t for d, t in seen]
    assert fractions == sorted(fractions) and max(fractions) == 1.0


@FILE_ONLY
def test_several_categories_keep_the_first_known_one_with_a_warning_and_excel_errors_are_not_names(register, klass, tmp_path):
    rows = roster_rows(2)
    rows[0][6] = "脱贫劳动力、农村转移劳动力"
    rows[1][1] = "#N/A"
    path = write_workbook(tmp_path / "r.xlsx", rows)
    report = import_roster(register, path, "MT2026001", skip_invalid=True)
    assert [(i.row, i.code) for i in report.errors] == [(3, "name.format")]
    assert [(w.row, w.code) for w in report.warnings] == [(2, "category.several")]
    with register.session() as s:
        assert trainees_by_number(s)[person(0)[1]].category == TraineeCategory.POVERTY_ALLEVIATED


def test_a_linked_trainee_keeps_the_registers_phone_and_the_difference_is_reported(register, klass, tmp_path):
    name, number, _ = person(0)
    with register.transaction() as s:
        f.trainee(s, name=name, id_number=number, phone="13800000000")
    report = import_roster(register, write_workbook(tmp_path / "r.xlsx", roster_rows(1)), "MT2026001")
    assert report.linked_existing == 1
    assert [(w.row, w.column, w.code) for w in report.warnings] == [(2, "联系电话", "trainee.phone_differs")]
    with register.session() as s:
        assert trainees_by_number(s)[number].phone == "13800000000"


@FILE_ONLY
def test_notes_under_the_table_are_not_trainees(register, klass, tmp_path):
    footer = [[None, "注：1. 身份证号须与户口簿一致；2. 人员类别按县人社局口径填写。"], [None, "说明：本表一式两份"]]
    path = write_workbook(tmp_path / "r.xlsx", roster_rows(2), footer=footer)
    report = import_roster(register, path, "MT2026001")
    assert (report.imported, report.skipped_blank, report.errors) == (2, 2, [])
