"""A day in the life — in fact five weeks of one class — driven through the window alone: create the
class, build its timetable, import its roster, see a blocking finding, fix it, submit, print the
application, send a batch and import the county's approval, start, mark attendance in the grid,
record results, complete, generate the archive, export a batch and verify it.

The calendar moves on with the class: ``today_local`` is replaced in every module of the app that
uses it, so the class can start and complete on the days the rules expect."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests import factories, gui_fixtures
from tests.exchange_fixtures import county_return
from tests.roster_fixtures import roster_rows, write_workbook
from zunyi_trainer import audit, timeutil
from zunyi_trainer.exchange.verify import verify_batch
from zunyi_trainer.gui import pdf_preview
from zunyi_trainer.gui.attendance_grid import AttendanceGrid
from zunyi_trainer.gui.batch_wizard import BatchExportWizard
from zunyi_trainer.gui.class_detail import ClassDetailWindow, ResultDialog, TimetablePatternDialog
from zunyi_trainer.gui.main_window import MainWindow
from zunyi_trainer.gui.record_dialogs import ClassDialog
from zunyi_trainer.gui.return_wizard import ReturnImportWizard
from zunyi_trainer.models import (
    Attendance,
    AttendanceStatus,
    BatchState,
    CertificateType,
    ClassStatus,
    Employment,
    EnrollmentResult,
    ExportBatch,
    SessionKind,
    TrainingClass,
    TrainingMode,
)

zh_app, dialogs, ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.ctx

TRAINEES = 6


class Calendar:
    """The app's idea of today, moved on by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, today: dt.date) -> None:
        self.today = today
        original = timeutil.today_local
        for name, module in list(sys.modules.items()):
            if name.startswith("zunyi_trainer") and getattr(module, "today_local", None) is original:
                monkeypatch.setattr(module, "today_local", lambda: self.today)

    def move_to(self, day: dt.date) -> None:
        self.today = day


@pytest.fixture
def school(register):
    """The school as it stands before the class: its profile, a full-time teacher qualified for the
    trade, a practice room."""
    with register.transaction() as s:
        inst = factories.institution(s)
        factories.teacher(s, institution=inst, name="罗茶师", trade=factories.trade(s, "茶艺师"), employment=Employment.FULL_TIME)
        factories.venue(s, institution=inst, name="茶艺实训室", seats=30)
    return register


def _choose(combo, text: str) -> None:
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(text))
    combo.setCurrentIndex(index)


