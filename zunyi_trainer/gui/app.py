"""Starting the desktop app: Qt application, translations, log file, opening the register with
its typed refusals turned into Chinese dialogs with choices, the main window, and the
``--screenshot`` mode used for docs and checks."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from zunyi_trainer import paths
from zunyi_trainer.db import Register, open_register
from zunyi_trainer.errors import RegisterDamaged, RegisterLocked, RegisterTooNew, ZunyiError
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext, open_settings
from zunyi_trainer.gui.logfile import setup_logging
from zunyi_trainer.gui.messages import tr
from zunyi_trainer.gui.translations import CATALOGUE, SourceTextTranslator
from zunyi_trainer.i18n import set_language

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1366, 860)
DEFERRED_CHECK_DELAY_MS = 1500  # the first page loads its rows before the register's check reads the disk


# --- application and translations -------------------------------------------------------------


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName("zunyi-trainer")
    app.setOrganizationName("zunyi-trainer")
    return app  # type: ignore[return-value]


def install_font(app: QApplication) -> None:
    """The bundled WenQuanYi font, so Chinese renders the same on a bare Windows or Linux."""
    try:
        font_file = paths.resources_dir() / "fonts" / "wqy-microhei.ttc"
    except FileNotFoundError:
        return
    if font_file.exists():
        font_id = QFontDatabase.addApplicationFont(str(font_file))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families and not any(f in QFontDatabase.families() for f in ("Microsoft YaHei", "微软雅黑")):
            app.setFont(QFont(families[0], 10))


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Our ``zh_CN`` catalogue and Qt's own ``qtbase_zh_CN`` (standard dialogs in Chinese)."""
    for old in getattr(app, "_zunyi_translators", []):
        app.removeTranslator(old)
    installed: list[QTranslator] = []
    set_language(language)
    if language == "zh":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        ours = QTranslator(app)
        try:
            i18n_dir = paths.resources_dir() / "i18n"
        except FileNotFoundError:
            i18n_dir = None
        loaded = i18n_dir is not None and ours.load(str(i18n_dir / f"{CATALOGUE}.qm"))
        if i18n_dir is not None and (i18n_dir / f"{CATALOGUE}.ts").exists():
            # Installed first, so it is asked last: the exact (context, source) lookup wins.
            fallback = SourceTextTranslator(i18n_dir / f"{CATALOGUE}.ts", app, compiled=ours if loaded else None)
            app.installTranslator(fallback)
            installed.append(fallback)
        if loaded:
            app.installTranslator(ours)
            installed.append(ours)
        else:
            log.warning("the zh_CN translation was not found")
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            installed.append(qt)
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    app._zunyi_translators = installed  # type: ignore[attr-defined]
    return installed


# --- opening the register with dialogs --------------------------------------------------------

# A chooser shows a message with buttons and returns the key of the button pressed. Tests pass
# their own; the app uses message boxes.
Chooser = Callable[[str, str, list[tuple[str, str]]], str]


def message_box_chooser(parent: QWidget | None = None) -> Chooser:
    def choose(title: str, message: str, choices: list[tuple[str, str]]) -> str:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
        box.setObjectName("openRegisterDialog")
        buttons = {}
        for key, label in choices:
            role = QMessageBox.ButtonRole.RejectRole if key == "quit" else QMessageBox.ButtonRole.AcceptRole
            buttons[box.addButton(label, role)] = key
        box.exec()
        return buttons.get(box.clickedButton(), "quit")

    return choose


def restore_newest_backup(data_dir: Path, backup: Path) -> None:
    """Put ``backup`` in place of the damaged register, holding the register's lock meanwhile."""
    from zunyi_trainer.backups import restore_backup
    from zunyi_trainer.lockfile import RegisterLock

    register_file = paths.register_path(data_dir)
    with RegisterLock(register_file):
        restore_backup(backup, register_file, paths.backups_dir(data_dir))


def open_register_interactively(data_dir: Path, choose: Chooser) -> Register | None:
    """Open the register; a lock, a newer schema or damage becomes a question. ``None``: the user
    chose to quit."""
    while True:
        try:
            register = open_register(data_dir)
        except RegisterLocked as exc:
            answer = choose(
                tr("Register in use"),
                exc.message(),
                [("retry", tr("Try again")), ("quit", tr("Quit"))],
            )
            if answer == "retry":
                continue
            return None
        except RegisterTooNew as exc:
            choose(tr("Newer register"), exc.message(), [("quit", tr("Quit"))])
            return None
        except RegisterDamaged as exc:
            if not exc.backups:
                choose(tr("Register damaged"), exc.message(), [("quit", tr("Quit"))])
                return None
            newest = exc.backups[0]
            answer = choose(
                tr("Register damaged"),
                exc.message()
                + "\n\n"
                + tr("Restore the newest good backup (%1, taken %2) now? The damaged file is kept beside it.")
                .replace("%1", newest.path.name)
                .replace("%2", newest.taken_at.strftime("%Y-%m-%d %H:%M")),
                [("restore", tr("Restore the backup")), ("quit", tr("Quit"))],
            )
            if answer != "restore":
                return None
            try:
                restore_newest_backup(data_dir, newest.path)
            except ZunyiError as restore_error:
                choose(tr("Restore failed"), restore_error.message(), [("quit", tr("Quit"))])
                return None
            continue
        except ZunyiError as exc:
            choose(tr("Cannot open the register"), exc.message(), [("quit", tr("Quit"))])
            return None
        for warning in register.report.warnings:
            answer = choose(tr("Warning"), warning, [("continue", tr("Continue anyway")), ("quit", tr("Quit"))])
            if answer == "quit":
                register.close()
                return None
        return register


