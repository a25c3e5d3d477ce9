"""Documents from the window: each generated on the task runner, previewed with the right number of
pages, saved where the user says, printed through the (accepted) print dialog, and the archive
package exported as a valid BagIt bag; the core's refusals shown as its Chinese sentences."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import bagit
import factories
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from tests import gui_fixtures
from tests.documents_fixtures import read_pdf
from zunyi_trainer.db import open_register
from zunyi_trainer.documents import build_application, find_class
from zunyi_trainer.errors import NotFound
from zunyi_trainer.gui import pdf_preview
from zunyi_trainer.gui.class_detail import ClassDetailWindow
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.register_pages import FacilitiesPage
from zunyi_trainer.gui.tasks import Cancelled, TaskHandle, TaskRunner
from zunyi_trainer.models import ClassSession, EquipmentSpend, TrainingClass

zh_app, dialogs, ctx, demo_ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.ctx, gui_fixtures.demo_ctx


@pytest.fixture(autouse=True)
def _quick_print(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_preview, "PRINT_DPI", 50)  # the page count is what is checked, not sharpness


@pytest.fixture
def window(qtbot, demo_ctx, demo_register):
    def open_(code: str) -> ClassDetailWindow:
        with demo_register.session() as s:
            class_id = s.scalar(sa.select(TrainingClass.id).where(TrainingClass.code == code))
        w = ClassDetailWindow(demo_ctx, class_id)
        qtbot.addWidget(w)
        w.show()
        return w

    return open_


def page_count(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def opened(w: ClassDetailWindow, qtbot) -> pdf_preview.PdfPreview:
    """The preview the last document opened (a child of the class window, closed with it)."""
    preview = w.documents.preview
    assert preview is not None and preview.isVisible()
    return preview


@pytest.fixture(scope="module")
def application_pdf(tmp_path_factory, demo_template) -> Path:
    """The blocked draft's application (10 pages), built once for the preview's own tests."""
    base = tmp_path_factory.mktemp("gui-documents")
    shutil.copytree(demo_template, base / "data", ignore=shutil.ignore_patterns("*.lock", "logs"))
    reg = open_register(base / "data")
    try:
        with reg.session() as s:
            build_application(s, find_class(s, "RH2026011"), base / "开班申请表-RH2026011.pdf")
    finally:
        reg.close()
    return base / "开班申请表-RH2026011.pdf"


@pytest.fixture
def preview_of(qtbot, demo_ctx):
    def open_(path: Path) -> pdf_preview.PdfPreview:
        preview = pdf_preview.PdfPreview(demo_ctx, path, title=path.stem, suggested_name=path.name)
        qtbot.addWidget(preview)
        preview.show()
        return preview

    return open_


def test_the_application_is_previewed_with_every_page_and_its_blocking_findings_named(qtbot, window, dialogs):
    w = window("RH2026011")  # the demo's blocked draft
    w.documents.actions["application"].trigger()
    assert dialogs.errors == [], dialogs.error_texts
    preview = opened(w, qtbot)
    pdf = PdfReader(str(preview.path))
    assert preview.page_count() == len(pdf.pages) >= 7  # the form and its six attachments
    assert preview.page_total.text() == f"/ 共 {len(pdf.pages)} 页"
    first = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    assert "开班申请表" in first and "RH2026011" in first
    assert preview.notes.isVisibleTo(preview) and "项问题须整改" in preview.notes.text()
    assert "RH2026011" in preview.windowTitle()
    folder = preview.owned_dir  # the application carries full ID numbers: no copy is left behind
    assert folder is not None and preview.path.parent == folder
    preview.close()
    assert not folder.exists()


def test_page_navigation_and_zoom_keep_to_the_document(qtbot, preview_of, application_pdf, dialogs, tmp_path):
    preview = preview_of(application_pdf)
    preview.resize(900, 700)
    assert preview.wait_for_pages(), "the first page is drawn"
    assert preview.grab().save(str(tmp_path / "preview.png"))
    last = preview.page_count()
    assert preview.current_page() == 1 and not preview.previous_action.isEnabled()
    preview.next_action.trigger()
    assert preview.current_page() == 2 and preview.page_box.value() == 2
    preview.last_action.trigger()
    assert preview.current_page() == last and not preview.next_action.isEnabled()
    preview.go_to(last + 5)
    assert preview.current_page() == last
    preview.page_box.setValue(3)
    assert preview.current_page() == 3
    preview.set_zoom(1.0)
    preview.zoom_in()
    assert preview.zoom_factor() == pytest.approx(1.25)
    assert preview.zoom_label.text() == "125%"
    qtbot.waitUntil(lambda: preview.current_page() == 3)  # zooming stays on the page being read
    for _ in range(20):
        preview.zoom_out()
    assert preview.zoom_factor() == pytest.approx(pdf_preview.ZOOM_MIN)


def test_a_sign_in_sheet_for_the_session_selected_in_the_timetable(qtbot, window, dialogs, demo_register):
    w = window("RH2026005")
    w.sessions.selectRow(2)
    with demo_register.session() as s:
        chosen = s.get(ClassSession, w.sessions.item(2, 0).data(0x0100))
        day, start = chosen.date, f"{chosen.start_time:%H:%M}"
        others = {f"{x.start_time:%H:%M}" for x in chosen.training_class.sessions if x.date == day} - {start}
    w.documents.signin_session()
    preview = opened(w, qtbot)
    pdf = read_pdf(preview.path)
    assert preview.page_count() == len(pdf.pages)
    for n in range(1, len(pdf.pages) + 1):  # one session's sheet, however many pages its trainees need
        assert f"第{n}页共{len(pdf.pages)}页" in pdf.page_compact(n)
    assert f"{day.year}年{day.month}月{day.day}日" in pdf.compact and start in pdf.compact
    assert not any(f"{t}–" in pdf.compact for t in others)
    assert preview.suggested_name.startswith(f"签到表-RH2026005-{day.isoformat()}-")


def test_sign_in_sheets_for_a_day_hold_one_sheet_per_session_and_no_full_id(qtbot, window, dialogs, demo_register):
    w = window("RH2026005")
    with demo_register.session() as s:
        c = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == "RH2026005")).one()
        day = c.sessions[0].date
        sessions_that_day = sum(1 for x in c.sessions if x.date == day)
        ids = [e.trainee.id_number for e in c.enrollments]
    w.documents.signin_day(day)
    preview = opened(w, qtbot)
    pdf = read_pdf(preview.path)
    assert preview.page_count() == len(pdf.pages) >= sessions_that_day
    assert not any(i in pdf.compact for i in ids)


def test_the_day_is_asked_with_the_class_days_and_the_session_when_none_is_selected(
    qtbot, window, dialogs, demo_register, monkeypatch
):
    w = window("RH2026005")
    asked: list[list[str]] = []

    def pick_second(parent, title, label, items, current=0, editable=True):
        asked.append(list(items))
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", pick_second)
    w.documents.signin_day()
    with demo_register.session() as s:
        days = sorted(
            {x.date for x in s.scalars(sa.select(TrainingClass).where(TrainingClass.code == "RH2026005")).one().sessions}
        )
    assert [d[:10] for d in asked[0]] == [d.isoformat() for d in days] and "周" in asked[0][0]
    assert w.documents.preview.suggested_name == f"签到表-RH2026005-{days[1].isoformat()}.pdf"
    w.sessions.clearSelection()
    w.sessions.setCurrentCell(-1, -1)
    w.documents.signin_session()
    assert len(asked) == 2 and len(asked[1]) == w.sessions.rowCount()
    assert dialogs.errors == [], dialogs.error_texts


def test_a_day_without_sessions_is_refused_with_the_cores_sentence(qtbot, window, dialogs):
    w = window("RH2026005")
    w.documents.signin_day(dt.date(2001, 1, 1))
    assert w.documents.preview is None
    assert isinstance(dialogs.errors[0], NotFound)
    assert "在 2001-01-01 没有课" in dialogs.error_texts[0]


def test_a_class_without_timetable_is_told_to_build_it_first(qtbot, ctx, register, dialogs):
    with register.transaction() as s:
        class_id = factories.training_class(s, trainees=2).id
    w = ClassDetailWindow(ctx, class_id)
    qtbot.addWidget(w)
    w.documents.signin_day()
    w.documents.signin_session()
    assert len(dialogs.infos) == 2 and "还没有排课" in dialogs.infos[0]
    assert w.documents.preview is None and dialogs.errors == []


def test_the_archive_is_previewed_and_saved_as_a_real_pdf(qtbot, window, dialogs, demo_ctx, tmp_path, monkeypatch):
    w = window("RH2026001")
    w.documents.archive()
    preview = opened(w, qtbot)
    pages = preview.page_count()
    assert pages == page_count(preview.path) > 10
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(usb / "档案"), "PDF"))
    saved = preview.save_as()
    assert saved == usb / "档案.pdf"
    saved_pdf = PdfReader(str(saved))
    assert len(saved_pdf.pages) == pages and saved_pdf.metadata.title == "一班一档"
    assert "目录" in re.sub(r"\s+", "", saved_pdf.pages[1].extract_text())
    assert demo_ctx.settings.value(pdf_preview.LAST_DIR_KEY) == str(usb)
    assert "已保存到" in preview.file_label.text()


def test_save_as_onto_a_folder_of_that_name_says_what_went_wrong(qtbot, window, dialogs, tmp_path):
    w = window("RH2026005")
    w.documents.signin_day(dt.date.fromisoformat(w.sessions.item(0, 0).text()[:10]))
    preview = opened(w, qtbot)
    (tmp_path / "签到表.pdf").mkdir()
    assert preview.save_as(tmp_path / "签到表.pdf") is None
    assert len(dialogs.errors) == 1 and dialogs.error_texts[0].startswith("无法写入")
    assert not list(tmp_path.glob(".zunyi-*")), "no temporary file left behind"


def accept_printing_to(path: Path, pages: tuple[int, int] | None = None):
    """A print dialog whose user chose "print to file" (PDF) and pressed 打印."""

    def exec_(dialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        if pages is not None:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*pages)
        return QDialog.DialogCode.Accepted

    return exec_


def test_printing_through_the_print_dialog_prints_every_page(qtbot, preview_of, application_pdf, dialogs, tmp_path, monkeypatch):
    preview = preview_of(application_pdf)
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr(pdf_preview.QPrintDialog, "exec", accept_printing_to(out))
    assert preview.print_action.shortcut().toString() == "Ctrl+P"
    preview.print_action.trigger()
    assert dialogs.errors == [], dialogs.error_texts
    printed = PdfReader(str(out))
    assert len(printed.pages) == preview.page_count() == preview.printed
    box = printed.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, actual size
    assert preview.file_label.text() == f"已向打印机发送 {preview.printed} 页。"


def test_printing_a_page_range_prints_only_those_pages(qtbot, preview_of, application_pdf, dialogs, tmp_path, monkeypatch):
    preview = preview_of(application_pdf)
    out = tmp_path / "two.pdf"
    monkeypatch.setattr(pdf_preview.QPrintDialog, "exec", accept_printing_to(out, pages=(2, 3)))
    assert preview.print_document()
    assert page_count(out) == 2 == preview.printed


def test_a_cancelled_print_dialog_prints_nothing(qtbot, window, dialogs, tmp_path, monkeypatch):
    w = window("RH2026005")
    w.documents.signin_day(dt.date.fromisoformat(w.sessions.item(0, 0).text()[:10]))
    preview = opened(w, qtbot)
    monkeypatch.setattr(pdf_preview.QPrintDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert not preview.print_document()
    assert preview.printed is None


def test_the_archive_package_is_exported_to_the_chosen_folder_as_a_valid_bag(qtbot, window, dialogs, tmp_path, monkeypatch):
    w = window("RH2026001")
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    w.documents.actions["package"].trigger()
    assert dialogs.errors == [], dialogs.error_texts
    (package,) = usb.glob("*.zip")
    assert package.name == "档案移交包-RH2026001.zip" and w.documents.exported == package
    assert str(package) in dialogs.infos[-1] and "索引.html" in dialogs.infos[-1]
    with zipfile.ZipFile(package) as z:
        z.extractall(tmp_path / "opened")
    (bag_dir,) = list((tmp_path / "opened").iterdir())
    bag = bagit.Bag(str(bag_dir))
    bag.validate()
    names = [p.name for p in (bag_dir / "data").rglob("*.pdf")]
    assert any(n.startswith("01-一班一档") for n in names) and any(n.startswith("02-开班申请表") for n in names)

    before = package.stat().st_mtime_ns
    dialogs.answers.append(False)  # "already exists: replace it?" — no
    w.documents.export_package(usb)
    assert "已有" in dialogs.questions[-1] and package.stat().st_mtime_ns == before


def test_the_equipment_report_is_reached_from_the_venues_and_equipment_page(qtbot, demo_ctx, demo_register, dialogs, monkeypatch):
    page = FacilitiesPage(demo_ctx)
    qtbot.addWidget(page)
    with demo_register.session() as s:
        year = s.scalar(sa.select(sa.func.max(EquipmentSpend.spent_on))).year
    offered: list[int] = []

    def get_int(parent, title, label, value, minimum, maximum, step=1):
        offered.append(value)
        return value, True

    monkeypatch.setattr(QInputDialog, "getInt", get_int)
    button = page.tabs.cornerWidget()
    assert button.objectName() == "equipmentReport" and button.text() == "设备投入报告…"
    button.click()
    assert dialogs.errors == [], dialogs.error_texts
    assert offered[0] >= year
    preview = page.documents.preview
    qtbot.addWidget(preview)
    pdf = read_pdf(preview.path)
    assert preview.page_count() == len(pdf.pages) >= 1
    assert "设备投入" in pdf.compact and str(offered[0]) in pdf.compact


def test_the_documents_menu_is_in_chinese_with_shortcuts(qtbot, window, dialogs):
    w = window("RH2026005")
    button = w.findChild(type(w.action_buttons["submit"]), "documentsButton")
    assert button.text() == "文书"
    texts = [a.text() for a in button.menu().actions() if not a.isSeparator()]
    assert texts == [
        "开班申请表（含附件）(&A)…",
        "一次课的签到表(&S)…",
        "某一天的签到表(&D)…",
        "一班一档(&R)…",
        "导出档案移交包(&P)…",
    ]
    assert all(a.shortcut().toString() for a in w.documents.actions.values())
    assert set(w.documents.actions.values()) <= set(w.actions())


def test_a_pdf_that_cannot_be_read_is_refused_with_a_sentence(qtbot, demo_ctx, tmp_path):
    broken = tmp_path / "坏的.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really")
    with pytest.raises(pdf_preview.PdfUnreadable, match=r"无法打开 PDF 文件“坏的\.pdf”"):
        pdf_preview.PdfPreview(demo_ctx, broken, title="x", suggested_name="x.pdf")


def cancel_at_first_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user presses 取消 in the progress dialog as soon as it reports."""

    def progress(handle, done, total):
        raise Cancelled

    monkeypatch.setattr(TaskHandle, "progress", progress)


