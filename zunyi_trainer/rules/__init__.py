"""The plan's rules: one function per rule, each returning :class:`Finding` objects.

``check_class`` runs the rules of one class (opening, its teachers, its funds and attendance);
``check_school`` the school-wide ones (teacher mix, part-timers, spend documents, equipment
share, trainees across classes). A finding that ``blocks`` stops the class's submission; one that
``warns`` is shown and kept. Settings come from the register (``zunyi_trainer.settings``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from zunyi_trainer.models import Institution, TrainingClass
from zunyi_trainer.rules.catalogue import CATALOGUE
from zunyi_trainer.rules.context import ClassContext, SchoolContext, load_class
from zunyi_trainer.rules.findings import BLOCKS, WARNS, Finding, blocking, record_of, sort_findings
from zunyi_trainer.settings import RuleSettings, load_settings
from zunyi_trainer.timeutil import today_local

ClassRule = Callable[[ClassContext], list[Finding]]
SchoolRule = Callable[[SchoolContext], list[Finding]]


CLASS_RULE_MODULES = ("opening", "teachers", "funds", "approval")
SCHOOL_RULE_MODULES = ("teachers", "funds", "equipment")


def _collect(modules: Sequence[str], attr: str) -> list:
    rules: list = []
    for name in modules:
        module = importlib.import_module(f"zunyi_trainer.rules.{name}")
        rules += getattr(module, attr, ())
    return rules


def class_rules() -> Sequence[ClassRule]:
    return _collect(CLASS_RULE_MODULES, "CLASS_RULES")


def school_rules() -> Sequence[SchoolRule]:
    return _collect(SCHOOL_RULE_MODULES, "SCHOOL_RULES")


def check_class(
    session: Session,
    training_class: TrainingClass,
    settings: RuleSettings | None = None,
    *,
    today: dt.date | None = None,
) -> list[Finding]:
    """All findings of one class, blocking ones first."""
    settings = settings or load_settings(session)
    ctx = load_class(session, training_class, settings, today)
    findings: list[Finding] = []
    for rule in class_rules():
        findings.extend(rule(ctx))
    return sort_findings(findings)


def check_school(
    session: Session,
    institution: Institution,
    settings: RuleSettings | None = None,
    *,
    today: dt.date | None = None,
) -> list[Finding]:
    """The school-wide findings, blocking ones first."""
    settings = settings or load_settings(session)
    ctx = SchoolContext(session, institution, settings, today or today_local())
    findings: list[Finding] = []
    for rule in school_rules():
        findings.extend(rule(ctx))
    return sort_findings(findings)


__all__ = [
    "BLOCKS",
    "CATALOGUE",
    "WARNS",
    "Finding",
    "blocking",
    "check_class",
    "check_school",
    "record_of",
]
