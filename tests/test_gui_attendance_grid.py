"""The attendance grid of a class: keyboard and bulk marking saved in one transaction through the
core's bulk writer, 补录 with its reason, rates and counts that follow the entries, sign-in times,
sign-in sheets, and imports whose report is shown before anything is written."""

from __future__ import annotations

import datetime as dt

import factories
import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from tests import gui_fixtures
from zunyi_trainer.attendance import Mark, record_marks
from zunyi_trainer.gui.attendance_grid import PENDING_ROLE, STATUS_ROLE, AttendanceGrid
from zunyi_trainer.gui.class_detail import ClassDetailWindow
from zunyi_trainer.models import Attendance, AttendanceMethod, AttendanceStatus, AuditEvent, ClassSession, Enrollment
from zunyi_trainer.timeutil import local_instant, to_local, today_local

zh_app, dialogs, ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.ctx

P, LATE, EARLY, LEAVE, ABSENT = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EARLY_LEAVE,
    AttendanceStatus.LEAVE,
    AttendanceStatus.ABSENT,
)
TRAINEES, SESSIONS = 4, 6


@pytest.fixture
def class_id(register) -> int:
    """4 trainees and 6 sessions of 4 periods, two a day, all held (the class started 10 days ago)."""
    with register.transaction() as s:
        c = factories.training_class(
            s, code="AG1", trainees=TRAINEES, sessions=SESSIONS, start_date=today_local() - dt.timedelta(days=10)
        )
        for k, e in enumerate(sorted(c.enrollments, key=lambda e: e.id)):
            e.trainee.name = f"学员{k + 1}"
        return c.id


@pytest.fixture
def grid(qtbot, ctx, class_id) -> AttendanceGrid:
    widget = AttendanceGrid(ctx, class_id)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    widget.reload()
    return widget


def ids(register, class_id) -> tuple[list[int], list[int]]:
    """(enrolment ids, session ids) in the grid's order."""
    with register.session() as s:
        enrolments = list(s.scalars(sa.select(Enrollment.id).where(Enrollment.class_id == class_id).order_by(Enrollment.id)))
        sessions = list(
            s.scalars(
                sa.select(ClassSession.id)
                .where(ClassSession.class_id == class_id)
                .order_by(ClassSession.date, ClassSession.start_time)
            )
        )
    return enrolments, sessions


def stored(register) -> dict[tuple[int, int], Attendance]:
    """(enrolment id, session id) → the recorded row."""
    with register.session() as s:
        rows = s.scalars(sa.select(Attendance)).all()
        s.expunge_all()
        return {(a.enrollment_id, a.session_id): a for a in rows}


def cell(grid: AttendanceGrid, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return grid.model.data(grid.model.index(row, column), role)


def go(grid: AttendanceGrid, row: int, column: int) -> None:
    grid.view.setCurrentIndex(grid.model.index(row, column))


def test_the_grid_has_trainees_down_sessions_across_and_the_status_letters(grid):
    model = grid.model
    assert model.rowCount() == TRAINEES + 1 and model.columnCount() == SESSIONS + 2
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(TRAINEES)] == ["学员1", "学员2", "学员3", "学员4"]
    assert model.headerData(TRAINEES, Qt.Orientation.Vertical) == "实到/应到"
    assert model.headerData(SESSIONS, Qt.Orientation.Horizontal) == "出勤率"
    assert model.headerData(SESSIONS + 1, Qt.Orientation.Horizontal) == "补贴资格"
    assert "1 √ 出勤" in grid.legend.text() and "5 × 旷课" in grid.legend.text()
    # The counts row stays in view below the trainees, in a footer of its own.
    assert grid.view.isRowHidden(TRAINEES) and not grid.view.isRowHidden(0)
    assert not grid.footer.isRowHidden(TRAINEES) and grid.footer.isRowHidden(0)


