"""Regenerate the screenshots in ``docs/screenshots/``: every page of the main window and the main
forms, drawn offscreen from a register (normally the demo school).

    QT_QPA_PLATFORM=offscreen python -m zunyi_trainer.gui.screenshots DATA_DIR docs/screenshots
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from zunyi_trainer.gui.app import SCREENSHOT_SIZE, ensure_application, install_font, install_translators, save_screenshot
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.main_window import PAGE_KEYS, MainWindow
from zunyi_trainer.gui.tasks import SynchronousPool, TaskRunner


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def render_all(data_dir: Path, out_dir: Path, language: str = "zh") -> list[Path]:
    from zunyi_trainer.db import open_register
    from zunyi_trainer.models import Attachment, Teacher, Trainee, TrainingClass

    app = ensure_application()
    install_translators(app, language)
    install_font(app)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # Work on a copy: the pictures show a backup and an exported batch, which the source lacks.
    work = Path(tempfile.gettempdir()) / "zunyi-trainer-demo"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(data_dir, work, ignore=shutil.ignore_patterns("*.lock", "logs", "*-gui.ini"))
    register = open_register(work)
    try:
        from zunyi_trainer.exchange.export import export_batch

        register.backup("manual")
        export_batch(register, work / "usb", documents=False)
        settings = QSettings(str(out_dir / ".screenshot-settings.ini"), QSettings.Format.IniFormat)  # not the user's
        settings.clear()
        ctx = AppContext(register, runner=TaskRunner(pool=SynchronousPool()), settings=settings)
        window = MainWindow(ctx)
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        for key in PAGE_KEYS:
            window.show_page(key)
            _settle(app)
            target = out_dir / f"gui-{key}.png"
            save_screenshot(window, target)
            written.append(target)
        settings_page = window.pages["settings"]  # 设置: its rule settings and backups tabs as well
        window.show_page("settings")
        for tab, name in ((settings_page.rules_tab, "settings-rules"), (settings_page.backups_panel, "settings-backups")):
            settings_page.tabs.setCurrentWidget(tab)
            _settle(app)
            save_screenshot(window, out_dir / f"gui-{name}.png")
            written.append(out_dir / f"gui-{name}.png")
        settings_page.tabs.setCurrentIndex(0)

        def shoot(widget: QWidget, name: str) -> None:
            widget.show()
            _settle(app)
            target = out_dir / f"gui-{name}.png"
            save_screenshot(widget, target)
            written.append(target)
            widget.close()

        from zunyi_trainer.gui.class_detail import ClassDetailWindow
        from zunyi_trainer.gui.record_dialogs import ClassDialog, TeacherDialog, TraineeDialog

        with register.session() as s:
            class_id = s.scalar(sa.select(TrainingClass.id).order_by(TrainingClass.status, TrainingClass.id).limit(1))
            running = s.scalar(sa.select(TrainingClass.id).where(TrainingClass.status == "in_progress").limit(1)) or class_id
            trainee_id = s.scalar(sa.select(Trainee.id).order_by(Trainee.id).limit(1))
            teacher_id = s.scalar(sa.select(Teacher.id).order_by(Teacher.id).limit(1))
        if class_id:
            shoot(ClassDialog(ctx, class_id, window), "form-class")
        if trainee_id:
            shoot(TraineeDialog(ctx, trainee_id, window), "form-trainee")
        if teacher_id:
            dialog = TeacherDialog(ctx, teacher_id, window)
            dialog.ui.tabs.setCurrentIndex(1)
            shoot(dialog, "form-teacher")
        with register.session() as s:
            # The archive tab is shown on a finished class, which has its photos and scans.
            with_files = s.scalar(
                sa.select(Attachment.class_id)
                .where(Attachment.class_id.is_not(None))
                .order_by(Attachment.class_id.desc())
                .limit(1)
            )
        if running:
            for tab in ("basic", "timetable", "trainees", "attendance", "results", "attachments", "checks"):
                detail = ClassDetailWindow(ctx, with_files if tab == "attachments" and with_files else running)
                detail.resize(*SCREENSHOT_SIZE)
                detail.tabs.setCurrentWidget(detail.tabs.findChild(QWidget, f"tab_{tab}"))
                detail.show()
                _settle(app)
                target = out_dir / f"gui-class-detail-{tab}.png"
                save_screenshot(detail, target)
                written.append(target)
                detail.close()
        draft = _blocked_draft(register)
        if draft is not None:  # 文书: the application in the preview, with its blocking findings named
            detail = ClassDetailWindow(ctx, draft)
            detail.documents.application()
            preview = detail.documents.preview
            if preview is not None:
                preview.resize(980, SCREENSHOT_SIZE[1])
                preview.show()
                preview.wait_for_pages()
                shoot(preview, "document-preview")
            detail.close()
        from zunyi_trainer.gui import wizard_screenshots

        def save(widget: QWidget, name: str) -> None:
            _settle(app)
            save_screenshot(widget, out_dir / f"gui-{name}.png")
            written.append(out_dir / f"gui-{name}.png")

        wizard_screenshots.render(ctx, window, work, save)
        window.close()
        (out_dir / ".screenshot-settings.ini").unlink(missing_ok=True)
    finally:
        register.close()
    return written


def _blocked_draft(register) -> int | None:
    """The draft class with the most blocking findings (the demo has one), else any draft."""
    from zunyi_trainer.models import ClassStatus, TrainingClass
    from zunyi_trainer.rules import check_class
    from zunyi_trainer.settings import load_settings

    with register.session() as s:
        drafts = s.scalars(
            sa.select(TrainingClass).where(TrainingClass.status == ClassStatus.DRAFT).order_by(TrainingClass.id)
        ).all()
        if not drafts:
            return None
        settings = load_settings(s)
        return max(drafts, key=lambda c: sum(f.blocks for f in check_class(s, c, settings))).id


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m zunyi_trainer.gui.screenshots DATA_DIR OUT_DIR", file=sys.stderr)
        return 2
    for path in render_all(Path(args[0]), Path(args[1])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
