"""The wizards, driven page by page on a real register with real files: the roster import (nothing
written before the last step, a corrected column mapping, skipping the invalid rows, the report
exported), the batch export (a verifiable batch, its number and the key's fingerprint), the county
return import (what it will change, then applied), and the Excel export of a register's list."""

from __future__ import annotations

import csv
import datetime as dt
import json

import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QFileDialog

from tests import factories, gui_fixtures
from tests.exchange_fixtures import county_return
from tests.roster_fixtures import person, roster_rows, write_workbook
from zunyi_trainer import idcard
from zunyi_trainer.models import AuditEvent, Enrollment, Trainee, TrainingClass

zh_app, dialogs, ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.ctx


def register_state(register) -> tuple[int, int, int]:
    """(trainees, enrolments, audit events): what a write would change."""
    with register.session() as s:
        return (
            s.scalar(sa.select(sa.func.count(Trainee.id))),
            s.scalar(sa.select(sa.func.count(Enrollment.id))),
            s.scalar(sa.select(sa.func.count(AuditEvent.id))),
        )


def enrolled_names(register, class_id: int) -> set[str]:
    with register.session() as s:
        return set(s.scalars(sa.select(Trainee.name).join(Enrollment).where(Enrollment.class_id == class_id)))


@pytest.fixture
def class_id(register) -> int:
    with register.transaction() as s:
        return factories.training_class(s, code="ZY-WIZ-1").id


# --- roster import ------------------------------------------------------------------------------


def open_roster_wizard(qtbot, ctx, class_id, path):
    from zunyi_trainer.gui.roster_wizard import RosterImportWizard

    wizard = RosterImportWizard(ctx, class_id, path=path)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_the_roster_wizard_writes_nothing_before_its_last_step_and_uses_the_corrected_mapping(
    qtbot, ctx, register, class_id, dialogs, tmp_path
):
    # The ID column's header is one the sniffer cannot know ("编码"): the user points it out.
    headers = ["序号", "姓名", "性别", "编码", "联系电话", "文化程度", "人员类别", "户籍地址"]
    path = write_workbook(
        tmp_path / "花名册.xlsx", roster_rows(3), headers=headers, title_rows=["湄潭县2026年茶艺师培训班花名册"]
    )
    before = register_state(register)
    wizard = open_roster_wizard(qtbot, ctx, class_id, path)
    assert wizard.currentPage() is wizard.file_page and wizard.file_page.isComplete()

    wizard.next()
    page = wizard.mapping_page
    assert wizard.currentPage() is page, dialogs.error_texts
    assert page.sheet_combo.currentText() == "花名册" and page.header_spin.value() == 2
    assert page.combos["name"].currentData() == 1 and page.combos["phone"].currentData() == 4
    assert page.combos["id_number"].currentData() is None
    assert not page.isComplete()  # no ID column: Next stays disabled
    assert page.preview.rowCount() == 3 and page.preview.item(0, 1).text() == person(0)[0]
    shown_id = page.preview.item(0, 3).text()  # the ID column, masked on the screen
    assert shown_id == idcard.mask(person(0)[1]) and "*" in shown_id

    page.combos["id_number"].setCurrentIndex(page.combos["id_number"].findData(3))
    assert page.isComplete()
    wizard.next()
    report_page = wizard.report_page
    assert wizard.currentPage() is report_page, dialogs.error_texts
    assert wizard.plan.layout.columns["id_number"] == 3
    assert "读取 3 行：有效 3 行" in report_page.summary.text()
    assert report_page.all_radio.isChecked() and report_page.isComplete()
    assert register_state(register) == before  # checked, shown, nothing written

    wizard.back()  # changing the mapping again is possible until the import
    assert wizard.currentPage() is page
    wizard.back()  # back to the file and on again, the file unchanged: the correction stays
    assert wizard.currentPage() is wizard.file_page
    wizard.next()
    assert wizard.currentPage() is page and page.combos["id_number"].currentData() == 3
    wizard.next()
    assert wizard.currentPage() is report_page
    assert register_state(register) == before

    imported = []
    wizard.imported.connect(imported.append)
    wizard.next()  # the commit button: 导入
    assert wizard.currentPage() is wizard.summary_page, dialogs.error_texts
    assert enrolled_names(register, class_id) == {person(k)[0] for k in range(3)}
    assert imported and imported[0].imported == 3
    counts = wizard.summary_page.counts.values()
    assert (counts["导入本班"], counts["新增到登记册的学员"], counts["关联登记册中已有的学员"]) == ("3", "3", "0")
    assert "备份" in wizard.summary_page.backup.text()


