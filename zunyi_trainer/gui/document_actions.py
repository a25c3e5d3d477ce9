"""The school's documents from the window: each one generated off the UI thread with progress
(the task runner), then shown in the preview (:mod:`zunyi_trainer.gui.pdf_preview`) to print or
save; and a class's archive package exported to a folder or USB stick the user picks.

- :class:`ClassDocuments` — the 文书 menu of a class: 开班申请表 with its attachments, 签到表 for
  one session or one day, the 一班一档 archive PDF, and the archive package (BagIt zip).
- :class:`DocumentActions` — what every document shares, and the yearly 设备投入报告 (the
  venues and equipment page has a button for it).

The builders are the core's (:mod:`zunyi_trainer.documents`); their refusals arrive here as
ZunyiErrors and are shown as the core's sentences.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QPushButton, QWidget

from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.pdf_preview import LAST_DIR_KEY, PdfPreview, new_copy_folder, remove_copy, sweep_stale_copies, write_error
from zunyi_trainer.models import ClassSession, EquipmentSpend, FinanceYear, TrainingClass
from zunyi_trainer.timeutil import today_local

log = logging.getLogger(__name__)

WEEKDAYS = "一二三四五六日"


@dataclasses.dataclass
class Generated:
    """A PDF written to a temporary folder of its own, ready to preview."""

    path: Path
    folder: Path
    pages: int
    notes: list[str]


class DocumentActions(QObject):
    """Generates a document off the UI thread and opens its preview; ``preview`` is the last one."""

    _swept = False

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window = parent
        self.preview: PdfPreview | None = None
        if not DocumentActions._swept:  # once per run: copies a crash left behind
            DocumentActions._swept = True
            sweep_stale_copies()

    def generate(
        self,
        build: Callable[[Any, Path, Callable[[int, int], None]], Any],
        *,
        label: str,
        title: str,
        file_name: str,
        notes: Callable[[Any], list[str]] | None = None,
    ) -> None:
        """Run ``build(session, path, progress)`` on the task runner, then preview the PDF.
        ``notes(session)`` adds sentences shown above the pages (warnings for the user)."""
        register = self.ctx.register

        def work(task) -> Generated:
            folder = new_copy_folder()
            path = folder / file_name
            try:
                with register.session() as s:
                    result = build(s, path, task.progress)
                    extra = notes(s) if notes is not None else []
            except OSError as exc:
                remove_copy(folder)
                raise write_error(exc, path) from None
            except BaseException:
                remove_copy(folder)
                raise
            return Generated(path, folder, result.pages, [*extra, *getattr(result, "warnings", [])])

        def show(generated: Generated) -> None:
            try:
                preview = PdfPreview(
                    self.ctx,
                    generated.path,
                    title=title,
                    suggested_name=file_name,
                    notes=generated.notes,
                    owned_dir=generated.folder,
                    parent=self.window,
                )
            except ZunyiError as exc:
                remove_copy(generated.folder)
                messages.show_error(self.window, exc)
                return
            self.preview = preview
            preview.show()
            preview.raise_()

        self.ctx.runner.run(work, on_done=show, parent=self.window, label=label)

    # -- the yearly equipment report

    def default_report_year(self) -> int:
        """The latest year with accounts or equipment spend recorded, else this year."""
        with self.ctx.register.session() as s:
            years = [
                s.scalar(sa.select(sa.func.max(FinanceYear.year))),
                s.scalar(sa.select(sa.func.max(EquipmentSpend.spent_on))),
            ]
        found = [y.year if isinstance(y, dt.date) else y for y in years if y is not None]
        return max(found) if found else today_local().year

    def equipment_report(self, year: int | None = None) -> None:
        """设备投入报告 for ``year`` (asked when not given)."""
        if year is None:
            year, ok = QInputDialog.getInt(
                self.window,
                self.tr("Equipment report"),
                self.tr("Equipment spend report for the year:"),
                self.default_report_year(),
                2000,
                2100,
            )
            if not ok:
                return
        from zunyi_trainer.documents import build_equipment_report

        self.generate(
            lambda s, path, progress: build_equipment_report(s, year, path, progress=progress),
            label=self.tr("Writing the equipment report…"),
            title=self.tr("Equipment report %1").replace("%1", str(year)),
            file_name=f"设备投入报告-{year}.pdf",
        )

    def equipment_button(self, parent: QWidget) -> QPushButton:
        button = QPushButton(self.tr("Equipment report…"), parent)
        button.setObjectName("equipmentReport")
        button.setToolTip(self.tr("The yearly report of equipment bought, renewed and repaired, with its share of the surplus"))
        button.clicked.connect(lambda _=False: self.equipment_report())
        return button


class ClassDocuments(DocumentActions):
    """The documents of one class, as a menu of its window. ``selected_session`` returns the id
    of the session selected in the timetable, if any (for a single session's sign-in sheet)."""

    def __init__(
        self, ctx: AppContext, class_id: int, parent: QWidget, selected_session: Callable[[], int | None] | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self.class_id = class_id
        self.selected_session = selected_session or (lambda: None)
        self.actions: dict[str, QAction] = {}

    def menu(self) -> QMenu:
        menu = QMenu(self.tr("&Documents"), self.window)
        menu.setObjectName("documentsMenu")
        for key, text, shortcut, slot in (
            ("application", self.tr("Class-opening &application with attachments…"), "Ctrl+Shift+A", self.application),
            ("signinSession", self.tr("Sign-in sheet for one &session…"), "Ctrl+Shift+S", self.signin_session),
            ("signinDay", self.tr("Sign-in sheets for one &day…"), "Ctrl+Shift+D", self.signin_day),
            ("archive", self.tr("Class a&rchive (一班一档)…"), "Ctrl+Shift+R", self.archive),
            ("package", self.tr("Export the archive &package…"), "Ctrl+Shift+E", self.export_package),
        ):
            action = QAction(text, menu)
            action.setObjectName(f"document_{key}")
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, f=slot: f())
            if key == "package":
                menu.addSeparator()
            menu.addAction(action)
            self.actions[key] = action
        return menu

    def _code(self) -> str:
        """The class code, made safe for a file name (a code may hold / or : on some schools' lists)."""
        from zunyi_trainer.documents.package import safe_name

        with self.ctx.register.session() as s:
            c = s.get(TrainingClass, self.class_id)
            return safe_name(c.code) if c is not None else str(self.class_id)

    def _class(self, s) -> TrainingClass:
        c = s.get(TrainingClass, self.class_id)
        if c is None:
            raise ZunyiError(
                "这个培训班已被删除，无法生成文书。请关闭窗口。",
                "This class has been deleted; no document can be made. Close the window.",
                code="documents.class_gone",
            )
        return c

    # -- the documents

    def application(self) -> None:
        """开班申请表 with its six attachments; blocking findings are listed on it and named above it."""
        from zunyi_trainer.documents import build_application
        from zunyi_trainer.documents import data as document_data

        code = self._code()
        class_id = self.class_id

        def notes(s) -> list[str]:
            found = document_data.findings(s, s.get(TrainingClass, class_id), document_data.settings_for(s)) or []
            blocking = [f for f in found if f.severity == "blocks"]
            if not blocking:
                return []
            return [
                self.tr(
                    "%1 finding(s) must be put right before the county can approve the class; they are listed in part 4 of the application."
                ).replace("%1", str(len(blocking)))
            ]

        self.generate(
            lambda s, path, progress: build_application(s, self._class(s), path, progress=progress),
            label=self.tr("Writing the application…"),
            title=self.tr("Class-opening application %1").replace("%1", code),
            file_name=f"开班申请表-{code}.pdf",
            notes=notes,
        )

    def session_choices(self) -> list[tuple[int, str]]:
        """(session id, label) of every session of the class, in time order."""
        with self.ctx.register.session() as s:
            sessions = s.scalars(
                sa.select(ClassSession)
                .where(ClassSession.class_id == self.class_id)
                .order_by(ClassSession.date, ClassSession.start_time)
            ).all()
            return [
                (
                    x.id,
                    f"{x.date.isoformat()} 周{WEEKDAYS[x.date.weekday()]} "
                    f"{x.start_time:%H:%M}-{x.end_time:%H:%M} {x.topic}".rstrip(),
                )
                for x in sessions
            ]

    def _no_timetable(self) -> None:
        messages.inform(
            self.window,
            self.tr("Sign-in sheets"),
            self.tr("The class has no sessions yet. Build its timetable first (tab Timetable)."),
        )

    def signin_session(self, session_id: int | None = None) -> None:
        """签到表 for one session: the one given, the one selected in the timetable, or one chosen."""
        if session_id is None:
            session_id = self.selected_session()
        if session_id is None:
            choices = self.session_choices()
            if not choices:
                self._no_timetable()
                return
            labels = [label for _id, label in choices]
            picked, ok = QInputDialog.getItem(
                self.window, self.tr("Sign-in sheet"), self.tr("Which session?"), labels, self._default_index(choices), False
            )
            if not ok:
                return
            session_id = choices[labels.index(picked)][0]
        from zunyi_trainer.documents import build_signin

        code = self._code()
        with self.ctx.register.session() as s:
            x = s.get(ClassSession, session_id)
            when = f"{x.date.isoformat()}-{x.start_time:%H%M}" if x is not None else str(session_id)
        self.generate(
            lambda s, path, progress: build_signin(s, self._class(s), path, session_id=session_id, progress=progress),
            label=self.tr("Writing the sign-in sheet…"),
            title=self.tr("Sign-in sheet %1 %2").replace("%1", code).replace("%2", when),
            file_name=f"签到表-{code}-{when}.pdf",
        )

    def _default_index(self, choices: list[tuple[int, str]]) -> int:
        """The first choice dated today or later (the next one to print), else the last."""
        today = today_local().isoformat()
        for i, (_id, label) in enumerate(choices):
            if label[:10] >= today:
                return i
        return max(0, len(choices) - 1)

    def signin_day(self, day: dt.date | None = None) -> None:
        """签到表 for every session of one day (asked, with the next session day first)."""
        if day is None:
            days = sorted({label[:10] for _id, label in self.session_choices()})
            if not days:
                self._no_timetable()
                return
            labels = [f"{d} 周{WEEKDAYS[dt.date.fromisoformat(d).weekday()]}" for d in days]
            today = today_local().isoformat()
            current = next((i for i, d in enumerate(days) if d >= today), len(days) - 1)
            picked, ok = QInputDialog.getItem(
                self.window, self.tr("Sign-in sheets"), self.tr("Sign-in sheets for which day?"), labels, current, False
            )
            if not ok:
                return
            day = dt.date.fromisoformat(picked[:10])
        from zunyi_trainer.documents import build_signin

        code = self._code()
        self.generate(
            lambda s, path, progress: build_signin(s, self._class(s), path, on=day, progress=progress),
            label=self.tr("Writing the sign-in sheets…"),
            title=self.tr("Sign-in sheets %1 %2").replace("%1", code).replace("%2", day.isoformat()),
            file_name=f"签到表-{code}-{day.isoformat()}.pdf",
        )

    def archive(self) -> None:
        """一班一档, the class's archive PDF (photos drawn from the attachment store)."""
        from zunyi_trainer.documents import build_archive

        code = self._code()
        store = self.ctx.register.attachments_dir
        self.generate(
            lambda s, path, progress: build_archive(s, self._class(s), path, store=store, progress=progress),
            label=self.tr("Writing the class archive…"),
            title=self.tr("Class archive %1").replace("%1", code),
            file_name=f"一班一档-{code}.pdf",
        )

    # -- the archive package

    def export_package(self, folder: str | Path | None = None) -> None:
        """Write the class's archive package (a zipped BagIt bag) into a folder or USB stick."""
        from zunyi_trainer.documents import build_package
        from zunyi_trainer.documents.package import safe_name

        if folder is None:
            last = self.ctx.settings.value(LAST_DIR_KEY, "")
            chosen = QFileDialog.getExistingDirectory(
                self.window,
                self.tr("Where should the archive package go? (a folder or a USB stick)"),
                str(last) if last and Path(str(last)).is_dir() else str(Path.home()),
            )
            if not chosen:
                return
            folder = chosen
        folder = Path(folder)
        code = self._code()
        target = folder / f"{safe_name(f'档案移交包-{code}')}.zip"
        if target.exists() and not messages.confirm(
            self.window,
            self.tr("Export the archive package"),
            self.tr("%1 already exists in this folder. Replace it?").replace("%1", target.name),
            destructive=True,
        ):
            return
        register, class_id = self.ctx.register, self.class_id

        def work(task) -> tuple[Path, int]:
            try:
                with register.session() as s:
                    build_package(s, self._class(s), target, store=register.attachments_dir, progress=task.progress)
                # Read the zip back from the stick: a bad write shows now, not at the archive office.
                with zipfile.ZipFile(target) as z:
                    bad = z.testzip()
                if bad is not None:
                    raise ZunyiError(
                        "档案包写入后读回校验失败（{name} 损坏）。U 盘可能有问题，请换一个 U 盘重新导出。",
                        "The package failed its read-back check ({name} is damaged). The USB stick may be faulty; "
                        "export again to another one.",
                        code="documents.package_damaged",
                        name=bad,
                    )
                return target, target.stat().st_size
            except OSError as exc:
                raise write_error(exc, target) from None

        def done(result: tuple[Path, int]) -> None:
            path, size = result
            self.ctx.settings.setValue(LAST_DIR_KEY, str(folder))
            self.exported = path
            messages.inform(
                self.window,
                self.tr("Archive package exported"),
                self.tr(
                    "The archive package of %1 was saved as\n%2\n(%3 KB). It holds the archive, the application, the sign-in sheets, every attachment and an index page (索引.html) with each file's SHA-256."
                )
                .replace("%1", code)
                .replace("%2", str(path))
                .replace("%3", f"{max(1, size // 1024):,}"),
            )

        self.exported: Path | None = None
        log.info("exporting the archive package of class %s to %s", class_id, folder)
        self.ctx.runner.run(work, on_done=done, parent=self.window, label=self.tr("Writing the archive package…"))
