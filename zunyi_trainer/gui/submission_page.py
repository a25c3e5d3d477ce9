"""数据报送: the export batches carried to the county and the county's return files."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QFileDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.overview_page import _fill, _table
from zunyi_trainer.models import BatchState, ClassStatus, CountyReturn, ExportBatch, TrainingClass
from zunyi_trainer.timeutil import format_local


class SubmissionPage(QWidget):
    page_key = "submission"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("page_submission")
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("submissionSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export a batch…"), self)
        self.export_button.setObjectName("exportBatch")
        self.export_button.clicked.connect(lambda: self.export_batch())
        self.export_button.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_button.setToolTip("Ctrl+Shift+E")
        self.import_button = QPushButton(self.tr("Import a county return…"), self)
        self.import_button.setObjectName("importReturn")
        self.import_button.clicked.connect(lambda: self.import_return())
        self.import_button.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.import_button.setToolTip("Ctrl+Shift+R")
        self.copy_button = QPushButton(self.tr("Copy the selected batch again…"), self)
        self.copy_button.setObjectName("copyBatch")
        self.copy_button.clicked.connect(lambda: self.copy_again())
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.reload)
        for w in (self.export_button, self.import_button, self.copy_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout.addLayout(buttons)
        box = QGroupBox(self.tr("Classes waiting for the county's decision"), self)
        self.waiting = _table([self.tr("Code"), self.tr("Class"), self.tr("Starts"), self.tr("Submitted")], box)
        QVBoxLayout(box).addWidget(self.waiting)
        layout.addWidget(box, 1)
        box = QGroupBox(self.tr("Export batches"), self)
        self.batches = _table(
            [
                self.tr("No."),
                self.tr("Kind"),
                self.tr("Created"),
                self.tr("File"),
                self.tr("Size"),
                self.tr("State"),
                self.tr("Acknowledged"),
                self.tr("Records"),
            ],
            box,
        )
        self.batches.setObjectName("batchesTable")
        QVBoxLayout(box).addWidget(self.batches)
        layout.addWidget(box, 2)
        box = QGroupBox(self.tr("County return files imported"), self)
        self.returns = _table([self.tr("Imported"), self.tr("File"), self.tr("Issued"), self.tr("What it changed")], box)
        QVBoxLayout(box).addWidget(self.returns)
        layout.addWidget(box, 1)
        ctx.records_changed.connect(
            lambda table: self.reload() if table in ("", "export_batch", "county_return", "training_class") else None
        )
        self.reload()

    def reload(self) -> None:
        with self.ctx.register.session() as s:
            batches = list(s.scalars(sa.select(ExportBatch).order_by(ExportBatch.seq.desc())))
            _fill(
                self.batches,
                [
                    [
                        str(b.seq),
                        b.kind.label,
                        format_local(b.created_at),
                        b.filename,
                        f"{b.size / 1024:.0f} KB",
                        b.state.label,
                        format_local(b.acknowledged_at),
                        self.describe_counts(b.record_counts),
                    ]
                    for b in batches
                ],
            )
            for r, b in enumerate(batches):  # not yet acknowledged: the county may not have it
                colour = QColor("#1b6e20") if b.state == BatchState.ACKNOWLEDGED else QColor("#8a5a00")
                self.batches.item(r, 5).setForeground(colour)
                self.batches.item(r, 5).setToolTip(f"SHA-256 {b.sha256}")
            returns = list(s.scalars(sa.select(CountyReturn).order_by(CountyReturn.imported_at.desc())))
            _fill(
                self.returns,
                [
                    [format_local(r.imported_at), r.filename, format_local(r.issued_at), self.describe_return(r.summary)]
                    for r in returns
                ],
            )
            waiting = list(
                s.scalars(
                    sa.select(TrainingClass)
                    .where(TrainingClass.status == ClassStatus.SUBMITTED)
                    .order_by(TrainingClass.start_date)
                )
            )
            _fill(
                self.waiting,
                [[c.code, c.name, c.start_date.isoformat(), format_local(c.submitted_at)] for c in waiting],
            )
            pending = sum(1 for b in batches if b.state == BatchState.EXPORTED)
        last = batches[0] if batches else None
        self.summary.setText(
            (
                self.tr("Last batch: No. %1, %2, %3.")
                .replace("%1", str(last.seq))
                .replace("%2", format_local(last.created_at))
                .replace("%3", last.state.label)
                if last
                else self.tr("No batch has been exported yet.")
            )
            + " "
            + self.tr("%1 batch(es) not yet acknowledged by the county; %2 class(es) waiting for a decision.")
            .replace("%1", str(pending))
            .replace("%2", str(len(waiting)))
        )

    def describe_return(self, summary: str) -> str:
        """``{"decisions": [["RH2026008", "approved"]], "acknowledged": [1]}`` as a sentence."""
        try:
            data = json.loads(summary or "{}")
            decisions = [(str(code), str(decision)) for code, decision in data.get("decisions", [])]
            acknowledged = [str(n) for n in data.get("acknowledged", [])]
        except (ValueError, TypeError):
            return summary[:200]
        parts = [
            (self.tr("%1: approved") if decision == "approved" else self.tr("%1: not approved")).replace("%1", code)
            for code, decision in decisions
        ]
        if acknowledged:
            parts.append(self.tr("The county acknowledges receiving batch(es) No. %1.").replace("%1", "、".join(acknowledged)))
        return "；".join(parts) or self.tr("Nothing changed")

    def describe_counts(self, record_counts: str) -> str:
        """``{"trainees": {"records": 288, "deleted": 0}, …}`` as 学员 288、培训班 11 …"""
        from zunyi_trainer.gui.batch_wizard import describe_counts, table_names

        return describe_counts(json.loads(record_counts or "{}"), table_names(), self.tr(" (deleted %1)"))

    def export_batch(self, folder: str | Path | None = None):
        """Open the batch export wizard (the folder filled in when given)."""
        from zunyi_trainer.gui.batch_wizard import BatchExportWizard

        wizard = BatchExportWizard(self.ctx, self, folder=folder)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard = wizard
        wizard.open()
        return wizard

    def import_return(self, path: str | Path | None = None):
        """Open the county return wizard (the file filled in when given)."""
        from zunyi_trainer.gui.return_wizard import ReturnImportWizard

        wizard = ReturnImportWizard(self.ctx, self, path=path)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard = wizard
        wizard.open()
        return wizard

    def selected_batch(self) -> int | None:
        rows = self.batches.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self.batches.item(rows[0].row(), 0).text())

    def copy_again(self, folder: str | Path | None = None) -> Path | None:
        """Write the kept copy of the selected batch to a folder again, byte for byte (a lost stick)."""
        seq = self.selected_batch()
        if seq is None:
            messages.inform(self, self.tr("Copy a batch again"), self.tr("Select a batch in the table first."))
            return None
        if not folder:
            start = str(self.ctx.settings.value("batch/last_folder", "") or "")
            folder = QFileDialog.getExistingDirectory(self, self.tr("Where to save the batch (a USB stick)"), start)
            if not folder:
                return None
        from zunyi_trainer.exchange.export import redeliver

        register, target = self.ctx.register, Path(folder)

        def done(path: Path) -> None:
            messages.inform(
                self,
                self.tr("Copy a batch again"),
                self.tr("Batch No. %1 was copied to\n%2").replace("%1", str(seq)).replace("%2", str(path)),
            )

        self.ctx.runner.run(
            lambda _task: redeliver(register, seq, target), on_done=done, parent=self, label=self.tr("Copying the batch…")
        )
        return target
