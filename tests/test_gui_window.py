"""The main window and the register pages, on the demo school: navigation, remembered state,
status bar, search, filters, column choice, export, opening, deleting."""

from __future__ import annotations

import datetime as dt

import factories
import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from tests import gui_fixtures
from zunyi_trainer.gui.class_detail import ClassDetailWindow
from zunyi_trainer.gui.main_window import PAGE_KEYS, MainWindow
from zunyi_trainer.gui.table_models import ID_ROLE
from zunyi_trainer.models import ClassStatus, Trainee, TrainingClass, Venue

zh_app, dialogs, ctx, demo_ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.ctx, gui_fixtures.demo_ctx


@pytest.fixture
def window(qtbot, demo_ctx):
    w = MainWindow(demo_ctx)
    qtbot.addWidget(w)
    w.show()
    yield w
    for detail in list(ClassDetailWindow._open.values()):
        detail.close()


def visible_texts(view, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_navigation_shows_the_seven_pages_in_chinese(window):
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["概览", "培训班", "学员", "师资", "场地与设备", "数据报送", "设置"]
    for key in PAGE_KEYS:
        window.show_page(key)
        assert window.stack.currentWidget() is window.pages[key]


def test_last_page_and_geometry_are_remembered(qtbot, demo_ctx):
    first = MainWindow(demo_ctx)
    qtbot.addWidget(first)
    first.show()
    first.show_page("teachers")
    first.resize(1300, 820)
    geometry = first.saveGeometry()
    first.close()
    assert demo_ctx.settings.value("window/geometry") == geometry
    second = MainWindow(demo_ctx)
    qtbot.addWidget(second)
    assert second.current_key() == "teachers"


def test_status_bar_names_the_register_and_the_last_backup(window, demo_ctx):
    assert str(demo_ctx.register.path) in window.register_label.text()
    assert window.backup_label.text() == "最近备份：尚无"
    window.save_action.trigger()  # Ctrl+S takes a backup (synchronous pool in tests)
    assert window.backup_label.text().startswith("最近备份：20")
    assert any(demo_ctx.register.backups_dir.glob("*.sqlite3"))


def test_standard_shortcuts_are_bound(window):
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert not window.refresh_action.shortcut().isEmpty()


def test_find_jumps_to_the_search_box_of_the_register(qtbot, window):
    window.show_page("overview")
    window.find_action.trigger()
    assert window.current_key() == "trainees"
    assert window.pages["trainees"].search.hasFocus() or window.focusWidget() is window.pages["trainees"].search


def test_class_register_search_and_status_filter(qtbot, window, demo_ctx):
    page = window.pages["classes"]
    window.show_page("classes")
    with demo_ctx.register.session() as s:
        total = s.scalar(sa.select(sa.func.count(TrainingClass.id)))
        drafts = s.scalar(sa.select(sa.func.count(TrainingClass.id)).where(TrainingClass.status == ClassStatus.DRAFT))
        one = s.scalars(sa.select(TrainingClass).order_by(TrainingClass.id)).first()
    assert page.proxy.rowCount() == total
    qtbot.keyClicks(page.search, one.code)
    page.flush_search()
    assert visible_texts(page.view, 0) == [one.code]
    page.search.clear()
    page.flush_search()
    combo = page.filters["status"]
    combo.setCurrentIndex(combo.findData("草稿"))
    assert page.proxy.rowCount() == drafts
    assert set(visible_texts(page.view, page.model.column_index("status"))) == {"草稿"}
    assert page.count_label.text() == f"{drafts} 条（共 {total} 条）"


def test_hidden_columns_are_remembered_and_left_out_of_search(qtbot, window, demo_ctx):
    page = window.pages["classes"]
    column = page.model.column_index("trade")
    page.set_column_visible(column, False)
    page.search.setText("茶艺师")
    page.flush_search()
    names_with_tea = [n for n in visible_texts(page.view, 1) if "茶艺师" in n]
    assert page.proxy.rowCount() == len(names_with_tea)  # found by the name column only
    demo_ctx.settings.sync()
    from PySide6.QtCore import QSettings

    demo_ctx.settings = QSettings(demo_ctx.settings.fileName(), QSettings.Format.IniFormat)  # as at the next start
    again = MainWindow(demo_ctx)
    qtbot.addWidget(again)
    assert again.pages["classes"].view.isColumnHidden(column)
    assert again.pages["classes"].view.isColumnHidden(page.model.column_index("year"))  # hidden by default


def test_exporting_the_current_view_writes_what_is_shown(qtbot, window, tmp_path):
    page = window.pages["classes"]
    page.filters["status"].setCurrentIndex(page.filters["status"].findData("草稿"))
    target = page.export_view(tmp_path / "培训班.xlsx")
    ws = openpyxl.load_workbook(target).active
    rows = list(ws.values)
    assert rows[0][0] == "编号" and len(rows) - 1 == page.proxy.rowCount()
    assert {r[list(rows[0]).index("状态")] for r in rows[1:]} == {"草稿"}


def test_double_clicking_a_class_opens_its_detail_window(qtbot, window):
    page = window.pages["classes"]
    index = page.proxy.index(0, 0)
    page.view.doubleClicked.emit(index)
    class_id = index.data(ID_ROLE)
    detail = next(w for (_c, cid), w in ClassDetailWindow._open.items() if cid == class_id)
    assert detail.isVisible() and detail.windowTitle().startswith(index.data())


def test_trainee_register_searches_in_sql_and_masks_id_numbers(qtbot, window, demo_ctx):
    page = window.pages["trainees"]
    with demo_ctx.register.session() as s:
        t = s.scalars(sa.select(Trainee).order_by(Trainee.id)).first()
    qtbot.keyClicks(page.search, t.id_number[-6:])
    page.flush_search()
    texts = visible_texts(page.view, 1)
    assert texts and all("*" in x for x in texts) and t.id_number not in texts
    assert page.sql_model.total >= 1


def test_deleting_a_trainee_from_the_register_asks_and_removes_it(qtbot, window, demo_ctx, dialogs):
    with demo_ctx.register.transaction() as s:
        extra = factories.trainee(s, name="待删除学员")
        extra_id = extra.id
    page = window.pages["trainees"]
    page.search.setText("待删除")
    page.flush_search()
    page.view.setCurrentIndex(page.view.model().index(0, 0))
    dialogs.answers = [True]
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert "待删除学员" in dialogs.questions[0]
    with demo_ctx.register.session() as s:
        assert s.get(Trainee, extra_id) is None
    assert page.sql_model.total == 0


def test_deleting_an_enrolled_trainee_is_refused_with_the_reason(qtbot, window, demo_ctx, dialogs):
    page = window.pages["trainees"]
    with demo_ctx.register.session() as s:
        from zunyi_trainer.models import Enrollment

        enrolled = s.scalars(sa.select(Trainee).join(Enrollment)).first()
    page.search.setText(enrolled.name)
    page.flush_search()
    row = next(r for r in range(page.sql_model.rowCount()) if page.sql_model.index(r, 0).data(ID_ROLE) == enrolled.id)
    page.view.setCurrentIndex(page.sql_model.index(row, 0))
    page._delete_current()
    assert dialogs.questions == [] and "退学" in dialogs.infos[0]
    with demo_ctx.register.session() as s:
        assert s.get(Trainee, enrolled.id) is not None


def test_a_new_venue_appears_in_the_register_after_saving(qtbot, window, demo_ctx):
    from zunyi_trainer.gui.record_dialogs import VenueDialog

    page = window.pages["facilities"].venues
    before = page.proxy.rowCount()
    dialog = VenueDialog(demo_ctx, parent=page)
    qtbot.addWidget(dialog)
    dialog.ui.name.setText("新实训室")
    dialog.ui.seats.setValue(20)
    assert dialog.save()
    assert page.proxy.rowCount() == before + 1
    with demo_ctx.register.session() as s:
        assert s.scalars(sa.select(Venue).where(Venue.name == "新实训室")).one().seats == 20


def test_teachers_page_flags_expiring_certificates(window, demo_ctx):
    from zunyi_trainer.models import Qualification, Teacher

    with demo_ctx.register.transaction() as s:
        teacher = s.scalars(sa.select(Teacher).where(Teacher.active)).first()
        for q in teacher.qualifications:
            q.expires_on = dt.date.today() + dt.timedelta(days=10)
        if not teacher.qualifications:
            s.add(
                Qualification(teacher=teacher, kind="trainer", number="X-1", expires_on=dt.date.today() + dt.timedelta(days=10))
            )
    demo_ctx.changed("teacher")
    page = window.pages["teachers"]
    page.search.setText(teacher.name)
    page.flush_search()
    assert visible_texts(page.view, page.model.column_index("qualification_state"))[0] == "即将到期"


def test_every_page_shows_real_data_from_the_register(qtbot, window, demo_ctx):
    from zunyi_trainer.models import EquipmentSpend, Institution

    with demo_ctx.register.session() as s:
        school = s.scalars(sa.select(Institution)).one().name
        classes = s.scalar(sa.select(sa.func.count(TrainingClass.id)))
        spends = s.scalar(sa.select(sa.func.count(EquipmentSpend.id)))
        waiting = s.scalar(sa.select(sa.func.count(TrainingClass.id)).where(TrainingClass.status == ClassStatus.SUBMITTED))
    overview = window.pages["overview"]
    qtbot.waitUntil(lambda: overview.data is not None)  # computed once the page is painted
    assert overview.tiles["classes"].value.text() == str(classes)
    assert overview.heading.text().startswith(school)
    submission = window.pages["submission"]
    assert submission.waiting.rowCount() == waiting
    assert school in window.pages["settings"].institution_label.text()
    assert window.pages["facilities"].spend.proxy.rowCount() == spends > 0


HeldPool = gui_fixtures.HeldPool


def test_trainee_search_runs_off_the_ui_thread_and_drops_a_stale_result(qtbot, demo_ctx):
    from zunyi_trainer.gui.register_pages import TraineesPage
    from zunyi_trainer.gui.tasks import TaskRunner

    pool = HeldPool()
    demo_ctx.runner = TaskRunner(pool=pool, write_pool=pool)
    page = TraineesPage(demo_ctx)
    qtbot.addWidget(page)
    assert not pool.waiting  # the first search waits for the page's first paint
    page.show()
    qtbot.waitUntil(lambda: len(pool.waiting) == 1)
    assert page.sql_model.rowCount() == 0  # nothing read on the UI thread meanwhile (no fetchMore, no sort)
    pool.waiting.pop().run()  # the first load
    everyone = page.sql_model.total
    page.search.setText("石")
    page.flush_search()
    page.search.setText("zzz-no-such-trainee")
    page.flush_search()
    assert page.sql_model.total == everyone  # typing did not wait for the query
    newer, older = pool.waiting.pop(), pool.waiting.pop()
    newer.run()
    assert page.sql_model.total == 0
    older.run()  # arrives late: ignored
    assert page.sql_model.total == 0 and page.sql_model.rowCount() == 0


def test_exporting_trainees_writes_every_match_not_only_the_fetched_page(qtbot, demo_ctx, tmp_path):
    from zunyi_trainer.gui.register_pages import TraineesPage
    from zunyi_trainer.gui.table_models import TraineeSqlModel

    page = TraineesPage(demo_ctx)
    qtbot.addWidget(page)
    page.sql_model.PAGE = 50  # fewer rows fetched than the register holds
    page.reload()
    assert page.sql_model.rowCount() == 50 < page.sql_model.total
    target = page.export_view(tmp_path / "学员.xlsx")
    rows = list(openpyxl.load_workbook(target).active.values)
    assert len(rows) - 1 == page.sql_model.total
    id_column = rows[0].index("身份证号")
    assert all("**********" in r[id_column] for r in rows[1:])
    assert TraineeSqlModel.PAGE == 200


def test_printing_a_register_prints_every_row_of_the_view(qtbot, window, tmp_path):
    import re

    from pypdf import PdfReader
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    window.show_page("classes")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "classes.pdf"))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    assert window.print_view(printer)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(tmp_path / "classes.pdf").pages))
    codes = visible_texts(window.pages["classes"].view, 0)
    assert codes and all(code in text for code in codes)


