"""The main window: navigation between the pages, menu bar, toolbar, shortcuts and status bar;
geometry and the last page remembered between sessions."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStyle,
    QWidget,
)

from zunyi_trainer import __version__
from zunyi_trainer.backups import list_backups
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.overview_page import OverviewPage
from zunyi_trainer.gui.register_page import RegisterPage
from zunyi_trainer.gui.register_pages import ClassesPage, FacilitiesPage, TeachersPage, TraineesPage
from zunyi_trainer.gui.settings_page import SettingsPage
from zunyi_trainer.gui.submission_page import SubmissionPage

log = logging.getLogger(__name__)

PAGE_KEYS = ("overview", "classes", "trainees", "teachers", "facilities", "submission", "settings")


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Zunyi Training School Register") + f"  {__version__}")
        self.setMinimumSize(QSize(1024, 680))
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(172)
        self.nav.setStyleSheet(
            "QListWidget#navigation { background: #f1f3f6; border: none; font-size: 11pt; padding-top: 8px; }"
            "QListWidget#navigation::item { padding: 10px 14px; }"
            "QListWidget#navigation::item:selected { background: #d3e3fd; color: #041e49; }"
        )
        self.stack = QStackedWidget(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        titles = {
            "overview": self.tr("Overview"),
            "classes": self.tr("Classes"),
            "trainees": self.tr("Trainees"),
            "teachers": self.tr("Teachers"),
            "facilities": self.tr("Venues and equipment"),
            "submission": self.tr("Submission"),
            "settings": self.tr("Settings"),
        }
        factories = {
            "overview": OverviewPage,
            "classes": ClassesPage,
            "trainees": TraineesPage,
            "teachers": TeachersPage,
            "facilities": FacilitiesPage,
            "submission": SubmissionPage,
            "settings": SettingsPage,
        }
        self.pages: dict[str, QWidget] = {}
        for key in PAGE_KEYS:
            page = factories[key](ctx, self.stack)
            page.setWindowTitle(titles[key])
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(titles[key], self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.currentRowChanged.connect(self._page_chosen)

        self._build_actions()
        self._build_status_bar()
        self._restore_state()
        ctx.records_changed.connect(lambda _table: self.update_status())

    # -- actions, menus, toolbar

    def _action(self, text: str, shortcut: QKeySequence | str | None, slot, icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.new_action = self._action(self.tr("&New"), QKeySequence.StandardKey.New, self.new_record, sp.SP_FileIcon)
        self.save_action = self._action(
            self.tr("&Save a backup"), QKeySequence.StandardKey.Save, self.save, sp.SP_DialogSaveButton
        )
        self.find_action = self._action(self.tr("&Find"), QKeySequence.StandardKey.Find, self.find, sp.SP_FileDialogContentsView)
        self.print_action = self._action(
            self.tr("&Print the list…"), QKeySequence.StandardKey.Print, self.print_view, sp.SP_DialogYesButton
        )
        self.refresh_action = self._action(
            self.tr("&Refresh"), QKeySequence.StandardKey.Refresh, self.refresh, sp.SP_BrowserReload
        )
        self.export_action = self._action(self.tr("&Export the list to Excel…"), "Ctrl+E", self.export_view, sp.SP_DriveFDIcon)
        self.quit_action = self._action(self.tr("E&xit"), QKeySequence.StandardKey.Quit, self.close)
        self.open_action = self._action(self.tr("&Open the selected record"), None, self.open_selected)
        for action in (self.new_action, self.save_action, self.find_action, self.print_action, self.refresh_action):
            action.setObjectName(f"action_{action.text().replace('&', '').split()[0].lower()}")

        menu = self.menuBar().addMenu(self.tr("&File"))
        for action in (self.new_action, self.save_action, self.export_action, self.print_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu(self.tr("&Edit"))
        menu.addAction(self.open_action)
        menu.addAction(self.find_action)
        menu.addAction(self.refresh_action)
        menu = self.menuBar().addMenu(self.tr("&Go"))
        for i, key in enumerate(PAGE_KEYS):
            action = self._action(self.nav.item(i).text(), f"Ctrl+{i + 1}", lambda _=False, k=key: self.show_page(k))
            menu.addAction(action)
        menu = self.menuBar().addMenu(self.tr("&Help"))
        menu.addAction(self._action(self.tr("&About"), None, self.about))

        bar = self.addToolBar(self.tr("Main toolbar"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (
            self.new_action,
            self.find_action,
            self.refresh_action,
            self.export_action,
            self.print_action,
            self.save_action,
        ):
            bar.addAction(action)

    def _build_status_bar(self) -> None:
        self.register_label = QLabel(self)
        self.register_label.setObjectName("registerLabel")
        self.backup_label = QLabel(self)
        self.backup_label.setObjectName("backupLabel")
        self.batch_label = QLabel(self)
        self.batch_label.setObjectName("batchLabel")
        for label in (self.register_label, self.backup_label, self.batch_label):
            self.statusBar().addPermanentWidget(label)
        self.update_status()

    def update_status(self) -> None:
        self.register_label.setText(self.tr("Register: %1").replace("%1", str(self.ctx.register.path)))
        backups = list_backups(self.ctx.register.backups_dir)
        self.backup_label.setText(
            self.tr("Last backup: %1").replace("%1", backups[0].taken_at.strftime("%Y-%m-%d %H:%M"))
            if backups
            else self.tr("Last backup: none yet")
        )
        import sqlalchemy as sa

        from zunyi_trainer.models import BatchState, ExportBatch

        with self.ctx.register.session() as s:
            open_batches = s.scalar(sa.select(sa.func.count(ExportBatch.id)).where(ExportBatch.state == BatchState.EXPORTED)) or 0
            last = s.scalar(sa.select(sa.func.max(ExportBatch.seq)))
        self.batch_label.setText(
            self.tr("Batches: last No. %1, %2 not acknowledged").replace("%1", str(last)).replace("%2", str(open_batches))
            if last
            else self.tr("Batches: none exported yet")
        )

    # -- pages

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(PAGE_KEYS.index(key))

    def current_key(self) -> str:
        return PAGE_KEYS[max(self.nav.currentRow(), 0)]

    def _page_chosen(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.ctx.settings.setValue("window/page", PAGE_KEYS[row])

    def current_register(self) -> RegisterPage | None:
        page = self.stack.currentWidget()
        if isinstance(page, FacilitiesPage):
            return page.current_register()
        return page if isinstance(page, RegisterPage) else None

    # -- commands

    def new_record(self) -> None:
        page = self.current_register()
        if page is None or not page.can_create:
            self.show_page("classes")
            page = self.current_register()
        page.new_record()

    def find(self) -> None:
        page = self.current_register()
        if page is None:
            self.show_page("trainees")
            page = self.current_register()
        page.search.setFocus()
        page.search.selectAll()

    def open_selected(self) -> None:
        page = self.current_register()
        if page is not None:
            page._open_current()

    def refresh(self) -> None:
        self.ctx.changed("")

    def save(self) -> None:
        """Everything is saved as it is entered; Ctrl+S takes a backup, which is what "save" means to
        someone who has lost a file before."""
        self.pages["settings"].back_up_now()

    def export_view(self) -> None:
        page = self.current_register()
        if page is None:
            messages.inform(self, self.tr("Export"), self.tr("Open one of the registers first (classes, trainees, teachers …)."))
            return
        page.export_view()

    def print_view(self, printer: QPrinter | None = None) -> bool:
        """Print the current register's view, every row of it, through the system's print dialog
        (or to ``printer`` as given, e.g. a PDF file)."""
        from PySide6.QtGui import QTextDocument

        page = self.current_register()
        if page is None:
            messages.inform(self, self.tr("Print"), self.tr("Open one of the registers first (classes, trainees, teachers …)."))
            return False
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)  # registers are wide
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return False
        document = QTextDocument(self)
        font = self.font()
        font.setPointSizeF(8)
        document.setDefaultFont(font)
        document.setHtml(page.printable_html())
        document.print_(printer)
        return True

    def about(self) -> None:
        messages.inform(
            self,
            self.tr("About"),
            self.tr("Zunyi Training School Register %1\nThe offline register of a private vocational training school.").replace(
                "%1", __version__
            ),
        )

    # -- state

    def _restore_state(self) -> None:
        geometry = self.ctx.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 860)
        key = str(self.ctx.settings.value("window/page", "overview"))
        self.show_page(key if key in PAGE_KEYS else "overview")

    def save_state(self) -> None:
        self.ctx.settings.setValue("window/geometry", self.saveGeometry())
        self.ctx.settings.setValue("window/page", self.current_key())
        self.ctx.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx.runner.busy:
            if not messages.confirm(
                self,
                self.tr("Work in progress"),
                self.tr("A task is still running. Wait for it to finish before closing?"),
            ):
                event.ignore()
                return
            self.ctx.runner.wait()
        self.save_state()
        for window in QApplication.topLevelWidgets():
            if window is not self and window.objectName() == "classDetail":
                window.close()
        super().closeEvent(event)
