"""The main window: navigation between the pages, menu bar, toolbar, shortcuts and status bar;
geometry and the last page remembered between sessions.

A page is built (and loads its rows) the first time it is shown or used, not when the window
opens: on a large register the window paints after building one page, not seven."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPageLayout
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

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from zunyi_trainer.gui.register_page import RegisterPage

log = logging.getLogger(__name__)

PAGE_KEYS = ("overview", "classes", "trainees", "teachers", "facilities", "submission", "settings")

# Where each page's class lives; its module is imported when the page is first built.
PAGE_CLASSES = {
    "overview": ("zunyi_trainer.gui.overview_page", "OverviewPage"),
    "classes": ("zunyi_trainer.gui.classes_page", "ClassesPage"),
    "trainees": ("zunyi_trainer.gui.trainees_page", "TraineesPage"),
    "teachers": ("zunyi_trainer.gui.register_pages", "TeachersPage"),
    "facilities": ("zunyi_trainer.gui.register_pages", "FacilitiesPage"),
    "submission": ("zunyi_trainer.gui.submission_page", "SubmissionPage"),
    "settings": ("zunyi_trainer.gui.settings_page", "SettingsPage"),
}


class Pages(dict):
    """The window's pages by key; a page not built yet is built when it is asked for."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self._window = window

    def __missing__(self, key: str) -> QWidget:
        if key not in PAGE_KEYS:
            raise KeyError(key)
        return self._window._build_page(key)


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

        self.titles = {
            "overview": self.tr("Overview"),
            "classes": self.tr("Classes"),
            "trainees": self.tr("Trainees"),
            "teachers": self.tr("Teachers"),
            "facilities": self.tr("Venues and equipment"),
            "submission": self.tr("Submission"),
            "settings": self.tr("Settings"),
        }
        self.pages: dict[str, QWidget] = Pages(self)  # built on first use: see _build_page
        for key in PAGE_KEYS:
            placeholder = QWidget(self.stack)
            placeholder.setObjectName(f"unbuilt_{key}")
            self.stack.addWidget(placeholder)
            item = QListWidgetItem(self.titles[key], self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.currentRowChanged.connect(self._page_chosen)

        self._build_actions()
        self._build_status_bar()
        self._restore_state()
        ctx.records_changed.connect(lambda _table: self.update_status())
        self._checking = False  # the deferred quick_check of the register is running

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

        from zunyi_trainer.models import BatchState

        # Plain SQL: filled before the first paint, before the models are mapped (zunyi_trainer.models).
        with self.ctx.register.engine.connect() as conn:
            last, open_batches = conn.execute(
                sa.text("SELECT max(seq), count(CASE WHEN state = :open THEN 1 END) FROM export_batch"),
                {"open": BatchState.EXPORTED.value},
            ).one()
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
        self.pages[PAGE_KEYS[row]]  # built, and its rows loaded, when it is first shown
        self.stack.setCurrentIndex(row)
        self.ctx.settings.setValue("window/page", PAGE_KEYS[row])

    def _build_page(self, key: str) -> QWidget:
        """Build the page ``key`` in place of its placeholder in the stack."""
        import importlib

        module, name = PAGE_CLASSES[key]
        page = getattr(importlib.import_module(module), name)(self.ctx, self.stack)
        page.setWindowTitle(self.titles[key])
        dict.__setitem__(self.pages, key, page)
        index = PAGE_KEYS.index(key)
        placeholder = self.stack.widget(index)
        was_current = self.stack.currentIndex() == index
        self.stack.insertWidget(index, page)
        if was_current:
            self.stack.setCurrentIndex(index)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        return page

    def current_register(self) -> RegisterPage | None:
        from zunyi_trainer.gui.register_page import RegisterPage

        page = self.stack.currentWidget()
        if hasattr(page, "current_register"):  # a page of several registers (venues and equipment)
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
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # loaded when first printing

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

    # -- the register's deferred check

    def check_register_in_background(self) -> None:
        """Run the ``quick_check`` that opening the register left for later (a large register
        closed cleanly last time) on a worker; damage found is said at once, in a dialog and the
        status bar, and the next start refuses the file and offers the newest good backup."""
        register = self.ctx.register
        if not register.report.check_deferred or self._checking:
            return
        self._checking = True
        log.info("checking the register %s in the background", register.path)

        def done(problem: str | None) -> None:
            self._checking = False
            if problem:
                self.register_damaged()

        def failed(exc: BaseException) -> None:
            self._checking = False
            log.warning("the background check of the register could not run: %s", exc)

        self.ctx.runner.run(lambda _task: register.deferred_check(), on_done=done, on_error=failed, parent=self)

    def register_damaged(self) -> None:
        damage = self.ctx.register.damage()
        if damage is None:
            return
        self.damage_label = QLabel(self.tr("The register is damaged: close the program and restore a backup"), self)
        self.damage_label.setObjectName("damageLabel")
        self.damage_label.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.statusBar().insertPermanentWidget(0, self.damage_label)
        question = (
            damage.message()
            + "\n\n"
            + self.tr(
                "Enter nothing more for now. Close the program now? When it starts again it offers to "
                "restore the newest good backup."
            )
        )
        if messages.confirm(self, self.tr("Register damaged"), question):
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        busy = self.ctx.runner.busy - (1 if self._checking else 0)  # the check is stopped, not awaited
        if busy and not messages.confirm(
            self,
            self.tr("Work in progress"),
            self.tr("A task is still running. Wait for it to finish before closing?"),
        ):
            event.ignore()
            return
        if self._checking:
            self.ctx.register.stop_deferred_check()
        if busy:
            self.ctx.runner.wait()
        self.save_state()
        for window in QApplication.topLevelWidgets():
            if window is not self and window.objectName() == "classDetail":
                window.close()
        super().closeEvent(event)