def test_enter_opens_and_delete_deletes_the_selected_row(qtbot, window, monkeypatch):
    page = window.pages["classes"]
    window.show_page("classes")
    opened, deleted = [], []
    monkeypatch.setattr(page, "open_record", opened.append)
    monkeypatch.setattr(page, "delete_record", deleted.append)
    page.view.setFocus()
    page.view.setCurrentIndex(page.proxy.index(2, 0))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert opened == deleted == [page.proxy.index(2, 0).data(ID_ROLE)]


def test_register_models_pass_qts_model_checks(qtmodeltester, window):
    qtmodeltester.check(window.pages["classes"].proxy)
    qtmodeltester.check(window.pages["teachers"].model)
    qtmodeltester.check(window.pages["trainees"].sql_model)


def test_deleting_a_draft_class_lists_what_goes_with_it_and_removes_it(qtbot, window, demo_ctx, dialogs):
    page = window.pages["classes"]
    with demo_ctx.register.session() as s:
        draft = s.scalars(
            sa.select(TrainingClass).where(TrainingClass.status == ClassStatus.DRAFT).order_by(TrainingClass.id)
        ).first()
        sessions = len(draft.sessions)
    assert page.select_id(draft.id)
    dialogs.answers = [True]
    page._delete_current()
    assert f"{sessions} 个课次" in dialogs.questions[0] and draft.name in dialogs.questions[0]
    with demo_ctx.register.session() as s:
        assert s.get(TrainingClass, draft.id) is None
    assert not page.select_id(draft.id)