def test_a_cancelled_package_export_leaves_nothing_on_the_stick(qtbot, window, dialogs, tmp_path, monkeypatch):
    w = window("RH2026006")
    usb = tmp_path / "usb"
    usb.mkdir()
    cancel_at_first_progress(monkeypatch)
    w.documents.export_package(usb)
    assert list(usb.iterdir()) == []
    assert w.documents.exported is None and dialogs.errors == [] and dialogs.infos == []


def test_a_cancelled_document_opens_no_preview_and_leaves_no_temporary_copy(qtbot, window, dialogs, monkeypatch):
    w = window("RH2026005")
    folders: list[Path] = []
    real_mkdtemp = pdf_preview.tempfile.mkdtemp
    monkeypatch.setattr(pdf_preview.tempfile, "mkdtemp", lambda **kw: folders.append(Path(real_mkdtemp(**kw))) or folders[-1])
    cancel_at_first_progress(monkeypatch)
    w.documents.signin_session(int(w.sessions.item(0, 0).data(0x0100)))
    assert w.documents.preview is None and dialogs.errors == []
    assert len(folders) == 1 and not folders[0].exists()


def test_a_print_cancelled_from_its_progress_dialog_is_withdrawn(
    qtbot, preview_of, application_pdf, dialogs, tmp_path, monkeypatch
):
    preview = preview_of(application_pdf)
    monkeypatch.setattr(pdf_preview.QPrintDialog, "exec", accept_printing_to(tmp_path / "cancelled.pdf"))
    cancel_at_first_progress(monkeypatch)
    assert preview.print_document()
    assert preview.printed is None and dialogs.errors == []
    assert preview.file_label.text() == "打印已取消，没有发送到打印机。"


