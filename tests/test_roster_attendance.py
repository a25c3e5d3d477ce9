"""The attendance workbook: trainees × sessions exported, filled in Excel, and read back."""

from __future__ import annotations

import factories as f
import openpyxl
import pytest
import sqlalchemy as sa

from zunyi_trainer.cli import run
from zunyi_trainer.models import Attendance, AttendanceMethod, AttendanceStatus, Enrollment
from zunyi_trainer.roster import ImportRefused
from zunyi_trainer.roster.attendance_sheet import export_attendance, import_attendance, parse_code

FIRST_SESSION_COL = 5  # A 序号, B 姓名, C 公民身份号码, D 学员编号 (hidden), then the sessions
FIRST_ROW = 4  # title, header, hidden key row


@pytest.fixture
def klass(register):
    with register.transaction() as s:
        c = f.training_class(s, code="AT1", trainees=3, sessions=4)
    return c


def _export(register, tmp_path):
    path = tmp_path / "a.xlsx"
    with register.session() as s:
        from zunyi_trainer.roster import resolve_class

        export_attendance(s, resolve_class(s, "AT1"), path)
    return path


def _fill(path, cells: dict[tuple[int, int], str]):
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for (row, col), value in cells.items():
        ws.cell(row=FIRST_ROW + row, column=FIRST_SESSION_COL + col, value=value)
    wb.save(path)


def _marks(register) -> dict[tuple[int, int], Attendance]:
    with register.session() as s:
        enrollments = {e.id: k for k, e in enumerate(s.scalars(sa.select(Enrollment).order_by(Enrollment.id)))}
        sessions = {}
        for a in s.scalars(sa.select(Attendance)):
            sessions.setdefault(a.session_id, None)
        order = {sid: k for k, sid in enumerate(sorted(sessions))}
        return {(enrollments[a.enrollment_id], order[a.session_id]): a for a in s.scalars(sa.select(Attendance))}


def test_parse_code_accepts_symbols_words_and_a_leave_reason():
    assert parse_code("√") == (AttendanceStatus.PRESENT, "")
    assert parse_code(" ✓ ") == (AttendanceStatus.PRESENT, "")
    assert parse_code("迟到") == (AttendanceStatus.LATE, "")
    assert parse_code("假（病假）") == (AttendanceStatus.LEAVE, "病假")
    assert parse_code("请假:事假") == (AttendanceStatus.LEAVE, "事假")
    assert parse_code("X") == (AttendanceStatus.ABSENT, "")
    assert parse_code(None) == (None, "")
    with pytest.raises(ValueError):
        parse_code("来了")


def test_the_exported_sheet_has_one_row_per_trainee_one_column_per_session_and_hidden_keys(register, klass, tmp_path):
    ws = openpyxl.load_workbook(_export(register, tmp_path)).active
    headers = [c.value for c in ws[2]]
    assert headers[:3] == ["序号", "姓名", "公民身份号码"]
    assert headers[4].startswith("2026-03-02\n08:30-11:30") and headers[-3:] == ["出勤课时", "应出勤课时", "出勤率"]
    assert ws.row_dimensions[3].hidden and ws.column_dimensions["D"].hidden
    assert ws.max_row >= FIRST_ROW + 2 and "*" in ws.cell(row=FIRST_ROW, column=3).value  # IDs masked


def test_a_filled_in_sheet_is_recorded_with_statuses_and_leave_reasons(register, klass, tmp_path):
    path = _export(register, tmp_path)
    _fill(path, {(0, 0): "√", (0, 1): "迟", (1, 0): "假（病假）", (1, 1): "×", (2, 0): "退"})
    report = import_attendance(register, path, "AT1")
    assert report.written and report.imported == 5 and not report.errors
    marks = _marks(register)
    assert {k: v.status for k, v in marks.items()} == {
        (0, 0): AttendanceStatus.PRESENT,
        (0, 1): AttendanceStatus.LATE,
        (1, 0): AttendanceStatus.LEAVE,
        (1, 1): AttendanceStatus.ABSENT,
        (2, 0): AttendanceStatus.EARLY_LEAVE,
    }
    assert marks[(1, 0)].leave_reason == "病假"
    assert all(m.method == AttendanceMethod.WORKBOOK for m in marks.values())


def test_export_then_import_changes_nothing(register, klass, tmp_path):
    path = _export(register, tmp_path)
    _fill(path, {(0, 0): "√", (1, 0): "假（事假）", (2, 3): "×"})
    import_attendance(register, path, "AT1")
    again = _export(register, tmp_path)
    report = import_attendance(register, again, "AT1")
    assert report.imported == 0 and report.extra["unchanged"] == 3
    ws = openpyxl.load_workbook(again).active
    assert ws.cell(row=FIRST_ROW + 1, column=FIRST_SESSION_COL).value == "假（事假）"
    headers = [c.value for c in ws[2]]
    attended, counted, rate = (
        ws.cell(row=FIRST_ROW, column=headers.index(h) + 1).value for h in ("出勤课时", "应出勤课时", "出勤率")
    )
    assert (attended, counted, rate) == (4, 16, 0.25)  # the first trainee: one 4-period session of four
    assert ws.cell(row=FIRST_ROW, column=headers.index("出勤率") + 1).number_format == "0.0%"


