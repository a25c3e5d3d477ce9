"""设置: the institution profile, the language, the rule settings in force, and backups."""

from __future__ import annotations

import dataclasses
import logging

import sqlalchemy as sa
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zunyi_trainer.backups import list_backups
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.logfile import log_path
from zunyi_trainer.gui.overview_page import _fill, _table
from zunyi_trainer.models import Institution
from zunyi_trainer.reference import county_name

log = logging.getLogger(__name__)

LANGUAGES = (("zh", "中文"), ("en", "English"))


class SettingsPage(QWidget):
    page_key = "settings"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("page_settings")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()

        box = QGroupBox(self.tr("Institution"), self)
        form = QFormLayout(box)
        self.institution_label = QLabel(box)
        self.institution_label.setObjectName("institutionSummary")
        self.institution_label.setWordWrap(True)
        form.addRow(self.institution_label)
        self.edit_institution = QPushButton(self.tr("Edit institution profile…"), box)
        self.edit_institution.setObjectName("editInstitution")
        self.edit_institution.clicked.connect(self.open_institution)
        form.addRow(self.edit_institution)
        top.addWidget(box, 2)

        box = QGroupBox(self.tr("Language and data"), self)
        form = QFormLayout(box)
        self.language = QComboBox(box)
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        current = str(ctx.settings.value("ui/language", "zh"))
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        self.language.currentIndexChanged.connect(self._language_changed)
        form.addRow(self.tr("Language (applied at the next start):"), self.language)
        form.addRow(self.tr("Data folder:"), QLabel(str(ctx.data_dir), box))
        form.addRow(self.tr("Log file:"), QLabel(str(log_path(ctx.data_dir)), box))
        top.addWidget(box, 2)
        layout.addLayout(top)

        self.rules_box = QGroupBox(self.tr("Rule settings in force"), self)
        self.rules_form = QFormLayout(self.rules_box)
        layout.addWidget(self.rules_box)

        box = QGroupBox(self.tr("Backups"), self)
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Back up now"), box)
        self.backup_button.setObjectName("backupNow")
        self.backup_button.clicked.connect(self.back_up_now)
        row.addWidget(self.backup_button)
        self.backups_dir_label = QLabel(self.tr("Kept in: %1").replace("%1", str(ctx.register.backups_dir)), box)
        row.addWidget(self.backups_dir_label, 1)
        v.addLayout(row)
        self.backups = _table([self.tr("Taken"), self.tr("Reason"), self.tr("Size"), self.tr("File")], box)
        self.backups.setObjectName("backupsTable")
        v.addWidget(self.backups)
        layout.addWidget(box, 1)
        ctx.records_changed.connect(lambda table: self.reload() if table in ("", "institution", "setting", "backup") else None)
        self.reload()

    def reload(self) -> None:
        with self.ctx.register.session() as s:
            inst = s.scalars(sa.select(Institution).order_by(Institution.id)).first()
            if inst is None:
                self.institution_label.setText(self.tr("No institution profile yet."))
            else:
                colon = self.tr(":")
                credit, licence, trades = self.tr("Credit code"), self.tr("School licence no."), self.tr("Approved trades")
                self.institution_label.setText(
                    "\n".join(
                        [
                            inst.name,
                            f"{credit}{colon}{inst.uscc}",
                            f"{licence}{colon}{inst.license_no}",
                            f"{county_name(inst.county)} {inst.address}",
                            f"{trades}{colon}{'、'.join(t.name for t in inst.trades)}",
                        ]
                    )
                )
            self._show_rules(s)
        _fill(
            self.backups,
            [
                [b.taken_at.strftime("%Y-%m-%d %H:%M"), b.reason, f"{b.size / 1024:.0f} KB", b.path.name]
                for b in list_backups(self.ctx.register.backups_dir)
            ],
        )

    def _show_rules(self, session) -> None:
        while self.rules_form.rowCount():
            self.rules_form.removeRow(0)
        try:
            from zunyi_trainer.settings import load_settings
        except ImportError:
            self.rules_box.setVisible(False)
            return
        try:
            settings = load_settings(session)
        except Exception:
            log.exception("could not load the rule settings")
            self.rules_box.setVisible(False)
            return
        self.rules_box.setVisible(True)
        labels = self.rule_labels()
        for f in dataclasses.fields(settings):
            value = getattr(settings, f.name)
            if f.name == "min_periods":
                from zunyi_trainer.models import Level

                shown = "，".join(f"{Level(k).label} {v}" for k, v in value.items())
            elif isinstance(value, float):
                shown = f"{value:.0%}"
            else:
                shown = str(value)
            label = QLabel(shown, self.rules_box)
            label.setObjectName(f"rule_{f.name}")
            self.rules_form.addRow(labels.get(f.name, f.name) + self.tr(":"), label)

    def rule_labels(self) -> dict[str, str]:
        return {
            "min_periods": self.tr("Minimum periods by level"),
            "practice_share": self.tr("Practice share at least"),
            "period_minutes": self.tr("Minutes per period"),
            "attendance_threshold": self.tr("Attendance for the subsidy at least"),
            "late_after_minutes": self.tr("Late after (minutes)"),
            "early_leave_minutes": self.tr("Left early before the end (minutes)"),
            "absent_after_minutes": self.tr("Absent after missing (minutes)"),
            "qualification_warn_days": self.tr("Warn before a certificate expires (days)"),
            "submit_days_before": self.tr("Submit before the start (days)"),
            "shared_phone_limit": self.tr("Trainees on one phone number flagged from"),
            "full_time_share": self.tr("Full-time teachers at least"),
            "max_institutions": self.tr("Institutions a part-time teacher may work at"),
            "id_min_age": self.tr("Youngest trainee (years)"),
            "id_max_age": self.tr("Oldest trainee (years)"),
        }

    def open_institution(self) -> None:
        from zunyi_trainer.gui.record_dialogs import InstitutionDialog

        InstitutionDialog(self.ctx, self).exec()

    def _language_changed(self) -> None:
        self.ctx.settings.setValue("ui/language", self.language.currentData())
        self.ctx.settings.sync()
        messages.inform(
            self,
            self.tr("Language"),
            self.tr("The language will change the next time the program starts."),
        )

    def back_up_now(self) -> None:
        def work(task):
            return self.ctx.register.backup("manual", progress=task.progress)

        def done(info) -> None:
            self.ctx.changed("backup")
            self.window().statusBar().showMessage(self.tr("Backup saved: %1").replace("%1", info.path.name), 8000)

        self.ctx.runner.run(work, on_done=done, parent=self, label=self.tr("Backing up the register…"), writes=True)
