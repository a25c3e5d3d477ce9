"""概览: the school's register on one page — tiles, the school's trainees by industry against the
plan's targets, attendance over recent weeks, and the alerts that want attention, each opening
the record it concerns.

The figures come from the Qt-free :mod:`zunyi_trainer.dashboard`. They are read off the UI thread
and only once the page is first shown (a large register must not slow the start); a change in
the register marks the page stale and it reloads when it is next visible.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_mod
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import selectinload

from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.tasks import after_paint
from zunyi_trainer.reference import county_name
from zunyi_trainer.timeutil import LOCAL_TZ, today_local

log = logging.getLogger(__name__)

BLOCK_COLOUR = "#b3261e"
WARN_COLOUR = "#b06000"
RELOAD_DELAY_MS = 800  # after a change, wait this long for more before recomputing
RECORD_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class Tile(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("tile")
        self.setStyleSheet("#tile { background: #ffffff; border: 1px solid #d8dde6; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.title = QLabel(title, self)
        self.title.setStyleSheet("color: #5f6368;")
        self.value = QLabel("—", self)
        self.value.setObjectName("tileValue")
        self.value.setStyleSheet("font-size: 20pt; font-weight: 600; color: #1a73e8;")
        self.detail = QLabel("", self)
        self.detail.setObjectName("tileDetail")
        self.detail.setStyleSheet("color: #5f6368;")
        self.detail.setWordWrap(True)
        for w in (self.title, self.value, self.detail):
            layout.addWidget(w)
        layout.addStretch(1)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


# --- opening the record an alert concerns ---------------------------------------------------------


def open_record(ctx: AppContext, record: tuple[str, str] | None, parent: QWidget, *, kind: str = "") -> bool:
    """Open the record ``(table, uuid)`` where it is edited: a class in its window, a session in its
    class's timetable, a trainee, teacher, venue, equipment or spend in its form, a batch on the
    submission page. Returns whether something was opened."""
    from zunyi_trainer.gui import record_dialogs
    from zunyi_trainer.gui.class_detail import ClassDetailWindow
    from zunyi_trainer.models import (
        Base,
        ClassSession,
        Enrollment,
        Equipment,
        EquipmentSpend,
        Institution,
        Qualification,
        Teacher,
        TeacherAffiliation,
        TeacherTraining,
        Trainee,
        TrainingClass,
        Venue,
    )

    window = parent.window()
    if record is None or record[0] == "export_batch":
        if kind == "batch" and hasattr(window, "show_page"):
            window.show_page("submission")
            return True
        return False
    table, key = record
    mapper = next((m for m in Base.registry.mappers if m.local_table.name == table), None)
    if mapper is None or not hasattr(mapper.class_, "uuid"):
        return False
    model = mapper.class_
    try:
        wanted = uuid_mod.UUID(key)
    except ValueError:
        return False
    with ctx.register.session() as s:
        record_id = s.scalar(sa.select(model.id).where(model.uuid == wanted))
        if record_id is None:
            return False
        if model is Enrollment:
            model, record_id = Trainee, s.get(Enrollment, record_id).trainee_id
        elif model in (Qualification, TeacherAffiliation, TeacherTraining):
            model, record_id = Teacher, s.get(model, record_id).teacher_id
        session_id = None
        if model is ClassSession:
            session_id = record_id
            model, record_id = TrainingClass, s.get(ClassSession, record_id).class_id
    if model is TrainingClass:
        detail = ClassDetailWindow.open_for(ctx, record_id, window)
        timetable = detail.tabs.findChild(QWidget, "tab_timetable")
        if session_id is not None and timetable is not None:
            detail.tabs.setCurrentWidget(timetable)  # where the session is
        return True
    if model is Institution:
        record_dialogs.InstitutionDialog(ctx, parent).exec()
        return True
    dialogs: dict[type, Any] = {
        Trainee: record_dialogs.TraineeDialog,
        Teacher: record_dialogs.TeacherDialog,
        Venue: record_dialogs.VenueDialog,
        Equipment: record_dialogs.EquipmentDialog,
        EquipmentSpend: record_dialogs.SpendDialog,
    }
    dialog_class = dialogs.get(model)
    if dialog_class is None:
        return False
    dialog_class(ctx, record_id, parent).exec()
    return True


# --- the page -----------------------------------------------------------------------------------------


class OverviewPage(QWidget):
    page_key = "overview"
    loaded = Signal()  # the figures on show are fresh (tests wait for it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("page_overview")
        self.data = None  # the last dashboard.Dashboard shown
        self._stale = True
        self._loading = False
        self._again = False
        self._pending: set[str] = set()  # parts of the running pass still to arrive
        self._alerts: Any = ()
        self._charts_built = False

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel(self)
        self.heading.setObjectName("schoolHeading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        top.addWidget(self.heading, 1)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("overviewState")
        self.state_label.setStyleSheet("color: #5f6368;")
        top.addWidget(self.state_label)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("overviewRefresh")
        self.refresh_button.setToolTip(self.tr("Compute the figures again (F5)"))
        self.refresh_button.clicked.connect(self.reload)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        grid = QGridLayout()
        self.tiles = {
            "trainees": Tile(self.tr("Trainees trained this year"), self),
            "classes": Tile(self.tr("Classes"), self),
            "attendance": Tile(self.tr("Average attendance this year"), self),
            "subsidy": Tile(self.tr("Subsidy due this year"), self),
        }
        for i, (key, tile) in enumerate(self.tiles.items()):
            tile.setObjectName(f"tile_{key}")
            tile.setStyleSheet(f"#tile_{key} {{ background: #ffffff; border: 1px solid #d8dde6; border-radius: 6px; }}")
            grid.addWidget(tile, 0, i)
        layout.addLayout(grid)

        charts = QHBoxLayout()
        self.industry_box = QGroupBox(self.tr("Trainees by industry against the plan's 2023–2025 targets"), self)
        self.industry_box.setObjectName("industryBox")
        v = QVBoxLayout(self.industry_box)
        v.setContentsMargins(4, 4, 4, 4)
        self.industry_caption = QLabel(self.industry_box)
        self.industry_caption.setObjectName("industryCaption")
        self.industry_caption.setWordWrap(True)
        self.industry_caption.setStyleSheet("color: #5f6368;")
        v.addWidget(self.industry_caption)
        charts.addWidget(self.industry_box, 4)
        self.weeks_box = QGroupBox(self.tr("Attendance over the last 8 weeks"), self)
        self.weeks_box.setObjectName("weeksBox")
        QVBoxLayout(self.weeks_box).setContentsMargins(4, 4, 4, 4)
        charts.addWidget(self.weeks_box, 3)
        layout.addLayout(charts, 3)

        self.lists = QTabWidget(self)
        self.lists.setObjectName("overviewLists")
        self.alerts = _table([self.tr("What"), self.tr("Concerns"), self.tr("Details")], self.lists)
        self.alerts.setObjectName("alertsList")
        self.alerts.setWordWrap(False)
        self.alerts.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.alerts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.alerts.setToolTip(self.tr("Double-click or press Enter to open the record"))
        self.alerts.itemActivated.connect(lambda item: self.open_alert(item.row()))
        self.lists.addTab(self.alerts, self.tr("Needs attention"))
        self.upcoming = _table(
            [self.tr("Date"), self.tr("Time"), self.tr("Class"), self.tr("Teacher"), self.tr("Venue")], self.lists
        )
        self.upcoming.setObjectName("upcomingSessions")
        self.upcoming.itemActivated.connect(lambda item: self.open_upcoming(item.row()))
        self.lists.addTab(self.upcoming, self.tr("Sessions in the next 7 days"))
        layout.addWidget(self.lists, 2)
        # Enter on the alerts list opens the alert (itemActivated covers double-click and, on most
        # styles, Enter; the shortcut makes Enter work everywhere).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.alerts)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self.open_alert(self.alerts.currentRow()))
        # F5 is the main window's refresh, which reloads every page and this one with them.

        self.state_label.setText(self.tr("The figures are computed when this page is first shown."))
        # Changes come in bursts (a session marked in a class window, an import): recompute once
        # they settle, not once per change.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        ctx.records_changed.connect(self._changed)

    # -- loading

    def _changed(self, _table_name: str) -> None:
        self._stale = True
        if self.isVisible():
            self._reload_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._reload_timer.stop()
            # Start the workers once the page is painted: while they run Python, the UI thread waits
            # for Python's lock at every step of its first paint (≈ 0.15 s of a start on a large register).
            self._show_heading()
            self.state_label.setText(self.tr("Computing the figures…"))
            after_paint(self, self._reload_if_stale)

    def _reload_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Compute the figures and the alerts off the UI thread, on two workers at once (the
        database does most of the work and lets Python's lock go meanwhile), and show each part as
        it arrives."""
        if self._loading:
            self._again = True  # one more pass once the running one is in
            return
        self._loading = True
        self._stale = False
        self._pending = {"figures", "alerts"}
        self._alerts = ()
        self.state_label.setText(self.tr("Computing the figures…"))
        register = self.ctx.register
        today = today_local()

        def figures(task) -> tuple[Any, list[list[str]], list[int]]:
            from zunyi_trainer.dashboard import load_dashboard

            with register.session() as s:
                data = load_dashboard(s, today=today, progress=task.progress, with_alerts=False)
                upcoming, ids = self._upcoming_rows(s, data.today)
            return data, upcoming, ids

        def alerts(task):
            from zunyi_trainer.dashboard import load_alerts

            with register.session() as s:
                return load_alerts(s, today=today, progress=task.progress)

        self.ctx.runner.run(figures, on_done=self._show, on_error=self._failed, parent=self)
        self.ctx.runner.run(alerts, on_done=self._alerts_in, on_error=self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self._pending = set()  # the other part, when it arrives, is not shown as a finished pass
        self._loading = False
        log.error("the overview could not be computed", exc_info=(type(exc), exc, exc.__traceback__))
        from zunyi_trainer.gui import messages

        self.state_label.setText(messages.error_sentence(exc))

    def _arrived(self, part: str) -> bool | None:
        """Note that ``part`` of the running pass is in: True when it was the last, None when the
        pass already ended (the other part failed)."""
        if part not in self._pending:
            return None
        self._pending.discard(part)
        return not self._pending

    def _alerts_in(self, found) -> None:
        self._alerts = found
        if self._arrived("alerts"):
            self._show_alerts_done(found)

    @staticmethod
    def _upcoming_rows(s, today: dt.date) -> tuple[list[list[str]], list[int]]:
        from zunyi_trainer.models import ClassSession

        sessions = s.scalars(
            sa.select(ClassSession)
            .where(ClassSession.date >= today, ClassSession.date <= today + dt.timedelta(days=7))
            .options(
                selectinload(ClassSession.training_class),
                selectinload(ClassSession.teacher),
                selectinload(ClassSession.venue),
            )
            .order_by(ClassSession.date, ClassSession.start_time)
            .limit(200)
        ).all()
        rows = [
            [
                x.date.isoformat(),
                f"{x.start_time:%H:%M}–{x.end_time:%H:%M}",
                f"{x.training_class.code} {x.training_class.name}",
                x.teacher.name if x.teacher else "",
                x.venue.name if x.venue else "",
            ]
            for x in sessions
        ]
        return rows, [x.class_id for x in sessions]

    def _show(self, result: tuple[Any, list[list[str]], list[int]]) -> None:
        data, upcoming, class_ids = result
        self.data = data
        self._show_heading()
        self._show_tiles(data)
        self._show_charts(data)
        _fill(self.upcoming, upcoming)
        for r, class_id in enumerate(class_ids):
            self.upcoming.item(r, 0).setData(RECORD_ROLE, class_id)
        self.upcoming.resizeColumnsToContents()
        last = self._arrived("figures")
        if last:
            self._show_alerts_done(self._alerts)
        elif last is not None:
            self.state_label.setText(self.tr("Checking what needs attention…"))

    def _show_alerts_done(self, found) -> None:
        import dataclasses

        self._loading = False
        self.data = dataclasses.replace(self.data, alerts=found)
        self._show_alerts(self.data)
        self.state_label.setText(self.tr("As of %1").replace("%1", dt.datetime.now(LOCAL_TZ).strftime("%H:%M")))
        if self._again:
            self._again = False
            self.reload()
            return
        self.loaded.emit()

    def _show_heading(self) -> None:
        # Plain SQL: the heading is shown with the first paint, before the models are mapped.
        with self.ctx.register.engine.connect() as conn:
            inst = conn.execute(sa.text("SELECT name, county, license_no FROM institution ORDER BY id LIMIT 1")).first()
        if inst is None:
            self.heading.setText(self.tr("No institution yet: fill in the institution profile under Settings."))
        else:
            self.heading.setText(f"{inst.name}　{county_name(inst.county)}　{inst.license_no}")

    def _show_tiles(self, data) -> None:
        from zunyi_trainer.gui.records import fen_to_yuan  # the models: not before the first paint

        t = data.tiles
        self.tiles["trainees"].set(
            str(t.trained_this_year),
            self.tr("in classes running or ended in %1; %2 trainees in the register")
            .replace("%1", str(data.today.year))
            .replace("%2", str(t.trainees_in_register)),
        )
        self.tiles["classes"].set(
            str(t.classes_total),
            "　".join(f"{st.label} {n}" for st, n in t.classes_by_status.items()),
        )
        self.tiles["attendance"].set(
            _pct(t.average_attendance),
            self.tr("%1 of %2 periods attended (by hours)")
            .replace("%1", f"{t.attended_periods:,.0f}")
            .replace("%2", f"{t.counted_periods:,}"),
        )
        self.tiles["subsidy"].set(
            fen_to_yuan(t.subsidy_due_fen),
            self.tr("yuan for %1 eligible trainees in %2 completed subsidised classes")
            .replace("%1", str(t.subsidy_trainees))
            .replace("%2", str(t.subsidy_classes)),
        )

    # -- charts

    def _build_charts(self) -> None:
        from PySide6.QtCharts import QChart, QChartView

        self.industry_chart = QChart()
        self.industry_chart.setObjectName("industryChart")
        self.industry_view = QChartView(self.industry_chart, self.industry_box)
        self.industry_view.setObjectName("industryChartView")
        self.industry_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.industry_box.layout().insertWidget(0, self.industry_view, 1)
        self.weeks_chart = QChart()
        self.weeks_chart.setObjectName("weeksChart")
        self.weeks_view = QChartView(self.weeks_chart, self.weeks_box)
        self.weeks_view.setObjectName("weeksChartView")
        self.weeks_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.weeks_box.layout().addWidget(self.weeks_view)
        for chart in (self.industry_chart, self.weeks_chart):
            chart.setMargins(QMargins(2, 2, 2, 2))
            chart.setBackgroundRoundness(0)
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._charts_built = True

    @staticmethod
    def _reset(chart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def _show_charts(self, data) -> None:
        from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QBarSeries, QBarSet, QHorizontalBarSeries, QValueAxis

        if not self._charts_built:
            self._build_charts()
        # By industry: the school's 人次 in the plan's period and after it, against each target.
        chart = self.industry_chart
        self._reset(chart)
        figures = list(reversed(data.industries))  # horizontal bars are drawn bottom-up
        during = QBarSet(self.tr("2023–2025 (plan period)"))
        during.setColor(QColor("#1a73e8"))
        after = QBarSet(self.tr("From 2026"))
        after.setColor(QColor("#9aa0a6"))
        categories = []
        for f in figures:
            during.append(f.in_plan_period)
            after.append(f.after_plan)
            name = f.industry.label if f.industry is not None else self.tr("Other industries")
            if f.target:
                categories.append(
                    self.tr("%1 (target %2, %3)")
                    .replace("%1", name)
                    .replace("%2", f"{f.target:,}")
                    .replace("%3", f"{(f.share_of_target or 0) * 100:.2f}%")
                )
            else:
                categories.append(name)
            while categories.count(categories[-1]) > 1:  # a category axis needs distinct names
                categories[-1] += " "
        series = QHorizontalBarSeries()
        series.append(during)
        if any(f.after_plan for f in figures):
            series.append(after)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(categories)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = QValueAxis()
        top = max([f.in_plan_period for f in figures] + [f.after_plan for f in figures] + [1])
        axis_x.setRange(0, top * 1.15)
        axis_x.setLabelFormat("%d")
        axis_x.setTickCount(5)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        self.industry_categories = categories
        total_during = sum(f.in_plan_period for f in data.industries)
        total_after = sum(f.after_plan for f in data.industries)
        self.industry_caption.setText(
            self.tr(
                "The school's contribution: %1 trainee places in 2023–2025, %2 of the city's target of %3; "
                "%4 since 2026. Counted: trainees not withdrawn from classes that took place."
            )
            .replace("%1", f"{total_during:,}")
            .replace("%2", f"{total_during / data.plan_total_target * 100:.2f}%")
            .replace("%3", f"{data.plan_total_target:,}")
            .replace("%4", f"{total_after:,}")
        )

        # Attendance by week: bars of the rate by hours, 0–100 %.
        chart = self.weeks_chart
        self._reset(chart)
        rate = QBarSet(self.tr("Attendance %"))
        rate.setColor(QColor("#188038"))
        weeks = []
        for w in data.weeks:
            rate.append(round((w.rate or 0) * 100, 1))
            label = f"{w.monday.month}/{w.monday.day}"
            weeks.append(label)  # a week without classes simply has no bar
        series = QBarSeries()
        series.append(rate)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideEnd)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(weeks)
        small = axis_x.labelsFont()
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        axis_x.setLabelsFont(small)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setTickCount(6)
        axis_y.setLabelFormat("%d%%")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setVisible(False)
        self.week_labels = weeks

    # -- alerts

    def kind_labels(self) -> dict[str, str]:
        return {
            "finding": self.tr("Blocks"),
            "unapproved": self.tr("Not approved"),
            "qualification": self.tr("Certificate"),
            "low_attendance": self.tr("Attendance low"),
            "batch": self.tr("Reporting"),
        }

    def _show_alerts(self, data) -> None:
        labels = self.kind_labels()
        alerts = data.alerts
        self.alerts.setRowCount(len(alerts))
        for r, a in enumerate(alerts):
            what = QTableWidgetItem(labels.get(a.kind, a.kind))
            what.setData(RECORD_ROLE, a.record)
            what.setData(KIND_ROLE, a.kind)
            what.setForeground(QColor(BLOCK_COLOUR if a.blocks else WARN_COLOUR))
            self.alerts.setItem(r, 0, what)
            self.alerts.setItem(r, 1, QTableWidgetItem(a.subject))
            detail = QTableWidgetItem(a.message)
            detail.setToolTip(a.message)
            self.alerts.setItem(r, 2, detail)
        self.alerts.resizeColumnToContents(0)
        self.alerts.resizeColumnToContents(1)
        blocking = sum(1 for a in alerts if a.blocks)
        title = self.tr("Needs attention")
        if alerts:
            title += f" ({len(alerts)})"
        self.lists.setTabText(0, title)
        self.lists.tabBar().setTabTextColor(0, QColor(BLOCK_COLOUR) if blocking else QColor("#202124"))

    def open_alert(self, row: int) -> bool:
        """Open the record the alert in ``row`` concerns."""
        item = self.alerts.item(row, 0) if row >= 0 else None
        if item is None:
            return False
        return open_record(self.ctx, item.data(RECORD_ROLE), self, kind=item.data(KIND_ROLE) or "")

    def open_upcoming(self, row: int) -> bool:
        item = self.upcoming.item(row, 0) if row >= 0 else None
        if item is None or item.data(RECORD_ROLE) is None:
            return False
        from zunyi_trainer.gui.class_detail import ClassDetailWindow

        ClassDetailWindow.open_for(self.ctx, int(item.data(RECORD_ROLE)), self.window())
        return True
