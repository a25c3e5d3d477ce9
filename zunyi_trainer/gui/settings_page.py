"""设置: the institution profile, the rule settings (editable, with their defaults and what each one
does), the documents' font and the language, and backups.

Rule settings are written through ``zunyi_trainer.settings.save_settings`` in one audited
transaction; a value the core refuses is shown as its Chinese sentence and nothing is saved.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.backups_panel import BackupsPanel
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.logfile import log_path
from zunyi_trainer.i18n import language
from zunyi_trainer.models import Institution, Level
from zunyi_trainer.reference import county_name
from zunyi_trainer.settings import DEFAULTS, LABELS, RuleSettings, load_settings, save_settings

log = logging.getLogger(__name__)

LANGUAGES = (("zh", "中文"), ("en", "English"))
SHARES = ("practice_share", "attendance_threshold", "full_time_share")
BUILT_IN_FONT = ""  # the font combo's data for the shipped font
OTHER_FONT = "\0other"  # the font combo's data for "choose a file…"


def _label(name: str) -> str:
    zh, en = LABELS.get(name, (name, name))
    return en if language() == "en" else zh


class SettingsPage(QWidget):
    page_key = "settings"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("page_settings")
        self._fonts_loaded = False
        self.editors: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        layout.addWidget(self.tabs)
        self._build_institution()
        self._build_rules()
        self._build_documents()
        self.backups_panel = BackupsPanel(ctx, self.tabs)
        self.tabs.addTab(self.backups_panel, self.tr("Backups"))
        # The names the main window and older tests use.
        self.backup_button = self.backups_panel.backup_button
        self.backups = self.backups_panel.table
        ctx.records_changed.connect(lambda table: self.reload() if table in ("", "institution", "setting", "backup") else None)
        self.reload()

    # -- building

    def _build_institution(self) -> None:
        page = QWidget(self.tabs)
        v = QVBoxLayout(page)
        box = QGroupBox(self.tr("Institution profile"), page)
        form = QVBoxLayout(box)
        self.institution_label = QLabel(box)
        self.institution_label.setObjectName("institutionSummary")
        self.institution_label.setWordWrap(True)
        self.institution_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addWidget(self.institution_label)
        row = QHBoxLayout()
        self.edit_institution = QPushButton(self.tr("Edit institution profile…"), box)
        self.edit_institution.setObjectName("editInstitution")
        self.edit_institution.clicked.connect(self.open_institution)
        row.addWidget(self.edit_institution)
        row.addStretch(1)
        form.addLayout(row)
        note = QLabel(
            self.tr(
                "The profile is printed on every application and archive and carried in every batch. The credit code "
                "is checked when it is saved, and every change is recorded in the audit trail."
            ),
            box,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        form.addWidget(note)
        v.addWidget(box)
        v.addStretch(1)
        self.tabs.addTab(page, self.tr("Institution"))

    def explanations(self) -> dict[str, str]:
        return {
            "min_periods": self.tr("A class's timetable must reach this many periods for its level."),
            "practice_share": self.tr("Share of a class's periods that must be practice."),
            "period_minutes": self.tr("How long one period (课时) lasts; sessions are counted in periods."),
            "attendance_threshold": self.tr("A trainee below this attendance (by hours) gets no subsidy."),
            "late_after_minutes": self.tr("Signing in later than this after the start counts as late."),
            "early_leave_minutes": self.tr("Signing out earlier than this before the end counts as leaving early."),
            "absent_after_minutes": self.tr("Missing more than this of a session in all counts as absent."),
            "qualification_warn_days": self.tr("Certificates expiring within this many days are flagged."),
            "submit_days_before": self.tr("The application should reach the county this many days before the start."),
            "shared_phone_limit": self.tr("This many trainees on one phone number are flagged as suspicious."),
            "full_time_share": self.tr("Full-time teachers' share of the school's active teachers."),
            "max_institutions": self.tr("A part-time teacher may work at no more institutions than this in a year."),
            "id_min_age": self.tr("Trainees younger than this are refused."),
            "id_max_age": self.tr("Trainees older than this are refused."),
        }

    def _build_rules(self) -> None:
        page = QWidget(self.tabs)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget(scroll)
        inner.setObjectName("rulesEditor")
        outer = QVBoxLayout(inner)
        explanations = self.explanations()
        # The minimum periods: one value per level, on a row of their own.
        box = QGroupBox(_label("min_periods"), inner)
        h = QVBoxLayout(box)
        h.addWidget(self._editor("min_periods", box))
        default = QLabel(
            self.tr("Default: %1").replace("%1", self._shown("min_periods", DEFAULTS.min_periods))
            + "　"
            + explanations["min_periods"],
            box,
        )
        default.setObjectName("default_min_periods")
        default.setWordWrap(True)
        default.setStyleSheet("color: #5f6368;")
        h.addWidget(default)
        outer.addWidget(box)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        headers = [self.tr("Setting"), self.tr("Value"), self.tr("Default"), self.tr("What it does")]
        for c, title in enumerate(headers):
            grid.addWidget(QLabel(f"<b>{title}</b>", inner), 0, c)
        names = [f.name for f in dataclasses.fields(RuleSettings) if f.name != "min_periods"]
        for r, name in enumerate(names, start=1):
            grid.addWidget(QLabel(_label(name), inner), r, 0)
            grid.addWidget(self._editor(name, inner), r, 1)
            default = QLabel(self._shown(name, getattr(DEFAULTS, name)), inner)
            default.setObjectName(f"default_{name}")
            default.setStyleSheet("color: #5f6368;")
            grid.addWidget(default, r, 2)
            explain = QLabel(explanations.get(name, ""), inner)
            explain.setStyleSheet("color: #5f6368;")
            explain.setToolTip(explanations.get(name, ""))
            grid.addWidget(explain, r, 3)
        grid.setColumnStretch(3, 1)
        outer.addLayout(grid)
        outer.addStretch(1)
        scroll.setWidget(inner)
        v.addWidget(scroll, 1)
        self.rules_message = QLabel(page)
        self.rules_message.setObjectName("rulesMessage")
        self.rules_message.setWordWrap(True)
        v.addWidget(self.rules_message)
        row = QHBoxLayout()
        self.save_rules_button = QPushButton(self.tr("Save the rule settings"), page)
        self.save_rules_button.setObjectName("saveRules")
        self.save_rules_button.clicked.connect(self.save_rules)
        row.addWidget(self.save_rules_button)
        self.defaults_button = QPushButton(self.tr("Restore defaults"), page)
        self.defaults_button.setObjectName("restoreDefaults")
        self.defaults_button.clicked.connect(self.restore_defaults)
        row.addWidget(self.defaults_button)
        self.undo_rules_button = QPushButton(self.tr("Undo changes"), page)
        self.undo_rules_button.setObjectName("undoRules")
        self.undo_rules_button.clicked.connect(self._show_rules_from_register)
        row.addWidget(self.undo_rules_button)
        row.addStretch(1)
        v.addLayout(row)
        self.rules_tab = page
        self.tabs.addTab(page, self.tr("Rule settings"))

    def _editor(self, name: str, parent: QWidget) -> QWidget:
        if name == "min_periods":
            box = QWidget(parent)
            h = QHBoxLayout(box)
            h.setContentsMargins(0, 0, 0, 0)
            spins = {}
            for level in Level:
                h.addWidget(QLabel(level.label, box))
                spin = QSpinBox(box)
                spin.setObjectName(f"rule_min_periods_{level.value}")
                spin.setRange(0, 9999)
                spin.setFixedWidth(80)
                h.addWidget(spin)
                h.addSpacing(12)
                spins[level.value] = spin
            h.addStretch(1)
            self.editors[name] = spins
            return box
        if name in SHARES:
            spin: QAbstractSpinBox = QDoubleSpinBox(parent)
            spin.setDecimals(1)
            spin.setRange(0, 999)
            spin.setSuffix(" %")
        else:
            spin = QSpinBox(parent)
            spin.setRange(0, 99999)
        spin.setObjectName(f"rule_{name}")
        spin.setFixedWidth(110)
        self.editors[name] = spin
        return spin

    def _shown(self, name: str, value: Any) -> str:
        if name == "min_periods":
            return "，".join(f"{Level(k).label} {v}" for k, v in value.items())
        if name in SHARES:
            return f"{value * 100:.1f} %".replace(".0 %", " %")
        return str(value)

    def _build_documents(self) -> None:
        page = QWidget(self.tabs)
        v = QVBoxLayout(page)
        box = QGroupBox(self.tr("Documents"), page)
        form = QFormLayout(box)
        self.font_combo = QComboBox(box)
        self.font_combo.setObjectName("documentFont")
        self.font_combo.setMinimumWidth(360)
        self.font_combo.activated.connect(self._font_chosen)
        form.addRow(self.tr("Body font of the documents:"), self.font_combo)
        note = QLabel(
            self.tr(
                "Headings use the built-in font. A TrueType SimSun or FangSong (.ttf/.ttc) can be chosen for the "
                "body; it is embedded in every PDF, so the documents print the same everywhere."
            ),
            box,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6368;")
        form.addRow(note)
        v.addWidget(box)
        box = QGroupBox(self.tr("Language and data"), page)
        form = QFormLayout(box)
        self.language = QComboBox(box)
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        current = str(self.ctx.settings.value("ui/language", "zh"))
        self.language.setCurrentIndex(max(0, self.language.findData(current)))
        self.language.currentIndexChanged.connect(self._language_changed)
        form.addRow(self.tr("Language (applied at the next start):"), self.language)
        for title, value in (
            (self.tr("Register:"), self.ctx.register.location),
            (self.tr("Data folder:"), str(self.ctx.data_dir)),
            (self.tr("Log file:"), str(log_path(self.ctx.data_dir))),
        ):
            label = QLabel(value, box)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(title, label)
        v.addWidget(box)
        v.addStretch(1)
        self.tabs.addTab(page, self.tr("Documents and language"))

    # -- loading

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fonts_loaded:
            self._fonts_loaded = True
            self.load_fonts()

    def reload(self) -> None:
        with self.ctx.register.session() as s:
            inst = s.scalars(sa.select(Institution).order_by(Institution.id)).first()
            if inst is None:
                self.institution_label.setText(self.tr("No institution profile yet."))
            else:
                colon = self.tr(":")
                credit, licence, trades = self.tr("Credit code"), self.tr("School licence no."), self.tr("Approved trades")
                contact = self.tr("Contact")
                self.institution_label.setText(
                    "\n".join(
                        [
                            inst.name,
                            f"{credit}{colon}{inst.uscc}",
                            f"{licence}{colon}{inst.license_no}",
                            f"{county_name(inst.county)} {inst.address}",
                            f"{contact}{colon}{inst.contact_person} {inst.contact_phone}",
                            f"{trades}{colon}{'、'.join(t.name for t in inst.trades)}",
                        ]
                    )
                )
        self._show_rules_from_register()
        self.backups_panel.reload()

    def _show_rules_from_register(self) -> None:
        with self.ctx.register.session() as s:
            self.current_rules = load_settings(s)
        self.set_rule_values(self.current_rules)
        self.rules_message.setText("")

    def set_rule_values(self, settings: RuleSettings) -> None:
        for name, editor in self.editors.items():
            value = getattr(settings, name)
            if name == "min_periods":
                for level, spin in editor.items():
                    spin.setValue(int(settings.min_periods_for(level)))
            elif name in SHARES:
                editor.setValue(round(value * 100, 1))
            else:
                editor.setValue(int(value))

    def rule_values(self) -> RuleSettings:
        """The settings as the editors show them; a share left as shown keeps its exact value (⅓)."""
        current = getattr(self, "current_rules", DEFAULTS)
        changes: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if name == "min_periods":
                changes[name] = {level: spin.value() for level, spin in editor.items()}
            elif name in SHARES:
                shown = editor.value()
                for known in (getattr(current, name), getattr(DEFAULTS, name)):
                    if round(known * 100, 1) == round(shown, 1):
                        changes[name] = known
                        break
                else:
                    changes[name] = round(shown / 100, 4)
            else:
                changes[name] = editor.value()
        return DEFAULTS.replace(**changes)

    # -- saving

    def save_rules(self) -> bool:
        if self.ctx.runner.writing:
            from zunyi_trainer.gui.form_dialog import wait_for_write_message

            self._rules_error(wait_for_write_message())
            return False
        wanted = self.rule_values()
        try:
            with self.ctx.register.transaction() as s:
                save_settings(s, wanted)
        except ZunyiError as exc:
            field = getattr(exc, "field", None)
            self._rules_error(exc.message(), field)
            return False
        except Exception as exc:
            messages.show_error(self, exc)
            return False
        self.ctx.changed("setting")
        self.rules_message.setStyleSheet("color: #188038;")
        self.rules_message.setText(self.tr("The rule settings were saved. The checks use them from now on."))
        return True

    def _rules_error(self, message: str, field: str | None = None) -> None:
        self.rules_message.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.rules_message.setText(message)
        editor = self.editors.get(field or "")
        if isinstance(editor, dict):
            editor = next(iter(editor.values()))
        if isinstance(editor, QWidget):
            editor.setFocus()

    def restore_defaults(self) -> bool:
        if not messages.confirm(
            self,
            self.tr("Restore defaults"),
            self.tr("Set every rule setting back to its default and save?"),
            destructive=True,
        ):
            return False
        self.set_rule_values(DEFAULTS)
        return self.save_rules()

    # -- documents and language

    def load_fonts(self) -> None:
        """Fill the font choice; the search of the installed fonts runs off the UI thread."""
        from zunyi_trainer.documents.fonts import find_installed_fonts, load_font_preference

        with self.ctx.register.session() as s:
            try:
                chosen = load_font_preference(s) or BUILT_IN_FONT
            except ValueError:
                chosen = BUILT_IN_FONT
        self._fill_fonts([], chosen)

        def done(found) -> None:
            self._fill_fonts(found, chosen)

        self.ctx.runner.run(lambda task: find_installed_fonts(), on_done=done, on_error=lambda exc: log.warning("%s", exc))

    def _fill_fonts(self, found, chosen: str) -> None:
        combo = self.font_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("Built-in (WenQuanYi Micro Hei)"), BUILT_IN_FONT)
        for font in found:
            combo.addItem(f"{font.label}  ({font.path})", str(font.path))
        if chosen and combo.findData(chosen) < 0:
            combo.addItem(chosen, chosen)
        combo.addItem(self.tr("Another font file…"), OTHER_FONT)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)
        self._font_shown = chosen

    def _font_chosen(self, index: int) -> None:
        value = self.font_combo.itemData(index)
        if value == OTHER_FONT:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Choose a font file"), "", self.tr("TrueType fonts (*.ttf *.ttc)")
            )
            if not path:
                self.font_combo.setCurrentIndex(max(0, self.font_combo.findData(self._font_shown)))
                return
            value = path
        self.set_document_font(value or None)

    def set_document_font(self, path: str | Path | None) -> bool:
        from zunyi_trainer.documents.fonts import save_font_preference

        try:
            with self.ctx.register.transaction() as s:
                save_font_preference(s, path)
        except ZunyiError as exc:
            messages.show_error(self, exc)
            self.font_combo.setCurrentIndex(max(0, self.font_combo.findData(self._font_shown)))
            return False
        chosen = str(path) if path else BUILT_IN_FONT
        if self.font_combo.findData(chosen) < 0:
            self.font_combo.insertItem(self.font_combo.count() - 1, chosen, chosen)
        self.font_combo.setCurrentIndex(self.font_combo.findData(chosen))
        self._font_shown = chosen
        self.ctx.changed("setting")
        return True

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
        """Ctrl+S in the main window lands here."""
        self.backups_panel.back_up_now()