def test_the_preview_stays_open_while_its_print_runs(qtbot, zh_app, demo_register, application_pdf, dialogs, tmp_path):
    held = gui_fixtures.HeldPool()
    settings = QSettings(str(tmp_path / "held.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(demo_register, runner=TaskRunner(pool=held), settings=settings)
    copy = tmp_path / "copy" / application_pdf.name
    copy.parent.mkdir()
    shutil.copyfile(application_pdf, copy)
    preview = pdf_preview.PdfPreview(ctx, copy, title="x", suggested_name="x.pdf", owned_dir=copy.parent)
    preview.show()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "held.pdf"))
    preview.print_to(printer, [0, 1])
    preview.close()
    assert preview.isVisible() and copy.exists(), "the file is still being printed"
    held.waiting.pop().run()
    qtbot.waitUntil(lambda: preview.printed == 2)
    preview.close()
    assert not copy.parent.exists()
    assert page_count(tmp_path / "held.pdf") == 2


def test_a_preview_destroyed_unclosed_takes_its_copy_along_and_stale_copies_are_swept(
    qtbot, window, dialogs, tmp_path, monkeypatch
):
    w = window("RH2026005")
    w.documents.signin_session(int(w.sessions.item(0, 0).data(0x0100)))
    folder = w.documents.preview.owned_dir
    assert folder.exists()
    w.documents.preview.deleteLater()  # its window went away without closing it
    qtbot.waitUntil(lambda: not folder.exists())

    monkeypatch.setattr(pdf_preview.tempfile, "gettempdir", lambda: str(tmp_path))
    old, fresh = tmp_path / f"{pdf_preview.TEMP_PREFIX}old", tmp_path / f"{pdf_preview.TEMP_PREFIX}fresh"
    for d in (old, fresh):
        d.mkdir()
        (d / "开班申请表.pdf").write_bytes(b"%PDF")
    a_day_ago = time.time() - 25 * 3600
    os.utime(old, (a_day_ago, a_day_ago))
    assert pdf_preview.sweep_stale_copies() == 1
    assert not old.exists() and fresh.exists()
