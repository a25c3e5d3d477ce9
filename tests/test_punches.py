"""Punch logs of terminals in two layouts: matched to trainees and sessions, statuses derived, nothing dropped."""

from __future__ import annotations

import datetime as dt

import factories as f
import openpyxl
import pytest
import sqlalchemy as sa

from zunyi_trainer.cli import run
from zunyi_trainer.models import Attendance, AttendanceMethod, AttendanceStatus, Enrollment
from zunyi_trainer.punches import import_punches
from zunyi_trainer.roster import ImportRefused
from zunyi_trainer.timeutil import to_local

NAMES = ["张三", "李四", "王五"]


@pytest.fixture
def klass(register):
    """Sessions: 03-02 08:30-11:30 and 14:00-17:00, 03-03 the same; trainees 张三, 李四, 王五."""
    with register.transaction() as s:
        c = f.training_class(s, code="PU1", trainees=3, sessions=4)
        for e, name in zip(c.enrollments, NAMES, strict=True):
            e.trainee.name = name
    return c


def _ids(register) -> list[str]:
    with register.session() as s:
        return [e.trainee.id_number for e in s.scalars(sa.select(Enrollment).order_by(Enrollment.id))]


def _statuses(register) -> dict[tuple[str, str], AttendanceStatus]:
    """(trainee name, 'MM-DD HH:MM' of the session) → status."""
    with register.session() as s:
        out = {}
        for a in s.scalars(sa.select(Attendance)):
            out[(a.enrollment.trainee.name, f"{a.session.date:%m-%d} {a.session.start_time:%H:%M}")] = a.status
        return out


def _csv(tmp_path, lines: list[str], encoding: str = "utf-8-sig"):
    path = tmp_path / "punches.csv"
    path.write_bytes(("\n".join(["姓名,工号,打卡时间", *lines]) + "\n").encode(encoding))
    return path


def test_a_csv_log_by_name_gives_present_late_and_absent(register, klass, tmp_path):
    path = _csv(
        tmp_path,
        [
            "张三,1001,2026-03-02 08:20:11",
            "张三,1001,2026-03-02 11:31:40",
            "李四,1002,2026/3/2 8:50",
            "李四,1002,2026/3/2 11:35",
        ],
    )
    report = import_punches(register, path, "PU1")
    assert report.written and not report.errors
    assert _statuses(register) == {
        ("张三", "03-02 08:30"): AttendanceStatus.PRESENT,
        ("李四", "03-02 08:30"): AttendanceStatus.LATE,
        ("王五", "03-02 08:30"): AttendanceStatus.ABSENT,  # in a session the log covers, without a punch
    }
    assert report.extra["absent_filled"] == 1 and report.extra["sessions_covered"] == 1
    with register.session() as s:
        a = s.scalars(sa.select(Attendance).join(Enrollment).where(Attendance.sign_out_at.is_not(None))).first()
        assert a.method == AttendanceMethod.TERMINAL
        assert to_local(a.sign_in_at).time() in (dt.time(8, 20, 11), dt.time(8, 50))


def test_an_xlsx_log_with_id_numbers_and_split_date_and_time_columns(register, klass, tmp_path):
    ids = _ids(register)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["考勤记录导出", None, None, None, None, None])
    ws.append(["人员编号", "姓名", "身份证号", "日期", "时间", "设备名称"])
    ws.append(["A1", "张三", ids[0], dt.date(2026, 3, 3), dt.time(14, 2), "大门"])
    ws.append(["A1", "张三", ids[0], dt.date(2026, 3, 3), dt.time(16, 40), "大门"])
    ws.append(["A2", "李4", ids[1], "2026-03-03", "13:55:00", "大门"])  # a typo in the name: the ID decides
    ws.append(["A2", "李4", ids[1], "2026-03-03", "17:01:00", "大门"])
    ws.append(["A3", "王五", ids[2].lower(), dt.date(2026, 3, 3), dt.time(14, 0), "大门"])
    ws["D3"].number_format = "yyyy-mm-dd"
    ws["E3"].number_format = "hh:mm"
    wb.save(tmp_path / "log.xlsx")
    report = import_punches(register, tmp_path / "log.xlsx", "PU1")
    assert not report.errors, report.format_table()
    assert _statuses(register) == {
        ("张三", "03-03 14:00"): AttendanceStatus.EARLY_LEAVE,
        ("李四", "03-03 14:00"): AttendanceStatus.PRESENT,
        ("王五", "03-03 14:00"): AttendanceStatus.PRESENT,  # signed in, no sign-out: not an early leave
    }


