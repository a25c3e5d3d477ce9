"""The overview page (概览) on the demo school: its figures are computed through the task runner and
only once the page is shown, the tiles say what the core computed, the charts hold the plan's
industries and the recent weeks, and every alert opens the record it concerns."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PySide6.QtWidgets import QDialog

from tests import gui_fixtures
from zunyi_trainer.dashboard import load_dashboard
from zunyi_trainer.gui.class_detail import ClassDetailWindow
from zunyi_trainer.gui.overview_page import KIND_ROLE, RECORD_ROLE, OverviewPage
from zunyi_trainer.gui.tasks import TaskRunner
from zunyi_trainer.models import Institution, TrainingClass

zh_app, dialogs, demo_ctx, ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.demo_ctx, gui_fixtures.ctx


@pytest.fixture
def page(qtbot, demo_ctx):
    p = OverviewPage(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1108, 700)
    yield p
    for detail in list(ClassDetailWindow._open.values()):
        detail.close()


def shown(qtbot, page) -> None:
    """Show ``page`` and wait for its figures: they are computed once it is painted."""
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.show()


def _rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_nothing_is_computed_until_the_page_is_shown(qtbot, page):
    assert page.data is None and page.tiles["trainees"].value.text() == "—"
    shown(qtbot, page)
    assert page.data is not None


def test_the_figures_are_computed_off_the_ui_thread(qtbot, demo_ctx):
    """The figures and the alerts, two tasks of the runner started together; the page shows each
    part as it arrives, in either order, and a reload asked for meanwhile runs once the pass is in."""
    pool = gui_fixtures.HeldPool()
    demo_ctx.runner = TaskRunner(pool=pool, write_pool=gui_fixtures.HeldPool())
    p = OverviewPage(demo_ctx)
    qtbot.addWidget(p)
    p.show()
    # Not before the page is painted: the workers' Python would hold up the first paint.
    assert not pool.waiting and p.state_label.text() == "正在计算…"  # said at once, computed after the paint
    with demo_ctx.register.session() as s:
        assert p.heading.text().startswith(s.scalars(sa.select(Institution)).one().name)  # with the first paint
    qtbot.waitUntil(lambda: len(pool.waiting) == 2)
    assert p.data is None
    assert p.state_label.text() == "正在计算…"
    p.reload()  # asked again while it runs: one more pass afterwards, not more tasks at once
    assert len(pool.waiting) == 2
    figures, alerts = pool.waiting
    pool.waiting.clear()
    figures.run()
    assert p.data is not None and p.tiles["classes"].value.text() != "—"
    assert p.alerts.rowCount() == 0 and p.state_label.text() == "正在检查需要留意的事项…"
    assert not pool.waiting
    alerts.run()
    assert p.alerts.rowCount() > 0
    assert len(pool.waiting) == 2  # the pass asked for meanwhile
    figures, alerts = pool.waiting
    pool.waiting.clear()
    alerts.run()  # the alerts first this time: shown once the figures are in too
    assert p.state_label.text() == "正在计算…"
    with qtbot.waitSignal(p.loaded):
        figures.run()
    assert p.alerts.rowCount() > 0 and p.state_label.text().startswith("更新于")
    assert not pool.waiting


def test_the_tiles_show_the_cores_figures(qtbot, page, demo_ctx):
    shown(qtbot, page)
    with demo_ctx.register.session() as s:
        board = load_dashboard(s, today=page.data.today)
        school = s.scalars(sa.select(Institution)).one().name
        classes = s.scalar(sa.select(sa.func.count(TrainingClass.id)))
    t = board.tiles
    assert page.heading.text().startswith(school)
    assert page.tiles["trainees"].value.text() == str(t.trained_this_year)
    assert page.tiles["classes"].value.text() == str(classes)
    assert "开班中 2" in page.tiles["classes"].detail.text()
    assert page.tiles["attendance"].value.text() == f"{t.average_attendance * 100:.1f}%"
    assert page.tiles["subsidy"].value.text() == f"{t.subsidy_due_fen / 100:,.2f}"
    assert f"{t.subsidy_trainees} 人" in page.tiles["subsidy"].detail.text()


def test_the_charts_show_the_plans_industries_and_eight_weeks(qtbot, page):
    shown(qtbot, page)
    categories = page.industry_categories
    assert categories[-1].startswith("酱酒（目标 30,000")  # drawn bottom-up: the first industry last
    assert any(c.startswith("吉他（目标 2,000") for c in categories)
    assert "其他产业" in categories
    series = page.industry_chart.series()[0]
    values = {b.label(): [b.at(i) for i in range(b.count())] for b in series.barSets()}
    after = sum(f.after_plan for f in page.data.industries)
    assert sum(values.get("2026 年起", [0])) == after
    assert "120,000" in page.industry_caption.text()
    assert len(page.week_labels) == 8
    (rates,) = page.weeks_chart.series()[0].barSets()
    assert [round(rates.at(i), 1) for i in range(rates.count())] == [round((w.rate or 0) * 100, 1) for w in page.data.weeks]


def test_the_alerts_hold_the_demos_planted_findings(qtbot, page):
    shown(qtbot, page)
    rows = _rows(page.alerts)
    texts = ["　".join(r) for r in rows]
    assert page.lists.tabText(0) == f"需要留意 ({len(rows)})"
    welding = [t for t in texts if t.startswith("阻止") and "011" in t]
    assert any("没有选择培训方式" in t for t in welding)
    assert any("超过场地" in t for t in welding)
    assert any("没有安排授课教师" in t for t in welding)
    assert any(r[0] == "未获批" for r in rows)
    assert any(r[0] == "证书" for r in rows)
    assert any(r[0] == "出勤不足" for r in rows)
    assert rows[-1][0] == "数据报送"


def _row_of(page, kind: str, table: str | None = None) -> int:
    for r in range(page.alerts.rowCount()):
        item = page.alerts.item(r, 0)
        record = item.data(RECORD_ROLE)
        if item.data(KIND_ROLE) == kind and (table is None or (record and record[0] == table)):
            return r
    raise AssertionError(f"no {kind} alert on {table}")


def test_activating_an_alert_opens_the_record_it_concerns(qtbot, page, demo_ctx, monkeypatch):
    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(type(self).__name__) or 0)
    shown(qtbot, page)
    row = _row_of(page, "unapproved", "training_class")
    code = page.alerts.item(row, 1).text()
    page.alerts.setCurrentCell(row, 2)
    page.alerts.itemActivated.emit(page.alerts.item(row, 2))  # what a double-click or Enter sends
    with demo_ctx.register.session() as s:
        class_id = s.scalar(sa.select(TrainingClass.id).where(TrainingClass.code == code))
    window = ClassDetailWindow._open[(id(demo_ctx), class_id)]
    assert window.isVisible() and code in window.heading.text()

    assert page.open_alert(_row_of(page, "qualification", "teacher"))
    assert page.open_alert(_row_of(page, "finding", "venue"))  # the over-full welding class: its venue
    assert opened == ["TeacherDialog", "VenueDialog"]

    row = _row_of(page, "finding", "class_session")  # a session opens its class on the timetable
    assert page.open_alert(row)
    assert any(w.tabs.currentWidget().objectName() == "tab_timetable" for w in ClassDetailWindow._open.values())


def test_the_reporting_alert_opens_the_submission_page(qtbot, demo_ctx):
    from zunyi_trainer.gui.main_window import MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_page("overview")
    page = window.pages["overview"]
    qtbot.waitUntil(lambda: page.alerts.rowCount() > 0)
    assert page.open_alert(_row_of(page, "batch"))
    assert window.current_key() == "submission"


def test_a_change_reloads_the_page_when_visible_and_later_when_hidden(qtbot, page, demo_ctx):
    shown(qtbot, page)
    before = page.tiles["classes"].value.text()
    with demo_ctx.register.transaction() as s:
        s.delete(s.scalars(sa.select(TrainingClass).where(TrainingClass.code.like("%010"))).one())
    with qtbot.waitSignal(page.loaded):  # a burst of changes: one recomputation once they settle
        for _ in range(5):
            demo_ctx.changed("training_class")
    assert page.tiles["classes"].value.text() == str(int(before) - 1)
    page.hide()
    with demo_ctx.register.transaction() as s:
        s.delete(s.scalars(sa.select(TrainingClass).where(TrainingClass.code.like("%009"))).one())
    demo_ctx.changed("training_class")
    assert not page._reload_timer.isActive()  # hidden: not recomputed until shown
    assert page.tiles["classes"].value.text() == str(int(before) - 1)
    shown(qtbot, page)
    assert page.tiles["classes"].value.text() == str(int(before) - 2)


def test_an_empty_register_shows_zeros_and_asks_for_the_profile(qtbot, ctx):
    p = OverviewPage(ctx)
    qtbot.addWidget(p)
    shown(qtbot, p)
    assert p.tiles["trainees"].value.text() == "0"
    assert p.tiles["attendance"].value.text() == "—"
    assert p.alerts.rowCount() == 0
    assert "机构信息" in p.heading.text()


def test_the_page_renders_at_1280_by_800(qtbot, demo_ctx, tmp_path):
    from zunyi_trainer.gui.main_window import MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_page("overview")
    page = window.pages["overview"]
    qtbot.waitUntil(lambda: page.data is not None)
    qtbot.waitUntil(lambda: page.industry_view.height() > 200)  # the charts' layout settles after they are added
    assert page.weeks_view.height() > 200
    target = tmp_path / "overview.png"
    assert window.grab().save(str(target))
    assert page.alerts.viewport().height() > 120  # several alerts visible without scrolling the page
    for tile in page.tiles.values():
        assert tile.value.width() >= tile.value.sizeHint().width()  # figures are not cut off
