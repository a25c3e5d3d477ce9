"""The class detail window: its tabs show the class's records, and its actions go through the
core (lifecycle, timetable, roster import, attachments), refusing with the core's reasons."""

from __future__ import annotations

import datetime as dt

import factories
import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QDialog

from tests import gui_fixtures
from zunyi_trainer.gui.class_detail import ClassDetailWindow, DecisionDialog, TimetablePatternDialog
from zunyi_trainer.lifecycle import TransitionRefused
from zunyi_trainer.models import (
    Attachment,
    ClassSession,
    ClassStatus,
    Enrollment,
    Trainee,
    TraineeCategory,
    TrainingClass,
)
from zunyi_trainer.timeutil import today_local

zh_app, dialogs, ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.ctx


def ready_class(register, **kw) -> int:
    """A draft class that passes the opening rules: trainees, a qualified teacher, a venue, hours."""
    start = today_local() + dt.timedelta(days=30)
    with register.transaction() as s:
        c = factories.training_class(s, trainees=5, sessions=10, start_date=start, **kw)
        for e in c.enrollments:
            e.trainee.category = TraineeCategory.GRADUATE
        return c.id


@pytest.fixture
def detail(qtbot, ctx, register):
    def open_(class_id: int) -> ClassDetailWindow:
        window = ClassDetailWindow(ctx, class_id)
        qtbot.addWidget(window)
        window.show()
        return window

    return open_


def status_of(register, class_id: int) -> ClassStatus:
    with register.session() as s:
        return s.get(TrainingClass, class_id).status


def enabled_actions(window) -> set[str]:
    return {key for key, button in window.action_buttons.items() if button.isEnabled()}


def test_tabs_and_a_draft_class_can_only_be_submitted(detail, register):
    window = detail(ready_class(register))
    assert [window.tabs.tabText(i).split(" (")[0] for i in range(window.tabs.count())] == [
        "基本信息",
        "课程表",
        "学员",
        "考勤",
        "考核与证书",
        "档案附件",
        "检查",
    ]
    assert enabled_actions(window) == {"submit"}
    assert window.sessions.rowCount() == 10 and window.enrolments.rowCount() == 5
    assert all("*" in window.enrolments.item(r, 1).text() for r in range(5))


def test_submit_with_a_blocking_finding_shows_the_reasons_and_changes_nothing(detail, register, dialogs):
    class_id = ready_class(register, mode=None)
    window = detail(class_id)
    assert "class.mode_missing" in [window.checks.item(r, 2).text() for r in range(window.checks.rowCount())]
    assert window.tabs.tabText(6).startswith("检查 (")
    button = window.action_buttons["submit"]
    assert not button.isEnabled() and "培训方式" in button.toolTip()  # the core's reason, before any click
    window.run_action("submit")  # even when asked directly, the core refuses
    (error,) = dialogs.errors
    assert isinstance(error, TransitionRefused) and "培训方式" in error.message()
    assert status_of(register, class_id) is ClassStatus.DRAFT


def test_a_class_goes_through_submit_decision_and_start(qtbot, ctx, detail, register, dialogs):
    class_id = ready_class(register)
    window = detail(class_id)
    window.action_buttons["submit"].click()
    assert dialogs.errors == [], dialogs.error_texts
    assert status_of(register, class_id) is ClassStatus.SUBMITTED
    assert enabled_actions(window) == {"decision", "reopen"}

    decision = DecisionDialog(ctx, class_id, window)
    qtbot.addWidget(decision)
    decision.save()  # without an approval number: refused, shown in the form
    assert "批文号" in decision.ui.formMessage.text()
    decision.ui.approval_no.setText("湄人社培〔2026〕12号")
    assert decision.save()
    assert status_of(register, class_id) is ClassStatus.APPROVED

    assert enabled_actions(window) == set()  # approved, but it starts in 30 days
    assert "开班" in window.action_buttons["start"].toolTip()
    with register.transaction() as s:  # the class starts today
        c = s.get(TrainingClass, class_id)
        c.start_date = today_local()
    ctx.changed("training_class")
    assert enabled_actions(window) == {"start"}
    window.action_buttons["start"].click()
    assert dialogs.errors == [], dialogs.error_texts
    assert status_of(register, class_id) is ClassStatus.IN_PROGRESS
    assert "开班中" in window.heading.text()


