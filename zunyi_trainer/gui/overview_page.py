"""概览: a summary of the school's register on one page (issue 8 adds charts and alerts)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import selectinload

from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.records import fen_to_yuan
from zunyi_trainer.models import (
    ClassSession,
    ClassStatus,
    Employment,
    Enrollment,
    EquipmentSpend,
    Institution,
    Qualification,
    Teacher,
    Trainee,
    TrainingClass,
)
from zunyi_trainer.reference import county_name
from zunyi_trainer.timeutil import today_local


class Tile(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("tile")
        self.setStyleSheet("#tile { background: #ffffff; border: 1px solid #d8dde6; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        self.title = QLabel(title, self)
        self.title.setStyleSheet("color: #5f6368;")
        self.value = QLabel("—", self)
        self.value.setObjectName("tileValue")
        self.value.setStyleSheet("font-size: 22pt; font-weight: 600; color: #1a73e8;")
        self.detail = QLabel("", self)
        self.detail.setStyleSheet("color: #5f6368;")
        self.detail.setWordWrap(True)
        for w in (self.title, self.value, self.detail):
            layout.addWidget(w)

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


class OverviewPage(QWidget):
    page_key = "overview"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("page_overview")
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("schoolHeading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        layout.addWidget(self.heading)
        grid = QGridLayout()
        self.tiles = {
            "trainees": Tile(self.tr("Trainees trained this year"), self),
            "classes": Tile(self.tr("Classes"), self),
            "teachers": Tile(self.tr("Teachers"), self),
            "spend": Tile(self.tr("Equipment spend this year"), self),
        }
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, 0, i)
        layout.addLayout(grid)
        lists = QHBoxLayout()
        box = QGroupBox(self.tr("Sessions in the next 7 days"), self)
        self.upcoming = _table([self.tr("Date"), self.tr("Time"), self.tr("Class"), self.tr("Teacher"), self.tr("Venue")], box)
        self.upcoming.setObjectName("upcomingSessions")
        QVBoxLayout(box).addWidget(self.upcoming)
        lists.addWidget(box, 3)
        box = QGroupBox(self.tr("Needs attention"), self)
        self.attention = _table([self.tr("What"), self.tr("Details")], box)
        self.attention.setObjectName("attentionList")
        QVBoxLayout(box).addWidget(self.attention)
        lists.addWidget(box, 2)
        layout.addLayout(lists, 1)
        ctx.records_changed.connect(lambda _t: self.reload())
        self.reload()

    def reload(self) -> None:
        today = today_local()
        year_start = dt.date(today.year, 1, 1)
        with self.ctx.register.session() as s:
            inst = s.scalars(sa.select(Institution).order_by(Institution.id)).first()
            if inst is None:
                self.heading.setText(self.tr("No institution yet: fill in the institution profile under Settings."))
            else:
                self.heading.setText(f"{inst.name}　{county_name(inst.county)}　{inst.license_no}")
            trained = (
                s.scalar(
                    sa.select(sa.func.count(sa.distinct(Enrollment.trainee_id)))
                    .join(TrainingClass)
                    .where(TrainingClass.start_date >= year_start, Enrollment.withdrawn_on.is_(None))
                )
                or 0
            )
            total_trainees = s.scalar(sa.select(sa.func.count(Trainee.id))) or 0
            self.tiles["trainees"].set(str(trained), self.tr("%1 trainees in the register").replace("%1", str(total_trainees)))
            by_status = dict(s.execute(sa.select(TrainingClass.status, sa.func.count()).group_by(TrainingClass.status)).all())
            self.tiles["classes"].set(
                str(sum(by_status.values())),
                "　".join(f"{st.label} {by_status[st]}" for st in ClassStatus if by_status.get(st)),
            )
            teachers = dict(
                s.execute(sa.select(Teacher.employment, sa.func.count()).where(Teacher.active).group_by(Teacher.employment)).all()
            )
            full, part = teachers.get(Employment.FULL_TIME, 0), teachers.get(Employment.PART_TIME, 0)
            share = f"{full / (full + part):.0%}" if full + part else "—"
            self.tiles["teachers"].set(
                str(full + part),
                self.tr("full-time %1, part-time %2 (full-time share %3)")
                .replace("%1", str(full))
                .replace("%2", str(part))
                .replace("%3", share),
            )
            spent = s.scalar(sa.select(sa.func.sum(EquipmentSpend.amount_fen)).where(EquipmentSpend.spent_on >= year_start)) or 0
            self.tiles["spend"].set(fen_to_yuan(spent), self.tr("yuan since 1 January"))

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
            )
            _fill(
                self.upcoming,
                [
                    [
                        x.date.isoformat(),
                        f"{x.start_time:%H:%M}–{x.end_time:%H:%M}",
                        x.training_class.name,
                        x.teacher.name if x.teacher else "",
                        x.venue.name if x.venue else "",
                    ]
                    for x in sessions
                ],
            )
            attention: list[list[str]] = []
            from zunyi_trainer.settings import load_settings

            soon = today + dt.timedelta(days=load_settings(s).qualification_warn_days)
            for q in s.scalars(
                sa.select(Qualification)
                .join(Teacher)
                .where(Teacher.active, Qualification.expires_on.is_not(None), Qualification.expires_on <= soon)
                .options(selectinload(Qualification.teacher))
                .order_by(Qualification.expires_on)
            ):
                what = self.tr("Certificate expired") if q.expires_on < today else self.tr("Certificate expiring")
                attention.append([what, f"{q.teacher.name}　{q.kind.label} {q.number}　{q.expires_on}"])
            for c in s.scalars(
                sa.select(TrainingClass)
                .where(
                    TrainingClass.status.in_([ClassStatus.DRAFT, ClassStatus.SUBMITTED]),
                    TrainingClass.start_date <= today + dt.timedelta(days=14),
                )
                .order_by(TrainingClass.start_date)
            ):
                attention.append([self.tr("Starts without approval"), f"{c.code} {c.name}　{c.start_date}　{c.status.label}"])
            _fill(self.attention, attention)
        self.upcoming.resizeColumnsToContents()
        self.attention.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.attention.setWordWrap(True)
        self.attention.setTextElideMode(Qt.TextElideMode.ElideRight)
