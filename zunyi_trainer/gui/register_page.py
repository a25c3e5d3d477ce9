"""The common shape of a register page: instant search, filters, a sortable table with column
choice, double-click to open, new / delete, and export of the current view to Excel."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.messages import tr
from zunyi_trainer.gui.table_models import ID_ROLE, Column, RecordTableModel, RegisterFilterProxy, Row

log = logging.getLogger(__name__)

SIZE_SAMPLE_ROWS = 200  # rows whose texts size the columns when a register is first loaded
MEASURED_TEXTS = 8  # of those, the longest (by characters) are measured with the font
CELL_PADDING = 8  # a cell's margins around its text, as the default delegate draws it


class RegisterPage(QWidget):
    """A register loaded in full into a :class:`RecordTableModel` behind a filter proxy.

    Subclasses give ``columns()``, ``load_rows(session)`` and the record actions
    (``open_record``, ``new_record``, ``delete_record``); ``filter_keys`` lists the columns
    that get a filter combo box.
    """

    page_key = "register"
    tables: tuple[str, ...] = ()  # reload when one of these changes
    filter_keys: tuple[str, ...] = ()
    can_create = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"page_{self.page_key}")
        self.model = RecordTableModel(self.columns(), self)
        self.proxy = RegisterFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        ctx.records_changed.connect(self._maybe_reload)
        self.reload()

    # -- to be provided by subclasses

    def columns(self) -> Sequence[Column]:
        raise NotImplementedError

    def load_rows(self, session) -> list[Row]:
        raise NotImplementedError

    #: The record's form (a class of gui.record_dialogs) and its mapped class (of zunyi_trainer.models),
    #: by name: opening, creating and deleting go through them, imported on first use.
    record_dialog = ""
    record_model = ""

    def record_label(self, record) -> str:
        """How the question before deleting names the record."""
        return record.name

    def _dialog_class(self) -> type:
        from zunyi_trainer.gui import record_dialogs

        return getattr(record_dialogs, self.record_dialog)

    def open_record(self, record_id: int) -> None:
        self._dialog_class()(self.ctx, record_id, self).exec()

    def new_record(self) -> None:
        dialog = self._dialog_class()(self.ctx, parent=self)
        if dialog.exec() and dialog.saved_id:
            self.select_id(dialog.saved_id)

    def delete_record(self, record_id: int) -> None:
        from zunyi_trainer import models

        model = getattr(models, self.record_model)
        with self.ctx.register.session() as s:
            label = self.record_label(s.get(model, record_id))
        delete_with_confirmation(self, self.ctx, model, record_id, label, model.__tablename__)

    # -- building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search (all visible columns)…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        bar.addWidget(self.search, 1)
        filter_bar = QHBoxLayout()
        self.filter_bar = filter_bar
        self.filters: dict[str, QComboBox] = {}
        for key in self.filter_keys:
            combo = QComboBox(self)
            combo.setObjectName(f"filter_{key}")
            combo.setMinimumWidth(120)
            combo.currentIndexChanged.connect(self._apply_filters)
            self.filters[key] = combo
            filter_bar.addWidget(QLabel(self.model.columns[self.model.column_index(key)].title + self.tr(":"), self))
            filter_bar.addWidget(combo)
        filter_bar.addStretch(1)
        self.new_button = QPushButton(self.tr("New"), self)
        self.new_button.setObjectName("newButton")
        self.new_button.clicked.connect(self.new_record)
        self.new_button.setVisible(self.can_create)
        self.open_button = QPushButton(self.tr("Open"), self)
        self.open_button.setObjectName("openButton")
        self.open_button.clicked.connect(self._open_current)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.clicked.connect(self._delete_current)
        self.columns_button = QToolButton(self)
        self.columns_button.setObjectName("columnsButton")
        self.columns_button.setText(self.tr("Columns"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self)
        self.columns_button.setMenu(self.columns_menu)
        self.export_button = QPushButton(self.tr("Export to Excel"), self)
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export_view)
        for w in (self.new_button, self.open_button, self.delete_button, self.columns_button, self.export_button):
            bar.addWidget(w)
        layout.addLayout(bar)
        layout.addLayout(filter_bar)

        self.view = QTableView(self)
        self.view.setObjectName("table")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(self._double_clicked)
        # Enter opens the selected record and Delete deletes it, when the table has the focus.
        for key, slot in (
            (Qt.Key.Key_Return, self._open_current),
            (Qt.Key.Key_Enter, self._open_current),
            (Qt.Key.Key_Delete, self._delete_current),
        ):
            shortcut = QShortcut(QKeySequence(key), self.view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        layout.addWidget(self.view, 1)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        layout.addWidget(self.count_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self._build_columns_menu()

    def _build_columns_menu(self) -> None:
        stored = self.ctx.settings.value(f"columns/{self.page_key}")
        # Kept as "hidden:2 6 11" (an INI file would read a comma-separated value back as a list).
        hidden = (
            {int(x) for x in re.findall(r"\d+", str(stored))}
            if stored is not None and str(stored).startswith("hidden:")
            else {i for i, c in enumerate(self.model.columns) if c.hidden}
        )
        for i, column in enumerate(self.model.columns):
            action = QAction(column.title, self.columns_menu)
            action.setCheckable(True)
            action.setChecked(i not in hidden)
            action.toggled.connect(lambda on, i=i: self.set_column_visible(i, on))
            self.columns_menu.addAction(action)
            self.view.setColumnHidden(i, i in hidden)
        self._sync_hidden()

    def set_column_visible(self, column: int, visible: bool) -> None:
        self.view.setColumnHidden(column, not visible)
        self._sync_hidden()
        hidden = " ".join(str(i) for i in range(len(self.model.columns)) if self.view.isColumnHidden(i))
        self.ctx.settings.setValue(f"columns/{self.page_key}", f"hidden:{hidden}")

    def _sync_hidden(self) -> None:
        if isinstance(self.proxy, RegisterFilterProxy):
            self.proxy.set_hidden_columns({i for i in range(len(self.model.columns)) if self.view.isColumnHidden(i)})

    # -- data

    def _maybe_reload(self, table: str) -> None:
        if not table or table in self.tables:
            self.reload()

    def reload(self) -> None:
        with self.ctx.register.session() as s:
            rows = self.load_rows(s)
        self.model.set_rows(rows)
        self._refresh_filter_options()
        self._update_count()
        if not getattr(self, "_sized", False) and rows:
            self._size_columns()
            self._sized = True

    def _size_columns(self) -> None:
        """Fit each column to its title and the texts of the first SIZE_SAMPLE_ROWS rows, measured
        with the font (Qt's resizeColumnsToContents asks the model for every role of every cell:
        longer than loading a thousand classes)."""
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        sample = self.model.rows[:SIZE_SAMPLE_ROWS]
        for i, column in enumerate(self.model.columns):
            texts = {row.values.get(column.key, "") for row in sample}
            # The longest texts by characters hold the widest: measure a few, not all 200.
            longest = sorted(texts, key=len, reverse=True)[:MEASURED_TEXTS]
            widest = max((metrics.horizontalAdvance(text) for text in longest), default=0) + CELL_PADDING
            self.view.setColumnWidth(i, min(max(widest, header.sectionSizeHint(i)) + 16, 320))

    def _refresh_filter_options(self) -> None:
        chosen: dict[int, str | None] = {}
        for key, combo in self.filters.items():
            column = self.model.column_index(key)
            current = combo.currentData()
            values = sorted({r.values.get(key, "") for r in self.model.rows} - {""})
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("All"), "")
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
            chosen[column] = combo.currentData() or None
        self.proxy.set_filters(chosen)

    def _apply_filters(self) -> None:
        self.proxy.set_filters({self.model.column_index(key): combo.currentData() or None for key, combo in self.filters.items()})
        self._update_count()

    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            self.count_label.setText(self.tr("%1 records").replace("%1", str(total)))
        else:
            self.count_label.setText(self.tr("%1 of %2 records").replace("%1", str(shown)).replace("%2", str(total)))

    def flush_search(self) -> None:
        """Apply a pending search at once (the keyboard search waits a moment for more keys)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._apply_search()

    # -- selection and actions

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            rows = self.view.selectionModel().selectedRows()
            if not rows:
                return None
            index = rows[0]
        return index.siblingAtColumn(0).data(ID_ROLE)

    def select_id(self, record_id: int) -> bool:
        model = self.view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ID_ROLE) == record_id:
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return True
        return False

    def _double_clicked(self, index: QModelIndex) -> None:
        record_id = index.siblingAtColumn(0).data(ID_ROLE)
        if record_id is not None:
            self.open_record(record_id)

    def _open_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            messages.inform(self, self.tr("Open"), self.tr("Select a row in the table first."))
            return
        self.open_record(record_id)

    def _delete_current(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            messages.inform(self, self.tr("Delete"), self.tr("Select a row in the table first."))
            return
        self.delete_record(record_id)

    # -- export

    def view_table(self) -> tuple[list[str], list[list[str]]]:
        """The header and rows of the current view: visible columns, filtered and sorted."""
        model = self.view.model()
        visible = [c for c in range(model.columnCount()) if not self.view.isColumnHidden(c)]
        header = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in visible]
        rows = [[str(model.index(r, c).data() or "") for c in visible] for r in range(model.rowCount())]
        return header, rows

    def export_view(self, path: str | Path | None = None) -> Path | None:
        """Write the current view to a workbook, off the UI thread with a progress dialog."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export to Excel"),
                str(Path.home() / f"{self.export_name()}.xlsx"),
                self.tr("Excel workbook (*.xlsx)"),
            )
            if not path:
                return None
        from zunyi_trainer.gui.excel_export import write_table

        target, title = Path(path), self.export_name()
        header, rows = self.export_source()

        def work(task) -> int:
            return write_table(target, title, header, rows(), progress=task.progress)

        def done(count: int) -> None:
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(
                    self.tr("%1 rows exported to %2").replace("%1", str(count)).replace("%2", str(target)), 10000
                )

        self.ctx.runner.run(work, on_done=done, parent=self, label=self.tr("Exporting to Excel…"))
        return target

    def export_source(self):
        """The header and a function giving the rows to export (called on the worker thread)."""
        header, rows = self.view_table()
        return header, lambda: rows

    def printable_html(self) -> str:
        """The current view as an HTML table, for printing every row (not only those on screen)."""
        from html import escape

        header, rows = self.view_table()
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        return (
            f"<h3>{escape(self.export_name())}</h3>"
            '<table border="1" cellspacing="0" cellpadding="3" width="100%">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def export_name(self) -> str:
        return self.windowTitle() or self.page_key


def delete_with_confirmation(page: QWidget, ctx: AppContext, model: type, record_id: int, label: str, table: str) -> bool:
    """Ask before deleting, saying what else would go with the record; refuse with the reason
    when the register does not allow it. Returns whether the record was deleted."""
    from zunyi_trainer.gui import records  # its module maps the models
    from zunyi_trainer.gui.form_dialog import wait_for_write_message

    if ctx.runner.writing:
        messages.inform(page, tr("Please wait"), wait_for_write_message())
        return False
    with ctx.register.session() as s:
        obj = s.get(model, record_id)
        if obj is None:
            return False
        impact = records.deletion_impact(s, obj)
    if impact.blocker:
        messages.inform(page, tr("Cannot delete"), impact.blocker)
        return False
    question = tr("Delete “%1”? This cannot be undone.").replace("%1", label)
    if impact.consequences:
        question += "\n\n" + tr("These go with it:") + "\n" + "\n".join(f"• {c}" for c in impact.consequences)
    if not messages.confirm(page, tr("Delete"), question, destructive=True):
        return False
    try:
        with ctx.register.transaction() as s:
            records.delete_record(s, s.get(model, record_id))
    except Exception as exc:
        messages.show_error(page, exc)
        return False
    ctx.changed(table)
    return True