def test_the_roster_wizard_can_import_only_the_valid_rows_and_export_its_report(
    qtbot, ctx, register, class_id, dialogs, tmp_path
):
    rows = roster_rows(4)
    rows[2][3] = rows[2][3][:17] + ("0" if rows[2][3][17] != "0" else "1")  # a wrong check digit
    rows[3][6] = "外星人"  # a category nobody knows
    path = write_workbook(tmp_path / "花名册.xlsx", rows)
    before = register_state(register)
    wizard = open_roster_wizard(qtbot, ctx, class_id, path)
    wizard.next()
    wizard.next()
    page = wizard.report_page
    assert wizard.currentPage() is page, dialogs.error_texts
    assert not page.all_radio.isEnabled() and page.valid_radio.isChecked() and page.isComplete()
    issues = {(i.row, i.code) for i in page.model.issues}
    assert (4, "id.checksum") in issues and (5, "category.unknown") in issues
    messages = [page.model.index(r, 5).data() for r in range(page.model.rowCount())]
    assert any("校验" in m for m in messages) and any("外星人" in m for m in messages)

    xlsx = page.export_report(tmp_path / "报告.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    assert [c.value for c in ws[1]] == ["行", "列", "类别", "代码", "文件中的值", "修改方法"]
    assert {(r[0].value, r[3].value) for r in ws.iter_rows(min_row=2)} >= {(4, "id.checksum"), (5, "category.unknown")}
    with open(page.export_report(tmp_path / "报告.csv"), encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["行", "列", "类别", "代码", "文件中的值", "修改方法"]
    assert ["5", "人员类别", "错误", "category.unknown"] in [r[:4] for r in lines[1:]]
    assert "报告.csv" in page.export_status.text()
    assert register_state(register) == before

    wizard.next()
    assert wizard.currentPage() is wizard.summary_page, dialogs.error_texts
    assert enrolled_names(register, class_id) == {person(0)[0], person(1)[0]}
    assert wizard.summary_page.counts.values()["跳过的有错误的行"] == "2"


def test_a_file_that_is_not_a_workbook_keeps_the_wizard_on_its_first_page(qtbot, ctx, register, class_id, dialogs, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_text("<html><body>花名册</body></html>", encoding="utf-8")
    wizard = open_roster_wizard(qtbot, ctx, class_id, path)
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert len(dialogs.errors) == 1 and "HTML" in dialogs.error_texts[0], dialogs.error_texts


# --- batch export -------------------------------------------------------------------------------


def submitted_class(register, code: str = "ZY-WIZ-2") -> str:
    from zunyi_trainer.models import ClassStatus
    from zunyi_trainer.timeutil import now_utc

    with register.transaction() as s:
        return factories.training_class(s, code=code, trainees=2, status=ClassStatus.SUBMITTED, submitted_at=now_utc()).code


def test_the_batch_wizard_exports_a_verifiable_batch_and_shows_its_number_and_fingerprint(
    qtbot, ctx, register, dialogs, tmp_path
):
    from zunyi_trainer.exchange.signing import fingerprint, load_or_create_key
    from zunyi_trainer.exchange.verify import verify_batch
    from zunyi_trainer.gui.batch_wizard import LAST_FOLDER_KEY, BatchExportWizard
    from zunyi_trainer.models import BatchState, ExportBatch

    submitted_class(register)
    usb = tmp_path / "U盘"
    wizard = BatchExportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.options_page
    assert page.full_radio.isChecked() and not page.incremental_radio.isEnabled()  # the first batch is full
    assert "尚未导出过批次" in page.state.text() and not page.isComplete()
    page.documents_box.setChecked(False)
    page.folder_row.setText(str(usb))
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count(ExportBatch.id))) == 0  # nothing before the Export button
    wizard.next()
    assert wizard.currentPage() is wizard.done_page, dialogs.error_texts
    (batch_file,) = usb.glob("*.zip")
    report = verify_batch(batch_file)
    assert report.seq == 1 and report.record_counts["classes"]["records"] == 1
    done = wizard.done_page
    assert "第 1 批" in done.headline.text()
    values = done.details.values()
    assert values["序号"] == "1" and values["文件"] == str(batch_file)
    assert values["密钥指纹"] == fingerprint(load_or_create_key(register.data_dir).public_key()) == report.fingerprint
    assert "学员 2" in values["记录数"] and "校验" in done.verified.text()
    assert ctx.settings.value(LAST_FOLDER_KEY) == str(usb)

    # The next one: incremental by default, the folder remembered.
    again = BatchExportWizard(ctx)
    qtbot.addWidget(again)
    again.show()
    assert again.options_page.incremental_radio.isChecked() and again.options_page.folder_row.text() == str(usb)
    assert "第 1 批" in again.options_page.state.text()
    again.options_page.documents_box.setChecked(False)
    again.next()
    assert again.currentPage() is again.done_page, dialogs.error_texts
    assert verify_batch(again.batch.path, known={1: report.sha256}).chain_checked
    with register.session() as s:
        assert [(b.seq, b.state) for b in s.scalars(sa.select(ExportBatch).order_by(ExportBatch.seq))] == [
            (1, BatchState.EXPORTED),
            (2, BatchState.EXPORTED),
        ]


def test_a_batch_to_a_folder_that_cannot_be_written_stays_on_the_first_page(qtbot, ctx, register, dialogs, tmp_path):
    from zunyi_trainer.gui.batch_wizard import BatchExportWizard
    from zunyi_trainer.models import ExportBatch

    submitted_class(register)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    wizard = BatchExportWizard(ctx, folder=blocker / "usb")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.options_page.documents_box.setChecked(False)
    wizard.next()
    assert wizard.currentPage() is wizard.options_page
    assert len(dialogs.errors) == 1 and "U 盘" in dialogs.error_texts[0]
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count(ExportBatch.id))) == 0