def _accept_printing_to(out: Path):
    def exec_(dialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(printer.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return 1

    return exec_


def _status(register, class_id: int) -> ClassStatus:
    with register.session() as s:
        return s.get(TrainingClass, class_id).status


def _finding_codes(window: ClassDetailWindow) -> list[str]:
    return [window.checks.item(r, 2).text() for r in range(window.checks.rowCount())]


def test_a_class_from_its_creation_to_its_archive_and_the_batch_that_carries_it(
    qtbot, ctx, school, dialogs, tmp_path, monkeypatch
):
    monkeypatch.setattr(pdf_preview, "PRINT_DPI", 50)  # the pages are counted, not looked at
    day0 = dt.date(2026, 3, 2)  # a Monday
    calendar = Calendar(monkeypatch, day0)
    usb = tmp_path / "U盘"

    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()

    # 1. The class, through its form — without a training mode, which the county requires.
    form = ClassDialog(ctx, parent=main)
    qtbot.addWidget(form)
    _choose(form.ui.trade_id, "茶艺师")
    form.ui.code.setText("MT2026-05")
    form.ui.name.setText("湄潭县2026年茶艺师培训班")
    form.ui.mode.setCurrentIndex(form.ui.mode.findData(None))
    form.ui.start_date.setDate(day0 + dt.timedelta(days=14))
    form.ui.end_date.setDate(day0 + dt.timedelta(days=25))
    _choose(form.ui.venue_id, "茶艺实训室")
    _choose(form.ui.head_teacher_id, "罗茶师")
    form.ui.planned_size.setValue(TRAINEES)
    form.ui.subsidy_standard_fen.setValue(1200)
    assert form.save(), form.ui.formMessage.text()
    with school.session() as s:
        class_id = s.scalars(sa.select(TrainingClass.id).where(TrainingClass.code == "MT2026-05")).one()

    window = ClassDetailWindow(ctx, class_id, main)
    qtbot.addWidget(window)
    window.show()
    assert "MT2026-05" in window.heading.text() and "草稿" in window.heading.text()

    # 2. The timetable: theory on the first week's mornings, practice on every afternoon and on the
    #    second week's mornings (the plan wants at least 60 % practice).
    def build(kind, first: int, last: int, slots: set[str]) -> int:
        builder = TimetablePatternDialog(ctx, class_id, window)
        qtbot.addWidget(builder)
        builder.kind.setCurrentIndex(builder.kind.findData(kind))
        builder.start.setDate(day0 + dt.timedelta(days=first))
        builder.end.setDate(day0 + dt.timedelta(days=last))
        for name, box in builder.slots.items():
            box.setChecked(name in slots)
        _choose(builder.teacher, "罗茶师")
        _choose(builder.venue, "茶艺实训室")
        assert builder.preview(), builder.error.text()
        builder.generate()
        return builder.added

    planned = build(SessionKind.THEORY, 14, 18, {"morning"})
    planned += build(SessionKind.PRACTICE, 14, 25, {"afternoon"})
    planned += build(SessionKind.PRACTICE, 21, 25, {"morning"})
    assert window.sessions.rowCount() == planned == 20

    # 3. The roster, through the import wizard.
    roster = write_workbook(tmp_path / "花名册.xlsx", roster_rows(TRAINEES), title_rows=["湄潭县2026年茶艺师培训班学员花名册"])
    wizard = window.import_roster(str(roster))
    wizard.next()  # what was found
    wizard.next()  # the report
    assert wizard.currentPage() is wizard.report_page, dialogs.error_texts
    wizard.next()  # import
    assert wizard.currentPage() is wizard.summary_page, dialogs.error_texts
    wizard.accept()
    assert window.enrolments.rowCount() == TRAINEES

    # 4. The blocking finding: no training mode. Submitting is refused with the core's reason.
    assert "class.mode_missing" in _finding_codes(window)
    assert not window.action_buttons["submit"].isEnabled()
    assert "培训方式" in window.action_buttons["submit"].toolTip()

    # 5. Fixed in the class's form; the finding goes, the class is submitted.
    form = ClassDialog(ctx, class_id, window)
    qtbot.addWidget(form)
    form.ui.mode.setCurrentIndex(form.ui.mode.findData(TrainingMode.OFFLINE))
    assert form.save(), form.ui.formMessage.text()
    assert "class.mode_missing" not in _finding_codes(window)
    assert window.action_buttons["submit"].isEnabled(), (window.action_buttons["submit"].toolTip(), _finding_codes(window))
    window.action_buttons["submit"].click()
    assert dialogs.errors == [], dialogs.error_texts
    assert _status(school, class_id) is ClassStatus.SUBMITTED

    # 6. The application, printed through the print dialog.
    printed = tmp_path / "printed-application.pdf"
    monkeypatch.setattr(pdf_preview.QPrintDialog, "exec", _accept_printing_to(printed))
    window.documents.actions["application"].trigger()
    assert dialogs.errors == [], dialogs.error_texts
    preview = window.documents.preview
    assert preview is not None and preview.isVisible()
    application = PdfReader(str(preview.path))
    assert "MT2026-05" in application.pages[0].extract_text()
    preview.print_action.trigger()
    assert dialogs.errors == [], dialogs.error_texts
    assert len(PdfReader(str(printed)).pages) == len(application.pages)
    preview.close()

    # 7. The batch that carries the application to the county, and the county's return.
    export = BatchExportWizard(ctx, main)
    qtbot.addWidget(export)
    export.show()
    export.options_page.documents_box.setChecked(False)
    export.options_page.folder_row.setText(str(usb))
    export.next()
    assert export.currentPage() is export.done_page, dialogs.error_texts
    first_batch = export.batch
    assert first_batch.seq == 1 and verify_batch(first_batch.path).seq == 1
    export.accept()

    returned = ReturnImportWizard(ctx, main, path=county_return(tmp_path, "MT2026-05", first_batch))
    qtbot.addWidget(returned)
    returned.show()
    returned.next()  # what it will change
    assert returned.currentPage() is returned.changes_page, dialogs.error_texts
    assert _status(school, class_id) is ClassStatus.SUBMITTED  # shown, not applied
    returned.next()  # apply
    assert returned.currentPage() is returned.applied_page, dialogs.error_texts
    returned.accept()
    assert _status(school, class_id) is ClassStatus.APPROVED

    # 8. The first day: the class starts.
    calendar.move_to(day0 + dt.timedelta(days=14))
    ctx.changed("training_class")
    assert window.action_buttons["start"].isEnabled(), window.action_buttons["start"].toolTip()
    window.action_buttons["start"].click()
    assert dialogs.errors == [], dialogs.error_texts
    assert _status(school, class_id) is ClassStatus.IN_PROGRESS

    # 9. The last day: attendance marked in the grid, one trainee absent from the first session.
    calendar.move_to(day0 + dt.timedelta(days=25))
    grid: AttendanceGrid = window.attendance_grid
    grid.reload()
    grid.view.setFocus()
    for column in range(planned):
        grid.view.setCurrentIndex(grid.model.index(0, column))
        grid.fill_column_present()
    grid.view.setCurrentIndex(grid.model.index(TRAINEES - 1, 0))
    qtbot.keyClick(grid.view, Qt.Key.Key_5)  # 旷课
    assert grid.save(), dialogs.error_texts
    with school.session() as s:
        statuses = [a.status for a in s.scalars(sa.select(Attendance))]
    assert len(statuses) == TRAINEES * planned and statuses.count(AttendanceStatus.ABSENT) == 1

    # 10. Results for every trainee, through the results dialog.
    for row in range(TRAINEES):
        enrollment_id = window.results.item(row, 0).data(Qt.ItemDataRole.UserRole)
        result = ResultDialog(ctx, enrollment_id, window)
        qtbot.addWidget(result)
        result.ui.result.setCurrentIndex(result.ui.result.findData(EnrollmentResult.PASSED))
        result.ui.certificate_type.setCurrentIndex(result.ui.certificate_type.findData(CertificateType.TRAINING))
        result.ui.certificate_no.setText(f"MT-2026-{row + 1:04d}")
        assert result.save(), result.ui.formMessage.text()

    # 11. Completed.
    window.action_buttons["complete"].click()
    assert dialogs.errors == [], dialogs.error_texts
    assert _status(school, class_id) is ClassStatus.COMPLETED

    # 12. The one-class archive, previewed and saved.
    window.documents.actions["archive"].trigger()
    assert dialogs.errors == [], dialogs.error_texts
    archive = PdfReader(str(window.documents.preview.path))
    text = "".join(page.extract_text() for page in archive.pages[:3])
    assert "MT2026-05" in text and len(archive.pages) >= 5
    window.documents.preview.close()

    # 13. The next batch carries the class's whole story; it verifies against the first.
    export = BatchExportWizard(ctx, main)
    qtbot.addWidget(export)
    export.show()
    assert export.options_page.incremental_radio.isChecked()
    export.options_page.documents_box.setChecked(False)
    export.next()
    assert export.currentPage() is export.done_page, dialogs.error_texts
    report = verify_batch(export.batch.path, known={1: first_batch.sha256})
    assert report.seq == 2 and report.chain_checked
    assert report.record_counts["attendance"]["records"] == TRAINEES * planned
    with school.session() as s:
        states = [b.state for b in s.scalars(sa.select(ExportBatch).order_by(ExportBatch.seq))]
    assert states == [BatchState.ACKNOWLEDGED, BatchState.EXPORTED]
    with school.engine.connect() as conn:
        assert audit.verify_chain(conn).ok
    window.close()
    main.close()
    QApplication.processEvents()
