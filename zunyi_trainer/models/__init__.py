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
import threading
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


# Threads: the overview's two workers map the models at the same moment, and the UI thread may ask
# for a class meanwhile. The names are published only once every module is mapped, so a thread
# that finds one here never starts a query (and SQLAlchemy's configure, which holds its mutex)
# while another is still mapping (which needs that mutex): that was a deadlock. One thread maps;
# the others wait on _lock, holding nothing of SQLAlchemy's.
_lock = threading.RLock()
_loaded = False


def load_all() -> None:
    """Import every model module and bind its public names here (idempotent, thread-safe)."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        found: dict[str, Any] = {}
        for module_name, names in _MODELS.items():
            module = importlib.import_module(f"{__name__}.{module_name}")
            found.update((name, getattr(module, name)) for name in names)
        globals().update(found)
        _loaded = True


def load_all_before_configure() -> None:
    """For SQLAlchemy's configure step (``base.py``), which holds its own mutex: load what nobody
    is loading, and never wait for a thread that is (it would be waiting for that mutex). Reached
    only by code that imports a model module alone and queries while another thread maps the
    models; the app's code asks this package, which waits without holding anything."""
    if _loaded:
        return
    if not _lock.acquire(blocking=False):
        raise RuntimeError(
            "the models are being mapped on another thread: import them through zunyi_trainer.models, "
            "not from a model module alone"
        )
    try:
        load_all()
    finally:
        _lock.release()


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