def test_keys_mark_cells_move_down_cycle_and_fill_the_rest_of_the_session_then_save_writes_them(grid, qtbot, register, class_id):
    go(grid, 0, 0)
    qtbot.keyClick(grid.view, Qt.Key.Key_1)  # 出勤, and down to the next trainee
    assert grid.view.currentIndex().row() == 1
    qtbot.keyClick(grid.view, Qt.Key.Key_5)  # 旷课
    qtbot.keyClick(grid.view, Qt.Key.Key_Space)  # unmarked → 出勤
    go(grid, 2, 0)
    qtbot.keyClick(grid.view, Qt.Key.Key_Space)  # 出勤 → 迟到
    assert [cell(grid, r, 0) for r in range(TRAINEES)] == ["√", "×", "迟", ""]
    assert cell(grid, 0, 0, PENDING_ROLE) is True
    qtbot.keyClick(grid.view, Qt.Key.Key_Right)
    qtbot.keyClick(grid.view, Qt.Key.Key_Left)
    qtbot.keyClick(grid.view, Qt.Key.Key_F)  # the rest of the session: present
    assert [cell(grid, r, 0, STATUS_ROLE) for r in range(TRAINEES)] == ["present", "absent", "late", "present"]
    assert cell(grid, TRAINEES, 0) == "3/4"  # attended / expected at the bottom
    assert stored(register) == {}  # nothing written before the save

    qtbot.keyClick(grid.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    enrolments, sessions = ids(register, class_id)
    marks = stored(register)
    assert {k: m.status for k, m in marks.items()} == {
        (enrolments[0], sessions[0]): P,
        (enrolments[1], sessions[0]): ABSENT,
        (enrolments[2], sessions[0]): LATE,
        (enrolments[3], sessions[0]): P,
    }
    assert all(m.method == AttendanceMethod.MANUAL and not m.is_correction for m in marks.values())
    assert not grid.model.pending and cell(grid, 0, 0, PENDING_ROLE) is False


def test_delete_takes_back_an_unsaved_entry(grid, qtbot):
    go(grid, 0, 1)
    qtbot.keyClick(grid.view, Qt.Key.Key_2)
    go(grid, 0, 1)
    qtbot.keyClick(grid.view, Qt.Key.Key_Delete)
    assert cell(grid, 0, 1) == "" and not grid.model.pending


def test_marking_a_whole_session_is_one_action_undone_at_once_and_saved_in_one_transaction(grid, register, class_id):
    go(grid, 1, 2)
    grid.mark_session(ABSENT)
    assert [cell(grid, r, 2) for r in range(TRAINEES)] == ["×"] * TRAINEES
    assert grid.undo_stack.count() == 1
    grid.undo_stack.undo()
    assert [cell(grid, r, 2) for r in range(TRAINEES)] == [""] * TRAINEES
    grid.undo_stack.redo()
    commits: list[int] = []

    def count(_conn) -> None:
        commits.append(1)

    sa.event.listen(register.engine, "commit", count)
    try:
        assert grid.save()
    finally:
        sa.event.remove(register.engine, "commit", count)
    assert len(commits) == 1  # one transaction
    enrolments, sessions = ids(register, class_id)
    marks = stored(register)
    assert {k for k, m in marks.items() if m.status == ABSENT} == {(e, sessions[2]) for e in enrolments}
    with register.session() as s:
        events = s.scalars(sa.select(AuditEvent).where(AuditEvent.table_name == "attendance")).all()
        assert len(events) == TRAINEES and len({e.at for e in events}) == 1  # audited, by one bulk write


def test_marking_a_trainee_covers_the_sessions_held_so_far(qtbot, ctx, register):
    with register.transaction() as s:
        c = factories.training_class(s, trainees=2, sessions=6, start_date=today_local() - dt.timedelta(days=1))
        class_id = c.id  # sessions on yesterday, today (2 each) and tomorrow (2)
    grid = AttendanceGrid(ctx, class_id)
    qtbot.addWidget(grid)
    grid.reload()
    go(grid, 1, 0)
    grid.mark_trainee(P)
    assert [cell(grid, 1, c) for c in range(6)] == ["√", "√", "√", "√", "", ""]
    assert [cell(grid, 0, c) for c in range(6)] == [""] * 6
    assert grid.undo_stack.count() == 1


def test_a_leave_asks_for_its_reason_and_stores_it(grid, qtbot, register, monkeypatch):
    monkeypatch.setattr(grid, "ask_leave_reason", lambda: "病假")
    go(grid, 3, 4)
    qtbot.keyClick(grid.view, Qt.Key.Key_4)
    assert cell(grid, 3, 4) == "假"
    assert grid.save()
    (mark,) = stored(register).values()
    assert mark.status == LEAVE and mark.leave_reason == "病假"


def test_a_cancelled_leave_reason_marks_nothing(grid, qtbot, monkeypatch):
    monkeypatch.setattr(grid, "ask_leave_reason", lambda: None)
    go(grid, 0, 0)
    qtbot.keyClick(grid.view, Qt.Key.Key_4)
    assert cell(grid, 0, 0) == "" and not grid.model.pending


def record(register, class_id, status_by_cell: dict[tuple[int, int], AttendanceStatus]) -> None:
    enrolments, sessions = ids(register, class_id)
    with register.transaction() as s:
        record_marks(
            s,
            [Mark(sessions[c], enrolments[r], st) for (r, c), st in status_by_cell.items()],
            method=AttendanceMethod.PAPER,
            recorded_by="班主任",
        )


def test_changing_a_recorded_mark_is_a_late_correction_whose_reason_is_stored(grid, qtbot, register, class_id, monkeypatch):
    record(register, class_id, {(0, 0): ABSENT, (1, 0): P})
    grid.reload()
    asked: list[int] = []
    monkeypatch.setattr(grid, "ask_correction_reason", lambda n: asked.append(n) or "学员补交请假条前误记为旷课")
    go(grid, 0, 0)
    qtbot.keyClick(grid.view, Qt.Key.Key_1)
    go(grid, 2, 0)
    qtbot.keyClick(grid.view, Qt.Key.Key_1)  # a new mark: no correction
    assert grid.save()
    assert asked == [1]
    enrolments, sessions = ids(register, class_id)
    marks = stored(register)
    corrected = marks[(enrolments[0], sessions[0])]
    assert corrected.status == P and corrected.is_correction
    assert corrected.correction_reason == "学员补交请假条前误记为旷课"
    assert not marks[(enrolments[2], sessions[0])].is_correction
    go(grid, 0, 0)
    assert "学员补交请假条前误记为旷课" in grid.cell_recorded.text()


def test_a_correction_without_a_reason_writes_nothing_and_keeps_the_entries(grid, qtbot, register, class_id, monkeypatch):
    record(register, class_id, {(0, 0): ABSENT})
    grid.reload()
    monkeypatch.setattr(grid, "ask_correction_reason", lambda n: None)
    go(grid, 0, 0)
    qtbot.keyClick(grid.view, Qt.Key.Key_1)
    assert not grid.save()
    assert [m.status for m in stored(register).values()] == [ABSENT]
    assert len(grid.model.pending) == 1 and cell(grid, 0, 0) == "√"


def test_rates_eligibility_and_counts_follow_the_marks_recorded_and_unsaved(grid, register, class_id):
    # Trainee 1 present at 5 of 6 sessions (83 %), trainee 2 at 3 of 6 (50 %); 4 periods each.
    record(
        register,
        class_id,
        {**{(0, c): P for c in range(5)}, (0, 5): ABSENT, **{(1, c): P for c in range(3)}, **{(1, c): ABSENT for c in (3, 4, 5)}},
    )
    grid.reload()
    model = grid.model
    assert cell(grid, 0, model.rate_column) == "83%" and cell(grid, 0, model.eligible_column) == "达标"
    assert cell(grid, 1, model.rate_column) == "50%" and cell(grid, 1, model.eligible_column) == "未达标"
    assert cell(grid, 1, model.eligible_column, Qt.ItemDataRole.ForegroundRole) is not None  # shown in red
    assert cell(grid, 2, model.rate_column) == "0%"  # held sessions unmarked count as missed
    assert cell(grid, TRAINEES, 0) == "2/4" and cell(grid, TRAINEES, 5) == "0/4"
    assert "2 名学员未达标" in grid.summary.text() or "3 名学员未达标" in grid.summary.text()
    go(grid, 1, 3)
    grid.mark_current(P)  # an unsaved entry: the rate follows at once
    assert cell(grid, 1, model.rate_column) == "67%" and cell(grid, TRAINEES, 3) == "2/4"
    assert "1 条未保存" in grid.summary.text()


def test_times_in_the_side_panel_give_the_status_by_the_tolerances(grid, register, class_id):
    go(grid, 0, 0)
    assert grid.cell_who.text().startswith("学员1")
    session = grid.model.sessions[0]
    grid.signed_in.setChecked(True)
    grid.signed_out.setChecked(True)
    start = local_instant(session.date, session.start_time) + dt.timedelta(minutes=20)
    grid.sign_in.setTime(to_local(start).time())
    grid.sign_out.setTime(session.end_time)
    grid.apply_times()
    assert cell(grid, 0, 0) == "迟"
    assert grid.save()
    (mark,) = stored(register).values()
    assert mark.status == LATE and to_local(mark.sign_in_at).strftime("%H:%M") == to_local(start).strftime("%H:%M")
    assert mark.sign_out_at is not None


def test_the_class_window_shows_the_grid_and_asks_before_closing_with_unsaved_marks(qtbot, ctx, class_id, monkeypatch):
    from PySide6.QtWidgets import QMainWindow, QWidget

    main = QMainWindow()
    qtbot.addWidget(main)
    main.show()
    window = ClassDetailWindow(ctx, class_id, main)
    window.show()
    window.tabs.setCurrentWidget(window.tabs.findChild(QWidget, "tab_attendance"))
    grid = window.attendance_grid
    assert grid.isVisible() and grid.model.rowCount() == TRAINEES + 1
    go(grid, 0, 0)
    grid.mark_current(P)
    answers = ["cancel", "cancel", "discard"]
    monkeypatch.setattr(grid, "ask_unsaved", lambda n: answers.pop(0))
    window.close()
    assert window.isVisible() and grid.model.pending  # cancelled: nothing lost
    main.close()  # closing the app's main window asks too
    assert main.isVisible() and grid.model.pending
    window.close()
    assert not window.isVisible() and not grid.model.pending
    ClassDetailWindow._open.clear()


def test_space_cycles_through_the_statuses_without_asking_for_a_leave_reason(grid, qtbot, monkeypatch):
    monkeypatch.setattr(grid, "ask_leave_reason", lambda: pytest.fail("space should not ask"))
    go(grid, 0, 0)
    seen = []
    for _ in range(5):
        qtbot.keyClick(grid.view, Qt.Key.Key_Space)
        seen.append(cell(grid, 0, 0))
    assert seen == ["√", "迟", "退", "×", "√"]


def test_the_sessions_and_the_days_sign_in_sheets_open_in_the_preview(grid):
    from documents_fixtures import read_pdf

    go(grid, 0, 2)
    grid.print_signin(day=False)
    preview = grid.documents.preview
    assert preview is not None and preview.page_count() == 1
    pdf = read_pdf(preview.path)
    assert "培训学员签到表" in pdf.compact and "学员3" in pdf.compact
    assert grid.model.sessions[2].date.strftime("%Y年%m月%d日") in pdf.compact
    preview.close()
    grid.print_signin(day=True)  # the day of session 3 has two sessions
    assert grid.documents.preview.page_count() == 2
    grid.documents.preview.close()


def workbook(register, tmp_path, cells: dict[tuple[int, int], str]):
    from zunyi_trainer.roster import resolve_class
    from zunyi_trainer.roster.attendance_sheet import export_attendance

    path = tmp_path / "考勤表.xlsx"
    with register.session() as s:
        export_attendance(s, resolve_class(s, "AG1"), path)
    wb = openpyxl.load_workbook(path)
    for (row, col), value in cells.items():
        wb.active.cell(row=4 + row, column=5 + col, value=value)  # below the hidden key row, after 学员编号
    wb.save(path)
    return path


def test_a_workbook_import_shows_its_report_first_and_cancel_writes_nothing(grid, register, tmp_path, monkeypatch):
    path = workbook(register, tmp_path, {(0, 0): "√", (1, 0): "迟", (2, 0): "来了"})
    shown = []
    monkeypatch.setattr(grid, "confirm_import", lambda report, recheck=None: shown.append(report) or None)
    grid.import_file("workbook", str(path))
    (report,) = shown
    assert report.dry_run and not report.written and report.imported == 2
    assert any("来了" in (i.value or "") for i in report.errors)
    assert stored(register) == {}


def test_a_workbook_import_applied_after_its_report_records_the_marks(grid, register, class_id, tmp_path, monkeypatch, dialogs):
    path = workbook(register, tmp_path, {(0, 0): "√", (1, 0): "假（事假）", (3, 1): "×"})
    monkeypatch.setattr(grid, "confirm_import", lambda report, recheck=None: "")
    grid.import_file("workbook", str(path))
    enrolments, sessions = ids(register, class_id)
    marks = stored(register)
    assert {k: m.status for k, m in marks.items()} == {
        (enrolments[0], sessions[0]): P,
        (enrolments[1], sessions[0]): LEAVE,
        (enrolments[3], sessions[1]): ABSENT,
    }
    assert all(m.method == AttendanceMethod.WORKBOOK for m in marks.values())
    assert cell(grid, 1, 0) == "假" and cell(grid, 3, 1) == "×"  # the grid shows them
    assert any("已导入考勤记录 3 条" in text for text in dialogs.infos)


def test_a_workbook_changing_recorded_marks_is_applied_with_the_reason_given_in_the_report(
    grid, register, class_id, tmp_path, monkeypatch
):
    record(register, class_id, {(0, 0): ABSENT})
    path = workbook(register, tmp_path, {(0, 0): "√"})
    seen = []

    def confirm(report, recheck):
        seen.append(report)
        seen.append(recheck("考勤表补登"))  # "check again with this reason", before anything is written
        assert stored(register)[next(iter(stored(register)))].status == ABSENT
        return "考勤表补登"

    monkeypatch.setattr(grid, "confirm_import", confirm)
    grid.import_file("workbook", str(path))
    assert any(i.code == "attendance.correction_reason" for i in seen[0].errors) and seen[0].imported == 0
    assert not seen[1].errors and seen[1].imported == 1 and seen[1].extra["corrections"] == 1
    (mark,) = stored(register).values()
    assert mark.status == P and mark.is_correction and mark.correction_reason == "考勤表补登"


def test_a_punch_log_import_shows_its_report_before_writing(grid, register, class_id, tmp_path, monkeypatch):
    session = grid.model.sessions[0]
    day = session.date.isoformat()
    path = tmp_path / "punches.csv"
    path.write_text(f"姓名,工号,打卡时间\n学员1,1,{day} 08:25\n学员1,1,{day} 11:31\n路人甲,9,{day} 08:26\n", encoding="utf-8-sig")
    shown = []
    monkeypatch.setattr(grid, "confirm_import", lambda report, recheck=None: shown.append(report) or None)
    grid.import_file("punches", str(path))
    (report,) = shown
    assert report.kind == "punches" and report.imported == TRAINEES and stored(register) == {}
    assert any(i.code == "punch.unknown_person" for i in report.warnings)
    monkeypatch.setattr(grid, "confirm_import", lambda report, recheck=None: "")
    grid.import_file("punches", str(path))
    enrolments, sessions = ids(register, class_id)
    marks = stored(register)
    assert marks[(enrolments[0], sessions[0])].status == P and marks[(enrolments[1], sessions[0])].status == ABSENT
    assert all(m.method == AttendanceMethod.TERMINAL for m in marks.values())


def test_the_import_report_dialog_shows_the_problems_and_asks_a_reason_only_for_corrections(qtbot):
    from zunyi_trainer.gui.attendance_grid import ImportReportDialog
    from zunyi_trainer.roster.report import ImportReport, Issue

    report = ImportReport(kind="attendance", file="a.xlsx", sheet="考勤", header_row=2, dry_run=True, imported=2)
    report.add(Issue(5, "2026-03-02", "attendance.correction_reason", "已记录为“旷课”，改为“出勤”属于补录", value="√"))
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.issues.rowCount() == 1 and "补录" in dialog.issues.item(0, 3).text()
    assert "试运行" in dialog.summary.text() and not dialog.reason.isHidden()
    assert dialog.apply_button.isEnabled()
    asked = []
    dialog.recheck = asked.append
    assert not dialog.recheck_button.isEnabled()
    dialog.reason.setText("补登")
    dialog.recheck_button.click()
    assert asked == ["补登"]
    dialog.show_report(ImportReport(kind="attendance", dry_run=True, imported=3, extra={"corrections": 1}))
    assert "补录 1 条" in dialog.summary.text() and dialog.issues.rowCount() == 0 and "3 条" in dialog.note.text()
    assert not dialog.reason.isHidden() and dialog.reason.text() == "补登"
    plain = ImportReportDialog(ImportReport(kind="attendance", dry_run=True, imported=0))
    qtbot.addWidget(plain)
    assert plain.reason.isHidden() and not plain.apply_button.isEnabled()


def test_opening_and_painting_the_grid_reads_a_few_statements_not_one_per_cell(grid, register, class_id):
    record(register, class_id, {(r, c): P for r in range(TRAINEES) for c in range(SESSIONS)})
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(register.engine, "before_cursor_execute", seen)
    try:
        grid.reload()
        grid.grab()  # every visible cell painted
        for r in range(TRAINEES):
            for c in range(SESSIONS):
                assert cell(grid, r, c) == "√"
    finally:
        sa.event.remove(register.engine, "before_cursor_execute", seen)
    selects = [s for s in statements if s.lstrip().startswith("SELECT")]
    marks = [s for s in selects if "FROM attendance" in s]
    # The class, sessions, enrolments, settings, the marks and who recorded the selected one: the
    # same handful for 4 × 6 as for 60 × 120.
    assert len(selects) <= 7 and len(marks) == 2, selects


def test_cells_outside_a_trainees_enrolment_and_an_archived_class_cannot_be_marked(grid, qtbot, register, class_id):
    enrolments, sessions = ids(register, class_id)
    with register.transaction() as s:
        e = s.get(Enrollment, enrolments[3])
        e.withdrawn_on = s.get(ClassSession, sessions[1]).date  # left after the first day
    grid.reload()
    assert grid.model.headerData(3, Qt.Orientation.Vertical) == "学员4（已退学）"
    go(grid, 3, 2)
    qtbot.keyClick(grid.view, Qt.Key.Key_1)
    assert cell(grid, 3, 2) == "" and not grid.model.pending
    assert "不在该学员的在班期间" in grid.cell_recorded.text()
    go(grid, 3, 1)
    qtbot.keyClick(grid.view, Qt.Key.Key_1)  # the day they left still counts
    assert cell(grid, 3, 1) == "√"
    go(grid, 0, 0)
    grid.fill_column_present()
    assert cell(grid, TRAINEES, 2) == "0/3"  # expected: the three still enrolled

    from zunyi_trainer.models import ClassStatus, TrainingClass

    grid.discard()
    with register.transaction() as s:
        s.get(TrainingClass, class_id).status = ClassStatus.ARCHIVED
    grid.reload()
    go(grid, 0, 0)
    qtbot.keyClick(grid.view, Qt.Key.Key_1)
    assert not grid.model.pending and not grid.session_button.isEnabled() and "已归档" in grid.summary.text()


def test_an_import_waits_until_the_unsaved_entries_are_saved(grid, register, tmp_path, monkeypatch, dialogs):
    path = workbook(register, tmp_path, {(0, 0): "√"})
    monkeypatch.setattr(grid, "confirm_import", lambda report, recheck=None: pytest.fail("no import with unsaved entries"))
    go(grid, 1, 1)
    grid.mark_current(ABSENT)
    grid.import_file("workbook", str(path))
    assert any("请先保存或撤销" in text for text in dialogs.infos)
    assert stored(register) == {}


def test_a_status_set_by_hand_keeps_the_recorded_sign_in_time(grid, qtbot, register, class_id, monkeypatch):
    enrolments, sessions = ids(register, class_id)
    session = grid.model.sessions[0]
    arrived = local_instant(session.date, session.start_time) + dt.timedelta(minutes=25)
    with register.transaction() as s:
        record_marks(s, [Mark(sessions[0], enrolments[0], LATE, sign_in_at=arrived)], method="terminal", recorded_by="考勤机")
    grid.reload()
    go(grid, 0, 0)
    assert grid.signed_in.isChecked() and grid.sign_in.time().toString("HH:mm") == to_local(arrived).strftime("%H:%M")
    monkeypatch.setattr(grid, "ask_correction_reason", lambda n: "班主任核实：交通管制，准假迟到")
    qtbot.keyClick(grid.view, Qt.Key.Key_1)
    assert grid.save()
    (mark,) = stored(register).values()
    assert mark.status == P and mark.sign_in_at == arrived and mark.correction_reason.startswith("班主任核实")


def test_the_model_alone_shows_unsaved_entries_over_recorded_marks_and_takes_them_back(zh_app, register, class_id):
    from zunyi_trainer.gui.attendance_grid import AttendanceGridModel, CellMark, load_grid

    record(register, class_id, {(0, 0): ABSENT, (1, 0): P})
    model = AttendanceGridModel()
    with register.session() as s:
        model.load(load_grid(s, class_id))
    index = model.index(0, 0)
    assert index.data() == "×" and index.data(PENDING_ROLE) is False
    assert model.index(TRAINEES, 0).data() == "1/4"
    before = model.apply({model.key(0, 0): CellMark(P), model.key(2, 0): CellMark(LATE)})
    assert index.data() == "√" and index.data(PENDING_ROLE) is True and model.corrections() == 1
    assert model.index(TRAINEES, 0).data() == "3/4"
    assert model.apply({model.key(1, 0): CellMark(P)}) == {model.key(1, 0): None}  # same as recorded: not an entry
    assert len(model.pending) == 2
    model.apply(before)
    assert index.data() == "×" and not model.pending and model.index(TRAINEES, 0).data() == "1/4"


def test_a_class_without_sessions_or_trainees_shows_an_empty_grid_and_says_what_is_missing(qtbot, ctx, register, dialogs):
    with register.transaction() as s:
        class_id = factories.training_class(s).id
    grid = AttendanceGrid(ctx, class_id)
    qtbot.addWidget(grid)
    grid.reload()
    assert grid.model.rowCount() == 1 and grid.model.columnCount() == 2
    grid.mark_session(P)
    grid.fill_column_present()
    grid.print_signin(day=False)
    assert not grid.model.pending and any("还没有课程安排" in text for text in dialogs.infos)