def test_enrolling_and_withdrawing_trainees(detail, register):
    class_id = ready_class(register)
    with register.transaction() as s:
        newcomer = factories.trainee(s, name="插班生").id
    window = detail(class_id)
    assert window.enrol([newcomer]) == 1
    assert window.enrolments.rowCount() == 6
    row = next(r for r in range(6) if window.enrolments.item(r, 0).text() == "插班生")
    window.enrolments.selectRow(row)
    window.withdraw(reason="外出务工")
    with register.session() as s:
        e = s.scalars(sa.select(Enrollment).where(Enrollment.trainee_id == newcomer)).one()
        assert (e.withdrawn_on, e.withdraw_reason) == (today_local(), "外出务工")


def test_the_timetable_builder_previews_and_generates_sessions(qtbot, ctx, register):
    start = today_local() + dt.timedelta(days=30)
    with register.transaction() as s:
        c = factories.training_class(s, start_date=start, end_date=start + dt.timedelta(days=13))
        class_id = c.id
    dialog = TimetablePatternDialog(ctx, class_id)
    qtbot.addWidget(dialog)
    assert dialog.preview()
    planned = dialog.preview_table.rowCount()
    assert planned > 0 and "课时" in dialog.totals.text()
    dialog.generate()
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count(ClassSession.id)).where(ClassSession.class_id == class_id)) == planned


def test_adding_a_photo_stores_it_and_shows_a_thumbnail(detail, register, tmp_path):
    from zunyi_trainer.demo import _png

    photo = tmp_path / "开班照片.png"
    photo.write_bytes(_png(64, 48, (200, 30, 30)))
    class_id = ready_class(register)
    window = detail(class_id)
    window.add_files([str(photo)])
    assert window.files.count() == 1
    assert not window.files.item(0).icon().isNull()
    with register.session() as s:
        att = s.scalars(sa.select(Attachment)).one()
        assert (att.class_id, att.filename) == (class_id, "开班照片.png")


def _roster(path, rows) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "身份证号", "联系电话"])
    for i, (name, number, phone) in enumerate(rows, 1):
        ws.append([i, name, number, phone])
    wb.save(path)


def test_importing_a_roster_goes_through_the_wizard_and_shows_its_report(detail, register, dialogs, tmp_path):
    class_id = ready_class(register)
    good = [factories.id_number(dt.date(1990 + i, 3, 3)) for i in range(3)]
    bad = good[0][:17] + ("0" if good[0][17] != "0" else "1")
    path = tmp_path / "花名册.xlsx"
    _roster(
        path,
        [
            ("甲一", good[0], "13900000001"),
            ("乙二", good[1], "13900000002"),
            ("丙三", good[2], "13900000003"),
            ("丁四", bad, "13900000004"),
        ],
    )
    window = detail(class_id)
    wizard = window.import_roster(str(path))
    assert wizard.isVisible() and wizard.parent() is window
    wizard.next()  # what was found
    wizard.next()  # the report
    assert wizard.currentPage() is wizard.report_page, dialogs.error_texts
    assert wizard.report_page.valid_radio.isChecked()
    wizard.next()  # 导入: the valid rows
    assert wizard.currentPage() is wizard.summary_page, dialogs.error_texts
    assert window.import_report.isVisibleTo(window) and window.import_report.rowCount() >= 1
    assert any("校验" in (window.import_report.item(r, 3).text()) for r in range(window.import_report.rowCount()))
    with register.session() as s:
        names = set(s.scalars(sa.select(Trainee.name).join(Enrollment).where(Enrollment.class_id == class_id)))
    assert {"甲一", "乙二", "丙三"} <= names and "丁四" not in names
    assert window.enrolments.rowCount() == 8


def test_a_roster_wizard_cancelled_before_its_last_step_writes_nothing(detail, register, dialogs, tmp_path):
    class_id = ready_class(register)
    path = tmp_path / "花名册.xlsx"
    _roster(path, [("甲一", factories.id_number(), "13900000001")])
    window = detail(class_id)
    wizard = window.import_roster(str(path))
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.report_page, dialogs.error_texts
    wizard.reject()
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count(Enrollment.id)).where(Enrollment.class_id == class_id)) == 5


def test_a_finding_opens_the_record_it_is_about(detail, register, monkeypatch):
    class_id = ready_class(register)
    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(type(self).__name__) or 0)
    window = detail(class_id)
    with register.session() as s:
        trainee = s.scalars(sa.select(Trainee).join(Enrollment).where(Enrollment.class_id == class_id)).first()
    window.open_finding(("trainee", str(trainee.uuid)))
    window.open_finding(("training_class", str(window_class_uuid(register, class_id))))
    assert opened == ["TraineeDialog", "ClassDialog"]


