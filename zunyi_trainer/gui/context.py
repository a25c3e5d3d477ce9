"""What every window and page of the app shares: the open register, the task runner, the app's
settings, and a signal that tells pages a table has changed so they reload."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from PySide6.QtCore import QObject, QSettings, Signal

from zunyi_trainer.db import Register
from zunyi_trainer.gui.tasks import TaskRunner

SETTINGS_FILE = "zunyi-trainer-gui.ini"  # not "desktop.ini": Windows reserves that name in every folder


def open_settings(data_dir: Path) -> QSettings:
    """The desktop app's own settings (window geometry, last page, language, column choices),
    kept beside the register so a portable data folder carries them and tests stay isolated."""
    return QSettings(str(data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


class AppContext(QObject):
    records_changed = Signal(str)  # a table name, or "" for "anything may have changed"

    def __init__(self, register: Register, runner: TaskRunner | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.register = register
        self.runner = runner or TaskRunner(self)
        self.settings = settings or open_settings(register.data_dir)

    @property
    def data_dir(self) -> Path:
        return self.register.data_dir

    def institution_id(self) -> int | None:
        from zunyi_trainer.models import Institution

        with self.register.session() as s:
            return s.scalar(sa.select(Institution.id).order_by(Institution.id).limit(1))

    def changed(self, table: str = "") -> None:
        self.records_changed.emit(table)
