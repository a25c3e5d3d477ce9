"""The batch export wizard (导出报送批次): incremental or full, where to save it (a USB stick; the
last place is remembered), the export with progress, and at the end the file, its sequence
number, the key's fingerprint to register with the county, and the batch verified as the county
would verify it."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.wizard_pages import FileRow, TaskPage, ValuesForm
from zunyi_trainer.models import AuditEvent, ExportBatch
from zunyi_trainer.timeutil import format_local

LAST_FOLDER_KEY = "batch/last_folder"


def describe_counts(record_counts: dict[str, Any], names: dict[str, str], deleted_text: str) -> str:
    """``{"trainees": {"records": 288, "deleted": 0}, …}`` as ``学员 288、培训班 11 …``."""
    parts = []
    for key, value in record_counts.items():
        if key not in names:
            continue
        records = value.get("records", 0) if isinstance(value, dict) else value
        deleted = value.get("deleted", 0) if isinstance(value, dict) else 0
        parts.append(f"{names[key]} {records}" + (deleted_text.replace("%1", str(deleted)) if deleted else ""))
    return "、".join(parts)


def table_names() -> dict[str, str]:
    """The batch's record groups by their Chinese names (the wizard's summary, the batches page)."""
    tr = functools.partial(QCoreApplication.translate, "BatchExportWizard")
    return {
        "classes": tr("Classes"),
        "trainees": tr("Trainees"),
        "enrolments": tr("Enrolments"),
        "sessions": tr("Sessions"),
        "attendance": tr("Attendance"),
        "teachers": tr("Teachers"),
        "attachments": tr("Attachments"),
        "venues": tr("Venues"),
        "equipment": tr("Equipment"),
        "spend": tr("Equipment spend"),
    }


class OptionsPage(TaskPage):
    """Which batch and where; its commit button exports."""

    writes = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("batchOptionsPage")
        self.setTitle(self.tr("Export a batch for the county"))
        self.setSubTitle(
            self.tr(
                "A batch is one signed file with the records created, changed or deleted since the last batch "
                "(incremental), or with everything (full). Carry it to the county on a USB stick."
            )
        )
        self.task_label = self.tr("Exporting the batch…")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Export"))
        layout = QVBoxLayout(self)
        self.state = QLabel(self)
        self.state.setObjectName("batchState")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        box = QGroupBox(self.tr("Kind of batch"), self)
        kinds = QVBoxLayout(box)
        self.incremental_radio = QRadioButton(self.tr("Incremental: only what changed since the last batch"), box)
        self.incremental_radio.setObjectName("incrementalRadio")
        self.full_radio = QRadioButton(self.tr("Full: everything in the register"), box)
        self.full_radio.setObjectName("fullRadio")
        self.kind_group = QButtonGroup(self)
        for radio in (self.incremental_radio, self.full_radio):
            self.kind_group.addButton(radio)
            kinds.addWidget(radio)
        layout.addWidget(box)
        self.documents_box = QCheckBox(self.tr("Include the class documents (PDF)"), self)
        self.documents_box.setObjectName("documentsBox")
        self.documents_box.setChecked(True)
        layout.addWidget(self.documents_box)
        layout.addWidget(QLabel(self.tr("Save to (a folder or a USB stick):"), self))
        self.folder_row = FileRow(self._choose, self.tr("Browse…"), self)
        self.folder_row.setObjectName("batchFolder")
        self.folder_row.changed.connect(lambda _t: self.completeChanged.emit())
        layout.addWidget(self.folder_row)
        layout.addStretch(1)

    def _choose(self, current: str) -> str:
        return QFileDialog.getExistingDirectory(self, self.tr("Where to save the batch (a USB stick)"), current)

    def initializePage(self) -> None:
        with self.ctx.register.session() as s:
            last = s.scalars(sa.select(ExportBatch).order_by(ExportBatch.seq.desc()).limit(1)).first()
            if last is None:
                self.state.setText(self.tr("No batch has been exported yet: the first batch is always full."))
            else:
                changes = s.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.id > last.through_change)) or 0
                self.state.setText(
                    self.tr("Last batch: No. %1 of %2 (%3). Changes recorded since then: %4.")
                    .replace("%1", str(last.seq))
                    .replace("%2", format_local(last.created_at))
                    .replace("%3", last.state.label)
                    .replace("%4", str(changes))
                )
        self.incremental_radio.setEnabled(last is not None)
        (self.incremental_radio if last is not None else self.full_radio).setChecked(True)
        if not self.folder_row.text():
            self.folder_row.setText(str(self.ctx.settings.value(LAST_FOLDER_KEY, "") or ""))

    def isComplete(self) -> bool:
        return bool(self.folder_row.text())

    def task_key(self) -> Any:
        return (self.folder_row.text(), self.full_radio.isChecked(), self.documents_box.isChecked())

    def task(self, handle, key):
        from zunyi_trainer.exchange.export import export_batch
        from zunyi_trainer.exchange.verify import check_against_exported, verify_batch

        folder, full, documents = key
        register = self.ctx.register
        result = export_batch(register, Path(folder), full=full, documents=documents, progress=handle.progress)
        # Read it back from the stick as the county will: a batch that does not verify is said so.
        try:
            report = verify_batch(result.path)
            with register.session() as s:
                exported = dict(s.execute(sa.select(ExportBatch.seq, ExportBatch.sha256)).tuples().all())
            check_against_exported(report, exported)
            problem = ""
        except ZunyiError as exc:
            problem = exc.message()
        return result, problem

    def accept_result(self, result) -> None:
        wizard: BatchExportWizard = self.wizard()  # type: ignore[assignment]
        wizard.batch, wizard.verify_problem = result
        self.ctx.settings.setValue(LAST_FOLDER_KEY, self.folder_row.text())
        self.ctx.changed("export_batch")
        wizard.exported.emit(wizard.batch)


class DonePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchDonePage")
        self.setTitle(self.tr("Batch exported"))
        layout = QVBoxLayout(self)
        self.headline = QLabel(self)
        self.headline.setObjectName("batchHeadline")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.headline.setFont(font)
        layout.addWidget(self.headline)
        self.details = ValuesForm(self)
        self.details.setObjectName("batchDetails")
        layout.addWidget(self.details)
        self.verified = QLabel(self)
        self.verified.setObjectName("batchVerified")
        self.verified.setWordWrap(True)
        self.verified.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verified)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard: BatchExportWizard = self.wizard()  # type: ignore[assignment]
        result = wizard.batch
        self.headline.setText(
            self.tr("Batch No. %1 (%2) was saved.").replace("%1", str(result.seq)).replace("%2", result.kind.label)
        )
        names = table_names()
        self.details.set_values(
            [
                (self.tr("Sequence number"), str(result.seq)),
                (self.tr("File"), str(result.path)),
                (self.tr("Size"), f"{result.size / 1024:.0f} KB"),
                (self.tr("SHA-256"), result.sha256),
                (self.tr("Key fingerprint"), result.info.fingerprint),
                (self.tr("Records"), describe_counts(result.info.record_counts, names, self.tr(" (deleted %1)"))),
                (self.tr("Documents and attachments"), f"{result.info.documents} / {result.info.attachments}"),
            ]
        )
        if wizard.verify_problem:
            self.verified.setStyleSheet("color: #b3261e")
            self.verified.setText(self.tr("Reading the batch back failed: %1").replace("%1", wizard.verify_problem))
        else:
            self.verified.setStyleSheet("")
            self.verified.setText(
                self.tr(
                    "The batch was read back and verified as the county will verify it. Register the key fingerprint "
                    "above with the county once; it is the same for every batch."
                )
            )


class BatchExportWizard(QWizard):
    exported = Signal(object)  # the ExportResult

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, folder: str | Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("batchWizard")
        self.setWindowTitle(self.tr("Export a batch"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(760, 520)
        self.batch = None  # the ExportResult, once exported
        self.verify_problem = ""
        self.options_page = OptionsPage(ctx, self)
        self.done_page = DonePage(self)
        self.addPage(self.options_page)
        self.addPage(self.done_page)
        if folder:
            self.options_page.folder_row.setText(str(folder))