def test_a_venue_in_use_cannot_be_deleted(qtbot, window, demo_ctx, dialogs):
    page = window.pages["facilities"].venues
    with demo_ctx.register.session() as s:
        used = s.scalars(sa.select(Venue).join(TrainingClass, TrainingClass.venue_id == Venue.id)).first()
    assert page.select_id(used.id)
    page._delete_current()
    assert dialogs.questions == [] and "停用" in dialogs.infos[0]


def test_trainee_search_with_real_threads_shows_the_result(qtbot, demo_ctx):
    from PySide6.QtCore import QThreadPool

    from zunyi_trainer.gui.register_pages import TraineesPage
    from zunyi_trainer.gui.tasks import TaskRunner

    pool = QThreadPool()
    demo_ctx.runner = TaskRunner(pool=pool)
    page = TraineesPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.sql_model.total > 0, timeout=10_000)
    with demo_ctx.register.session() as s:
        someone = s.scalars(sa.select(Trainee).order_by(Trainee.id.desc())).first()
    qtbot.keyClicks(page.search, someone.phone)
    qtbot.waitUntil(lambda: page.sql_model.total == 1, timeout=10_000)
    assert page.sql_model.index(0, 0).data() == someone.name
    pool.waitForDone()


def test_spend_without_an_invoice_can_be_listed_on_its_own(window, demo_ctx):
    from zunyi_trainer.models import Attachment, EquipmentSpend

    page = window.pages["facilities"].spend
    with demo_ctx.register.session() as s:
        documented = set(s.scalars(sa.select(Attachment.spend_id).where(Attachment.spend_id.is_not(None))))
        undocumented = s.scalar(sa.select(sa.func.count(EquipmentSpend.id)).where(EquipmentSpend.id.not_in(documented)))
    combo = page.filters["documented"]
    combo.setCurrentIndex(combo.findData("缺失"))
    assert page.proxy.rowCount() == undocumented