def test_punches_of_strangers_and_outside_sessions_are_reported_never_dropped(register, klass, tmp_path):
    path = _csv(
        tmp_path,
        [
            "张三,1001,2026-03-02 08:25",
            "赵老师,9001,2026-03-02 08:10",  # a teacher
            "张三,1001,2026-03-02 12:45",  # lunch: outside every session window
        ],
    )
    report = import_punches(register, path, "PU1")
    warnings = {(w.row, w.code) for w in report.warnings}
    assert warnings == {(3, "punch.unknown_person"), (4, "punch.no_session")}
    assert report.extra["punches"] == 3 and report.extra["punches_unmatched"] == 1
    assert report.extra["punches_outside_sessions"] == 1


def test_two_trainees_with_the_same_name_make_a_punch_without_id_ambiguous(register, klass, tmp_path):
    with register.transaction() as s:
        for e in s.scalars(sa.select(Enrollment).order_by(Enrollment.id).limit(2)):
            e.trainee.name = "王芳"
    report = import_punches(register, _csv(tmp_path, ["王芳,1001,2026-03-02 08:25", "王五,1003,2026-03-02 08:26"]), "PU1")
    assert [(w.row, w.code) for w in report.warnings] == [(2, "punch.ambiguous_person")]
    statuses = _statuses(register)
    assert statuses[("王五", "03-02 08:30")] == AttendanceStatus.PRESENT


def test_an_unreadable_time_refuses_the_log_unless_invalid_rows_are_skipped(register, klass, tmp_path):
    path = _csv(tmp_path, ["张三,1001,2026-03-02 08:25", "李四,1002,昨天早上"], encoding="gbk")
    with pytest.raises(ImportRefused) as refused:
        import_punches(register, path, "PU1")
    assert [(i.row, i.code) for i in refused.value.report.errors] == [(3, "punch.bad_time")]
    assert _statuses(register) == {}
    report = import_punches(register, path, "PU1", skip_invalid=True)
    assert report.written and _statuses(register)[("张三", "03-02 08:30")] == AttendanceStatus.PRESENT


def test_a_recorded_mark_is_kept_unless_a_correction_reason_is_given(register, klass, tmp_path):
    import_punches(register, _csv(tmp_path, ["张三,1001,2026-03-02 08:25"]), "PU1")
    assert _statuses(register)[("李四", "03-02 08:30")] == AttendanceStatus.ABSENT
    late = _csv(tmp_path, ["李四,1002,2026-03-02 09:00"])
    report = import_punches(register, late, "PU1")
    assert any(w.code == "punch.kept_existing" for w in report.warnings)
    assert _statuses(register)[("李四", "03-02 08:30")] == AttendanceStatus.ABSENT
    import_punches(register, late, "PU1", correction_reason="考勤机当日未联网，次日导出")
    assert _statuses(register)[("李四", "03-02 08:30")] == AttendanceStatus.LATE


def test_importing_the_same_log_twice_changes_nothing(register, klass, tmp_path):
    path = _csv(tmp_path, ["张三,1001,2026-03-02 08:25", "张三,1001,2026-03-02 11:33"])
    import_punches(register, path, "PU1")
    before = _statuses(register)
    report = import_punches(register, path, "PU1")
    assert report.extra.get("written", 0) == 0 and _statuses(register) == before


def test_a_file_without_a_punch_header_is_refused(register, klass, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(Exception) as exc:
        import_punches(register, path, "PU1")
    assert getattr(exc.value, "code", "") == "punch.no_header"


def test_cli_punches_import_prints_the_summary(data_dir, tmp_path, capsys):
    from zunyi_trainer.db import open_register

    with open_register(data_dir) as reg, reg.transaction() as s:
        c = f.training_class(s, code="PU1", trainees=1, sessions=2)
        c.enrollments[0].trainee.name = "张三"
    path = _csv(tmp_path, ["张三,1001,2026-03-02 08:25", "路人甲,9,2026-03-02 08:25"])
    assert run(["--data-dir", str(data_dir), "punches", "import", str(path), "--class", "PU1"]) == 0
    out = capsys.readouterr().out
    assert "punch.unknown_person" in out and "打卡 2 条" in out
