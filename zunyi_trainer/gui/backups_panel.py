"""Backups on the settings page: back up now (with progress), the list with dates and sizes, restore
with confirmation, and where the backups are kept.

Restoring while the app has the register open is done in place (:func:`restore_in_place`): the app
keeps its lock on the register, lets go of its connections, has ``backups.restore_backup`` put the
backup in place (the current register is backed up first), brings the restored file up to this
version's schema, and then every page reloads from the restored register.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zunyi_trainer import paths
from zunyi_trainer.backups import BackupInfo, check_file, list_backups, restore_backup
from zunyi_trainer.db import Register, known_revisions, open_register
from zunyi_trainer.errors import BackupError
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext

log = logging.getLogger(__name__)

PATH_ROLE = Qt.ItemDataRole.UserRole


def _revision_of(path: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def restore_in_place(register: Register, backup: Path) -> Path | None:
    """Put ``backup`` in place of the open ``register`` and bring it to this version's schema.

    The caller makes sure nothing else is using the register meanwhile (no task running). The
    register's lock stays held throughout. Returns where the register as it was is kept."""
    if not register.is_file:
        raise BackupError(
            "PostgreSQL 数据库请用 pg_restore 恢复（由数据库管理员操作）。",
            "Restore a PostgreSQL database with pg_restore (the database administrator's job).",
        )
    if not backup.is_file():
        raise BackupError("找不到备份文件 {p}。", "No backup file at {p}.", p=str(backup))
    problem = check_file(backup)
    if problem:
        raise BackupError(
            "所选备份已损坏（{problem}），不能用于恢复。请选择另一个备份。",
            "The chosen backup is damaged ({problem}) and cannot be restored. Choose another one.",
            problem=problem,
        )
    revision = _revision_of(backup)
    if revision not in known_revisions():
        raise BackupError(
            "所选备份来自更新版本的程序（数据库版本 {rev}），本程序无法使用。请升级程序后再恢复。",
            "The chosen backup comes from a newer version of the program (schema {rev}); upgrade the program first.",
            rev=str(revision),
        )
    register.engine.dispose()  # no connection may stay open on the file being replaced
    kept = restore_backup(backup, register.path, register.backups_dir)
    default_file = register.path.resolve() == paths.register_path(register.data_dir).resolve()
    fresh = open_register(
        register.data_dir,
        create=False,
        lock=False,  # this process holds the lock already, through ``register``
        database_url=None if default_file else f"sqlite:///{register.path}",
    )
    fresh.close()  # it upgraded an older backup; the app's own engine reads the file from now on
    register.engine.dispose()
    return kept


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class BackupsPanel(QWidget):
    restored = Signal(str)  # the backup's file name, once the register was restored from it

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("backupsPanel")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Back up now"), self)
        self.backup_button.setObjectName("backupNow")
        self.backup_button.setToolTip(self.tr("Take a backup of the register now (Ctrl+S anywhere in the window)"))
        self.backup_button.clicked.connect(self.back_up_now)
        row.addWidget(self.backup_button)
        self.restore_button = QPushButton(self.tr("Restore the chosen backup…"), self)
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.clicked.connect(self.restore_selected)
        row.addWidget(self.restore_button)
        self.open_folder_button = QPushButton(self.tr("Open the backups folder"), self)
        self.open_folder_button.setObjectName("openBackupsFolder")
        self.open_folder_button.clicked.connect(self.open_folder)
        row.addWidget(self.open_folder_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.where = QLabel(self)
        self.where.setObjectName("backupsWhere")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Taken"), self.tr("Why"), self.tr("Size"), self.tr("File")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.note = QLabel(
            self.tr(
                "A backup is taken before every upgrade and before every restore; the newest ten, one a day "
                "for two weeks and one a month for two years are kept. Copy them to a USB stick from time to time."
            ),
            self,
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.note)
        self.reload()

    # -- list

    def reason_label(self, reason: str) -> str:
        labels = {
            "manual": self.tr("by hand"),
            "pre-upgrade": self.tr("before an upgrade"),
            "pre-restore": self.tr("before a restore"),
            "daily": self.tr("daily"),
        }
        return labels.get(reason, reason)

    def backups(self) -> list[BackupInfo]:
        return list_backups(self.ctx.register.backups_dir)

    def reload(self) -> None:
        folder = self.ctx.register.backups_dir
        self.where.setText(self.tr("Kept in: %1").replace("%1", str(folder)))
        found = self.backups()
        self.table.setRowCount(len(found))
        for r, b in enumerate(found):
            taken = QTableWidgetItem(b.taken_at.strftime("%Y-%m-%d %H:%M:%S"))
            taken.setData(PATH_ROLE, str(b.path))
            size = QTableWidgetItem(size_text(b.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for c, item in enumerate((taken, QTableWidgetItem(self.reason_label(b.reason)), size, QTableWidgetItem(b.path.name))):
                self.table.setItem(r, c, item)
        if found and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.ctx.register.is_file and self.selected() is not None)

    def selected(self) -> Path | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return Path(item.data(PATH_ROLE)) if item is not None else None

    # -- actions

    def back_up_now(self) -> None:
        def work(task):
            return self.ctx.register.backup("manual", progress=task.progress)

        def done(info) -> None:
            self.ctx.changed("backup")
            self.reload()
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(self.tr("Backup saved: %1").replace("%1", info.path.name), 8000)

        self.ctx.runner.run(work, on_done=done, parent=self, label=self.tr("Backing up the register…"), writes=True)

    def restore_selected(self) -> bool:
        """Ask, then put the chosen backup in place of the register; the pages reload from it."""
        backup = self.selected()
        if backup is None:
            return False
        if not self.ctx.register.is_file:
            messages.inform(
                self,
                self.tr("Restore"),
                self.tr("This register is kept on a database server; its administrator restores it."),
            )
            return False
        if self.ctx.runner.busy:
            messages.inform(
                self,
                self.tr("Restore"),
                self.tr("Work is still running (an import, export or backup). Restore when it has finished."),
            )
            return False
        info = next((b for b in self.backups() if b.path == backup), None)
        when = info.taken_at.strftime("%Y-%m-%d %H:%M") if info else backup.name
        if not messages.confirm(
            self,
            self.tr("Restore a backup"),
            self.tr(
                "Replace the register with the backup taken %1?\n\nEverything entered after that time will no "
                "longer be in the register. The register as it is now is kept as a backup first (before a "
                "restore), so this can be undone. Open class windows are closed."
            ).replace("%1", when),
            destructive=True,
        ):
            return False
        if not self._close_class_windows():
            return False

        def work(task):
            task.progress(0, 1)
            kept = restore_in_place(self.ctx.register, backup)
            task.progress(1, 1)
            return kept

        def done(kept: Path | None) -> None:
            self.ctx.register.engine.dispose()  # a connection opened meanwhile must not outlive the old file
            self.ctx.changed("")
            self.reload()
            message = self.tr("The register was restored from the backup taken %1.").replace("%1", when)
            if kept is not None:
                message += "\n" + self.tr("The register as it was before is kept at: %1").replace("%1", str(kept))
            messages.inform(self, self.tr("Restored"), message)
            self.restored.emit(backup.name)

        self.ctx.runner.run(work, on_done=done, parent=self, label=self.tr("Restoring the register…"), writes=True)
        return True

    def _close_class_windows(self) -> bool:
        """Class windows show records of the register being replaced: close them (each may ask
        about unsaved changes; a refusal stops the restore)."""
        from zunyi_trainer.gui.class_detail import ClassDetailWindow

        for key, window in list(ClassDetailWindow._open.items()):
            if key[0] != id(self.ctx):
                continue
            if window.isVisible() and not window.close():
                return False
            ClassDetailWindow._open.pop(key, None)
        return True

    def open_folder(self) -> None:
        folder = self.ctx.register.backups_dir
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
