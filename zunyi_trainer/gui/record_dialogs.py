"""The record forms: institution, class, trainee, teacher, venue, equipment and spend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QLabel,
    QListWidgetItem,
    QStyledItemDelegate,
    QTableWidgetItem,
    QWidget,
)

from zunyi_trainer import idcard
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.gui import records
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.form_dialog import FormDialog, fill_choices, fill_enum, set_combo_value, to_qdate
from zunyi_trainer.gui.forms.class_dialog_ui import Ui_ClassDialog
from zunyi_trainer.gui.forms.equipment_dialog_ui import Ui_EquipmentDialog
from zunyi_trainer.gui.forms.institution_dialog_ui import Ui_InstitutionDialog
from zunyi_trainer.gui.forms.spend_dialog_ui import Ui_SpendDialog
from zunyi_trainer.gui.forms.teacher_dialog_ui import Ui_TeacherDialog
from zunyi_trainer.gui.forms.trainee_dialog_ui import Ui_TraineeDialog
from zunyi_trainer.gui.forms.venue_dialog_ui import Ui_VenueDialog
from zunyi_trainer.models import (
    Attachment,
    Education,
    Employment,
    Equipment,
    EquipmentSpend,
    EquipmentStatus,
    Funding,
    Institution,
    Level,
    QualificationKind,
    SpendKind,
    Teacher,
    Trade,
    Trainee,
    TraineeCategory,
    TrainingClass,
    TrainingMode,
    TrainingType,
    Venue,
    VenueKind,
)
from zunyi_trainer.reference import COUNTIES
from zunyi_trainer.timeutil import today_local


def _institution_id(ctx: AppContext) -> int:
    inst_id = ctx.institution_id()
    if inst_id is None:
        raise ValidationError(
            "登记册中还没有机构信息，请先在“设置”中填写机构概况。",
            "The register has no institution yet; fill in the institution profile under Settings first.",
        )
    return inst_id


# --- institution ------------------------------------------------------------------------------


class InstitutionDialog(FormDialog):
    ui_class = Ui_InstitutionDialog
    table = "institution"
    optional_dates = ("designated_from", "designated_to")
    fields = (
        "name",
        "uscc",
        "license_no",
        "county",
        "address",
        "legal_representative",
        "contact_person",
        "contact_phone",
        "designated_from",
        "designated_to",
        "equipment_target_pct",
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        fill_choices(self.ui.county, [(c.name, c.key) for c in COUNTIES])
        with ctx.register.session() as s:
            inst = s.scalars(sa.select(Institution).order_by(Institution.id)).first()
            self.record_id = inst.id if inst else None
            chosen = {t.id for t in inst.trades} if inst else set()
            for trade in s.scalars(sa.select(Trade).where(Trade.active).order_by(Trade.industry, Trade.code)):
                item = QListWidgetItem(f"{trade.name}（{trade.industry.label}）", self.ui.trade_ids)
                item.setData(Qt.ItemDataRole.UserRole, trade.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if trade.id in chosen else Qt.CheckState.Unchecked)
            if inst is not None:
                self.set_values({f: getattr(inst, f) for f in self.fields})
        self.mark_clean()

    def values(self) -> dict[str, Any]:
        out = super().values()
        out["trade_ids"] = [
            self.ui.trade_ids.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.ui.trade_ids.count())
            if self.ui.trade_ids.item(i).checkState() == Qt.CheckState.Checked
        ]
        return out

    def commit(self, session, values):
        existing = session.get(Institution, self.record_id) if self.record_id else None
        return records.save_institution(session, values, existing)


# --- class ------------------------------------------------------------------------------------


class ClassDialog(FormDialog):
    ui_class = Ui_ClassDialog
    table = "training_class"
    fields = (
        "code",
        "name",
        "trade_id",
        "level",
        "training_type",
        "mode",
        "funding",
        "start_date",
        "end_date",
        "venue_id",
        "head_teacher_id",
        "planned_size",
        "fee_fen",
        "subsidy_standard_fen",
        "assessment_plan",
        "notes",
    )

    def __init__(self, ctx: AppContext, record_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record_id = record_id
        fill_enum(self.ui.training_type, TrainingType)
        fill_enum(self.ui.mode, TrainingMode, optional=True)
        fill_enum(self.ui.funding, Funding)
        self._trades: dict[int, tuple[str, list[Level]]] = {}
        with ctx.register.session() as s:
            inst = s.scalars(sa.select(Institution).order_by(Institution.id)).first()
            approved = {t.id for t in inst.trades} if inst else set()
            trades = list(s.scalars(sa.select(Trade).where(Trade.active).order_by(Trade.industry, Trade.code)))
            # The school's approved trades first: they are the ones a class may be opened for.
            trades.sort(key=lambda t: (t.id not in approved, t.industry.value, t.code))
            self.ui.trade_id.clear()
            for t in trades:
                self._trades[t.id] = (t.industry.label, t.levels)
                mark = "" if t.id in approved or not approved else self.tr(" (not in the approved scope)")
                self.ui.trade_id.addItem(f"{t.name}（{t.code}）{mark}", t.id)
            fill_choices(
                self.ui.venue_id,
                [
                    (f"{v.name}（{v.seats}座）", v.id)
                    for v in s.scalars(sa.select(Venue).where(Venue.active).order_by(Venue.name))
                ],
                optional=True,
            )
            fill_choices(
                self.ui.head_teacher_id,
                [(t.name, t.id) for t in s.scalars(sa.select(Teacher).where(Teacher.active).order_by(Teacher.name))],
                optional=True,
            )
            completer = QCompleter(self.ui.trade_id.model(), self)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.ui.trade_id.setCompleter(completer)
            self.ui.trade_id.setInsertPolicy(self.ui.trade_id.InsertPolicy.NoInsert)
            self.ui.trade_id.currentIndexChanged.connect(self._trade_chosen)
            if record_id is not None:
                c = s.get(TrainingClass, record_id)
                self.setWindowTitle(self.tr("Training class") + f" {c.code}")
                set_combo_value(self.ui.trade_id, c.trade_id)
                self._trade_chosen()
                self.set_values({f: getattr(c, f) for f in self.fields})
            else:
                today = today_local()
                self.ui.code.setText(self._next_code(s, today))
                self.ui.start_date.setDate(to_qdate(today + dt.timedelta(days=14)))
                self.ui.end_date.setDate(to_qdate(today + dt.timedelta(days=28)))
                self._trade_chosen()
        self.mark_clean()

    def _next_code(self, s, today: dt.date) -> str:
        prefix = f"{today:%Y}-"
        count = s.scalar(sa.select(sa.func.count()).where(TrainingClass.code.like(prefix + "%"))) or 0
        return f"{prefix}{count + 1:03d}"

    def _trade_chosen(self) -> None:
        trade_id = self.ui.trade_id.currentData()
        industry, levels = self._trades.get(trade_id, ("", list(Level)))
        self.ui.industry.setText(industry)
        current = self.ui.level.currentData()
        fill_enum(self.ui.level, Level, members=levels or list(Level))
        if current is not None:
            set_combo_value(self.ui.level, current)
        if not self.ui.name.text().strip() and trade_id is not None:
            self.ui.name.setText(self.ui.trade_id.currentText().split("（")[0] + self.tr(" training class"))

    def commit(self, session, values):
        existing = session.get(TrainingClass, self.record_id) if self.record_id else None
        return records.save_class(session, _institution_id(self.ctx), values, existing)


# --- trainee ----------------------------------------------------------------------------------


class TraineeDialog(FormDialog):
    ui_class = Ui_TraineeDialog
    table = "trainee"
    fields = (
        "name",
        "id_number",
        "phone",
        "education",
        "category",
        "household_address",
        "current_address",
        "employer",
        "notes",
    )

    def __init__(self, ctx: AppContext, record_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record_id = record_id
        fill_enum(self.ui.education, Education, optional=True)
        fill_enum(self.ui.category, TraineeCategory)
        set_combo_value(self.ui.category, TraineeCategory.OTHER)
        self.ui.id_number.setMaxLength(22)  # room for pasted spaces, which are cleaned
        self.ui.id_number.textChanged.connect(self.check_id_number)
        self.enrolments = QLabel(self)
        self.enrolments.setObjectName("enrolmentsLabel")
        self.enrolments.setWordWrap(True)
        self.ui.dialogLayout.insertWidget(1, self.enrolments)
        self.enrolments.setVisible(False)
        if record_id is not None:
            withdrawn = self.tr("withdrawn")
            with ctx.register.session() as s:
                t = s.get(Trainee, record_id)
                self.set_values({f: getattr(t, f) for f in self.fields})
                classes = [
                    f"{e.training_class.code} {e.training_class.name}（{e.result.label}"
                    + (f"，{withdrawn}" if e.withdrawn_on else "")
                    + "）"
                    for e in t.enrollments
                ]
            if classes:
                self.enrolments.setText(self.tr("Classes:") + "\n" + "\n".join(classes))
                self.enrolments.setVisible(True)
        self.check_id_number()
        self.mark_clean()

    def check_id_number(self) -> bool:
        """Validate the ID number as it is typed; fill birth date and sex when it is complete."""
        label = self.ui.err_id_number
        number = idcard.clean(self.ui.id_number.text())
        self.ui.birth_date.setText("")
        self.ui.sex.setText("")
        if not number:
            label.setVisible(False)
            return False
        if len(number) < 18 and number.isdigit():
            label.setStyleSheet("color: #5f6368;")
            label.setText(self.tr("%1 of 18 characters").replace("%1", str(len(number))))
            label.setVisible(True)
            return False
        try:
            parsed = idcard.parse(number)
        except ValidationError as exc:
            label.setStyleSheet("color: #b3261e;")
            label.setText(exc.message())
            label.setVisible(True)
            return False
        self.ui.birth_date.setText(parsed.birth_date.isoformat())
        self.ui.sex.setText(parsed.sex.label)
        label.setVisible(False)
        return True

    def commit(self, session, values):
        existing = session.get(Trainee, self.record_id) if self.record_id else None
        return records.save_trainee(session, _institution_id(self.ctx), values, existing)


# --- teacher ----------------------------------------------------------------------------------


class ChoiceDelegate(QStyledItemDelegate):
    """A table column edited by choosing from a list (certificate kinds, trades, levels)."""

    def __init__(self, choices: list[str], parent=None, *, optional: bool = False) -> None:
        super().__init__(parent)
        self.choices = ([""] if optional else []) + choices

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems(self.choices)
        return combo

    def setEditorData(self, editor, index) -> None:
        editor.setCurrentIndex(max(0, editor.findText(index.data() or "")))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentText())


def _parse_day(raw: str, what_zh: str, what_en: str, row: int, field: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValidationError(
            "第 {row} 行的{what}“{raw}”不是日期，请按 2026-03-01 的格式填写。",
            "The {what} “{raw}” in row {row} is not a date; write it like 2026-03-01.",
            field=field,
            row=row,
            what=what_zh,
            raw=raw,
        ) from None


class TeacherDialog(FormDialog):
    ui_class = Ui_TeacherDialog
    table = "teacher"
    optional_dates = ("hired_on", "left_on")
    fields = ("name", "id_number", "phone", "employment", "education", "title", "specialty", "hired_on", "left_on", "notes")

    def __init__(self, ctx: AppContext, record_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record_id = record_id
        fill_enum(self.ui.employment, Employment)
        fill_enum(self.ui.education, Education, optional=True)
        self.ui.tabs.setCurrentIndex(0)
        for table in (self.ui.qualificationsTable, self.ui.affiliationsTable, self.ui.trainingsTable):
            table.horizontalHeader().setStretchLastSection(True)
            table.verticalHeader().setVisible(False)
        with ctx.register.session() as s:
            self._trade_names = {t.name: t.id for t in s.scalars(sa.select(Trade).order_by(Trade.code))}
        table = self.ui.qualificationsTable
        table.setItemDelegateForColumn(0, ChoiceDelegate([k.label for k in QualificationKind], table))
        table.setItemDelegateForColumn(2, ChoiceDelegate(list(self._trade_names), table, optional=True))
        table.setItemDelegateForColumn(3, ChoiceDelegate([lv.label for lv in Level], table, optional=True))
        with ctx.register.session() as s:
            if record_id is not None:
                t = s.get(Teacher, record_id)
                self.set_values({f: getattr(t, f) for f in self.fields})
                self.ui.sex.setText(t.sex.label if t.sex else "")
                for q in t.qualifications:
                    self._add_row(
                        self.ui.qualificationsTable,
                        [
                            q.kind.label,
                            q.number,
                            q.trade.name if q.trade else "",
                            q.level.label if q.level else "",
                            q.issuer,
                            q.issued_on.isoformat() if q.issued_on else "",
                            q.expires_on.isoformat() if q.expires_on else "",
                        ],
                    )
                for a in t.affiliations:
                    self._add_row(self.ui.affiliationsTable, [str(a.year), a.institution_name, a.institution_uscc])
                for tr_ in t.trainings:
                    self._add_row(self.ui.trainingsTable, [tr_.held_on.isoformat(), tr_.title, tr_.organizer, str(tr_.hours)])
        self.ui.qualificationsAdd.clicked.connect(
            lambda: self._add_row(self.ui.qualificationsTable, [QualificationKind.SKILL_LEVEL.label, "", "", "", "", "", ""])
        )
        self.ui.affiliationsAdd.clicked.connect(
            lambda: self._add_row(self.ui.affiliationsTable, [str(today_local().year), "", ""])
        )
        self.ui.trainingsAdd.clicked.connect(
            lambda: self._add_row(self.ui.trainingsTable, [today_local().isoformat(), "", "", "8"])
        )
        for prefix in ("qualifications", "affiliations", "trainings"):
            table = getattr(self.ui, f"{prefix}Table")
            getattr(self.ui, f"{prefix}Remove").clicked.connect(lambda _=False, t=table: t.removeRow(t.currentRow()))
        self.ui.id_number.textChanged.connect(self._id_changed)
        self.mark_clean()

    def _id_changed(self) -> None:
        try:
            self.ui.sex.setText(idcard.parse(self.ui.id_number.text(), min_age=18).sex.label)
            self.ui.err_id_number.setVisible(False)
        except ValidationError as exc:
            self.ui.sex.setText("")
            if len(idcard.clean(self.ui.id_number.text())) >= 18:
                self.ui.err_id_number.setText(exc.message())
                self.ui.err_id_number.setVisible(True)

    @staticmethod
    def _add_row(table, cells: list[str]) -> None:
        row = table.rowCount()
        table.insertRow(row)
        for col, value in enumerate(cells):
            table.setItem(row, col, QTableWidgetItem(value))

    @staticmethod
    def _cells(table) -> list[list[str]]:
        return [
            [(table.item(r, c).text() if table.item(r, c) else "").strip() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]

    def state(self) -> object:
        return (
            super().state(),
            self._cells(self.ui.qualificationsTable),
            self._cells(self.ui.affiliationsTable),
            self._cells(self.ui.trainingsTable),
        )

    def extras(self) -> records.TeacherExtras:
        extras = records.TeacherExtras()
        for i, (kind, number, trade, level, issuer, issued, expires) in enumerate(self._cells(self.ui.qualificationsTable), 1):
            try:
                kind_value = QualificationKind.from_label(kind) if kind else QualificationKind.SKILL_LEVEL
                level_value = Level.from_label(level) if level else None
            except ValueError:
                raise ValidationError(
                    "第 {row} 条资格证书的类别或等级“{v}”无法识别。",
                    "The kind or level “{v}” of qualification {row} is not recognised.",
                    field="qualifications",
                    row=i,
                    v=f"{kind} {level}".strip(),
                ) from None
            if trade and trade not in self._trade_names:
                raise ValidationError(
                    "第 {row} 条资格证书的职业“{v}”不在职业（工种）目录中。",
                    "The trade “{v}” of qualification {row} is not in the list of trades.",
                    field="qualifications",
                    row=i,
                    v=trade,
                )
            extras.qualifications.append(
                records.QualificationRow(
                    kind=kind_value,
                    number=number,
                    trade_id=self._trade_names.get(trade),
                    level=level_value,
                    issuer=issuer,
                    issued_on=_parse_day(issued, "发证日期", "issue date", i, "qualifications"),
                    expires_on=_parse_day(expires, "有效期", "expiry date", i, "qualifications"),
                )
            )
        for i, (year, name, uscc) in enumerate(self._cells(self.ui.affiliationsTable), 1):
            if not year.isdigit():
                raise ValidationError(
                    "第 {row} 条兼职机构的年份“{v}”不是数字。",
                    "The year “{v}” in row {row} is not a number.",
                    field="affiliations",
                    row=i,
                    v=year,
                )
            extras.affiliations.append((int(year), name, uscc))
        for i, (held, title, organizer, hours) in enumerate(self._cells(self.ui.trainingsTable), 1):
            day = _parse_day(held, "培训日期", "date", i, "trainings")
            if day is None:
                raise ValidationError(
                    "第 {row} 条培训记录没有日期。", "Training record {row} has no date.", field="trainings", row=i
                )
            extras.trainings.append((day, title, organizer, int(hours) if hours.isdigit() else 0))
        return extras

    def show_field_error(self, field: str | None, message: str) -> None:
        tab = {"qualifications": 1, "affiliations": 2, "trainings": 3}.get(field or "", 0)
        self.ui.tabs.setCurrentIndex(tab)
        super().show_field_error(field, message)

    def commit(self, session, values):
        existing = session.get(Teacher, self.record_id) if self.record_id else None
        return records.save_teacher(session, _institution_id(self.ctx), values, self.extras(), existing)


# --- venue, equipment, spend ------------------------------------------------------------------


class VenueDialog(FormDialog):
    ui_class = Ui_VenueDialog
    table = "venue"
    fields = ("name", "kind", "address", "area_m2", "seats", "active", "notes")

    def __init__(self, ctx: AppContext, record_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record_id = record_id
        fill_enum(self.ui.kind, VenueKind)
        self.ui.active.setChecked(True)
        if record_id is not None:
            with ctx.register.session() as s:
                v = s.get(Venue, record_id)
                self.set_values({f: getattr(v, f) for f in self.fields})
        self.mark_clean()

    def commit(self, session, values):
        existing = session.get(Venue, self.record_id) if self.record_id else None
        return records.save_venue(session, _institution_id(self.ctx), values, existing)


class EquipmentDialog(FormDialog):
    ui_class = Ui_EquipmentDialog
    table = "equipment"
    optional_dates = ("acquired_on",)
    fields = ("asset_no", "name", "model", "quantity", "unit", "status", "venue_id", "acquired_on", "value_fen", "notes")

    def __init__(self, ctx: AppContext, record_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record_id = record_id
        fill_enum(self.ui.status, EquipmentStatus)
        self.ui.quantity.setMinimum(1)
        self.ui.unit.setText("台")
        with ctx.register.session() as s:
            fill_choices(
                self.ui.venue_id, [(v.name, v.id) for v in s.scalars(sa.select(Venue).order_by(Venue.name))], optional=True
            )
            if record_id is not None:
                e = s.get(Equipment, record_id)
                self.set_values({f: getattr(e, f) for f in self.fields})
        self.mark_clean()

    def commit(self, session, values):
        existing = session.get(Equipment, self.record_id) if self.record_id else None
        return records.save_equipment(session, _institution_id(self.ctx), values, existing)


class SpendDialog(FormDialog):
    ui_class = Ui_SpendDialog
    table = "equipment_spend"
    fields = ("kind", "spent_on", "amount_fen", "equipment_id", "description", "supplier", "invoice_no", "notes")

    def __init__(self, ctx: AppContext, record_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record_id = record_id
        self.new_files: list[Path] = []
        fill_enum(self.ui.kind, SpendKind)
        self.ui.spent_on.setDate(QDate.currentDate())
        with ctx.register.session() as s:
            fill_choices(
                self.ui.equipment_id,
                [(f"{e.name} {e.model}".strip(), e.id) for e in s.scalars(sa.select(Equipment).order_by(Equipment.name))],
                optional=True,
            )
            if record_id is not None:
                sp = s.get(EquipmentSpend, record_id)
                self.set_values({f: getattr(sp, f) for f in self.fields})
                for att in s.scalars(sa.select(Attachment).where(Attachment.spend_id == record_id)):
                    item = QListWidgetItem(f"{att.filename}（{att.kind.label}，SHA-256 {att.sha256[:12]}…）", self.ui.attachments)
                    item.setData(Qt.ItemDataRole.UserRole, ("stored", att.sha256, att.filename))
        self.ui.addAttachment.clicked.connect(self._choose_files)
        self.ui.removeAttachment.clicked.connect(self._remove_file)
        self.ui.openAttachment.clicked.connect(self._open_file)
        self.mark_clean()

    def add_files(self, files: list[Path]) -> None:
        for path in files:
            self.new_files.append(Path(path))
            item = QListWidgetItem(self.tr("%1 (to be attached)").replace("%1", Path(path).name), self.ui.attachments)
            item.setData(Qt.ItemDataRole.UserRole, ("new", str(path), Path(path).name))

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Attach invoice or photo"),
            "",
            self.tr("Invoices and photos (*.pdf *.jpg *.jpeg *.png *.ofd);;All files (*)"),
        )
        self.add_files([Path(f) for f in files])

    def _remove_file(self) -> None:
        item = self.ui.attachments.currentItem()
        if item is None:
            return
        origin, where, _name = item.data(Qt.ItemDataRole.UserRole)
        if origin == "new":
            self.new_files = [p for p in self.new_files if str(p) != where]
            self.ui.attachments.takeItem(self.ui.attachments.row(item))

    def _open_file(self) -> None:
        item = self.ui.attachments.currentItem()
        if item is None:
            return
        origin, where, _name = item.data(Qt.ItemDataRole.UserRole)
        if origin == "new":
            QDesktopServices.openUrl(QUrl.fromLocalFile(where))
        else:
            from zunyi_trainer.attachments import blob_path

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(blob_path(self.ctx.register.attachments_dir, where))))

    def state(self) -> object:
        return (super().state(), [str(p) for p in self.new_files])

    def commit(self, session, values):
        existing = session.get(EquipmentSpend, self.record_id) if self.record_id else None
        return records.save_spend(
            session,
            _institution_id(self.ctx),
            values,
            attachments=self.new_files,
            store=self.ctx.register.attachments_dir,
            existing=existing,
        )
