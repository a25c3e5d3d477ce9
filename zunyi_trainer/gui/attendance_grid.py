"""The attendance grid of one class: trainees down, sessions across, a status in each cell.

The grid is one :class:`AttendanceGridModel` over data read in one query for every mark of the
class and three small ones (the class, its sessions, its enrolments with the trainees' names):
no widget and no query per cell, so a 60 × 120 class opens at once
(``benchmarks/bench_attendance_grid.py``). Who recorded a mark, and when, is read for the
selected cell only.

Marks are entered like a paper register: arrow keys move, a digit sets a status (1 出勤, 2 迟到,
3 早退, 4 请假, 5 旷课), space cycles, F fills the rest of the session as present, Delete takes
back an unsaved entry. Entries stay pending (shown in bold italics, rates and counts follow them
at once) until saved with Ctrl+S, all in one transaction through the core's audited bulk writer
:func:`zunyi_trainer.attendance.record_marks`; a class window with unsaved entries asks before it
closes. Saving them together is what a teacher's paper sheet expects: a whole session filled as
present and then the few absences corrected is one set of new marks, not a run of 补录. A saved
mark that is changed is a 补录 (as the core defines it) and the save asks for its reason, which
is stored with the mark. Ctrl+Z takes back the last entry or bulk action.

From the grid: the session's or the day's sign-in sheet (generated off the UI thread), and a punch
log or a filled attendance workbook imported with its report shown before anything is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import sqlalchemy as sa
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTime, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zunyi_trainer import idcard
from zunyi_trainer.attendance import ATTENDED, Mark, SessionSlot, derive_status, trainee_rate
from zunyi_trainer.bulk import collector_paused
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    ClassSession,
    ClassStatus,
    Enrollment,
    Trainee,
    TrainingClass,
)
from zunyi_trainer.settings import RuleSettings, load_settings
from zunyi_trainer.timeutil import local_instant, to_local, today_local

log = logging.getLogger(__name__)

# The letters of the county's paper register and of the attendance workbook (roster.attendance_sheet).
LETTERS: dict[AttendanceStatus, str] = {
    AttendanceStatus.PRESENT: "√",
    AttendanceStatus.LATE: "迟",
    AttendanceStatus.EARLY_LEAVE: "退",
    AttendanceStatus.LEAVE: "假",
    AttendanceStatus.ABSENT: "×",
}
COLOURS: dict[AttendanceStatus, str] = {
    AttendanceStatus.PRESENT: "#d4edda",
    AttendanceStatus.LATE: "#fff3c4",
    AttendanceStatus.EARLY_LEAVE: "#ffe0b8",
    AttendanceStatus.LEAVE: "#d6e4f7",
    AttendanceStatus.ABSENT: "#f6d0cd",
}
REASON_LENGTH = 256  # the register's leave_reason and correction_reason columns
OUTSIDE_COLOUR = "#e8eaed"  # before the enrolment or after the withdrawal
TOTALS_COLOUR = "#f1f3f4"
BELOW_COLOUR = "#b3261e"
# One key per status, in the order of the enum (and of the paper register).
KEYS: dict[int, AttendanceStatus] = {
    Qt.Key.Key_1: AttendanceStatus.PRESENT,
    Qt.Key.Key_2: AttendanceStatus.LATE,
    Qt.Key.Key_3: AttendanceStatus.EARLY_LEAVE,
    Qt.Key.Key_4: AttendanceStatus.LEAVE,
    Qt.Key.Key_5: AttendanceStatus.ABSENT,
}
# Space steps through these; 请假 is left out, as it asks for its reason (key 4).
CYCLE = [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EARLY_LEAVE, AttendanceStatus.ABSENT]
_DISPLAY, _BACKGROUND, _FOREGROUND, _FONT, _TOOLTIP, _ALIGN = (
    int(Qt.ItemDataRole.DisplayRole.value),
    int(Qt.ItemDataRole.BackgroundRole.value),
    int(Qt.ItemDataRole.ForegroundRole.value),
    int(Qt.ItemDataRole.FontRole.value),
    int(Qt.ItemDataRole.ToolTipRole.value),
    int(Qt.ItemDataRole.TextAlignmentRole.value),
)
_CENTER = Qt.AlignmentFlag.AlignCenter
STATUS_ROLE = Qt.ItemDataRole.UserRole  # the cell's status value ("" when unmarked)
PENDING_ROLE = Qt.ItemDataRole.UserRole + 1  # True when the cell holds an unsaved entry
_STATUS_ROLE, _PENDING_ROLE = int(STATUS_ROLE.value), int(STATUS_ROLE.value) + 1


# --- data ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class GridSession:
    id: int
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    periods: int
    kind: str
    slot: SessionSlot


@dataclasses.dataclass(frozen=True)
class GridTrainee:
    enrollment_id: int
    name: str
    id_number: str  # masked
    enrolled_on: dt.date | None
    withdrawn_on: dt.date | None
    subsidised: bool

    def attends(self, day: dt.date) -> bool:
        """Whether a session on ``day`` lies within the enrolment (as the core's rates count it)."""
        if self.enrolled_on is not None and day < self.enrolled_on:
            return False
        return self.withdrawn_on is None or day <= self.withdrawn_on


class CellMark(NamedTuple):
    """A cell's mark, as recorded (with any 补录) or as entered and not yet saved. A tuple: a
    class's grid holds thousands. It is also what the core's rates read of a mark (status and
    times, like :class:`zunyi_trainer.attendance.RecordedMark`)."""

    status: AttendanceStatus
    sign_in_at: dt.datetime | None = None
    sign_out_at: dt.datetime | None = None
    leave_reason: str = ""
    is_correction: bool = False
    correction_reason: str = ""

    def same_entry(self, other: CellMark | None) -> bool:
        """Whether saving ``self`` over ``other`` would change nothing (the core's own test)."""
        return (
            other is not None
            and self.status == other.status
            and _same_instant(self.sign_in_at, other.sign_in_at)
            and _same_instant(self.sign_out_at, other.sign_out_at)
            and self.leave_reason == other.leave_reason
        )


@dataclasses.dataclass(frozen=True)
class RecordNote:
    """Who recorded a mark, when and how: read for the selected cell only."""

    method: AttendanceMethod | None
    recorded_by: str
    recorded_at: dt.datetime | None


def _same_instant(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.replace(microsecond=0) == b.replace(microsecond=0)


@dataclasses.dataclass
class GridData:
    class_id: int
    code: str
    name: str
    status: ClassStatus
    sessions: list[GridSession]
    trainees: list[GridTrainee]
    marks: dict[tuple[int, int], CellMark]  # (enrollment id, session id) → recorded mark
    settings: RuleSettings
    as_of: dt.date


_STATUS = {s.value: s for s in AttendanceStatus}
_METHOD = {m.value: m for m in AttendanceMethod}


_collector_paused = collector_paused  # the core's (zunyi_trainer.bulk)


def _instant(value: str | dt.datetime) -> dt.datetime:
    """A stored instant as an aware UTC datetime: SQLite keeps naive UTC text (models.base.UTCDateTime),
    PostgreSQL's driver gives datetimes."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


@functools.cache
def _record_note_statement() -> sa.Select:
    """Built once: the side panel asks at every move of the cursor."""
    att_t = Attendance.__table__
    return sa.select(sa.type_coerce(att_t.c.method, sa.String), att_t.c.recorded_by, att_t.c.recorded_at).where(
        att_t.c.session_id == sa.bindparam("sid"), att_t.c.enrollment_id == sa.bindparam("eid")
    )


def load_record_note(session, session_id: int, enrollment_id: int) -> RecordNote | None:
    """Who recorded one mark, when and how (one indexed query, for the selected cell)."""
    row = session.execute(_record_note_statement(), {"sid": session_id, "eid": enrollment_id}).first()
    if row is None:
        return None
    return RecordNote(_METHOD.get(row[0]), row[1] or "", row[2])


def load_grid(session, class_id: int, *, as_of: dt.date | None = None) -> GridData | None:
    """Everything the grid shows: every mark in one query, the class, its sessions and enrolments in
    three small ones (and the settings); None when the class is gone."""
    with _collector_paused():
        return _load_grid(session, class_id, as_of)


def _load_grid(session, class_id: int, as_of: dt.date | None) -> GridData | None:
    sess_t, enr_t, tr_t, att_t = ClassSession.__table__, Enrollment.__table__, Trainee.__table__, Attendance.__table__
    cls_t = TrainingClass.__table__
    head = session.execute(sa.select(cls_t.c.code, cls_t.c.name, cls_t.c.status).where(cls_t.c.id == class_id)).first()
    if head is None:
        return None
    sessions = [
        GridSession(
            r.id,
            r.date,
            r.start_time,
            r.end_time,
            r.periods,
            r.kind,
            SessionSlot(r.id, r.date, local_instant(r.date, r.start_time), local_instant(r.date, r.end_time), r.periods),
        )
        for r in session.execute(
            sa.select(sess_t.c.id, sess_t.c.date, sess_t.c.start_time, sess_t.c.end_time, sess_t.c.periods, sess_t.c.kind)
            .where(sess_t.c.class_id == class_id)
            .order_by(sess_t.c.date, sess_t.c.start_time, sess_t.c.id)
        )
    ]
    trainees = [
        GridTrainee(r.id, r.name, idcard.mask(r.id_number), r.enrolled_on, r.withdrawn_on, bool(r.subsidised))
        for r in session.execute(
            sa.select(enr_t.c.id, tr_t.c.name, tr_t.c.id_number, enr_t.c.enrolled_on, enr_t.c.withdrawn_on, enr_t.c.subsidised)
            .join(tr_t, tr_t.c.id == enr_t.c.trainee_id)
            .where(enr_t.c.class_id == class_id)
            .order_by(enr_t.c.withdrawn_on.is_not(None), enr_t.c.id)
        )
    ]
    in_class = sa.select(sess_t.c.id).where(sess_t.c.class_id == class_id).scalar_subquery()
    # Stored values as the driver gives them (no per-value type processing), made into marks here.
    as_text = sa.String
    marks: dict[tuple[int, int], CellMark] = {}
    result = session.execute(
        sa.select(
            att_t.c.session_id,
            att_t.c.enrollment_id,
            sa.type_coerce(att_t.c.status, as_text),
            sa.type_coerce(att_t.c.sign_in_at, as_text),
            sa.type_coerce(att_t.c.sign_out_at, as_text),
            att_t.c.leave_reason,
            att_t.c.is_correction,
            att_t.c.correction_reason,
        ).where(att_t.c.session_id.in_(in_class))
    )
    # The DBAPI's own tuples: every column here is read as stored, so no Row objects are needed.
    for sid, eid, status, sign_in, sign_out, leave, corrected, why in result.cursor.fetchall():
        marks[(eid, sid)] = CellMark(
            _STATUS[status],
            None if sign_in is None else _instant(sign_in),
            None if sign_out is None else _instant(sign_out),
            leave or "",
            bool(corrected),
            why or "",
        )
    return GridData(
        class_id,
        head.code,
        head.name,
        ClassStatus(head.status),
        sessions,
        trainees,
        marks,
        load_settings(session),
        as_of or today_local(),
    )


# --- the model ----------------------------------------------------------------------------------


class AttendanceGridModel(QAbstractTableModel):
    """Rows: the class's trainees, then one row of per-session counts. Columns: the sessions, then
    each trainee's rate by hours and whether it reaches the subsidy threshold."""

    pending_changed = Signal(int)  # how many entries are unsaved

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_: GridData | None = None
        self.pending: dict[tuple[int, int], CellMark] = {}
        self.read_only = False
        self._rates: list[Any] = []
        self._counts: list[tuple[int, int, dict[AttendanceStatus, int]]] = []
        self._by_row: dict[int, dict[int, CellMark]] = {}  # enrolment → session → mark shown
        self._slots: list[SessionSlot] = []
        self._sessions: list[GridSession] = []
        self._trainees: list[GridTrainee] = []
        self._n_sessions = self._n_trainees = 0
        self._session_ids: list[int] = []
        self._enrolment_ids: list[int] = []
        self._session_index: dict[int, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._bold.setItalic(True)
        self._brushes = {s: QBrush(QColor(c)) for s, c in COLOURS.items()}
        self._outside = QBrush(QColor(OUTSIDE_COLOUR))
        self._totals = QBrush(QColor(TOTALS_COLOUR))
        self._below = QBrush(QColor(BELOW_COLOUR))
        self._future = QBrush(QColor("#80868b"))  # sessions not yet held
        self._pending_ink = QBrush(QColor("#1a56c4"))  # unsaved entries: blue, bold italics
        self._column_heads: list[tuple[str, str | None, QBrush | None]] = []
        self._row_heads: list[tuple[str, str | None]] = []

    # -- loading

    def load(self, data: GridData | None) -> None:
        """Show ``data``; unsaved entries are kept (those now equal to the record are dropped)."""
        self.beginResetModel()
        self.data_ = data
        self._sessions = data.sessions if data else []
        self._trainees = data.trainees if data else []
        self._n_sessions, self._n_trainees = len(self._sessions), len(self._trainees)
        self._session_ids = [x.id for x in self._sessions]
        self._enrolment_ids = [t.enrollment_id for t in self._trainees]
        if data is None:
            self.pending.clear()
        else:
            self.read_only = data.status == ClassStatus.ARCHIVED
            self._session_index = {s.id: c for c, s in enumerate(data.sessions)}
            enrolments = {t.enrollment_id for t in data.trainees}
            self.pending = {
                key: mark
                for key, mark in self.pending.items()
                if key[0] in enrolments and key[1] in self._session_index and not mark.same_entry(data.marks.get(key))
            }
            with _collector_paused():
                self._recount()
            self._make_headers()
        self.endResetModel()
        self.pending_changed.emit(len(self.pending))

    @property
    def sessions(self) -> list[GridSession]:
        return self._sessions

    @property
    def trainees(self) -> list[GridTrainee]:
        return self._trainees

    @property
    def rate_column(self) -> int:
        return self._n_sessions

    @property
    def eligible_column(self) -> int:
        return self._n_sessions + 1

    @property
    def totals_row(self) -> int:
        return self._n_trainees

    # -- what a cell holds

    def mark(self, row: int, column: int) -> CellMark | None:
        """The cell's mark as shown: the unsaved entry, else the recorded one."""
        key = (self.trainees[row].enrollment_id, self.sessions[column].id)
        return self.pending.get(key) or self.data_.marks.get(key)

    def recorded(self, row: int, column: int) -> CellMark | None:
        return self.data_.marks.get((self.trainees[row].enrollment_id, self.sessions[column].id))

    def is_mark_cell(self, index: QModelIndex) -> bool:
        return index.isValid() and index.row() < self.totals_row and index.column() < self.rate_column

    def editable(self, row: int, column: int) -> bool:
        if self.read_only or row >= self.totals_row or column >= self.rate_column:
            return False
        return self.trainees[row].attends(self.sessions[column].date)

    def rate(self, row: int):
        return self._rates[row]

    def counts(self, column: int) -> tuple[int, int, dict[AttendanceStatus, int]]:
        """(attended, expected, marks by status) of a session."""
        return self._counts[column]

    def _recount(self) -> None:
        """Every trainee's rate and every session's counts, in one pass over the marks."""
        data = self.data_
        effective = {**data.marks, **self.pending} if self.pending else data.marks
        self._by_row = {t.enrollment_id: {} for t in data.trainees}
        tallies: dict[int, dict[AttendanceStatus, int]] = {s.id: {} for s in data.sessions}
        for (eid, sid), m in effective.items():
            row = self._by_row.get(eid)
            if row is None:
                continue
            row[sid] = m
            tally = tallies[sid]
            tally[m.status] = tally.get(m.status, 0) + 1
        self._slots = [s.slot for s in data.sessions]
        self._rates = [self._rate(t) for t in data.trainees]
        expected_on: dict[dt.date, int] = {}
        self._counts = []
        for s in data.sessions:
            expected = expected_on.get(s.date)
            if expected is None:
                expected = expected_on[s.date] = sum(1 for t in data.trainees if t.attends(s.date))
            tally = tallies[s.id]
            self._counts.append((sum(n for status, n in tally.items() if status in ATTENDED), expected, tally))

    def _rate(self, t: GridTrainee):
        # A CellMark carries what the core's rate reads of a mark (status, sign-in and sign-out).
        return trainee_rate(
            t.enrollment_id,
            t.enrolled_on,
            t.withdrawn_on,
            self._slots,
            self._by_row[t.enrollment_id],
            as_of=self.data_.as_of,
            threshold=self.data_.settings.attendance_threshold,
        )

    def _count(self, column: int) -> tuple[int, int, dict[AttendanceStatus, int]]:
        s = self.sessions[column]
        expected = self._counts[column][1]
        tally: dict[AttendanceStatus, int] = {}
        for t in self.trainees:
            m = self._by_row[t.enrollment_id].get(s.id)
            if m is not None:
                tally[m.status] = tally.get(m.status, 0) + 1
        return sum(n for status, n in tally.items() if status in ATTENDED), expected, tally

    # -- editing

    def apply(self, entries: dict[tuple[int, int], CellMark | None]) -> dict[tuple[int, int], CellMark | None]:
        """Set unsaved entries (None takes one back); returns what they were, for undo."""
        before: dict[tuple[int, int], CellMark | None] = {}
        for key, mark in entries.items():
            before[key] = self.pending.get(key)
            if mark is None or mark.same_entry(self.data_.marks.get(key)):
                self.pending.pop(key, None)
            else:
                self.pending[key] = mark
            shown = self.pending.get(key) or self.data_.marks.get(key)
            row_marks = self._by_row[key[0]]
            if shown is None:
                row_marks.pop(key[1], None)
            else:
                row_marks[key[1]] = shown
        rows = {r for r, t in enumerate(self.trainees) if any(k[0] == t.enrollment_id for k in entries)}
        columns = {self._session_index[k[1]] for k in entries}
        for r in rows:
            self._rates[r] = self._rate(self.trainees[r])
        for c in columns:
            self._counts[c] = self._count(c)
        if rows and columns:
            self.dataChanged.emit(self.index(min(rows), min(columns)), self.index(max(rows), self.columnCount() - 1))
            self.dataChanged.emit(self.index(self.totals_row, min(columns)), self.index(self.totals_row, max(columns)))
        self.pending_changed.emit(len(self.pending))
        return before

    def key(self, row: int, column: int) -> tuple[int, int]:
        return (self.trainees[row].enrollment_id, self.sessions[column].id)

    def pending_marks(self) -> list[Mark]:
        return [
            Mark(sid, eid, m.status, m.sign_in_at, m.sign_out_at, m.leave_reason)
            for (eid, sid), m in sorted(self.pending.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ]

    def corrections(self) -> int:
        """Unsaved entries that change a recorded mark: 补录, which need a reason."""
        return sum(1 for key in self.pending if key in self.data_.marks)

    # -- Qt

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.isValid() or self.data_ is None:
            return 0
        return len(self.trainees) + 1

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if parent.isValid() or self.data_ is None:
            return 0
        return len(self.sessions) + 2

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _make_headers(self) -> None:
        """Header texts made once per load: Qt asks for them at every paint."""
        as_of, periods = self.data_.as_of, self.tr("periods")
        self._column_heads = [
            (
                f"{s.date:%m-%d}\n周{'一二三四五六日'[s.date.weekday()]}\n{s.start_time:%H:%M}",
                f"{s.date.isoformat()} {s.start_time:%H:%M}–{s.end_time:%H:%M}　{s.periods} {periods}",
                self._future if s.date > as_of else None,
            )
            for s in self._sessions
        ]
        self._column_heads += [(self.tr("Rate"), None, None), (self.tr("Subsidy"), None, None)]
        withdrawn = self.tr(" (withdrawn)")
        self._row_heads = [(t.name + (withdrawn if t.withdrawn_on else ""), f"{t.name}　{t.id_number}") for t in self._trainees]
        self._row_heads.append((self.tr("Attended / expected"), None))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.data_ is None:
            return None
        role = int(role)
        heads = self._column_heads if orientation == Qt.Orientation.Horizontal else self._row_heads
        if not 0 <= section < len(heads):
            return None
        if role == _DISPLAY:
            return heads[section][0]
        if role == _TOOLTIP:
            return heads[section][1]
        if role == _FOREGROUND and orientation == Qt.Orientation.Horizontal:
            return heads[section][2]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role at each paint: plain ints and dict lookups only.
        if self.data_ is None or not index.isValid():
            return None
        role = int(role)
        if role == _ALIGN:
            return _CENTER
        row, column = index.row(), index.column()
        if row == self._n_trainees:
            return self._totals_data(column, role)
        if column >= self._n_sessions:
            return self._rate_data(row, column, role)
        key = (self._enrolment_ids[row], self._session_ids[column])
        pending = self.pending.get(key)
        m = pending or self.data_.marks.get(key)
        if role == _DISPLAY:
            return LETTERS[m.status] if m is not None else ""
        if role == _BACKGROUND:
            if m is not None:
                return self._brushes[m.status]
            return None if self._trainees[row].attends(self._sessions[column].date) else self._outside
        if role == _FONT:
            return self._bold if pending is not None else None
        if role == _FOREGROUND:
            return self._pending_ink if pending is not None else None
        if role == _STATUS_ROLE:
            return m.status.value if m is not None else ""
        if role == _PENDING_ROLE:
            return pending is not None
        if role == _TOOLTIP:
            return self._tooltip(row, column, m, pending is not None)
        return None

    def _tooltip(self, row: int, column: int, m: CellMark | None, pending: bool) -> str:
        t, s = self.trainees[row], self.sessions[column]
        lines = [f"{t.name}　{s.date.isoformat()} {s.start_time:%H:%M}"]
        if m is None:
            lines.append(self.tr("Not recorded"))
            return "\n".join(lines)
        lines.append(m.status.label + (self.tr(" (not saved)") if pending else ""))
        times = " – ".join(to_local(x).strftime("%H:%M") if x else "…" for x in (m.sign_in_at, m.sign_out_at))
        if m.sign_in_at or m.sign_out_at:
            lines.append(self.tr("Signed in – out: %1").replace("%1", times))
        if m.leave_reason:
            lines.append(self.tr("Reason for leave: %1").replace("%1", m.leave_reason))
        if m.is_correction and not pending:
            lines.append(self.tr("Late correction: %1").replace("%1", m.correction_reason))
        return "\n".join(lines)

    def _rate_data(self, row: int, column: int, role: int) -> Any:
        r = self._rates[row]
        below = r.counted_periods > 0 and not r.eligible
        if role == _DISPLAY:
            if column == self.rate_column:
                return f"{r.rate:.0%}" if r.counted_periods else "—"
            if not r.counted_periods:
                return "—"
            return self.tr("Reached") if r.eligible else self.tr("Below")
        if role == _FOREGROUND and below:
            return self._below
        if role == _BACKGROUND:
            return self._totals
        if role == _TOOLTIP:
            text = (
                self.tr("%1 of %2 periods attended; threshold %3")
                .replace("%1", f"{r.attended_periods:.1f}".removesuffix(".0"))
                .replace("%2", str(r.counted_periods))
                .replace("%3", f"{self.data_.settings.attendance_threshold:.0%}")
            )
            if not self.trainees[row].subsidised:
                text += "\n" + self.tr("Not subsidised in this class")
            return text
        if role == _STATUS_ROLE:
            return r.eligible
        return None

    def _totals_data(self, column: int, role: int) -> Any:
        if role == _BACKGROUND:
            return self._totals
        if column >= self.rate_column:
            return None
        attended, expected, by_status = self._counts[column]
        if role == _DISPLAY:
            return f"{attended}/{expected}"
        if role == _TOOLTIP:
            parts = [f"{s.label} {by_status.get(s, 0)}" for s in AttendanceStatus]
            unmarked = expected - sum(by_status.values())
            return "　".join(parts) + "\n" + self.tr("Not recorded: %1").replace("%1", str(max(unmarked, 0)))
        return None


class _MarkCommand(QUndoCommand):
    """One entry or one bulk action, undone as a whole."""

    def __init__(self, model: AttendanceGridModel, entries: dict[tuple[int, int], CellMark | None], text: str) -> None:
        super().__init__(text)
        self.model, self.entries = model, entries
        self.before: dict[tuple[int, int], CellMark | None] = {}

    def redo(self) -> None:
        self.before = self.model.apply(self.entries)

    def undo(self) -> None:
        self.model.apply(self.before)


# --- the view -----------------------------------------------------------------------------------


class GridView(QTableView):
    """The table view; marking keys go to the grid, arrows and the rest to the view."""

    def __init__(self, grid: AttendanceGrid) -> None:
        super().__init__(grid)
        self.grid = grid

    def keyPressEvent(self, event) -> None:
        if self.grid.handle_key(event.key(), event.modifiers()):
            event.accept()
            return
        super().keyPressEvent(event)


class ImportReportDialog(QDialog):
    """What an import found, before anything is written: counts, every problem, and, when marks
    would change recorded ones, the reason for the 补录 (with "check again" to see the report with
    it). "Import now" writes; "Cancel" writes nothing."""

    def __init__(self, report, parent: QWidget | None = None, recheck: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendanceImportReport")
        self.setWindowTitle(self.tr("Import report"))
        self.resize(900, 480)
        self.recheck = recheck
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("importReportSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.issues = QTableWidget(0, 4, self)
        self.issues.setObjectName("importReportIssues")
        self.issues.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Problem")])
        self.issues.horizontalHeader().setStretchLastSection(True)
        self.issues.verticalHeader().setVisible(False)
        self.issues.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for column, width in ((0, 48), (1, 210), (2, 80)):
            self.issues.setColumnWidth(column, width)
        self.issues.setWordWrap(False)  # one line each; the whole text is in the tooltip
        layout.addWidget(self.issues, 1)
        row = QHBoxLayout()
        self.reason_label = QLabel(self.tr("Reason for the corrections:"), self)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("importCorrectionReason")
        self.reason.setMaxLength(REASON_LENGTH)
        self.reason.setPlaceholderText(self.tr("Needed only to change marks already recorded (补录)"))
        self.recheck_button = QPushButton(self.tr("Check again with this reason"), self)
        self.recheck_button.setObjectName("recheckImport")
        self.recheck_button.clicked.connect(self._recheck)
        self.reason.textChanged.connect(lambda text: self.recheck_button.setEnabled(bool(text.strip())))
        for w in (self.reason_label, self.reason, self.recheck_button):
            row.addWidget(w, 1 if w is self.reason else 0)
        layout.addLayout(row)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton(self.tr("Import now"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("applyImport")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelImport")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.corrections = False
        self.show_report(report)

    def show_report(self, report) -> None:
        """Show a (dry run's) report: the first one, or the one checked again with the reason."""
        self.report = report
        self.summary.setText("\n".join(report.summary_lines()))
        issues = [*report.errors, *report.warnings]
        self.issues.setRowCount(len(issues))
        for r, issue in enumerate(issues):
            where = " ".join(issue.column.split())  # a session's header has line breaks
            for c, value in enumerate((str(issue.row or ""), where, idcard.mask_cell(issue.value), issue.message)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if issue in report.errors:
                    item.setForeground(QColor(BELOW_COLOUR))
                self.issues.setItem(r, c, item)
        needs_reason = any(i.code in ("attendance.correction_reason", "punch.kept_existing") for i in issues)
        self.corrections = self.corrections or needs_reason or bool(report.extra.get("corrections"))
        for w in (self.reason_label, self.reason, self.recheck_button):
            w.setVisible(self.corrections)
        self.recheck_button.setVisible(self.corrections and self.recheck is not None)
        self.recheck_button.setEnabled(bool(self.reason.text().strip()))
        would_write = report.imported
        note = (
            self.tr("Nothing has been written yet. “Import now” records %1 mark(s).").replace("%1", str(would_write))
            if would_write or needs_reason
            else self.tr("There is nothing to record from this file.")
        )
        if report.errors:
            note += " " + self.tr("Rows with errors are left out.")
        self.note.setText(note)
        self.apply_button.setEnabled(bool(would_write) or needs_reason)

    def _recheck(self) -> None:
        reason = self.reason.text().strip()
        if reason and self.recheck is not None:
            self.recheck(reason)


class AttendanceGrid(QWidget):
    """The attendance tab of a class: the grid, its actions, and a side panel for the selected cell."""

    def __init__(self, ctx: AppContext, class_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.class_id = ctx, class_id
        self.setObjectName("attendanceGridPanel")
        self.model = AttendanceGridModel(self)
        self.undo_stack = QUndoStack(self)
        self._watched: list[QWidget] = []  # windows whose closing asks about unsaved entries
        self.documents = None  # the class's document actions (gui/document_actions.py), made on first use
        self._notes: dict[tuple[int, int], RecordNote | None] = {}  # who recorded a mark, read when selected
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_toolbar())
        self.legend = QLabel(self)
        self.legend.setObjectName("attendanceLegend")
        self.legend.setText(
            "　".join(f"{n} {LETTERS[s]} {s.label}" for n, s in enumerate(AttendanceStatus, 1))
            + "　"
            + self.tr("Space: next status · F: rest of the session present · Del: take back · Ctrl+S: save · Ctrl+Z: undo")
        )
        self.legend.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.legend)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.view = GridView(self)
        self.view.setObjectName("attendanceGrid")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        hh = self.view.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-cell measuring
        hh.setDefaultSectionSize(48)
        hh.setMinimumHeight(56)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(24)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        # The per-session counts stay in view below the grid: a one-row view of the model's last row.
        self.footer = QTableView(self)
        self.footer.setObjectName("attendanceCounts")
        self.footer.setModel(self.model)
        self.footer.horizontalHeader().hide()
        self.footer.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.footer.horizontalHeader().setDefaultSectionSize(hh.defaultSectionSize())
        self.footer.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.footer.verticalHeader().setDefaultSectionSize(vh.defaultSectionSize())
        self.footer.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.footer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.footer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footer.setFixedHeight(vh.defaultSectionSize() + 2 * self.footer.frameWidth() + 2)
        self.view.horizontalScrollBar().valueChanged.connect(self.footer.horizontalScrollBar().setValue)
        self.model.modelReset.connect(self._split_counts)
        grid_box = QWidget(self)
        box_layout = QVBoxLayout(grid_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(0)
        box_layout.addWidget(self.view, 1)
        box_layout.addWidget(self.footer)
        splitter.addWidget(grid_box)
        splitter.addWidget(self._build_side_panel())
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([960, 230])
        layout.addWidget(splitter, 1)
        self.summary = QLabel(self)
        self.summary.setObjectName("attendanceSummaryLine")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model.pending_changed.connect(self._pending_changed)
        self.model.dataChanged.connect(lambda *_: self._update_summary())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._show_cell())

    # -- building

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if name:
            action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.save_action = self._action(self.tr("Save marks"), self.save, QKeySequence.StandardKey.Save, "saveMarks")
        self.save_button = QPushButton(self.tr("Save marks"), self)
        self.save_button.setObjectName("saveMarks")
        self.save_button.setToolTip(self.tr("Save every unsaved entry at once (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.undo_action)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("Redo"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.redo_action)
        undo = QToolButton(self)
        undo.setDefaultAction(self.undo_action)
        session_menu = QMenu(self)
        trainee_menu = QMenu(self)
        for status in AttendanceStatus:
            session_menu.addAction(status.label, lambda s=status: self.mark_session(s))
            trainee_menu.addAction(status.label, lambda s=status: self.mark_trainee(s))
        self.session_button = QPushButton(self.tr("Mark the session as"), self)
        self.session_button.setObjectName("markSession")
        self.session_button.setMenu(session_menu)
        self.trainee_button = QPushButton(self.tr("Mark the trainee as"), self)
        self.trainee_button.setObjectName("markTrainee")
        self.trainee_button.setMenu(trainee_menu)
        self.fill_button = QPushButton(self.tr("Rest present (F)"), self)
        self.fill_button.setObjectName("fillPresent")
        self.fill_button.setToolTip(self.tr("Mark every unmarked trainee of the selected session present"))
        self.fill_button.clicked.connect(self.fill_column_present)
        print_menu = QMenu(self)
        print_menu.addAction(self.tr("This session's sign-in sheet…"), lambda: self.print_signin(day=False))
        print_menu.addAction(self.tr("The day's sign-in sheets…"), lambda: self.print_signin(day=True))
        self.print_button = QPushButton(self.tr("Sign-in sheet"), self)
        self.print_button.setObjectName("printSignin")
        self.print_button.setMenu(print_menu)
        import_menu = QMenu(self)
        import_menu.addAction(self.tr("Punch log of the terminal…"), lambda: self.import_file("punches"))
        import_menu.addAction(self.tr("Filled attendance workbook…"), lambda: self.import_file("workbook"))
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.setObjectName("importAttendance")
        self.import_button.setMenu(import_menu)
        for w in (self.save_button, undo, self.session_button, self.trainee_button, self.fill_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.print_button)
        row.addWidget(self.import_button)
        return row

    def _build_side_panel(self) -> QWidget:
        box = QGroupBox(self.tr("Selected mark"), self)
        box.setObjectName("attendanceSidePanel")
        box.setMinimumWidth(210)
        form = QFormLayout(box)
        self.cell_who = QLabel(box)
        self.cell_who.setWordWrap(True)
        self.cell_status = QLabel(box)
        self.cell_status.setObjectName("cellStatus")
        self.cell_recorded = QLabel(box)
        self.cell_recorded.setWordWrap(True)
        self.cell_recorded.setObjectName("cellRecorded")
        self.signed_in = QCheckBox(self.tr("Signed in"), box)
        self.sign_in = QTimeEdit(box)
        self.sign_in.setObjectName("signInTime")
        self.signed_out = QCheckBox(self.tr("Signed out"), box)
        self.sign_out = QTimeEdit(box)
        self.sign_out.setObjectName("signOutTime")
        for check, edit in ((self.signed_in, self.sign_in), (self.signed_out, self.sign_out)):
            edit.setDisplayFormat("HH:mm")
            check.toggled.connect(edit.setEnabled)
        self.apply_times_button = QPushButton(self.tr("Use these times"), box)
        self.apply_times_button.setObjectName("applyTimes")
        self.apply_times_button.setToolTip(self.tr("Enter the times; the status follows from the school's tolerances"))
        self.apply_times_button.clicked.connect(self.apply_times)
        form.addRow(self.cell_who)
        form.addRow(self.tr("Status:"), self.cell_status)
        form.addRow(self.signed_in, self.sign_in)
        form.addRow(self.signed_out, self.sign_out)
        form.addRow(self.apply_times_button)
        form.addRow(self.cell_recorded)
        return box

    # -- loading

    def _split_counts(self) -> None:
        """The grid shows the trainees' rows, the footer only the counts row, header widths matched."""
        last = self.model.totals_row
        self.view.setRowHidden(last, False)
        for row in range(self.model.rowCount()):
            self.view.setRowHidden(row, row == last)
            self.footer.setRowHidden(row, row != last)
        width = max(self.view.verticalHeader().sizeHint().width(), self.footer.verticalHeader().sizeHint().width())
        self.view.verticalHeader().setFixedWidth(width)
        self.footer.verticalHeader().setFixedWidth(width)

    def reload(self) -> None:
        """Read the class again (:func:`load_grid`); unsaved entries stay."""
        current = self.view.currentIndex()
        self._notes.clear()
        try:
            with self.ctx.register.session() as s:
                data = load_grid(s, self.class_id)
        except Exception:
            log.exception("the attendance grid could not be loaded")
            self.summary.setText(self.tr("The attendance could not be read; see the log."))
            return
        self.model.load(data)
        if data is None:
            return
        for w in (self.session_button, self.trainee_button, self.fill_button, self.import_button, self.apply_times_button):
            w.setEnabled(not self.model.read_only)
        if current.isValid() and current.row() < self.model.rowCount() and current.column() < self.model.columnCount():
            self.view.setCurrentIndex(self.model.index(current.row(), current.column()))
        elif self.model.trainees and self.model.sessions:
            self.view.setCurrentIndex(self.model.index(0, self._default_column()))
        self._update_summary()
        self._show_cell()

    def _default_column(self) -> int:
        """The first session of today or later (what is being marked), else the last one."""
        today = self.model.data_.as_of
        for c, s in enumerate(self.model.sessions):
            if s.date >= today:
                return c
        return max(len(self.model.sessions) - 1, 0)

    def _update_summary(self) -> None:
        data = self.model.data_
        if data is None:
            return
        rates = [self.model.rate(r) for r in range(len(self.model.trainees))]
        below = sum(1 for r in rates if r.counted_periods and not r.eligible)
        text = (
            self.tr("Rates by periods attended, as of today. Threshold %1; %2 trainee(s) below it.")
            .replace("%1", f"{data.settings.attendance_threshold:.0%}")
            .replace("%2", str(below))
        )
        if self.model.pending:
            text += " " + self.tr("%1 unsaved entry(ies): save with Ctrl+S.").replace("%1", str(len(self.model.pending)))
        if self.model.read_only:
            text += " " + self.tr("The class is archived: its attendance can no longer be changed.")
        self.summary.setText(text)

    def _pending_changed(self, count: int) -> None:
        self.save_button.setEnabled(count > 0)
        self.save_button.setText(self.tr("Save marks") + (f" ({count})" if count else ""))
        self._update_summary()
        self._show_cell()

    def _current(self) -> tuple[int, int] | None:
        index = self.view.currentIndex()
        if not self.model.is_mark_cell(index):
            return None
        return index.row(), index.column()

    def _show_cell(self) -> None:
        cell = self._current()
        enabled = cell is not None and self.model.editable(*cell)
        for w in (self.signed_in, self.signed_out, self.apply_times_button):
            w.setEnabled(enabled)
        if cell is None:
            self.cell_who.setText("")
            self.cell_status.setText("")
            self.cell_recorded.setText("")
            return
        row, column = cell
        t, s = self.model.trainees[row], self.model.sessions[column]
        self.cell_who.setText(f"{t.name}\n{s.date.isoformat()} {s.start_time:%H:%M}–{s.end_time:%H:%M}（{s.periods}课时）")
        m = self.model.mark(row, column)
        pending = self.model.key(row, column) in self.model.pending
        self.cell_status.setText(
            (m.status.label if m else self.tr("Not recorded")) + (self.tr(" (not saved)") if pending else "")
        )
        for check, edit, value, default in (
            (self.signed_in, self.sign_in, m.sign_in_at if m else None, s.start_time),
            (self.signed_out, self.sign_out, m.sign_out_at if m else None, s.end_time),
        ):
            clock = to_local(value).time() if value else default
            edit.setTime(QTime(clock.hour, clock.minute))
            check.setChecked(value is not None)
            edit.setEnabled(enabled and value is not None)
        lines = []
        recorded = self.model.recorded(row, column)
        if recorded is not None:
            key = (t.enrollment_id, s.id)
            note = self._notes.get(key)
            if key not in self._notes:
                try:
                    with self.ctx.register.session() as db:
                        note = self._notes[key] = load_record_note(db, s.id, t.enrollment_id)
                except Exception:
                    log.exception("who recorded the mark could not be read")
            if note is not None:
                lines.append(
                    self.tr("Recorded by %1, %2 (%3)")
                    .replace("%1", note.recorded_by or "—")
                    .replace("%2", to_local(note.recorded_at).strftime("%Y-%m-%d %H:%M") if note.recorded_at else "")
                    .replace("%3", note.method.label if note.method else "—")
                )
            if recorded.is_correction:
                lines.append(self.tr("Late correction: %1").replace("%1", recorded.correction_reason))
        if m is not None and m.leave_reason:
            lines.append(self.tr("Reason for leave: %1").replace("%1", m.leave_reason))
        if not self.model.editable(row, column) and not self.model.read_only:
            lines.append(self.tr("Outside the trainee's enrolment: not marked."))
        self.cell_recorded.setText("\n".join(lines))

    # -- marking

    def handle_key(self, key: int, modifiers) -> bool:
        """The marking keys; False for keys the view handles (arrows, paging …)."""
        if modifiers & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
            return False
        if key in KEYS:
            self.mark_current(KEYS[key])
            return True
        if key == Qt.Key.Key_Space:
            self.cycle_current()
            return True
        if key == Qt.Key.Key_F:
            self.fill_column_present()
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.take_back_current()
            return True
        return False

    def _push(self, entries: dict[tuple[int, int], CellMark | None], text: str) -> None:
        if not entries:
            return
        if self.model.read_only:
            messages.inform(
                self, self.tr("Attendance"), self.tr("The class is archived: its attendance can no longer be changed.")
            )
            return
        self.undo_stack.push(_MarkCommand(self.model, entries, text))

    def ask_leave_reason(self) -> str | None:
        """The reason for a leave of absence (请假), which the core requires; None when cancelled."""
        reason, ok = QInputDialog.getText(self, self.tr("On leave"), self.tr("Reason for the leave (e.g. 病假):"))
        if not ok:
            return None
        reason = reason.strip()
        if not reason:
            messages.inform(self, self.tr("On leave"), self.tr("Enter the reason for the leave: the archive keeps it."))
            return None
        if len(reason) > REASON_LENGTH:
            messages.inform(
                self, self.tr("On leave"), self.tr("Keep the reason within %1 characters.").replace("%1", str(REASON_LENGTH))
            )
            return None
        return reason

    def ask_correction_reason(self, count: int) -> str | None:
        """The reason for changing recorded marks (补录), stored with them; None when cancelled."""
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Late correction"),
            self.tr("%1 mark(s) change what was recorded (补录). Reason for the correction:").replace("%1", str(count)),
        )
        if not ok:
            return None
        reason = reason.strip()
        if not reason:
            messages.inform(
                self, self.tr("Late correction"), self.tr("Enter the reason for the correction: the archive keeps it.")
            )
            return None
        if len(reason) > REASON_LENGTH:
            messages.inform(
                self,
                self.tr("Late correction"),
                self.tr("Keep the reason within %1 characters.").replace("%1", str(REASON_LENGTH)),
            )
            return None
        return reason

    def _entry(self, status: AttendanceStatus, old: CellMark | None, leave_reason: str = "") -> CellMark:
        """A new entry of ``status``. Sign-in and sign-out times already there are kept: a status set
        by hand overrides what the times gave (an excused late arrival) without losing them."""
        if status != AttendanceStatus.LEAVE:
            leave_reason = ""
        elif not leave_reason and old is not None:
            leave_reason = old.leave_reason
        if old is None:
            return CellMark(status, leave_reason=leave_reason)
        return CellMark(status, old.sign_in_at, old.sign_out_at, leave_reason)

    def _mark_cells(self, cells: Iterable[tuple[int, int]], status: AttendanceStatus, text: str) -> None:
        cells = [c for c in cells if self.model.editable(*c)]
        if not cells:
            return
        reason = ""
        if status == AttendanceStatus.LEAVE:
            reason = self.ask_leave_reason()
            if reason is None:
                return
        self._push({self.model.key(r, c): self._entry(status, self.model.mark(r, c), reason) for r, c in cells}, text)

    def mark_current(self, status: AttendanceStatus) -> None:
        cell = self._current()
        if cell is None:
            return
        self._mark_cells([cell], status, self.tr("Mark %1").replace("%1", status.label))
        if self.model.editable(*cell):
            self._move_down()

    def _move_down(self) -> None:
        index = self.view.currentIndex()
        if index.row() + 1 < self.model.totals_row:
            self.view.setCurrentIndex(self.model.index(index.row() + 1, index.column()))

    def cycle_current(self) -> None:
        cell = self._current()
        if cell is None or not self.model.editable(*cell):
            return
        m = self.model.mark(*cell)
        status = CYCLE[(CYCLE.index(m.status) + 1) % len(CYCLE)] if m and m.status in CYCLE else CYCLE[0]
        self._mark_cells([cell], status, self.tr("Mark %1").replace("%1", status.label))

    def take_back_current(self) -> None:
        cell = self._current()
        if cell is None or self.model.key(*cell) not in self.model.pending:
            return
        self._push({self.model.key(*cell): None}, self.tr("Take back"))

    def fill_column_present(self) -> None:
        """Every unmarked trainee of the selected session: present."""
        index = self.view.currentIndex()
        if not index.isValid() or index.column() >= self.model.rate_column:
            return
        c = index.column()
        cells = [(r, c) for r in range(self.model.totals_row) if self.model.mark(r, c) is None]
        self._mark_cells(cells, AttendanceStatus.PRESENT, self.tr("Rest of the session present"))

    def mark_session(self, status: AttendanceStatus) -> None:
        """The whole selected session (every trainee enrolled on its day): one action."""
        index = self.view.currentIndex()
        if not index.isValid() or index.column() >= self.model.rate_column:
            messages.inform(self, self.tr("Attendance"), self.tr("Select a cell of the session first."))
            return
        c = index.column()
        self._mark_cells(
            [(r, c) for r in range(self.model.totals_row)], status, self.tr("Session marked %1").replace("%1", status.label)
        )

    def mark_trainee(self, status: AttendanceStatus) -> None:
        """Every session of the selected trainee held so far (to today): one action."""
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= self.model.totals_row:
            messages.inform(self, self.tr("Attendance"), self.tr("Select a cell of the trainee first."))
            return
        r, today = index.row(), self.model.data_.as_of
        self._mark_cells(
            [(r, c) for c, s in enumerate(self.model.sessions) if s.date <= today],
            status,
            self.tr("Trainee marked %1").replace("%1", status.label),
        )

    def apply_times(self) -> None:
        """The side panel's times for the selected cell; the status follows from the tolerances."""
        cell = self._current()
        if cell is None or not self.model.editable(*cell):
            return
        s = self.model.sessions[cell[1]]
        sign_in = local_instant(s.date, self.sign_in.time().toPython()) if self.signed_in.isChecked() else None
        sign_out = local_instant(s.date, self.sign_out.time().toPython()) if self.signed_out.isChecked() else None
        if sign_in is not None and sign_out is not None and sign_out < sign_in:
            messages.inform(
                self, self.tr("Attendance"), self.tr("The sign-out time is earlier than the sign-in time; check them.")
            )
            return
        status = derive_status(s, sign_in, sign_out, self.model.data_.settings)
        self._push(
            {self.model.key(*cell): CellMark(status, sign_in, sign_out)},
            self.tr("Times entered"),
        )

    def _context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if not self.model.is_mark_cell(index) or self.model.read_only:
            return
        self.view.setCurrentIndex(index)
        menu = QMenu(self)
        for n, status in enumerate(AttendanceStatus, 1):
            menu.addAction(f"{status.label}\t{n}", lambda s=status: self.mark_current(s))
        menu.addSeparator()
        session_menu = menu.addMenu(self.tr("Mark the session as"))
        trainee_menu = menu.addMenu(self.tr("Mark the trainee as"))
        for status in AttendanceStatus:
            session_menu.addAction(status.label, lambda s=status: self.mark_session(s))
            trainee_menu.addAction(status.label, lambda s=status: self.mark_trainee(s))
        menu.addAction(self.tr("Rest present (F)"), self.fill_column_present)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # -- saving

    def save(self) -> bool:
        """Write every unsaved entry in one transaction; 补录 ask for their reason first."""
        marks = self.model.pending_marks()
        if not marks:
            return True
        if self.ctx.runner.writing:
            from zunyi_trainer.gui.form_dialog import wait_for_write_message

            messages.inform(self, self.tr("Please wait"), wait_for_write_message())
            return False
        reason = None
        corrections = self.model.corrections()
        if corrections:
            reason = self.ask_correction_reason(corrections)
            if reason is None:
                return False
        from zunyi_trainer.attendance import record_marks

        try:
            with self.ctx.register.transaction() as s:
                record_marks(
                    s,
                    marks,
                    method=AttendanceMethod.MANUAL,
                    recorded_by=self.ctx.register.actor,
                    correction_reason=reason,
                )
        except Exception as exc:
            messages.show_error(self, exc)
            return False
        # The grid already holds what was written: fold it in rather than read the class again
        # (the class window reloads its tabs on the change signal anyway).
        data = self.model.data_
        for key, mark in self.model.pending.items():
            corrected = key in data.marks
            data.marks[key] = mark._replace(is_correction=corrected, correction_reason=reason if corrected else "")
        self.model.pending.clear()
        self.undo_stack.clear()
        self._notes.clear()
        self.model.load(data)
        self._show_cell()
        self.ctx.changed("attendance")
        return True

    def discard(self) -> None:
        self.undo_stack.clear()
        self.model.pending.clear()
        self.reload()

    def confirm_close(self) -> bool:
        """Whether the window may close: with unsaved entries, ask to save, discard or stay."""
        if not self.model.pending:
            return True
        answer = self.ask_unsaved(len(self.model.pending))
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.discard()
            return True
        return False

    def ask_unsaved(self, count: int) -> str:
        """ "save", "discard" or "cancel"."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unsaved attendance"),
            self.tr("%1 attendance entry(ies) are not saved yet. Save them?").replace("%1", str(count)),
            parent=self,
        )
        box.setObjectName("unsavedMarks")
        save = box.addButton(QMessageBox.StandardButton.Save)
        discard = box.addButton(QMessageBox.StandardButton.Discard)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def showEvent(self, event) -> None:
        # Closing the class window, or the main window it belongs to, asks about unsaved entries.
        windows = []
        window = self.window()
        while window is not None and window is not self:
            windows.append(window)
            parent = window.parentWidget()
            window = parent.window() if parent is not None else None
        for w in windows:
            if w not in self._watched:
                w.installEventFilter(self)
                self._watched.append(w)
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and watched in self._watched and not self.confirm_close():
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    # -- printing and importing

    def _needs_saved(self, what: str) -> bool:
        if self.model.pending:
            messages.inform(self, what, self.tr("Save or undo the unsaved entries first."))
            return True
        return False

    def print_signin(self, *, day: bool) -> None:
        """The selected session's sign-in sheet, or every sheet of its day: generated off the UI
        thread and shown in the preview, to print or save where the user chooses."""
        if not self.model.sessions:
            messages.inform(self, self.tr("Sign-in sheet"), self.tr("The class has no sessions yet."))
            return
        index = self.view.currentIndex()
        column = index.column() if index.isValid() and index.column() < self.model.rate_column else self._default_column()
        s = self.model.sessions[column]
        if self.documents is None:
            from zunyi_trainer.gui.document_actions import ClassDocuments

            self.documents = ClassDocuments(self.ctx, self.class_id, self)
        if day:
            self.documents.signin_day(s.date)
        else:
            self.documents.signin_session(s.id)

    def choose_import_file(self, kind: str) -> str:
        title = self.tr("Import a punch log") if kind == "punches" else self.tr("Import a filled attendance workbook")
        path, _ = QFileDialog.getOpenFileName(self, title, "", self.tr("Workbooks and CSV (*.xlsx *.xls *.csv *.txt)"))
        return path

    def confirm_import(self, report, recheck: Callable[[str], Any] | None = None) -> str | None:
        """Show the dry run's report; the correction reason ("" for none) to apply, None to cancel.
        ``recheck(reason)`` gives the report of a dry run with the reason (run off the UI thread)."""
        dialog = ImportReportDialog(report, self)
        if recheck is not None:
            dialog.recheck = lambda reason: self.ctx.runner.run(
                lambda _task: recheck(reason), on_done=dialog.show_report, parent=dialog, label=self.tr("Checking the file…")
            )
            dialog.show_report(report)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.text().strip()

    def import_file(self, kind: str, path: str | None = None) -> None:
        """Read the file and check it (a dry run, off the UI thread), show its report, then on
        "apply" record the marks in one transaction (after the core's pre-import backup)."""
        what = self.tr("Import")
        if self._needs_saved(what):
            return
        path = path or self.choose_import_file(kind)
        if not path:
            return
        if kind == "punches":
            from zunyi_trainer.punches import import_punches as importer
        else:
            from zunyi_trainer.roster.attendance_sheet import import_attendance as importer
        register, code = self.ctx.register, self.model.data_.code

        def check(task, reason: str = ""):
            return importer(register, path, code, dry_run=True, skip_invalid=True, correction_reason=reason)

        def checked(report) -> None:
            reason = self.confirm_import(report, lambda reason: check(None, reason))
            if reason is None:
                return
            if self.ctx.runner.writing:
                from zunyi_trainer.gui.form_dialog import wait_for_write_message

                messages.inform(self, what, wait_for_write_message())
                return
            self.ctx.runner.run(
                lambda task: importer(register, path, code, skip_invalid=True, correction_reason=reason, progress=task.progress),
                on_done=done,
                parent=self,
                label=self.tr("Recording the marks…"),
                writes=True,
            )

        def done(report) -> None:
            self.last_import = report
            self.reload()
            self.ctx.changed("attendance")
            messages.inform(self, what, "\n".join(report.summary_lines()))

        self.ctx.runner.run(check, on_done=checked, parent=self, label=self.tr("Checking the file…"))