def test_classes_can_be_filtered_by_year(window, demo_ctx):
    page = window.pages["classes"]
    with demo_ctx.register.session() as s:
        years = {c.start_date.year for c in s.scalars(sa.select(TrainingClass))}
        in_2026 = s.scalar(
            sa.select(sa.func.count(TrainingClass.id)).where(
                TrainingClass.start_date.between(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
            )
        )
    combo = page.filters["year"]
    assert {combo.itemData(i) for i in range(1, combo.count())} == {str(y) for y in years}
    combo.setCurrentIndex(combo.findData("2026"))
    assert page.proxy.rowCount() == in_2026


def test_no_english_is_left_in_the_chinese_window(window):
    """Buttons, tabs, headers, menus and group titles of every page and the class detail window are
    translated (a string missed by the catalogue would show in English)."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QTableView, QTabWidget

    allowed = {"Excel"}
    english = re.compile(r"[A-Za-z]{3,}")
    detail_id = window.pages["classes"].proxy.index(0, 0).data(ID_ROLE)
    detail = ClassDetailWindow.open_for(window.ctx, detail_id, window)
    texts: list[str] = []
    for root in (window, detail):
        texts += [b.text() for b in root.findChildren(QAbstractButton)]
        texts += [g.title() for g in root.findChildren(QGroupBox)]
        for tabs in root.findChildren(QTabWidget):
            texts += [tabs.tabText(i) for i in range(tabs.count())]
        for view in root.findChildren(QTableView):
            model = view.model()
            if model is not None:
                texts += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())]
    for menu_action in window.menuBar().actions():
        texts.append(menu_action.text())
        texts += [a.text() for a in menu_action.menu().actions()]
    leftovers = sorted({t for t in texts if set(english.findall(t)) - allowed})
    assert len(texts) > 150 and leftovers == []


def test_only_the_page_shown_is_built_when_the_window_opens(qtbot, demo_ctx):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    assert list(dict(window.pages)) == ["overview"], "the other pages wait until they are shown"
    window.show_page("classes")
    assert set(dict(window.pages)) == {"overview", "classes"}
    assert window.stack.currentWidget() is window.pages["classes"]
    assert window.pages["classes"].proxy.rowCount() > 0, "a page built on showing loads its rows"
    assert window.stack.count() == len(PAGE_KEYS)


def test_damage_found_by_the_background_check_is_said_at_once(qtbot, zh_app, data_dir, tmp_path, dialogs, monkeypatch):
    import os
    import sqlite3

    import zunyi_trainer.db as db
    from zunyi_trainer.db import open_register
    from zunyi_trainer.errors import RegisterDamaged

    monkeypatch.setattr(db, "SYNC_CHECK_MAX_BYTES", 0)  # the register counts as large
    path = data_dir / "register.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE filler (x BLOB)")
    con.executemany("INSERT INTO filler VALUES (randomblob(600))", [()] * 600)
    con.commit()
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'filler'").fetchone()[0]
    con.close()
    open_register(data_dir).close()  # checked, then closed cleanly
    st = path.stat()
    with open(path, "r+b") as fh:  # a page goes bad while the file's size and time stay
        fh.seek((root + 2) * page_size)
        fh.write(b"\xff" * page_size)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))

    register = open_register(data_dir)
    try:
        assert register.report.check_deferred, "opened without waiting for the check"
        window = MainWindow(gui_fixtures.make_ctx(register, tmp_path))
        qtbot.addWidget(window)
        window.show()
        dialogs.answers = [False]  # keep the window open for now
        window.check_register_in_background()
        assert "已损坏" in dialogs.questions[0] and "恢复" in dialogs.questions[0]
        assert window.damage_label.isVisible() and "损坏" in window.damage_label.text()
        window.close()
    finally:
        register.close()
    with pytest.raises(RegisterDamaged):  # the next start refuses the file and offers the backup
        open_register(data_dir)


def test_the_class_register_rows_say_what_the_records_hold(window, demo_ctx):
    """The class page reads its rows with plain SQL (it paints before the models are mapped): each
    row says what the class's record says, labels, dates and counts included."""
    from zunyi_trainer.models import TrainingClass

    rows = {row.id: row for row in window.pages["classes"].model.rows}
    with demo_ctx.register.session() as s:
        classes = s.scalars(sa.select(TrainingClass)).all()
        assert len(rows) == len(classes)
        for c in classes:
            values = rows[c.id].values
            expected = {
                "code": c.code,
                "name": c.name,
                "trade": c.trade.name,
                "industry": c.trade.industry.label,
                "level": c.level.label,
                "training_type": c.training_type.label,
                "mode": c.mode.label if c.mode else "",
                "funding": c.funding.label,
                "status": c.status.label,
                "start": c.start_date.isoformat(),
                "end": c.end_date.isoformat(),
                "year": str(c.start_date.year),
                "enrolled": str(sum(1 for e in c.enrollments if e.withdrawn_on is None)),
                "periods": str(sum(x.periods for x in c.sessions)),
                "venue": c.venue.name if c.venue else "",
                "approval_no": c.approval_no,
            }
            assert values == expected, c.code