def test_changing_a_recorded_mark_needs_a_correction_reason(register, klass, tmp_path):
    path = _export(register, tmp_path)
    _fill(path, {(0, 0): "×"})
    import_attendance(register, path, "AT1")
    _fill(path, {(0, 0): "√"})
    with pytest.raises(ImportRefused) as refused:
        import_attendance(register, path, "AT1")
    (issue,) = refused.value.report.errors
    assert issue.code == "attendance.correction_reason" and issue.row == FIRST_ROW
    assert _marks(register)[(0, 0)].status == AttendanceStatus.ABSENT
    report = import_attendance(register, path, "AT1", correction_reason="学员持病假条补交")
    assert report.extra["corrections"] == 1
    mark = _marks(register)[(0, 0)]
    assert mark.status == AttendanceStatus.PRESENT and mark.is_correction and mark.correction_reason == "学员持病假条补交"


def test_unknown_codes_and_a_leave_without_reason_are_errors_and_nothing_is_written(register, klass, tmp_path):
    path = _export(register, tmp_path)
    _fill(path, {(0, 0): "√", (1, 0): "到了", (2, 0): "假"})
    with pytest.raises(ImportRefused) as refused:
        import_attendance(register, path, "AT1")
    codes = sorted((i.row, i.code) for i in refused.value.report.errors)
    assert codes == [(FIRST_ROW + 1, "attendance.bad_code"), (FIRST_ROW + 2, "attendance.leave_reason")]
    assert _marks(register) == {}
    report = import_attendance(register, path, "AT1", skip_invalid=True)
    assert report.imported == 1 and list(_marks(register)) == [(0, 0)]


def test_a_sheet_copied_without_its_hidden_keys_is_matched_by_date_time_and_name(register, klass, tmp_path):
    path = _export(register, tmp_path)
    ws = openpyxl.load_workbook(path).active
    plain = openpyxl.Workbook()
    out = plain.active
    for r in ws.iter_rows(min_row=2, values_only=True):
        row = list(r)
        if row[3] is None and row[1] is None:
            continue  # the hidden key row
        del row[3]  # the hidden key column
        out.append(row)
    out.cell(row=2, column=4, value="√")
    out.cell(row=3, column=5, value="迟")
    plain.save(tmp_path / "copy.xlsx")
    report = import_attendance(register, tmp_path / "copy.xlsx", "AT1")
    assert report.imported == 2 and not report.errors
    assert {k: v.status for k, v in _marks(register).items()} == {
        (0, 0): AttendanceStatus.PRESENT,
        (1, 1): AttendanceStatus.LATE,
    }


def test_cli_attendance_export_and_import(data_dir, tmp_path, capsys):
    from zunyi_trainer.db import open_register

    with open_register(data_dir) as reg, reg.transaction() as s:
        f.training_class(s, code="AT1", trainees=2, sessions=2)
    path = tmp_path / "a.xlsx"
    assert run(["--data-dir", str(data_dir), "attendance", "export", "AT1", "-o", str(path)]) == 0
    _fill(path, {(0, 0): "√", (1, 1): "??"})
    assert run(["--data-dir", str(data_dir), "attendance", "import", str(path), "--class", "AT1"]) == 1
    assert "attendance.bad_code" in capsys.readouterr().out
    _fill(path, {(1, 1): "×"})
    assert run(["--data-dir", str(data_dir), "attendance", "import", str(path), "--class", "AT1", "--dry-run"]) == 0
    assert run(["--data-dir", str(data_dir), "attendance", "import", str(path), "--class", "AT1"]) == 0
    with open_register(data_dir) as reg, reg.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 2
    # A change to a recorded mark: the core says a reason is needed, the command line says how.
    capsys.readouterr()
    _fill(path, {(0, 0): "×"})
    assert run(["--data-dir", str(data_dir), "attendance", "import", str(path), "--class", "AT1"]) == 1
    out = capsys.readouterr().out
    assert "attendance.correction_reason" in out and "--correction-reason" in out
    assert (
        run(
            [
                "--data-dir",
                str(data_dir),
                "attendance",
                "import",
                str(path),
                "--class",
                "AT1",
                "--correction-reason",
                "补交病假条",
            ]
        )
        == 0
    )
    assert "--correction-reason" not in capsys.readouterr().out
