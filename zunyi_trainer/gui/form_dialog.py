"""The behaviour every record form shares: values read from and written to the Designer widgets,
validation messages from the core shown next to their field, everything the user typed kept when
saving fails, and a question before unsaved changes are thrown away."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QTime
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from zunyi_trainer.errors import ValidationError, ZunyiError
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.models.enums import LabeledEnum

log = logging.getLogger(__name__)

EMPTY_DATE = QDate(1900, 1, 1)


def wait_for_write_message() -> str:
    return QCoreApplication.translate(
        "FormDialog", "An import, export or backup is still running. Save again when it has finished; nothing you typed is lost."
    )


def to_qdate(day: dt.date | None) -> QDate:
    return EMPTY_DATE if day is None else QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> dt.date | None:
    if not value.isValid() or value == EMPTY_DATE:
        return None
    return dt.date(value.year(), value.month(), value.day())


def fill_enum(
    combo: QComboBox, enum_class: type[LabeledEnum], *, optional: bool = False, members: Iterable | None = None
) -> None:
    combo.clear()
    # Qt hands a str subclass back as a plain str; remember the enum to give members back.
    combo._enum_class = enum_class  # type: ignore[attr-defined]
    if optional:
        combo.addItem("—", None)
    for member in members if members is not None else enum_class:
        combo.addItem(member.label, member.value)


def fill_choices(combo: QComboBox, choices: Iterable[tuple[str, Any]], *, optional: bool = False) -> None:
    combo.clear()
    if optional:
        combo.addItem("—", None)
    for label, value in choices:
        combo.addItem(label, value)


def combo_value(combo: QComboBox) -> Any:
    """The chosen item's data; an enum member for combos filled by :func:`fill_enum`."""
    value = combo.currentData()
    enum_class = getattr(combo, "_enum_class", None)
    return enum_class(value) if enum_class is not None and value is not None else value


def set_combo_value(combo: QComboBox, value: Any) -> None:
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return
    combo.setCurrentIndex(0 if combo.count() else -1)


class FormDialog(QDialog):
    """A record form built from a compiled Designer class (``ui_class``), used by composition."""

    ui_class: type = object
    fields: tuple[str, ...] = ()
    optional_dates: tuple[str, ...] = ()
    table = ""  # the register table this form writes (pages reload on it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = self.ui_class()
        self.ui.setupUi(self)
        self.saved_id: int | None = None
        for name in self.optional_dates:
            edit: QDateEdit = getattr(self.ui, name)
            edit.setMinimumDate(EMPTY_DATE)
            edit.setSpecialValueText(self.tr("(none)"))
            edit.setDate(EMPTY_DATE)
        for name in self.fields:
            widget = getattr(self.ui, name, None)
            if isinstance(widget, QDoubleSpinBox) and name.endswith("_fen"):
                widget.setSuffix(self.tr(" yuan"))
                widget.setGroupSeparatorShown(True)
        self.clear_errors()
        box: QDialogButtonBox = self.ui.buttonBox
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        save = box.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setText(self.tr("Save"))
            save.setDefault(True)
        cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(self.tr("Cancel"))
        self._initial: object = None

    # -- values

    def widget(self, name: str) -> QWidget:
        return getattr(self.ui, name)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.fields:
            w = getattr(self.ui, name, None)
            if isinstance(w, QLineEdit):
                out[name] = w.text()
            elif isinstance(w, QComboBox):
                out[name] = combo_value(w)
            elif isinstance(w, QDateEdit):
                out[name] = from_qdate(w.date())
            elif isinstance(w, QTimeEdit):
                t = w.time()
                out[name] = dt.time(t.hour(), t.minute())
            elif isinstance(w, QSpinBox):
                out[name] = w.value()
            elif isinstance(w, QDoubleSpinBox):
                from zunyi_trainer.gui.records import yuan_to_fen  # its module maps the models

                out[name] = yuan_to_fen(round(w.value(), 2)) if name.endswith("_fen") else round(w.value(), 2)
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText()
            elif isinstance(w, QCheckBox):
                out[name] = w.isChecked()
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            w = getattr(self.ui, name, None)
            if isinstance(w, QLineEdit):
                w.setText("" if value is None else str(value))
            elif isinstance(w, QComboBox):
                set_combo_value(w, value)
            elif isinstance(w, QDateEdit):
                w.setDate(to_qdate(value))
            elif isinstance(w, QTimeEdit) and value is not None:
                w.setTime(QTime(value.hour, value.minute))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            elif isinstance(w, QDoubleSpinBox):
                w.setValue((int(value or 0) / 100) if name.endswith("_fen") else float(value or 0))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(value or "")
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))

    def state(self) -> object:
        """Everything the user can change, for telling whether there are unsaved changes."""
        return repr(sorted(self.values().items(), key=lambda kv: kv[0]))

    def mark_clean(self) -> None:
        self._initial = self.state()

    @property
    def dirty(self) -> bool:
        return self._initial is not None and self.state() != self._initial

    # -- errors

    def clear_errors(self) -> None:
        for label in self.findChildren(QLabel):
            if label.objectName().startswith("err_") or label.objectName() == "formMessage":
                label.setText("")
                label.setVisible(False)

    def show_field_error(self, field: str | None, message: str) -> None:
        label = getattr(self.ui, f"err_{field}", None) if field else None
        if not isinstance(label, QLabel):
            label = self.ui.formMessage
        label.setText(message)
        label.setVisible(True)
        target = getattr(self.ui, field, None) if field else None
        if isinstance(target, QWidget):
            target.setFocus()

    # -- saving

    def commit(self, session, values: dict[str, Any]) -> Any:
        """Write ``values`` in ``session``; return the saved record. Raise ValidationError."""
        raise NotImplementedError

    def save(self) -> bool:
        self.clear_errors()
        if self.ctx.runner.writing:
            self.show_field_error(None, wait_for_write_message())
            return False
        values = self.values()
        try:
            with self.ctx.register.transaction() as s:
                record = self.commit(s, values)
                self.saved_id = getattr(record, "id", None)
        except ValidationError as exc:
            self.show_field_error(exc.field, exc.message())
            return False
        except ZunyiError as exc:
            self.show_field_error(None, exc.message())
            return False
        except Exception as exc:
            messages.show_error(self, exc)
            return False
        self._initial = None
        self.ctx.changed(self.table)
        self.accept()
        return True

    def reject(self) -> None:
        if self.dirty and not messages.confirm(
            self,
            self.tr("Unsaved changes"),
            self.tr("You have changed this form without saving. Close it and discard the changes?"),
            destructive=True,
        ):
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty and not messages.confirm(
            self,
            self.tr("Unsaved changes"),
            self.tr("You have changed this form without saving. Close it and discard the changes?"),
            destructive=True,
        ):
            event.ignore()
            return
        self._initial = None
        super().closeEvent(event)
