"""The register's data model: typed SQLAlchemy 2 models of every entity in DESIGN.md.

Money is integer fen (``*_fen``), never float. Instants are aware UTC datetimes; calendar dates
and timetable clock times are local to Zunyi (see ``zunyi_trainer.timeutil``).

The names below are loaded on first use (PEP 562): mapping the declarative classes costs about
0.14 s, which the desktop app spends after its window is painted, not before. Asking for any
mapped class, table or ``Base`` loads every model module, so ``Base.metadata`` is always whole;
an enum loads only :mod:`zunyi_trainer.models.enums`. Whatever imports one model module on its
own still gets the others before SQLAlchemy configures the mappers (see ``base.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Where each public name lives.
_ENUMS = (
    "AttachmentKind",
    "AttendanceMethod",
    "AttendanceStatus",
    "BatchKind",
    "BatchState",
    "CertificateType",
    "ClassStatus",
    "Education",
    "Employment",
    "EnrollmentResult",
    "EquipmentStatus",
    "Funding",
    "Industry",
    "Level",
    "QualificationKind",
    "SessionKind",
    "Sex",
    "SpendKind",
    "TradeKind",
    "TraineeCategory",
    "TrainingMode",
    "TrainingType",
    "VenueKind",
)
_MODELS = {
    "base": ("Base",),
    "county": ("COUNTY_TABLES", "county_batch", "county_decision", "county_record", "county_school"),
    "institution": ("Equipment", "EquipmentSpend", "FinanceYear", "Institution", "Trade", "Venue", "institution_trade"),
    "people": ("Qualification", "Teacher", "TeacherAffiliation", "TeacherTraining", "Trainee"),
    "records": ("Attachment", "AuditEvent", "CountyReturn", "ExportBatch", "Setting"),
    "training": ("Attendance", "ClassSession", "Enrollment", "TrainingClass"),
}


def load_all() -> None:
    """Import every model module and bind its public names here (idempotent)."""
    for module_name, names in _MODELS.items():
        module = importlib.import_module(f"{__name__}.{module_name}")
        for name in names:
            globals()[name] = getattr(module, name)


def __getattr__(name: str) -> Any:
    if name in _ENUMS:
        value = getattr(importlib.import_module(f"{__name__}.enums"), name)
        globals()[name] = value
        return value
    if any(name in names for names in _MODELS.values()):
        load_all()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and editors: the names as if imported eagerly
    from zunyi_trainer.models.base import Base
    from zunyi_trainer.models.county import (
        COUNTY_TABLES,
        county_batch,
        county_decision,
        county_record,
        county_school,
    )
    from zunyi_trainer.models.enums import (
        AttachmentKind,
        AttendanceMethod,
        AttendanceStatus,
        BatchKind,
        BatchState,
        CertificateType,
        ClassStatus,
        Education,
        Employment,
        EnrollmentResult,
        EquipmentStatus,
        Funding,
        Industry,
        Level,
        QualificationKind,
        SessionKind,
        Sex,
        SpendKind,
        TradeKind,
        TraineeCategory,
        TrainingMode,
        TrainingType,
        VenueKind,
    )
    from zunyi_trainer.models.institution import (
        Equipment,
        EquipmentSpend,
        FinanceYear,
        Institution,
        Trade,
        Venue,
        institution_trade,
    )
    from zunyi_trainer.models.people import (
        Qualification,
        Teacher,
        TeacherAffiliation,
        TeacherTraining,
        Trainee,
    )
    from zunyi_trainer.models.records import (
        Attachment,
        AuditEvent,
        CountyReturn,
        ExportBatch,
        Setting,
    )
    from zunyi_trainer.models.training import (
        Attendance,
        ClassSession,
        Enrollment,
        TrainingClass,
    )

__all__ = [
    "COUNTY_TABLES",
    "Attachment",
    "AttachmentKind",
    "Attendance",
    "AttendanceMethod",
    "AttendanceStatus",
    "AuditEvent",
    "Base",
    "BatchKind",
    "BatchState",
    "CertificateType",
    "ClassSession",
    "ClassStatus",
    "CountyReturn",
    "Education",
    "Employment",
    "Enrollment",
    "EnrollmentResult",
    "Equipment",
    "EquipmentSpend",
    "EquipmentStatus",
    "ExportBatch",
    "FinanceYear",
    "Funding",
    "Industry",
    "Institution",
    "Level",
    "Qualification",
    "QualificationKind",
    "SessionKind",
    "Setting",
    "Sex",
    "SpendKind",
    "Teacher",
    "TeacherAffiliation",
    "TeacherTraining",
    "Trade",
    "TradeKind",
    "Trainee",
    "TraineeCategory",
    "TrainingClass",
    "TrainingMode",
    "TrainingType",
    "Venue",
    "VenueKind",
    "county_batch",
    "county_decision",
    "county_record",
    "county_school",
    "institution_trade",
]
