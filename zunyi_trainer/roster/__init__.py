"""Rosters (花名册) in and out of Excel: the template, the import with its row-level report,
and the class roster export. See :mod:`.importer` for the steps the GUI's wizard takes."""

from zunyi_trainer.roster.export import export_class_roster
from zunyi_trainer.roster.importer import (
    RosterPlan,
    RosterRow,
    apply_roster,
    import_roster,
    layout_for,
    read_roster,
    resolve_class,
    sniff_roster,
    validate_roster,
)
from zunyi_trainer.roster.layout import Layout
from zunyi_trainer.roster.report import ImportRefused, ImportReport, Issue
from zunyi_trainer.roster.template import write_template

__all__ = [
    "ImportRefused",
    "ImportReport",
    "Issue",
    "Layout",
    "RosterPlan",
    "RosterRow",
    "apply_roster",
    "export_class_roster",
    "import_roster",
    "layout_for",
    "read_roster",
    "resolve_class",
    "sniff_roster",
    "validate_roster",
    "write_template",
]
