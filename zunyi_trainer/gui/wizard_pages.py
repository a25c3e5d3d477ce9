"""What the wizards (roster import, batch export, county return) share: a page whose Next runs a
task off the UI thread (with the task runner's progress dialog) and moves on only when it has
succeeded, a file chooser row, and read-only tables.

``QWizardPage.validatePage`` must answer at once, but reading a 20,000-row roster takes seconds.
:class:`TaskPage` answers "not yet", starts the task, and presses Next itself when the result
arrives; with the tests' synchronous pool the result is there before the answer, and Next simply
goes on. An error stays on the page as the core's Chinese sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
    QWizardPage,
)

from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext


class TaskPage(QWizardPage):
    """A wizard page whose Next runs :meth:`task` first. Subclasses define ``task_key`` (the inputs,
    read from the widgets on the UI thread; a new key runs the task again), ``task(handle, key)``
    (on the worker, which must not touch a widget) and ``accept_result`` (on the UI thread)."""

    task_label = ""
    writes = False

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._done_key: Any = None
        self._running = False
        self._advance_when_done = False

    def task_key(self) -> Any:
        return True

    def task(self, handle, key: Any) -> Any:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def accept_result(self, result: Any) -> None:
        pass

    def forget_result(self) -> None:
        """What the task found no longer holds (the user changed an input)."""
        self._done_key = None

    def validatePage(self) -> bool:
        key = self.task_key()
        if self._done_key is not None and self._done_key == key:
            return True
        if self._running:
            return False
        self._running = True
        self._advance_when_done = False

        def done(result: Any) -> None:
            self._running = False
            self.accept_result(result)
            self._done_key = key
            wizard = self.wizard()
            if self._advance_when_done and wizard is not None:
                QTimer.singleShot(0, wizard, wizard.next)  # not after the wizard is gone

        def failed(exc: BaseException) -> None:
            self._running = False
            self._advance_when_done = False
            messages.show_error(self, exc)

        self.ctx.runner.run(
            lambda handle: self.task(handle, key),
            on_done=done,
            on_error=failed,
            parent=self,
            label=self.task_label or None,
            writes=self.writes,
        )
        if not self._running and self._done_key == key:
            return True  # finished at once (a synchronous pool)
        self._advance_when_done = self._running
        return False


class FileRow(QWidget):
    """A path field with a browse button; ``choose`` asks for the path (a file or folder dialog)."""

    changed = Signal(str)

    def __init__(self, choose: Callable[[str], str], button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choose = choose
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("pathEdit")
        self.edit.textChanged.connect(self.changed)
        self.button = QPushButton(button_text, self)
        self.button.setObjectName("browseButton")
        self.button.clicked.connect(self.browse)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)

    def browse(self) -> None:
        chosen = self._choose(self.edit.text())
        if chosen:
            self.edit.setText(chosen)

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, value: str) -> None:
        self.edit.setText(value)


def read_only_table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], colours: list[Any] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            if colours is not None and colours[r] is not None:
                item.setForeground(colours[r])
            table.setItem(r, c, item)


class ValuesForm(QWidget):
    """Label: value rows (a wizard's summary), the values selectable for copying."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._values: dict[str, str] = {}

    def set_values(self, rows: list[tuple[str, str]]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._values = dict(rows)
        for label, value in rows:
            field = QLabel(value, self)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(label + "：", field)

    def values(self) -> dict[str, str]:
        return dict(self._values)