def offer_demo(ctx: AppContext, parent: QWidget | None, choose: Chooser) -> None:
    """A new, empty register: offer to fill the demo school to look around in."""
    answer = choose(
        tr("New register"),
        tr(
            "A new, empty register was created in %1.\n\nFill it with the demo school (made-up classes, "
            "trainees and teachers) to look around? Use a separate data folder for your real school."
        ).replace("%1", str(ctx.data_dir)),
        [("demo", tr("Fill the demo school")), ("empty", tr("Start empty"))],
    )
    if answer != "demo":
        # A real school starts with its own profile: every class and record belongs to it.
        from zunyi_trainer.gui.record_dialogs import InstitutionDialog

        InstitutionDialog(ctx, parent).exec()
        return
    from zunyi_trainer.demo import fill_demo

    def work(task):
        fill_demo(ctx.register, progress=task.progress)

    ctx.runner.run(work, on_done=lambda _r: ctx.changed(""), parent=parent, label=tr("Filling the demo school…"), writes=True)


# --- running ----------------------------------------------------------------------------------


def save_screenshot(widget: QWidget, target: Path) -> bool:
    """Save a picture of ``widget``: PNG, or the format the file's suffix names (.bmp, .jpg …)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    image_format = None if target.suffix.lower() in {".bmp", ".jpg", ".jpeg", ".webp"} else "PNG"
    return widget.grab().save(str(target), image_format)


def run_app(data_dir: Path, screenshot: str | None = None, *, chooser: Chooser | None = None, report_paint: bool = False) -> int:
    """Open the desktop app on ``data_dir``. With ``screenshot``, save a PNG of the main window
    once it is painted and exit 0."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    setup_logging(data_dir)
    app = ensure_application()
    settings = open_settings(data_dir)
    install_translators(app, str(settings.value("ui/language", "zh")))
    install_font(app)
    messages.install_excepthook()
    choose = chooser or message_box_chooser()
    if screenshot:
        # Never wait for a person in screenshot mode: refuse with the sentence on stderr instead.
        def choose(title: str, message: str, choices: list[tuple[str, str]]) -> str:
            print(message, file=sys.stderr)
            return "continue" if any(k == "continue" for k, _ in choices) else "quit"

    register = open_register_interactively(data_dir, choose)
    if register is None:
        return 1
    from zunyi_trainer.gui.main_window import MainWindow

    ctx: AppContext | None = None
    try:
        ctx = AppContext(register, settings=settings)
        window = MainWindow(ctx)
        window.setWindowIcon(app_icon())
        if screenshot:
            window.resize(*SCREENSHOT_SIZE)
        window.show()
        if screenshot:
            return 0 if capture_when_painted(app, window, Path(screenshot), report=report_paint) else 1
        if register.report.check_deferred:  # a large register closed cleanly: checked once the window is up
            QTimer.singleShot(DEFERRED_CHECK_DELAY_MS, window.check_register_in_background)
        if register.report.created:
            QTimer.singleShot(0, lambda: offer_demo(ctx, window, choose))
        elif register.report.backup is not None:
            window.statusBar().showMessage(
                tr("The register was brought up to this version; the backup taken before is %1").replace(
                    "%1", str(register.report.backup.path)
                ),
                30000,
            )
        return app.exec()
    except Exception as exc:  # the window could not be built: say so, keep the traceback in the log
        log.exception("the main window could not be opened")
        print(messages.error_sentence(exc), file=sys.stderr)
        return 1
    finally:
        if ctx is not None:
            ctx.runner.wait()
        register.close()


def capture_when_painted(
    app: QApplication, window: QWidget, target: Path, timeout_ms: int = 5000, *, report: bool = False
) -> bool:
    """Wait until the window is exposed and its pending paints and layouts are done, then save it.
    With ``report``, print ``painted`` on stdout once the window is first painted and ``loaded`` when
    its page's background work is in too (the startup benchmark times these lines)."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(timeout_ms)
    handle = window.windowHandle()
    while not (handle is not None and handle.isExposed()) and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        handle = window.windowHandle()
    app.processEvents()  # the first paint
    if report:
        print("painted", flush=True)
    ctx = getattr(window, "ctx", None)
    # The page shown loads its rows on a worker once it is painted (and may start another pass when
    # they arrive): the picture shows them, and closing never has to ask whether to wait for a task.
    # Layouts settle over a few passes too (tables size their columns after showing).
    quiet = 0
    while quiet < 3:
        app.processEvents()
        if ctx is not None and ctx.runner.busy:
            ctx.runner.wait()
            quiet = 0
        else:
            quiet += 1
    if report:
        print("loaded", flush=True)
    ok = save_screenshot(window, target)
    window.close()
    return ok


def app_icon():
    from PySide6.QtGui import QIcon

    try:
        return QIcon(str(paths.resources_dir() / "icons" / "zunyi-trainer.svg"))
    except FileNotFoundError:
        return QIcon()
