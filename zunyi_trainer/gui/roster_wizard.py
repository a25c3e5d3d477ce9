"""The roster import wizard (花名册导入向导): choose the file → what was found (sheet, header row,
and the column mapping, which the user corrects with drop-downs) → the validation report, every
row error in Chinese and exportable → import all rows, or only the valid ones → summary.

Nothing is written before the last step: reading, sniffing and validating go through the core's
:mod:`zunyi_trainer.roster.importer` steps, off the UI thread; only the Import button calls
:func:`~zunyi_trainer.roster.importer.apply_roster` (which backs the register up first).
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from zunyi_trainer import idcard
from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.excel.reading import TableFile, column_letter
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.wizard_pages import FileRow, TaskPage, ValuesForm, fill_table, read_only_table
from zunyi_trainer.models import TrainingClass
from zunyi_trainer.roster.fields import FIELDS
from zunyi_trainer.roster.layout import Layout
from zunyi_trainer.roster.report import ERROR, ImportReport, Issue

PREVIEW_ROWS = 5
WRAP_ROWS = 500  # fitting row heights to wrapped messages costs time on long reports
ERROR_COLOUR = QColor("#b3261e")


class IssueModel(QAbstractTableModel):
    """The report's errors, then its warnings: row, column, code, message, the cell as read."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.issues: list[Issue] = []
        self.headers = [
            self.tr("Row"),
            self.tr("Column"),
            self.tr("Kind"),
            self.tr("Code"),
            self.tr("Value in the file"),
            self.tr("What to fix"),
        ]
        self._error, self._warning = self.tr("Error"), self.tr("Warning")

    def set_report(self, report: ImportReport | None) -> None:
        self.beginResetModel()
        self.issues = [] if report is None else [*report.errors, *report.warnings]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.issues)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def kind(self, issue: Issue) -> str:
        return self._error if issue.severity == ERROR else self._warning

    def row_texts(self, issue: Issue) -> list[str]:
        return [str(issue.row or ""), issue.column, self.kind(issue), issue.code, issue.value, issue.message]

    def text(self, issue: Issue, column: int) -> str:
        if column == 0:
            return str(issue.row or "")
        if column == 2:
            return self.kind(issue)
        if column == 4:
            return idcard.mask_cell(issue.value)  # the exported report keeps the value as read
        return (issue.column, issue.code, issue.value, issue.message)[column - 1 if column == 1 else column - 2]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        issue = self.issues[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(issue, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and issue.severity == ERROR:
            return ERROR_COLOUR
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


def write_issues(path: Path, headers: list[str], rows: list[list[str]], sheet_name: str) -> Path:
    """The report's rows as .xlsx (through the core's writer) or .csv (UTF-8 with BOM, so that
    Excel and WPS read the Chinese)."""
    if path.suffix.lower() == ".csv":
        try:
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(headers)
                writer.writerows(rows)
        except OSError as exc:
            raise ZunyiError(
                "无法写入 {p}（{why}）。请换一个文件夹，或关闭在 Excel/WPS 中打开的这个文件。",
                "Cannot write {p} ({why}). Choose another folder, or close the file in Excel/WPS.",
                code="report.write",
                p=str(path),
                why=exc.strerror or str(exc),
            ) from None
        return path
    from zunyi_trainer.excel import Column, write_table
    from zunyi_trainer.excel.writing import INT, TEXT

    columns = [Column(headers[0], INT), *(Column(h, TEXT) for h in headers[1:])]
    typed = [[int(r[0]) if r[0].isdigit() else None, *r[1:]] for r in rows]
    return write_table(path, columns, typed, sheet_name=sheet_name)


# --- page 1: the file ---------------------------------------------------------------------------


class FilePage(TaskPage):
    task_label = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("rosterFilePage")
        self.setTitle(self.tr("Choose the roster file"))
        self.setSubTitle(
            self.tr(
                "An Excel workbook (.xlsx) or a CSV file with one trainee a row. Title rows, instruction sheets "
                "and other column names are recognised. Nothing is written until the last step."
            )
        )
        self.task_label = self.tr("Reading the roster…")
        layout = QVBoxLayout(self)
        self.file_row = FileRow(self._choose, self.tr("Browse…"), self)
        self.file_row.setObjectName("rosterFile")
        self.file_row.changed.connect(lambda _t: (self.forget_result(), self.completeChanged.emit()))
        layout.addWidget(self.file_row)
        hint = QLabel(
            self.tr(
                "A legacy .xls file must first be saved as .xlsx in Excel or WPS. ID numbers must be in a column "
                "formatted as text."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)

    def _choose(self, current: str) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a roster"), current, self.tr("Workbooks (*.xlsx *.xlsm *.csv);;All files (*)")
        )
        return path

    def isComplete(self) -> bool:
        return bool(self.file_row.text())

    def task_key(self) -> Any:
        return self.file_row.text()

    def task(self, handle, path: str) -> tuple[TableFile, Layout | None, str]:
        from zunyi_trainer.roster.importer import read_roster, sniff_roster

        handle.progress(0, 0)
        table = read_roster(path)
        try:
            layout = sniff_roster(table)
            problem = ""
        except ZunyiError as exc:  # no header found: the user picks the sheet and the header row
            layout, problem = None, exc.message()
        return table, layout, problem

    def accept_result(self, result: tuple[TableFile, Layout | None, str]) -> None:
        wizard: RosterImportWizard = self.wizard()  # type: ignore[assignment]
        wizard.table, wizard.found, wizard.sniff_problem = result


# --- page 2: what was found -------------------------------------------------------------------


class MappingPage(TaskPage):
    def __init__(self, ctx: AppContext, class_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.class_id = class_id
        self.setObjectName("rosterMappingPage")
        self.setTitle(self.tr("What was found in the file"))
        self.setSubTitle(
            self.tr("Check the sheet, the header row and which column holds what; correct any drop-down that is wrong.")
        )
        self.task_label = self.tr("Checking the roster…")
        self._loading = False
        self._shown_table: TableFile | None = None  # the file read that the page was last set up for
        layout = QVBoxLayout(self)
        where = QHBoxLayout()
        where.addWidget(QLabel(self.tr("Sheet:"), self))
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("sheetCombo")
        self.sheet_combo.currentIndexChanged.connect(self._where_changed)
        where.addWidget(self.sheet_combo, 1)
        where.addWidget(QLabel(self.tr("Header row:"), self))
        self.header_spin = QSpinBox(self)
        self.header_spin.setObjectName("headerRowSpin")
        self.header_spin.setRange(1, 1_000_000)
        self.header_spin.valueChanged.connect(self._where_changed)
        where.addWidget(self.header_spin)
        layout.addLayout(where)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("mappingProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e")
        layout.addWidget(self.problem_label)
        box = QGroupBox(self.tr("Columns"), self)
        grid = QGridLayout(box)
        self.combos: dict[str, QComboBox] = {}
        per_column = (len(FIELDS) + 1) // 2
        for i, field in enumerate(FIELDS):
            label = QLabel(field.header + (" *" if field.required else ""), box)
            combo = QComboBox(box)
            combo.setObjectName(f"column_{field.key}")
            combo.currentIndexChanged.connect(self._mapping_changed)
            label.setBuddy(combo)
            row, col = i % per_column, (i // per_column) * 2
            grid.addWidget(label, row, col)
            grid.addWidget(combo, row, col + 1)
            self.combos[field.key] = combo
        layout.addWidget(box)
        layout.addWidget(QLabel(self.tr("The first rows under the header:"), self))
        self.preview = read_only_table([], self)
        self.preview.setObjectName("rosterPreview")
        layout.addWidget(self.preview, 1)
        self.notes = QLabel(self)
        self.notes.setObjectName("mappingNotes")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)

    @property
    def _wizard(self) -> RosterImportWizard:
        return self.wizard()  # type: ignore[return-value]

    def initializePage(self) -> None:
        wizard = self._wizard
        table, layout = wizard.table, wizard.found
        if table is not None and table is self._shown_table:
            return  # back to the first page and on with the same file: the user's choices stay
        self._shown_table = table
        self._loading = True
        try:
            self.sheet_combo.clear()
            for sheet in table.sheets:
                hidden = self.tr(" (hidden)") if sheet.hidden else ""
                self.sheet_combo.addItem(sheet.name + hidden)
            if layout is not None:
                self.sheet_combo.setCurrentIndex(layout.sheet_index)
                self.header_spin.setValue(layout.header_row)
            else:
                first = table.sheets[0].rows[0][0] if table.sheets and table.sheets[0].rows else 1
                self.header_spin.setValue(first)
        finally:
            self._loading = False
        self.problem_label.setText(wizard.sniff_problem)
        self.problem_label.setVisible(bool(wizard.sniff_problem))
        if layout is None:
            self._where_changed()
        else:
            self._show_layout(layout)

    def _where_changed(self) -> None:
        """Another sheet or header row: the mapping that row gives."""
        if self._loading:
            return
        from zunyi_trainer.roster.importer import layout_for

        wizard = self._wizard
        if wizard.table is None or not wizard.table.sheets:
            return
        try:
            wizard.found = layout_for(wizard.table, max(self.sheet_combo.currentIndex(), 0), self.header_spin.value())
        except ZunyiError as exc:
            messages.show_error(self, exc)
            return
        self.problem_label.setVisible(False)
        self._show_layout(wizard.found)

    def _show_layout(self, layout: Layout) -> None:
        wizard = self._wizard
        sheet = wizard.table.sheets[layout.sheet_index]
        width = max(sheet.width, max(layout.headers, default=-1) + 1)
        self._loading = True
        try:
            for key, combo in self.combos.items():
                combo.clear()
                combo.addItem(self.tr("(not imported)"), None)
                for index in range(width):
                    header = layout.headers.get(index, "")
                    combo.addItem(f"{column_letter(index)}：{header}" if header else column_letter(index), index)
                chosen = layout.columns.get(key)
                combo.setCurrentIndex(0 if chosen is None else combo.findData(chosen))
        finally:
            self._loading = False
        headers = [
            f"{column_letter(i)} {layout.headers.get(i, '')}".strip() + ("" if i not in sheet.hidden_columns else "（隐藏）")
            for i in range(width)
        ]
        self.preview.setColumnCount(width)
        self.preview.setHorizontalHeaderLabels(headers)
        rows = list(itertools.islice((v for n, v in sheet.rows if n > layout.header_row), PREVIEW_ROWS))
        fill_table(self.preview, [[idcard.mask_cell(v) for v in values] for values in rows])
        self.notes.setText("\n".join(w.message for w in layout.warnings))
        self.forget_result()
        self.completeChanged.emit()

    def _mapping_changed(self) -> None:
        if self._loading:
            return
        combo = self.sender()
        index = combo.currentData() if isinstance(combo, QComboBox) else None
        # One column means one thing: the field that had this column loses it.
        if index is not None:
            self._loading = True
            try:
                for other in self.combos.values():
                    if other is not combo and other.currentData() == index:
                        other.setCurrentIndex(0)
            finally:
                self._loading = False
        self.forget_result()
        self.completeChanged.emit()

    def corrected_layout(self) -> Layout:
        """The layout with the user's drop-downs (what validation uses)."""
        layout = self._wizard.found
        assert layout is not None
        chosen = {key: combo.currentData() for key, combo in self.combos.items()}
        return layout.with_columns(**chosen)

    def isComplete(self) -> bool:
        return (
            self._wizard is not None
            and self._wizard.found is not None
            and all(self.combos[k].currentData() is not None for k in ("name", "id_number"))
        )

    def task_key(self) -> Any:
        layout = self.corrected_layout()
        return (layout.sheet_index, layout.header_row, tuple(sorted(layout.columns.items())), layout, self._wizard.table)

    def task(self, handle, key):
        from zunyi_trainer.roster.importer import validate_roster

        *_, layout, table = key
        with self.ctx.register.session() as s:
            cls = s.get(TrainingClass, self.class_id)
            if cls is None:
                raise ZunyiError("培训班已被删除。", "The class has been deleted.", code="class.not_found")
            return validate_roster(s, cls, table, layout, progress=handle.progress)

    def accept_result(self, plan) -> None:
        self._wizard.plan = plan


# --- page 3: the report and the choice ----------------------------------------------------------


class ReportPage(TaskPage):
    writes = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("rosterReportPage")
        self.setTitle(self.tr("Validation report"))
        self.setSubTitle(self.tr("Every problem found, row by row. Nothing has been written yet."))
        self.task_label = self.tr("Importing the roster…")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Import"))
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = IssueModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("issuesView")
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setResizeContentsPrecision(200)  # widths from the first rows, not 20,000
        self.view.setWordWrap(True)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export the report…"), self)
        self.export_button.setObjectName("exportReport")
        self.export_button.clicked.connect(lambda: self.export_report())
        buttons.addWidget(self.export_button)
        self.export_status = QLabel(self)
        self.export_status.setObjectName("exportStatus")
        buttons.addWidget(self.export_status, 1)
        layout.addLayout(buttons)
        box = QGroupBox(self.tr("What to import"), self)
        choice = QVBoxLayout(box)
        self.all_radio = QRadioButton(self.tr("Import all rows"), box)
        self.all_radio.setObjectName("importAll")
        self.valid_radio = QRadioButton(self.tr("Import only the valid rows; leave out the rows with errors"), box)
        self.valid_radio.setObjectName("importValid")
        self.group = QButtonGroup(self)
        for radio in (self.all_radio, self.valid_radio):
            self.group.addButton(radio)
            choice.addWidget(radio)
            radio.toggled.connect(lambda _on: self.completeChanged.emit())
        layout.addWidget(box)

    @property
    def _wizard(self) -> RosterImportWizard:
        return self.wizard()  # type: ignore[return-value]

    def initializePage(self) -> None:
        plan = self._wizard.plan
        report = plan.report
        self.model.set_report(report)
        for column in range(self.model.columnCount() - 1):  # the message takes the rest, wrapped
            self.view.resizeColumnToContents(column)
        if self.model.rowCount() <= WRAP_ROWS:  # long messages wrapped; beyond that, in the tooltip
            QTimer.singleShot(0, self.view, self.view.resizeRowsToContents)
        to_write = report.created + report.linked_existing
        bad = len(report.error_rows)
        text = (
            self.tr("%1 row(s) read: %2 valid, %3 with errors, %4 blank or footer row(s) skipped, %5 warning(s).")
            .replace("%1", str(report.rows_read))
            .replace("%2", str(report.valid))
            .replace("%3", str(bad))
            .replace("%4", str(report.skipped_blank))
            .replace("%5", str(len(report.warnings)))
        )
        text += "\n" + self.tr(
            "An import will add %1 new trainee(s) and enrol %2 already in the register; %3 are already in this class."
        ).replace("%1", str(report.created)).replace("%2", str(report.linked_existing)).replace(
            "%3", str(report.already_enrolled)
        )
        if to_write == 0:
            text += "\n" + self.tr("There is nothing to import. Correct the file and choose it again.")
        self.summary.setText(text)
        self.all_radio.setEnabled(not report.errors)
        self.all_radio.setText(
            self.tr("Import all rows")
            if not report.errors
            else self.tr("Import all rows (not possible: %1 row(s) have errors)").replace("%1", str(bad))
        )
        self.valid_radio.setEnabled(bool(report.errors))
        self.valid_radio.setText(
            self.tr("Import only the %1 valid row(s); leave out the %2 row(s) with errors")
            .replace("%1", str(report.valid))
            .replace("%2", str(bad))
        )
        (self.valid_radio if report.errors else self.all_radio).setChecked(True)
        self.forget_result()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plan = self._wizard.plan if self._wizard is not None else None
        if plan is None:
            return False
        report = plan.report
        if report.created + report.linked_existing == 0:
            return False
        return self.valid_radio.isChecked() if report.errors else self.all_radio.isChecked()

    @property
    def skip_invalid(self) -> bool:
        return self.valid_radio.isChecked()

    def task_key(self) -> Any:
        return (self._wizard.plan, self.skip_invalid)

    def task(self, handle, key) -> ImportReport:
        from zunyi_trainer.roster.importer import apply_roster

        plan, skip_invalid = key
        return apply_roster(self.ctx.register, plan, skip_invalid=skip_invalid, progress=handle.progress)

    def accept_result(self, report: ImportReport) -> None:
        self._wizard.report = report
        self._wizard.imported.emit(report)
        self.ctx.changed("enrollment")

    def export_report(self, path: str | Path | None = None) -> Path | None:
        """Save the report's rows to .xlsx or .csv (off the UI thread)."""
        plan = self._wizard.plan
        if plan is None:
            return None
        if not path:
            stem = Path(plan.report.file).stem or "roster"
            suffix = self.tr("report")
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the report"),
                str(Path.home() / f"{stem}-{suffix}.xlsx"),
                self.tr("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"),
            )
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".xlsx")
        headers = list(self.model.headers)
        rows = [self.model.row_texts(i) for i in self.model.issues]
        self.ctx.runner.run(
            lambda _task: write_issues(target, headers, rows, self.tr("Report")),
            on_done=lambda p: self.export_status.setText(self.tr("Report saved to %1").replace("%1", str(p))),
            parent=self,
            label=self.tr("Saving the report…"),
        )
        return target


# --- page 4: summary ----------------------------------------------------------------------------


class SummaryPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterSummaryPage")
        self.setTitle(self.tr("Roster imported"))
        layout = QVBoxLayout(self)
        self.counts = ValuesForm(self)
        self.counts.setObjectName("summaryCounts")
        layout.addWidget(self.counts)
        self.backup = QLabel(self)
        self.backup.setObjectName("summaryBackup")
        self.backup.setWordWrap(True)
        layout.addWidget(self.backup)
        layout.addStretch(1)

    def initializePage(self) -> None:
        report: ImportReport = self.wizard().report  # type: ignore[attr-defined]
        self.counts.set_values(
            [
                (self.tr("Imported into the class"), str(report.imported)),
                (self.tr("New trainees added to the register"), str(report.created)),
                (self.tr("Linked to trainees already in the register"), str(report.linked_existing)),
                (self.tr("Already in this class (not imported again)"), str(report.already_enrolled)),
                (self.tr("Rows with errors left out"), str(report.skipped_invalid)),
                (self.tr("Blank and footer rows skipped"), str(report.skipped_blank)),
            ]
        )
        self.backup.setText(
            self.tr("A backup was taken before the import: %1").replace("%1", report.backup) if report.backup else ""
        )


class RosterImportWizard(QWizard):
    """The wizard; ``imported`` carries the final report once the rows are written."""

    imported = Signal(object)

    def __init__(self, ctx: AppContext, class_id: int, parent: QWidget | None = None, path: str | Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_id = class_id
        self.setObjectName("rosterWizard")
        self.setWindowTitle(self.tr("Import a roster"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(900, 640)
        self.table: TableFile | None = None
        self.found: Layout | None = None  # the sheet, header row and mapping found or chosen
        self.sniff_problem = ""
        self.plan = None
        self.report: ImportReport | None = None
        self.file_page = FilePage(ctx, self)
        self.mapping_page = MappingPage(ctx, class_id, self)
        self.report_page = ReportPage(ctx, self)
        self.summary_page = SummaryPage(self)
        for page in (self.file_page, self.mapping_page, self.report_page, self.summary_page):
            self.addPage(page)
        if path:
            self.file_page.file_row.setText(str(path))