# --- county return ------------------------------------------------------------------------------


def test_the_return_wizard_shows_what_changes_class_by_class_then_applies_the_approvals(qtbot, ctx, register, dialogs, tmp_path):
    from zunyi_trainer.exchange.export import export_batch
    from zunyi_trainer.gui.return_wizard import ReturnImportWizard
    from zunyi_trainer.models import BatchState, ClassStatus, ExportBatch

    code = submitted_class(register)
    batch = export_batch(register, tmp_path / "usb", documents=False)
    path = county_return(tmp_path, code, batch)
    wizard = ReturnImportWizard(ctx, path=path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    page = wizard.changes_page
    assert wizard.currentPage() is page, dialogs.error_texts
    row = [page.classes.item(0, c).text() for c in range(page.classes.columnCount())]
    assert row[0] == code and row[2:5] == ["已报审", "已批准", "湄人社培〔2026〕88号"]
    assert "批准 1 个" in page.summary.text() and "第 1 批" in page.batches.text()
    with register.session() as s:  # shown, not applied
        assert s.scalars(sa.select(TrainingClass)).one().status is ClassStatus.SUBMITTED
    wizard.next()  # 应用
    assert wizard.currentPage() is wizard.applied_page, dialogs.error_texts
    assert "已登记 1 个批复，1 个批次已确认" in wizard.applied_page.text.text()
    with register.session() as s:
        cls = s.scalars(sa.select(TrainingClass)).one()
        assert (cls.status, cls.approval_no, cls.decided_on) == (
            ClassStatus.APPROVED,
            "湄人社培〔2026〕88号",
            dt.date(2026, 3, 10),
        )
        assert s.scalars(sa.select(ExportBatch)).one().state is BatchState.ACKNOWLEDGED

    twice = ReturnImportWizard(ctx, path=path)
    qtbot.addWidget(twice)
    twice.show()
    twice.next()
    assert "以前已经导入过" in twice.changes_page.summary.text()


def test_a_return_for_another_school_is_refused_before_anything_is_shown(qtbot, ctx, register, dialogs, tmp_path):
    from zunyi_trainer.gui.return_wizard import ReturnImportWizard

    code = submitted_class(register)
    path = county_return(tmp_path, code)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["institution_uscc"] = "91520300MA6DXXXX0X"
    path.write_text(json.dumps(doc), encoding="utf-8")
    wizard = ReturnImportWizard(ctx, path=path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentPage() is wizard.return_page
    assert "91520300MA6DXXXX0X" in dialogs.error_texts[0]


# --- Excel export of a register's list ----------------------------------------------------------


def test_a_register_list_exports_real_dates_and_numbers_with_ids_and_phones_as_text(tmp_path):
    from zunyi_trainer.gui.excel_export import write_table

    target = tmp_path / "学员.xlsx"
    header = ["姓名", "身份证号", "电话", "出生日期", "学员人数", "金额（元）", "资产编号", "报送时间"]
    rows = [["张三", "520328199001010012", "13900000001", "1990-01-01", "12", "1,200.50", "0012", "2026-03-01 10:30"]]
    assert write_table(target, "学员/名单", header, iter(rows)) == 1
    ws = openpyxl.load_workbook(target).active
    assert ws.title == "学员_名单" and ws.freeze_panes == "A2"
    _name, number, phone, born, count, amount, asset, sent = (c.value for c in ws[2])
    assert (number, phone, asset) == ("520328199001010012", "13900000001", "0012")
    assert all(ws.cell(2, c).data_type == "s" for c in (2, 3, 7))
    assert born == dt.datetime(1990, 1, 1) and ws["D2"].is_date
    assert sent == dt.datetime(2026, 3, 1, 10, 30) and count == 12 and float(amount) == 1200.5


def test_the_trainee_list_is_exported_through_the_save_dialog_with_dates_as_dates(
    qtbot, ctx, register, dialogs, tmp_path, monkeypatch
):
    from zunyi_trainer.gui.register_pages import TraineesPage

    with register.transaction() as s:
        factories.training_class(s, trainees=3)
    target = tmp_path / "学员名册.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page = TraineesPage(ctx)
    qtbot.addWidget(page)
    page.show()
    for column in range(page.sql_model.columnCount()):
        page.view.setColumnHidden(column, False)
    page.export_view()
    assert dialogs.errors == [], dialogs.error_texts
    ws = openpyxl.load_workbook(target).active
    header = [c.value for c in ws[1]]
    assert ws.max_row == 4
    born = header.index("出生日期") + 1
    assert all(ws.cell(r, born).is_date for r in range(2, 5))
    id_col = header.index("身份证号") + 1
    assert all(ws.cell(r, id_col).data_type == "s" for r in range(2, 5))


def test_with_a_real_worker_thread_the_wizard_moves_on_when_the_check_has_finished(qtbot, zh_app, register, class_id, tmp_path):
    """Off the UI thread: Next starts the work and the page moves on by itself when it is done."""
    from PySide6.QtCore import QSettings

    from zunyi_trainer.gui.context import AppContext
    from zunyi_trainer.gui.roster_wizard import RosterImportWizard
    from zunyi_trainer.gui.tasks import TaskRunner

    threaded = AppContext(register, runner=TaskRunner(), settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    path = write_workbook(tmp_path / "花名册.xlsx", roster_rows(5))
    wizard = RosterImportWizard(threaded, class_id, path=path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.report_page)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page)
    threaded.runner.wait()
    assert enrolled_names(register, class_id) == {person(k)[0] for k in range(5)}
