"""The county return wizard (导入县局回执): choose the file → it is checked, and what it will change
is shown class by class (approvals, rejections) with the batches it acknowledges → apply (all of
it in one transaction, or nothing) → summary.

The check is the core's :func:`~zunyi_trainer.exchange.county_return.preview_return`, which refuses
what the import would refuse and writes nothing; only the Apply button imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QLabel, QVBoxLayout, QWidget, QWizard, QWizardPage

from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.wizard_pages import FileRow, TaskPage, fill_table, read_only_table
from zunyi_trainer.timeutil import format_local

APPROVED_COLOUR, REJECTED_COLOUR = QColor("#1b6e20"), QColor("#b3261e")


class ReturnFilePage(TaskPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("returnFilePage")
        self.setTitle(self.tr("Choose the county's return file"))
        self.setSubTitle(
            self.tr(
                "The county's answer to the school (a .json file): its decisions on the classes submitted and its "
                "acknowledgement of the batches received. It is checked first; nothing changes until you apply it."
            )
        )
        self.task_label = self.tr("Checking the return file…")
        layout = QVBoxLayout(self)
        self.file_row = FileRow(self._choose, self.tr("Browse…"), self)
        self.file_row.setObjectName("returnFile")
        self.file_row.changed.connect(lambda _t: (self.forget_result(), self.completeChanged.emit()))
        layout.addWidget(self.file_row)
        layout.addStretch(1)

    def _choose(self, current: str) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a county return"), current, self.tr("County return (*.json);;All files (*)")
        )
        return path

    def isComplete(self) -> bool:
        return bool(self.file_row.text())

    def task_key(self) -> Any:
        return self.file_row.text()

    def task(self, handle, path: str):
        from zunyi_trainer.exchange.county_return import preview_return

        handle.progress(0, 0)
        return preview_return(self.ctx.register, Path(path))

    def accept_result(self, preview) -> None:
        self.wizard().preview = preview  # type: ignore[attr-defined]


class ChangesPage(TaskPage):
    """What the file will change; its commit button applies it."""

    writes = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("returnChangesPage")
        self.setTitle(self.tr("What the return file will change"))
        self.task_label = self.tr("Importing the county return…")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Apply"))
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("changesSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.classes = read_only_table(
            [
                self.tr("Code"),
                self.tr("Class"),
                self.tr("Now"),
                self.tr("After"),
                self.tr("Approval no. / reason"),
                self.tr("Decided on"),
                self.tr("Approved by"),
            ],
            self,
        )
        self.classes.setObjectName("changesTable")
        layout.addWidget(self.classes, 1)
        self.batches = QLabel(self)
        self.batches.setObjectName("changesBatches")
        self.batches.setWordWrap(True)
        layout.addWidget(self.batches)

    def initializePage(self) -> None:
        preview = self.wizard().preview  # type: ignore[attr-defined]
        rows, colours = [], []
        for d in preview.decisions:
            approved = d.decision == "approved"
            rows.append(
                [
                    d.class_code,
                    d.class_name,
                    d.status_before.label,
                    d.status_after.label,
                    d.approval_no if approved else d.reason,
                    d.decided_on.isoformat(),
                    d.approver,
                ]
            )
            colours.append(APPROVED_COLOUR if approved else REJECTED_COLOUR)
        fill_table(self.classes, rows, colours)
        approvals = sum(1 for d in preview.decisions if d.decision == "approved")
        if preview.already_imported:
            text = self.tr("This return file was imported before; applying it again changes nothing.")
        else:
            text = (
                self.tr("Return file %1, issued %2: %3 approval(s), %4 rejection(s), %5 batch(es) acknowledged.")
                .replace("%1", preview.filename)
                .replace("%2", format_local(preview.issued_at))
                .replace("%3", str(approvals))
                .replace("%4", str(len(preview.decisions) - approvals))
                .replace("%5", str(len(preview.acknowledged)))
            )
        self.summary.setText(text)
        lines = []
        if preview.acknowledged:
            lines.append(
                self.tr("The county acknowledges receiving batch(es) No. %1.").replace(
                    "%1", "、".join(str(n) for n in preview.acknowledged)
                )
            )
        if preview.already_acknowledged:
            lines.append(
                self.tr("Already acknowledged before: No. %1.").replace(
                    "%1", "、".join(str(n) for n in preview.already_acknowledged)
                )
            )
        self.batches.setText("\n".join(lines))
        self.classes.setVisible(bool(rows))
        self.forget_result()

    def task_key(self) -> Any:
        return self.wizard().return_page.file_row.text()  # type: ignore[attr-defined]

    def task(self, handle, path: str):
        from zunyi_trainer.exchange.county_return import import_return

        handle.progress(0, 0)
        return import_return(self.ctx.register, Path(path))

    def accept_result(self, result) -> None:
        wizard: ReturnImportWizard = self.wizard()  # type: ignore[assignment]
        wizard.outcome = result
        self.ctx.changed("")
        wizard.applied.emit(result)


class AppliedPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnAppliedPage")
        self.setTitle(self.tr("County return imported"))
        layout = QVBoxLayout(self)
        self.text = QLabel(self)
        self.text.setObjectName("appliedText")
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        result = self.wizard().outcome  # type: ignore[attr-defined]
        if result.already_imported:
            self.text.setText(self.tr("This return file was imported before; nothing changed."))
            return
        lines = [
            self.tr("%1 decision(s) recorded, %2 batch(es) acknowledged.")
            .replace("%1", str(len(result.decisions)))
            .replace("%2", str(len(result.acknowledged)))
        ]
        for code, decision in result.decisions:
            lines.append((self.tr("%1: approved") if decision == "approved" else self.tr("%1: not approved")).replace("%1", code))
        self.text.setText("\n".join(lines))


class ReturnImportWizard(QWizard):
    applied = Signal(object)  # the ReturnResult

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, path: str | Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("returnWizard")
        self.setWindowTitle(self.tr("Import a county return"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(860, 520)
        self.preview = None
        self.outcome = None
        self.return_page = ReturnFilePage(ctx, self)
        self.changes_page = ChangesPage(ctx, self)
        self.applied_page = AppliedPage(self)
        for page in (self.return_page, self.changes_page, self.applied_page):
            self.addPage(page)
        if path:
            self.return_page.file_row.setText(str(path))
