"""Messages to the user. Errors as sentences: a ZunyiError becomes its own Chinese message in a dialog; anything else
becomes a calm apology that points at the log file, with the traceback written only to the log."""

from __future__ import annotations

import contextlib
import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from zunyi_trainer.errors import ZunyiError

log = logging.getLogger("zunyi_trainer.gui")


def tr(text: str) -> str:
    """A string of the app's module-level code: lupdate files a plain ``tr("…")`` call under the
    empty context, so it is looked up there (every module imports this one, spelled ``tr``)."""
    return QCoreApplication.translate("", text)


def error_sentence(exc: BaseException) -> str:
    """What the user reads about ``exc``: the core's sentence, or a general one for a bug."""
    if isinstance(exc, ZunyiError):
        return exc.message()
    return tr(
        "Something unexpected went wrong and the operation did not complete. Data saved earlier is not "
        "affected. The details were written to the log file in the data folder (logs)."
    )


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """Log ``exc`` (with traceback unless it is a ZunyiError) and show it as a dialog."""
    if isinstance(exc, ZunyiError):
        log.info("refused: %s (%s)", exc.code, exc.en)
    else:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(QMessageBox.Icon.Warning, title or tr("Could not complete"), error_sentence(exc), parent=parent)
    box.setObjectName("errorDialog")
    _show(box)


# Tests set this so that dialogs do not block (they then find the box among the top-level widgets).
_non_blocking = False
_shown: list[QMessageBox] = []  # non-blocking boxes without a parent, kept alive until closed


def _show(box: QMessageBox) -> None:
    if not _non_blocking:
        box.exec()
        return
    _shown.append(box)
    box.finished.connect(lambda _result: _shown.remove(box) if box in _shown else None)
    box.open()


def set_non_blocking(value: bool) -> None:
    global _non_blocking
    _non_blocking = value


def confirm(parent: QWidget | None, title: str, question: str, *, destructive: bool = False) -> bool:
    """Ask a yes/no question; the safe answer (No) is the default for destructive ones."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setObjectName("confirmDialog")
    yes = box.addButton(QMessageBox.StandardButton.Yes)
    no = box.addButton(QMessageBox.StandardButton.No)
    box.setDefaultButton(no if destructive else yes)
    box.exec()
    return box.clickedButton() is yes


def inform(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, message, parent=parent)
    box.setObjectName("infoDialog")
    _show(box)


def install_excepthook() -> None:
    """An exception escaping a slot is logged and shown, never printed as a traceback."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        with contextlib.suppress(Exception):  # never let the hook itself fail
            show_error(None, exc)

    sys.excepthook = hook
