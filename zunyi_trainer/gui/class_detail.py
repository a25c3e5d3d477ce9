"""One window per class, with its tabs: basic information, timetable, trainees, attendance
(summary), results and certificates, archive attachments, rule checks, and the lifecycle actions
enabled only when the class's state allows them."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import uuid as uuid_mod
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import selectinload

from zunyi_trainer import idcard
from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.gui import messages, records
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.form_dialog import FormDialog, combo_value, fill_choices, fill_enum, to_qdate, wait_for_write_message
from zunyi_trainer.gui.forms.decision_dialog_ui import Ui_DecisionDialog
from zunyi_trainer.gui.forms.result_dialog_ui import Ui_ResultDialog
from zunyi_trainer.gui.forms.session_dialog_ui import Ui_SessionDialog
from zunyi_trainer.gui.table_models import trainee_query
from zunyi_trainer.models import (
    Attachment,
    AttachmentKind,
    CertificateType,
    ClassSession,
    ClassStatus,
    Enrollment,
    EnrollmentResult,
    SessionKind,
    Teacher,
    Trainee,
    TrainingClass,
    Venue,
)
from zunyi_trainer.reference import county_name
from zunyi_trainer.timeutil import format_local, today_local

log = logging.getLogger(__name__)

# Which lifecycle action each state allows (the core refuses anything else with its reasons).
ACTIONS_BY_STATUS = {
    "submit": (ClassStatus.DRAFT,),
    "decision": (ClassStatus.SUBMITTED,),
    "start": (ClassStatus.APPROVED,),
    "complete": (ClassStatus.IN_PROGRESS,),
    "archive": (ClassStatus.COMPLETED,),
    "reopen": (ClassStatus.REJECTED, ClassStatus.SUBMITTED),
}


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[Any, list[str]]], colours: list[QColor | None] | None = None) -> None:
    """Rows of (record id, cells); the id is kept on the first cell."""
    table.setRowCount(len(rows))
    for r, (record_id, cells) in enumerate(rows):
        for c, value in enumerate(cells):
            item = QTableWidgetItem(value)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, record_id)
            if colours and colours[r] is not None:
                item.setForeground(colours[r])
            table.setItem(r, c, item)


def _selected_id(table: QTableWidget) -> Any:
    row = table.currentRow()
    if row < 0 or table.item(row, 0) is None:
        return None
    return table.item(row, 0).data(Qt.ItemDataRole.UserRole)


# --- small dialogs ----------------------------------------------------------------------------


class SessionDialog(FormDialog):
    ui_class = Ui_SessionDialog
    table = "class_session"
    fields = ("date", "start_time", "end_time", "periods", "kind", "topic", "teacher_id", "venue_id", "notes")

    def __init__(self, ctx: AppContext, class_id: int, session_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.class_id, self.session_id = class_id, session_id
        fill_enum(self.ui.kind, SessionKind)
        self.ui.periods.setMinimum(1)
        with ctx.register.session() as s:
            fill_choices(
                self.ui.teacher_id, [(t.name, t.id) for t in s.scalars(sa.select(Teacher).order_by(Teacher.name))], optional=True
            )
            fill_choices(
                self.ui.venue_id, [(v.name, v.id) for v in s.scalars(sa.select(Venue).order_by(Venue.name))], optional=True
            )
            if session_id is not None:
                x = s.get(ClassSession, session_id)
                self.set_values({f: getattr(x, f) for f in self.fields})
            else:
                c = s.get(TrainingClass, class_id)
                self.set_values(
                    {
                        "date": c.start_date,
                        "start_time": dt.time(8, 30),
                        "end_time": dt.time(11, 30),
                        "periods": 4,
                        "kind": SessionKind.THEORY,
                        "venue_id": c.venue_id,
                        "teacher_id": c.head_teacher_id,
                    }
                )
        self.mark_clean()

    def commit(self, session, values):
        from zunyi_trainer import timetable

        if self.session_id is None:
            c = session.get(TrainingClass, self.class_id)
            x = ClassSession(
                date=values["date"], start_time=values["start_time"], end_time=values["end_time"], periods=1, kind=values["kind"]
            )
            c.sessions.append(x)
            session.flush()
        else:
            x = session.get(ClassSession, self.session_id)
        return timetable.edit_session(session, x, **{k: v for k, v in values.items() if k in timetable.EDITABLE})


class DecisionDialog(FormDialog):
    ui_class = Ui_DecisionDialog
    table = "training_class"
    fields = ("decision", "approval_no", "decided_on", "approver", "remarks")

    def __init__(self, ctx: AppContext, class_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.class_id = class_id
        fill_choices(self.ui.decision, [(self.tr("Approved"), "approved"), (self.tr("Rejected"), "rejected")])
        self.ui.decided_on.setDate(to_qdate(today_local()))
        with ctx.register.session() as s:
            from zunyi_trainer.models import Institution

            inst = s.scalars(sa.select(Institution)).first()
            if inst is not None:
                self.ui.approver.setText(county_name(inst.county) + "人力资源和社会保障局")
        self.mark_clean()

    def commit(self, session, values):
        from zunyi_trainer import lifecycle

        c = session.get(TrainingClass, self.class_id)
        approving = values["decision"] == "approved"
        lifecycle.record_decision(
            session,
            c,
            values["decision"],
            approval_no=values["approval_no"],
            decided_on=values["decided_on"],
            approver=values["approver"],
            remarks=values["remarks"] if approving else "",
            reason="" if approving else values["remarks"],
        )
        return c


class ResultDialog(FormDialog):
    ui_class = Ui_ResultDialog
    table = "enrollment"
    optional_dates = ("exam_date", "certificate_issued_on")
    fields = ("result", "score", "exam_date", "certificate_type", "certificate_no", "certificate_issued_on")

    def __init__(self, ctx: AppContext, enrollment_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.enrollment_id = enrollment_id
        fill_enum(self.ui.result, EnrollmentResult)
        fill_enum(self.ui.certificate_type, CertificateType, optional=True)
        with ctx.register.session() as s:
            e = s.get(Enrollment, enrollment_id)
            self.setWindowTitle(self.tr("Assessment and certificate") + f" — {e.trainee.name}")
            self.set_values({f: getattr(e, f) for f in self.fields})
        self.mark_clean()

    def commit(self, session, values):
        from zunyi_trainer.errors import ValidationError

        e = session.get(Enrollment, self.enrollment_id)
        if values["certificate_no"].strip() and values["certificate_type"] is None:
            raise ValidationError(
                "填写证书编号时请选择证书类型。", "Choose the certificate type for the number.", field="certificate_type"
            )
        e.result = values["result"]
        e.score = values["score"] if values["score"] else None
        e.exam_date = values["exam_date"]
        e.certificate_type = values["certificate_type"]
        e.certificate_no = values["certificate_no"].strip()
        e.certificate_issued_on = values["certificate_issued_on"]
        session.flush()
        return e


class TraineePicker(QDialog):
    """Choose existing trainees to enrol: a search over the register, the first 200 matches."""

    def __init__(self, ctx: AppContext, exclude: set[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.exclude = ctx, exclude
        self.setWindowTitle(self.tr("Enrol trainees"))
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText(self.tr("Name, ID number or phone…"))
        layout.addWidget(self.search)
        self.list = QListWidget(self)
        self.list.setObjectName("pickerList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Like the trainee register: wait for a pause in typing, search on a worker, drop stale results.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self._generation = 0
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, needle, engine = self._generation, self.search.text(), self.ctx.register.engine

        def find(_task) -> list:
            with engine.connect() as conn:
                return list(conn.execute(trainee_query(needle).order_by(Trainee.name).limit(200)))

        def show(rows) -> None:
            if generation != self._generation:
                return
            self.list.clear()
            for row in rows:
                if row.id in self.exclude:
                    continue
                item = QListWidgetItem(f"{row.name}　{idcard.mask(row.id_number)}　{row.phone}", self.list)
                item.setData(Qt.ItemDataRole.UserRole, row.id)

        self.ctx.runner.run(find, on_done=show, parent=self)

    def chosen(self) -> list[int]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]


class TimetablePatternDialog(QDialog):
    """The timetable builder: a weekly pattern, a preview of the sessions it makes, generate."""

    def __init__(self, ctx: AppContext, class_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from zunyi_trainer import timetable
        from zunyi_trainer.gui.form_dialog import from_qdate

        self.ctx, self.class_id, self.timetable, self.from_qdate = ctx, class_id, timetable, from_qdate
        self.setWindowTitle(self.tr("Build the timetable"))
        self.resize(760, 600)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        from PySide6.QtWidgets import QComboBox, QDateEdit, QSpinBox

        self.start = QDateEdit(self)
        self.end = QDateEdit(self)
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.weekdays: list[QCheckBox] = []
        days = QHBoxLayout()
        for i, name in enumerate(
            (self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"), self.tr("Sun"))
        ):
            box = QCheckBox(name, self)
            box.setChecked(i < 5)
            self.weekdays.append(box)
            days.addWidget(box)
        self.slots: dict[str, QCheckBox] = {}
        slots = QHBoxLayout()
        for name in timetable.SLOTS:
            box = QCheckBox(
                f"{timetable.slot_label(name)} {timetable.SLOTS[name].start:%H:%M}–{timetable.SLOTS[name].end:%H:%M}", self
            )
            box.setChecked(name in ("morning", "afternoon"))
            self.slots[name] = box
            slots.addWidget(box)
        self.kind = QComboBox(self)
        fill_enum(self.kind, SessionKind)
        self.teacher = QComboBox(self)
        self.venue = QComboBox(self)
        self.max_periods = QSpinBox(self)
        self.max_periods.setRange(0, 2000)
        self.max_periods.setSpecialValueText(self.tr("no limit"))
        self.topic = QLineEdit(self)
        with ctx.register.session() as s:
            c = s.get(TrainingClass, class_id)
            self.start.setDate(to_qdate(c.start_date))
            self.end.setDate(to_qdate(c.end_date))
            fill_choices(
                self.teacher,
                [(t.name, t.id) for t in s.scalars(sa.select(Teacher).where(Teacher.active).order_by(Teacher.name))],
                optional=True,
            )
            fill_choices(self.venue, [(v.name, v.id) for v in s.scalars(sa.select(Venue).order_by(Venue.name))], optional=True)
            from zunyi_trainer.gui.form_dialog import set_combo_value

            set_combo_value(self.teacher, c.head_teacher_id)
            set_combo_value(self.venue, c.venue_id)
        form.addRow(self.tr("From:"), self.start)
        form.addRow(self.tr("Until:"), self.end)
        form.addRow(self.tr("Weekdays:"), days)
        form.addRow(self.tr("Slots:"), slots)
        form.addRow(self.tr("Theory or practice:"), self.kind)
        form.addRow(self.tr("Teacher:"), self.teacher)
        form.addRow(self.tr("Venue:"), self.venue)
        form.addRow(self.tr("Stop after periods:"), self.max_periods)
        form.addRow(self.tr("Topic:"), self.topic)
        layout.addLayout(form)
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.clicked.connect(self.preview)
        layout.addWidget(self.preview_button)
        self.preview_table = _table([self.tr("Date"), self.tr("Time"), self.tr("Periods"), self.tr("Kind")], self)
        layout.addWidget(self.preview_table, 1)
        self.totals = QLabel(self)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        layout.addWidget(self.totals)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.generate_button = buttons.addButton(self.tr("Generate sessions"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.generate)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.added = 0

    def pattern(self):
        t = self.timetable
        return t.Pattern(
            start_date=self.from_qdate(self.start.date()),
            end_date=self.from_qdate(self.end.date()),
            slots=tuple(t.SLOTS[name] for name, box in self.slots.items() if box.isChecked()),
            weekdays=frozenset(i for i, box in enumerate(self.weekdays) if box.isChecked()),
            kind=combo_value(self.kind),
            teacher_id=self.teacher.currentData(),
            venue_id=self.venue.currentData(),
            topic=self.topic.text().strip(),
            max_periods=self.max_periods.value() or None,
        )

    def _settings(self, s):
        from zunyi_trainer.settings import load_settings

        return load_settings(s)

    def preview(self) -> bool:
        self.error.setText("")
        try:
            with self.ctx.register.session() as s:
                planned = self.timetable.plan_sessions(self.pattern(), self._settings(s))
                totals = self.timetable.totals(planned, self._settings(s))
        except ZunyiError as exc:
            self.error.setText(exc.message())
            return False
        _fill(
            self.preview_table,
            [
                (None, [p.date.isoformat(), f"{p.start_time:%H:%M}–{p.end_time:%H:%M}", str(p.periods), p.kind.label])
                for p in planned
            ],
        )
        self.totals.setText(
            self.tr("%1 sessions, %2 periods (theory %3, practice %4)")
            .replace("%1", str(totals.sessions))
            .replace("%2", str(totals.total_periods))
            .replace("%3", str(totals.theory_periods))
            .replace("%4", str(totals.practice_periods))
        )
        return True

    def generate(self) -> None:
        if not self.preview():
            return
        try:
            with self.ctx.register.transaction() as s:
                c = s.get(TrainingClass, self.class_id)
                self.added = len(self.timetable.build_sessions(s, c, self.pattern(), self._settings(s)))
        except ZunyiError as exc:
            self.error.setText(exc.message())
            return
        except Exception as exc:
            messages.show_error(self, exc)
            return
        self.ctx.changed("class_session")
        self.accept()


# --- the window -------------------------------------------------------------------------------


class ClassDetailWindow(QMainWindow):
    _open: dict[tuple[int, int], ClassDetailWindow] = {}  # noqa: RUF012 - one window per class and register

    @classmethod
    def open_for(cls, ctx: AppContext, class_id: int, parent: QWidget | None = None) -> ClassDetailWindow:
        window = cls._open.get((id(ctx), class_id))
        if window is None:
            window = cls(ctx, class_id, parent)
            cls._open[(id(ctx), class_id)] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def __init__(self, ctx: AppContext, class_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx, self.class_id = ctx, class_id
        self.setObjectName("classDetail")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.resize(1200, 780)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.heading = QLabel(central)
        self.heading.setObjectName("classHeading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: 600;")
        layout.addWidget(self.heading)
        actions = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for key, label in (
            ("submit", self.tr("Submit for approval")),
            ("decision", self.tr("Record the decision…")),
            ("start", self.tr("Start the class")),
            ("complete", self.tr("Complete")),
            ("archive", self.tr("Archive")),
            ("reopen", self.tr("Back to draft")),
        ):
            button = QPushButton(label, central)
            button.setObjectName(f"action_{key}")
            button.clicked.connect(lambda _=False, k=key: self.run_action(k))
            self.action_buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        self._add_documents_menu(central, actions)
        layout.addLayout(actions)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("classTabs")
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_basic()
        self._build_timetable()
        self._build_trainees()
        self._build_attendance()
        self._build_results()
        self._build_attachments()
        self._build_checks()
        ctx.records_changed.connect(self._changed)
        self.reload()

    def _add_documents_menu(self, parent: QWidget, row: QHBoxLayout) -> None:
        """文书: application, sign-in sheets, archive PDF, archive package (gui/document_actions.py)."""
        from zunyi_trainer.gui.document_actions import ClassDocuments

        self.documents = ClassDocuments(self.ctx, self.class_id, self, selected_session=lambda: _selected_id(self.sessions))
        menu = self.documents.menu()
        self.addActions(menu.actions())  # their shortcuts work anywhere in the window
        button = QPushButton(self.tr("Documents"), parent)
        button.setObjectName("documentsButton")
        button.setMenu(menu)
        row.addWidget(button)

    def _tab(self, key: str, title: str) -> QWidget:
        page = QWidget(self.tabs)
        page.setObjectName(f"tab_{key}")
        self.tabs.addTab(page, title)
        return page

    # -- tabs

    def _build_basic(self) -> None:
        page = self._tab("basic", self.tr("Basic information"))
        layout = QVBoxLayout(page)
        self.info = QFormLayout()
        layout.addLayout(self.info)
        self.edit_button = QPushButton(self.tr("Edit…"), page)
        self.edit_button.setObjectName("editClass")
        self.edit_button.clicked.connect(self.edit_class)
        row = QHBoxLayout()
        row.addWidget(self.edit_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.change_note = QLabel(page)
        self.change_note.setWordWrap(True)
        self.change_note.setStyleSheet("color: #b06000;")
        layout.addWidget(self.change_note)
        layout.addStretch(1)

    def _build_timetable(self) -> None:
        page = self._tab("timetable", self.tr("Timetable"))
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.build_button = QPushButton(self.tr("Build from a pattern…"), page)
        self.build_button.setObjectName("buildTimetable")
        self.build_button.clicked.connect(self.build_timetable)
        self.add_session_button = QPushButton(self.tr("Add a session…"), page)
        self.add_session_button.clicked.connect(lambda: self.edit_session(None))
        self.edit_session_button = QPushButton(self.tr("Edit"), page)
        self.edit_session_button.clicked.connect(self.edit_selected_session)
        self.remove_session_button = QPushButton(self.tr("Remove"), page)
        self.remove_session_button.clicked.connect(self.remove_session)
        for w in (self.build_button, self.add_session_button, self.edit_session_button, self.remove_session_button):
            row.addWidget(w)
        row.addStretch(1)
        self.totals_label = QLabel(page)
        self.totals_label.setObjectName("timetableTotals")
        row.addWidget(self.totals_label)
        layout.addLayout(row)
        self.sessions = _table(
            [
                self.tr("Date"),
                self.tr("Time"),
                self.tr("Periods"),
                self.tr("Kind"),
                self.tr("Topic"),
                self.tr("Teacher"),
                self.tr("Venue"),
            ],
            page,
        )
        self.sessions.setObjectName("sessionsTable")
        self.sessions.doubleClicked.connect(lambda _i: self.edit_selected_session())
        layout.addWidget(self.sessions)

    def _build_trainees(self) -> None:
        page = self._tab("trainees", self.tr("Trainees"))
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.enrol_button = QPushButton(self.tr("Enrol existing trainees…"), page)
        self.enrol_button.setObjectName("enrolButton")
        self.enrol_button.clicked.connect(self.enrol)
        self.import_button = QPushButton(self.tr("Import a roster…"), page)
        self.import_button.setObjectName("importRoster")
        self.import_button.clicked.connect(lambda: self.import_roster())
        self.import_button.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_button.setToolTip("Ctrl+Shift+I")
        self.withdraw_button = QPushButton(self.tr("Withdraw…"), page)
        self.withdraw_button.setObjectName("withdrawButton")
        self.withdraw_button.clicked.connect(self.withdraw)
        for w in (self.enrol_button, self.import_button, self.withdraw_button):
            row.addWidget(w)
        row.addStretch(1)
        self.enrolled_label = QLabel(page)
        row.addWidget(self.enrolled_label)
        layout.addLayout(row)
        self.enrolments = _table(
            [
                self.tr("Full name"),
                self.tr("ID number"),
                self.tr("Sex"),
                self.tr("Phone"),
                self.tr("Key group"),
                self.tr("Enrolled"),
                self.tr("Subsidised"),
                self.tr("Withdrawn"),
            ],
            page,
        )
        self.enrolments.setObjectName("enrolmentsTable")
        layout.addWidget(self.enrolments, 2)
        self.import_report = QTableWidget(0, 4, page)
        self.import_report.setObjectName("importReport")
        self.import_report.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Problem")])
        self.import_report.horizontalHeader().setStretchLastSection(True)
        self.import_report.verticalHeader().setVisible(False)
        self.import_report.setVisible(False)
        self.import_summary = QLabel(page)
        self.import_summary.setObjectName("importSummary")
        self.import_summary.setWordWrap(True)
        layout.addWidget(self.import_summary)
        layout.addWidget(self.import_report, 1)

    def _build_attendance(self) -> None:
        from zunyi_trainer.gui.attendance_grid import AttendanceGrid

        page = self._tab("attendance", self.tr("Attendance"))
        layout = QVBoxLayout(page)
        self.attendance_grid = AttendanceGrid(self.ctx, self.class_id, page)
        layout.addWidget(self.attendance_grid)

    def _build_results(self) -> None:
        page = self._tab("results", self.tr("Assessment and certificates"))
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.result_button = QPushButton(self.tr("Record result…"), page)
        self.result_button.setObjectName("recordResult")
        self.result_button.clicked.connect(lambda: self.edit_result(_selected_id(self.results)))
        row.addWidget(self.result_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.results = _table(
            [
                self.tr("Full name"),
                self.tr("Result"),
                self.tr("Score"),
                self.tr("Exam date"),
                self.tr("Certificate"),
                self.tr("Certificate no."),
                self.tr("Issued on"),
                self.tr("Subsidy (yuan)"),
            ],
            page,
        )
        self.results.setObjectName("resultsTable")
        self.results.doubleClicked.connect(lambda _i: self.edit_result(_selected_id(self.results)))
        layout.addWidget(self.results)

    def _build_attachments(self) -> None:
        page = self._tab("attachments", self.tr("Archive files"))
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.add_file_button = QPushButton(self.tr("Add photos, scans, audio or video…"), page)
        self.add_file_button.setObjectName("addFiles")
        self.add_file_button.clicked.connect(lambda: self.add_files())
        self.open_file_button = QPushButton(self.tr("Open"), page)
        self.open_file_button.clicked.connect(self.open_file)
        row.addWidget(self.add_file_button)
        row.addWidget(self.open_file_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.files = QListWidget(page)
        self.files.setObjectName("attachmentsList")
        self.files.setViewMode(QListWidget.ViewMode.IconMode)
        self.files.setIconSize(QSize(128, 96))
        self.files.setGridSize(QSize(190, 150))
        self.files.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.files.setWordWrap(True)
        self.files.itemDoubleClicked.connect(lambda _i: self.open_file())
        layout.addWidget(self.files)

    def _build_checks(self) -> None:
        page = self._tab("checks", self.tr("Checks"))
        layout = QVBoxLayout(page)
        self.checks_label = QLabel(page)
        self.checks_label.setWordWrap(True)
        layout.addWidget(self.checks_label)
        self.checks = _table([self.tr("Severity"), self.tr("Finding"), self.tr("Code")], page)
        self.checks.setObjectName("checksTable")
        self.checks.setWordWrap(False)
        self.checks.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.checks.horizontalHeader().setStretchLastSection(False)
        self.checks.doubleClicked.connect(lambda _i: self.open_finding(_selected_id(self.checks)))
        layout.addWidget(self.checks)
        hint = QLabel(self.tr("Double-click a finding to open the record it is about."), page)
        hint.setStyleSheet("color: #5f6368;")
        layout.addWidget(hint)

    # -- loading

    def _changed(self, table: str) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        with self.ctx.register.session() as s:
            c = s.get(
                TrainingClass,
                self.class_id,
                options=[
                    selectinload(TrainingClass.sessions).selectinload(ClassSession.teacher),
                    selectinload(TrainingClass.sessions).selectinload(ClassSession.venue),
                    selectinload(TrainingClass.enrollments).selectinload(Enrollment.trainee),
                ],
            )
            if c is None:
                self.close()
                return
            self.setWindowTitle(f"{c.code} {c.name}")
            self.heading.setText(f"{c.code}　{c.name}　[{c.status.label}]")
            self._load_basic(s, c)
            self._load_timetable(s, c)
            self._load_trainees(c)
            self._load_attendance(s, c)
            self._load_results(c)
            self._load_attachments(s, c)
            self._load_checks(s, c)
            status = c.status
        for key, refusal in self.action_refusals(status).items():
            button = self.action_buttons[key]
            button.setEnabled(refusal is None)
            button.setToolTip(refusal or "")
        open_for_changes = status not in (ClassStatus.COMPLETED, ClassStatus.ARCHIVED)
        for w in (self.build_button, self.add_session_button, self.edit_session_button, self.remove_session_button):
            w.setEnabled(open_for_changes)
        for w in (self.enrol_button, self.import_button, self.withdraw_button):
            w.setEnabled(open_for_changes)

    def _load_basic(self, s, c: TrainingClass) -> None:
        while self.info.rowCount():
            self.info.removeRow(0)
        rows = [
            (self.tr("Trade"), f"{c.trade.name}（{c.trade.industry.label}）"),
            (self.tr("Level"), c.level.label),
            (self.tr("Training type"), c.training_type.label),
            (self.tr("Mode"), c.mode.label if c.mode else "—"),
            (self.tr("Funding"), c.funding.label),
            (self.tr("Dates"), f"{c.start_date} ~ {c.end_date}"),
            (self.tr("Venue"), f"{c.venue.name}（{c.venue.seats}座）" if c.venue else "—"),
            (self.tr("Head teacher"), c.head_teacher.name if c.head_teacher else "—"),
            (self.tr("Planned size"), str(c.planned_size)),
            (self.tr("Fee per trainee"), records.fen_to_yuan(c.fee_fen)),
            (self.tr("Subsidy standard"), records.fen_to_yuan(c.subsidy_standard_fen)),
            (self.tr("Submitted"), format_local(c.submitted_at) or "—"),
            (self.tr("Approval"), f"{c.approval_no} {c.approver} {c.decided_on or ''}".strip() or "—"),
        ]
        if c.rejection_reason:
            rows.append((self.tr("Reason for rejection"), c.rejection_reason))
        for label, value in rows:
            widget = QLabel(value)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.info.addRow(label + self.tr(":"), widget)
        note = ""
        if c.approved_at is not None:
            try:
                from zunyi_trainer.lifecycle import changes_after_approval

                changes = changes_after_approval(s, c)
                if changes:
                    note = self.tr("%1 change(s) were made after the approval; the county must be told.").replace(
                        "%1", str(len(changes))
                    )
            except Exception:
                log.exception("changes after approval could not be listed")
        self.change_note.setText(note)
        self.change_note.setVisible(bool(note))

    def _load_timetable(self, s, c: TrainingClass) -> None:
        _fill(
            self.sessions,
            [
                (
                    x.id,
                    [
                        f"{x.date.isoformat()} {'一二三四五六日'[x.date.weekday()]}",
                        f"{x.start_time:%H:%M}–{x.end_time:%H:%M}",
                        str(x.periods),
                        x.kind.label,
                        x.topic,
                        x.teacher.name if x.teacher else "",
                        x.venue.name if x.venue else "",
                    ],
                )
                for x in c.sessions
            ],
        )
        theory = sum(x.periods for x in c.sessions if x.kind == SessionKind.THEORY)
        practice = sum(x.periods for x in c.sessions if x.kind == SessionKind.PRACTICE)
        total = theory + practice
        share = f"{practice / total:.0%}" if total else "—"
        self.totals_label.setText(
            self.tr("%1 sessions · %2 periods · theory %3 · practice %4 (%5)")
            .replace("%1", str(len(c.sessions)))
            .replace("%2", str(total))
            .replace("%3", str(theory))
            .replace("%4", str(practice))
            .replace("%5", share)
        )

    def _load_trainees(self, c: TrainingClass) -> None:
        rows, colours = [], []
        for e in c.enrollments:
            t = e.trainee
            rows.append(
                (
                    e.id,
                    [
                        t.name,
                        idcard.mask(t.id_number),
                        t.sex.label,
                        t.phone,
                        t.category.label,
                        e.enrolled_on.isoformat(),
                        self.tr("Yes") if e.subsidised else self.tr("No"),
                        f"{e.withdrawn_on} {e.withdraw_reason}".strip() if e.withdrawn_on else "",
                    ],
                )
            )
            colours.append(QColor("#9aa0a6") if e.withdrawn_on else None)
        _fill(self.enrolments, rows, colours)
        active = sum(1 for e in c.enrollments if e.withdrawn_on is None)
        seats = c.venue.seats if c.venue else None
        self.enrolled_label.setText(
            self.tr("%1 enrolled, planned %2").replace("%1", str(active)).replace("%2", str(c.planned_size))
            + (self.tr(", venue seats %1").replace("%1", str(seats)) if seats else "")
        )

    def _load_attendance(self, s, c: TrainingClass) -> None:
        self.attendance_grid.reload()  # its own queries (gui/attendance_grid.load_grid); unsaved entries stay

    def _load_results(self, c: TrainingClass) -> None:
        _fill(
            self.results,
            [
                (
                    e.id,
                    [
                        e.trainee.name,
                        e.result.label,
                        f"{e.score}" if e.score is not None else "",
                        e.exam_date.isoformat() if e.exam_date else "",
                        e.certificate_type.label if e.certificate_type else "",
                        e.certificate_no,
                        e.certificate_issued_on.isoformat() if e.certificate_issued_on else "",
                        records.fen_to_yuan(e.subsidy_fen) if e.subsidy_fen else "",
                    ],
                )
                for e in c.enrollments
                if e.withdrawn_on is None
            ],
        )

    def _load_attachments(self, s, c: TrainingClass) -> None:
        from zunyi_trainer.attachments import blob_path

        self.files.clear()
        style = self.style()
        for att in s.scalars(sa.select(Attachment).where(Attachment.class_id == c.id).order_by(Attachment.created_at)):
            icon = None
            if att.kind == AttachmentKind.PHOTO or att.media_type.startswith("image/"):
                pixmap = QPixmap(str(blob_path(self.ctx.register.attachments_dir, att.sha256)))
                if not pixmap.isNull():
                    icon = QIcon(
                        pixmap.scaled(128, 96, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
                    )
            if icon is None:
                standard = {
                    AttachmentKind.AUDIO: QStyle.StandardPixmap.SP_MediaVolume,
                    AttachmentKind.VIDEO: QStyle.StandardPixmap.SP_MediaPlay,
                }.get(att.kind, QStyle.StandardPixmap.SP_FileIcon)
                icon = style.standardIcon(standard)
            item = QListWidgetItem(icon, f"{att.caption or att.filename}\n{att.kind.label}", self.files)
            item.setToolTip(f"{att.filename}\nSHA-256 {att.sha256}\n{att.size:,} B")
            item.setData(Qt.ItemDataRole.UserRole, att.id)

    def _load_checks(self, s, c: TrainingClass) -> None:
        try:
            from zunyi_trainer.rules import check_class

            findings = check_class(s, c)
        except Exception:
            log.exception("the rules could not be checked")
            self.checks_label.setText(self.tr("The rules could not be checked; see the log."))
            return
        rows, colours = [], []
        for f in findings:
            rows.append((f.record, [self.tr("Blocks") if f.blocks else self.tr("Warning"), f.message, f.code]))
            colours.append(QColor("#b3261e") if f.blocks else QColor("#b06000"))
        _fill(self.checks, rows, colours)
        for r, f in enumerate(findings):
            self.checks.item(r, 1).setToolTip(f.message)
        blocking = sum(1 for f in findings if f.blocks)
        if not findings:
            self.checks_label.setText(self.tr("No findings: the class meets every rule checked."))
        else:
            self.checks_label.setText(
                self.tr("%1 finding(s), %2 of them block the next step.")
                .replace("%1", str(len(findings)))
                .replace("%2", str(blocking))
            )
        self.tabs.setTabText(self.tabs.count() - 1, self.tr("Checks") + (f" ({blocking})" if blocking else ""))

    # -- actions

    def action_refusals(self, status: ClassStatus) -> dict[str, str | None]:
        """For each lifecycle action, ``None`` when it may be taken now, or why not.

        The actions that take no input from the user are tried in a transaction that is rolled
        back, so the buttons follow the core's own rules (blocking findings, dates, pending
        results) without repeating them here.
        """
        from zunyi_trainer import lifecycle

        trials = {
            "submit": lifecycle.submit,
            "start": lifecycle.start,
            "complete": lifecycle.complete,
            "archive": lifecycle.archive,
        }
        refusals: dict[str, str | None] = {}
        for key, allowed in ACTIONS_BY_STATUS.items():
            if status not in allowed:
                refusals[key] = self.tr("Not possible while the class is %1.").replace("%1", status.label)
                continue
            refusals[key] = None
            if key not in trials:
                continue
            session = self.ctx.register.session()
            try:
                session.begin()
                trials[key](session, session.get(TrainingClass, self.class_id))
            except ZunyiError as exc:
                refusals[key] = exc.message()
            except Exception:
                log.exception("could not try %s", key)
            finally:
                session.rollback()
                session.close()
        return refusals

    def edit_class(self) -> None:
        from zunyi_trainer.gui.record_dialogs import ClassDialog

        ClassDialog(self.ctx, self.class_id, self).exec()

    def build_timetable(self) -> None:
        TimetablePatternDialog(self.ctx, self.class_id, self).exec()

    def edit_session(self, session_id: int | None) -> None:
        """Edit a session, or add one when ``session_id`` is None."""
        SessionDialog(self.ctx, self.class_id, session_id, self).exec()

    def edit_selected_session(self) -> None:
        session_id = _selected_id(self.sessions)
        if session_id is None:
            messages.inform(self, self.tr("Edit"), self.tr("Select a session in the timetable first."))
            return
        self.edit_session(session_id)

    def remove_session(self) -> None:
        session_id = _selected_id(self.sessions)
        if session_id is None:
            return
        with self.ctx.register.session() as s:
            marks = len(s.get(ClassSession, session_id).attendance)
        question = self.tr("Remove this session from the timetable?")
        if marks:
            question += "\n" + self.tr("Its %1 attendance mark(s) go with it.").replace("%1", str(marks))
        if not messages.confirm(self, self.tr("Remove session"), question, destructive=True):
            return
        from zunyi_trainer import timetable

        self._write(lambda s: timetable.remove_session(s, s.get(ClassSession, session_id)), "class_session")

    def enrol(self, trainee_ids: list[int] | None = None) -> int:
        with self.ctx.register.session() as s:
            exclude = set(s.scalars(sa.select(Enrollment.trainee_id).where(Enrollment.class_id == self.class_id)))
        if trainee_ids is None:
            picker = TraineePicker(self.ctx, exclude, self)
            if not picker.exec():
                return 0
            trainee_ids = picker.chosen()
        new = [t for t in trainee_ids if t not in exclude]

        def work(s) -> None:
            c = s.get(TrainingClass, self.class_id)
            for trainee_id in new:
                c.enrollments.append(Enrollment(trainee_id=trainee_id, enrolled_on=today_local()))

        self._write(work, "enrollment")
        return len(new)

    def withdraw(self, reason: str | None = None) -> None:
        enrollment_id = _selected_id(self.enrolments)
        if enrollment_id is None:
            messages.inform(self, self.tr("Withdraw"), self.tr("Select a trainee in the table first."))
            return
        if reason is None:
            reason, ok = QInputDialog.getText(self, self.tr("Withdraw"), self.tr("Reason for withdrawing:"))
            if not ok:
                return
        if not reason.strip():
            messages.inform(self, self.tr("Withdraw"), self.tr("Enter the reason: the county's archive keeps it."))
            return

        def work(s) -> None:
            e = s.get(Enrollment, enrollment_id)
            e.withdrawn_on = today_local()
            e.withdraw_reason = reason.strip()

        self._write(work, "enrollment")

    def import_roster(self, path: str | None = None):
        """Open the roster import wizard for this class (with the file filled in when given): it
        checks the file off the UI thread, shows every problem, and writes only at its last step;
        the trainees tab then shows the report."""
        from zunyi_trainer.gui.roster_wizard import RosterImportWizard

        wizard = RosterImportWizard(self.ctx, self.class_id, self, path=path)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self.show_import_report)
        self.roster_wizard = wizard
        wizard.open()
        return wizard

    def show_import_report(self, report) -> None:
        self.tabs.setCurrentWidget(self.enrolments.parentWidget())
        issues = [*report.errors, *report.warnings]
        self.import_report.setVisible(bool(issues))
        self.import_report.setRowCount(len(issues))
        for r, issue in enumerate(issues):
            for c, value in enumerate((str(issue.row or ""), issue.column, idcard.mask_cell(issue.value), issue.message)):
                item = QTableWidgetItem(value)
                if issue in report.errors:
                    item.setForeground(QColor("#b3261e"))
                self.import_report.setItem(r, c, item)
        text = self.tr("%1: %2 row(s) read, %3 valid, %4 with errors, %5 warning(s).").replace("%1", Path(report.file).name or "")
        text = (
            text.replace("%2", str(report.rows_read))
            .replace("%3", str(report.valid))
            .replace("%4", str(len(report.error_rows)))
            .replace("%5", str(len(report.warnings)))
        )
        if report.written:
            text += " " + self.tr("Imported: %1 (new trainees %2, already in the register %3).").replace(
                "%1", str(report.imported)
            ).replace("%2", str(report.created)).replace("%3", str(report.linked_existing))
        self.import_summary.setText(text)

    def edit_result(self, enrollment_id: int | None) -> None:
        if enrollment_id is None:
            messages.inform(self, self.tr("Record result"), self.tr("Select a trainee in the table first."))
            return
        ResultDialog(self.ctx, enrollment_id, self).exec()

    def add_files(self, files: list[str] | None = None) -> None:
        if files is None:
            files, _ = QFileDialog.getOpenFileNames(
                self,
                self.tr("Add to the class archive"),
                "",
                self.tr("Photos, scans, audio and video (*.jpg *.jpeg *.png *.pdf *.mp3 *.m4a *.wav *.mp4 *.mov);;All files (*)"),
            )
        if not files:
            return
        from zunyi_trainer.attachments import add_attachment

        store, class_id = self.ctx.register.attachments_dir, self.class_id
        register = self.ctx.register

        def work(task):
            with register.transaction() as s:
                c = s.get(TrainingClass, class_id)
                for i, f in enumerate(files):
                    task.progress(i, len(files))
                    add_attachment(s, store, Path(f), training_class=c)
            return len(files)

        self.ctx.runner.run(
            work, on_done=lambda _n: self.ctx.changed("attachment"), parent=self, label=self.tr("Storing files…"), writes=True
        )

    def open_file(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        from zunyi_trainer.attachments import export_copy

        with self.ctx.register.session() as s:
            att = s.get(Attachment, item.data(Qt.ItemDataRole.UserRole))
            folder = Path(tempfile.mkdtemp(prefix="zunyi-"))
            target = folder / Path(att.filename).name
            export_copy(self.ctx.register.attachments_dir, att, target)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def open_finding(self, record: tuple[str, str] | None) -> None:
        """Open the record a finding is about."""
        if not record:
            return
        table, key = record
        from zunyi_trainer.gui import record_dialogs
        from zunyi_trainer.models import Base

        mapper = next((m for m in Base.registry.mappers if m.local_table.name == table), None)
        if mapper is None or not hasattr(mapper.class_, "uuid"):
            return
        model = mapper.class_
        with self.ctx.register.session() as s:
            record_id = s.scalar(sa.select(model.id).where(model.uuid == uuid_mod.UUID(key)))
            if model is Enrollment and record_id is not None:
                model, record_id = Trainee, s.get(Enrollment, record_id).trainee_id
        if record_id is None:
            return
        if model is TrainingClass:
            if record_id == self.class_id:
                self.tabs.setCurrentIndex(0)
                self.edit_class()
            else:
                ClassDetailWindow.open_for(self.ctx, record_id, self.parentWidget())
        elif model is ClassSession:
            self.tabs.setCurrentIndex(1)
            self.edit_session(record_id)
        else:
            dialogs = {
                Trainee: record_dialogs.TraineeDialog,
                Teacher: record_dialogs.TeacherDialog,
                Venue: record_dialogs.VenueDialog,
            }
            dialog_class = dialogs.get(model)
            if dialog_class is not None:
                dialog_class(self.ctx, record_id, self).exec()

    def run_action(self, key: str) -> bool:
        """A lifecycle action; the core refuses with its findings, shown as sentences."""
        from zunyi_trainer import lifecycle

        if key == "decision":
            return bool(DecisionDialog(self.ctx, self.class_id, self).exec())
        reason = ""
        archive_no = ""
        if key == "reopen":
            reason, ok = QInputDialog.getText(self, self.tr("Back to draft"), self.tr("Why is the application taken back?"))
            if not ok:
                return False
        if key == "archive":
            archive_no, ok = QInputDialog.getText(self, self.tr("Archive"), self.tr("Archive number (档案号), if any:"))
            if not ok:
                return False
        warnings: list = []

        def work(s) -> None:
            c = s.get(TrainingClass, self.class_id)
            if key == "submit":
                warnings.extend(lifecycle.submit(s, c) or [])
            elif key == "start":
                lifecycle.start(s, c)
            elif key == "complete":
                lifecycle.complete(s, c)
            elif key == "archive":
                lifecycle.archive(s, c, archive_no=archive_no)
            elif key == "reopen":
                lifecycle.reopen_draft(s, c, reason=reason)

        ok = self._write(work, "training_class")
        if ok and warnings:
            messages.inform(
                self,
                self.tr("Submitted with warnings"),
                self.tr("The application was submitted. Please look at these warnings:")
                + "\n"
                + "\n".join(f"• {w.message}" for w in warnings),
            )
        return ok

    def _write(self, work, table: str) -> bool:
        if self.ctx.runner.writing:
            messages.inform(self, self.tr("Please wait"), wait_for_write_message())
            return False
        try:
            with self.ctx.register.transaction() as s:
                work(s)
        except Exception as exc:
            messages.show_error(self, exc)
            return False
        self.ctx.changed(table)
        return True

    def closeEvent(self, event) -> None:
        ClassDetailWindow._open.pop((id(self.ctx), self.class_id), None)
        super().closeEvent(event)