def window_class_uuid(register, class_id):
    with register.session() as s:
        return s.get(TrainingClass, class_id).uuid


def test_results_are_recorded_for_a_trainee(qtbot, ctx, detail, register):
    from zunyi_trainer.gui.class_detail import ResultDialog
    from zunyi_trainer.models import CertificateType, EnrollmentResult

    class_id = ready_class(register)
    window = detail(class_id)
    enrollment_id = window.results.item(0, 0).data(0x0100)
    dialog = ResultDialog(ctx, enrollment_id, window)
    qtbot.addWidget(dialog)
    dialog.ui.result.setCurrentIndex(dialog.ui.result.findData(EnrollmentResult.PASSED))
    dialog.ui.certificate_no.setText("Z-2026-0001")
    assert not dialog.save()  # a number without a type
    assert dialog.ui.err_certificate_type.text()
    dialog.ui.certificate_type.setCurrentIndex(dialog.ui.certificate_type.findData(CertificateType.TRAINING))
    assert dialog.save()
    assert window.results.item(0, 1).text() == "合格" and window.results.item(0, 5).text() == "Z-2026-0001"


def test_sessions_are_added_edited_and_removed_from_the_timetable_tab(qtbot, ctx, detail, register, dialogs):
    import datetime as dt_

    from PySide6.QtCore import QTime

    from zunyi_trainer.gui.class_detail import SessionDialog

    class_id = ready_class(register)
    window = detail(class_id)
    before = window.sessions.rowCount()
    dialog = SessionDialog(ctx, class_id, parent=window)
    qtbot.addWidget(dialog)
    dialog.ui.topic.setText("茶叶冲泡实操")
    dialog.ui.start_time.setTime(QTime(19, 0))
    dialog.ui.end_time.setTime(QTime(18, 0))
    assert not dialog.save()  # ends before it starts: the core's message, next to the end time
    assert dialog.ui.err_end_time.text()
    dialog.ui.end_time.setTime(QTime(21, 15))
    dialog.ui.periods.setValue(3)
    assert dialog.save()
    assert window.sessions.rowCount() == before + 1
    with register.session() as s:
        added = s.scalars(sa.select(ClassSession).where(ClassSession.topic == "茶叶冲泡实操")).one()
        assert (added.start_time, added.end_time, added.periods) == (dt_.time(19, 0), dt_.time(21, 15), 3)
    row = next(r for r in range(window.sessions.rowCount()) if window.sessions.item(r, 4).text() == "茶叶冲泡实操")
    window.sessions.selectRow(row)
    dialogs.answers = [True]
    window.remove_session()
    assert window.sessions.rowCount() == before
    with register.session() as s:
        assert s.get(ClassSession, added.id) is None


def test_the_enrolment_picker_finds_trainees_not_yet_in_the_class(qtbot, ctx, register):
    from zunyi_trainer.gui.class_detail import TraineePicker

    class_id = ready_class(register)
    with register.transaction() as s:
        outsider = factories.trainee(s, name="外班学员").id
        enrolled = set(s.scalars(sa.select(Enrollment.trainee_id).where(Enrollment.class_id == class_id)))
    picker = TraineePicker(ctx, enrolled)
    qtbot.addWidget(picker)
    shown = {picker.list.item(i).data(0x0100) for i in range(picker.list.count())}
    assert outsider in shown and not (shown & enrolled)
    picker.search.setText("外班")
    picker.refresh()
    assert picker.list.count() == 1 and "外班学员" in picker.list.item(0).text() and "*" in picker.list.item(0).text()
    picker.list.item(0).setSelected(True)
    assert picker.chosen() == [outsider]


demo_ctx = gui_fixtures.demo_ctx


def test_the_attendance_tab_summarises_rates_against_the_threshold(qtbot, demo_ctx):
    register = demo_ctx.register
    with register.session() as s:
        c = s.scalars(
            sa.select(TrainingClass).where(TrainingClass.status == ClassStatus.IN_PROGRESS).order_by(TrainingClass.id)
        ).first()
        enrolled = sum(1 for e in c.enrollments if e.withdrawn_on is None)
    window = ClassDetailWindow(demo_ctx, c.id)
    qtbot.addWidget(window)
    model = window.attendance_grid.model  # the grid's rate and eligibility columns (tests/test_gui_attendance_grid.py)
    assert len(model.trainees) >= enrolled > 0
    below = [r for r in range(len(model.trainees)) if model.index(r, model.eligible_column).data() == "未达标"]
    summary = window.attendance_grid.summary.text()
    assert f"{len(below)} 名学员未达标" in summary and "80%" in summary
