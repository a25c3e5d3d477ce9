"""Which register tables travel to the county, and how one row becomes one JSON line.

A row leaves the machine keyed by its UUID, never by the local integer id: the county merges many
schools' batches and a school's ids mean nothing there. So every foreign key is written as the
UUID of the row it points at (``class_id`` becomes ``class_uuid``), except a trade, which is
reference data shared by everybody and travels as its ``trade_code``.

The order of :data:`TABLES` is the order to apply upserts in (parents before children); deletions
are applied in the reverse order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer.models import (
    Attachment,
    Attendance,
    ClassSession,
    Enrollment,
    Equipment,
    EquipmentSpend,
    FinanceYear,
    Institution,
    Qualification,
    Teacher,
    TeacherAffiliation,
    TeacherTraining,
    Trade,
    Trainee,
    TrainingClass,
    Venue,
    institution_trade,
)
from zunyi_trainer.models.base import ExactDecimal, UTCDateTime

# Columns the register keeps for itself: the local key.
_SKIPPED = {"id"}

OP_KEY = "_op"  # "upsert" or "delete" on every line
UPSERT, DELETE = "upsert", "delete"


@dataclasses.dataclass(frozen=True)
class TableSpec:
    name: str  # the file stem in the batch: records/<name>.jsonl
    model: type
    zh: str  # sheet name in the workbook

    @property
    def table(self) -> sa.Table:
        return self.model.__table__  # type: ignore[attr-defined]

    @property
    def table_name(self) -> str:
        return self.table.name


TABLES: tuple[TableSpec, ...] = (
    TableSpec("institution", Institution, "学校"),
    TableSpec("finance_years", FinanceYear, "年度收支"),
    TableSpec("teachers", Teacher, "教师"),
    TableSpec("qualifications", Qualification, "教师证书"),
    TableSpec("teacher_affiliations", TeacherAffiliation, "兼职机构"),
    TableSpec("teacher_trainings", TeacherTraining, "教师轮训"),
    TableSpec("venues", Venue, "场地"),
    TableSpec("equipment", Equipment, "设备"),
    TableSpec("spend", EquipmentSpend, "设备投入"),
    TableSpec("classes", TrainingClass, "培训班"),
    TableSpec("sessions", ClassSession, "课次"),
    TableSpec("trainees", Trainee, "学员"),
    TableSpec("enrolments", Enrollment, "报名"),
    TableSpec("attendance", Attendance, "考勤"),
    TableSpec("attachments", Attachment, "附件索引"),
)
BY_NAME = {spec.name: spec for spec in TABLES}
BY_TABLE_NAME = {spec.table_name: spec for spec in TABLES}


def _scalar(value: Any) -> Any:
    """A column value as JSON: the same rendering as the audit trail's (see audit.jsonable)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return str(value)


@dataclasses.dataclass
class Column:
    key: str  # the key in the JSON line
    source: str  # the column in the table
    lookup: str | None  # referenced table whose map turns the local id into a uuid / code


def columns(spec: TableSpec) -> list[Column]:
    out = []
    for col in spec.table.columns:
        if col.name in _SKIPPED:
            continue
        fks = list(col.foreign_keys)
        if not fks:
            out.append(Column(col.name, col.name, None))
            continue
        target = fks[0].column.table.name
        stem = col.name[:-3] if col.name.endswith("_id") else col.name
        if target == Trade.__tablename__:
            out.append(Column(f"{stem}_code", col.name, target))
        else:
            out.append(Column(f"{stem}_uuid", col.name, target))
    return out


class Lookups:
    """Local id -> UUID (or trade code) of every table a foreign key points at, loaded on demand."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._maps: dict[str, dict[int, str]] = {}

    def get(self, table_name: str) -> dict[int, str]:
        found = self._maps.get(table_name)
        if found is None:
            table = _table(table_name)
            key_col = table.c.code if table_name == Trade.__tablename__ else table.c.uuid
            found = {row[0]: _scalar(row[1]) for row in self.session.execute(sa.select(table.c.id, key_col))}
            self._maps[table_name] = found
        return found


def _table(table_name: str) -> sa.Table:
    from zunyi_trainer.models import Base

    return Base.metadata.tables[table_name]


def _value_converter(col: sa.Column) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes JSON, chosen once per column (None: as it is)."""
    if isinstance(col.type, UTCDateTime):
        # Instants come back aware in UTC (models.base.UTCDateTime), so isoformat() is already UTC.
        return lambda v: None if v is None else v.isoformat()
    if isinstance(col.type, ExactDecimal):
        return lambda v: None if v is None else str(v)
    try:
        python_type = col.type.python_type
    except NotImplementedError:
        return _scalar
    if python_type in (str, int, bool):
        return None
    if issubclass(python_type, enum.Enum):
        return lambda v: None if v is None else v.value
    if python_type is dt.datetime:
        return lambda v: None if v is None else v.astimezone(dt.UTC).isoformat()
    if python_type in (dt.date, dt.time):
        return lambda v: None if v is None else v.isoformat()
    if python_type in (uuid.UUID, decimal.Decimal):
        return lambda v: None if v is None else str(v)
    return _scalar


def row_converter(spec: TableSpec, lookups: Lookups) -> Callable[[sa.Row], dict[str, Any]]:
    """A function turning a row of ``spec.table`` into the dict written as one JSON line."""
    plan = []
    # Keys in sorted order, so that lines need no sort_keys when dumped ("_op" sorts first).
    for c in sorted(columns(spec), key=lambda c: c.key):
        if c.lookup:
            mapping = lookups.get(c.lookup)
            plan.append((c.key, c.source, lambda v, m=mapping: None if v is None else m.get(v)))
        else:
            plan.append((c.key, c.source, _value_converter(spec.table.c[c.source])))

    trades_by_inst: dict[int, list[str]] | None = None
    if spec.model is Institution:
        trade_codes = lookups.get(Trade.__tablename__)
        trades_by_inst = {}
        for inst_id, trade_id in lookups.session.execute(
            sa.select(institution_trade.c.institution_id, institution_trade.c.trade_id)
        ):
            trades_by_inst.setdefault(inst_id, []).append(trade_codes.get(trade_id, ""))

    def convert(row: sa.Row) -> dict[str, Any]:
        m = row._mapping
        out: dict[str, Any] = {OP_KEY: UPSERT}
        for key, source, conv in plan:
            value = m[source]
            out[key] = value if conv is None else conv(value)
        if trades_by_inst is not None:
            out["trade_codes"] = sorted(trades_by_inst.get(m["id"], []))
        return out

    return convert


def is_record_key(value: str) -> bool:
    """Whether an audit event's record key is a record UUID (as ``str(uuid)`` writes it)."""
    parsed = _as_uuid(value)
    return parsed is not None and str(parsed) == value


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:  # a key that is not a record's UUID names nothing that travels
        return None


def select_rows(session: Session, spec: TableSpec, uuids: list[str] | None = None, chunk: int = 500) -> Iterator[sa.Row]:
    """Rows of a table ordered by UUID: all of them, or those whose UUID is in ``uuids``."""
    table = spec.table
    if uuids is None:
        yield from session.execute(sa.select(table).order_by(table.c.uuid)).yield_per(2000)
        return
    wanted = sorted(u for u in map(_as_uuid, uuids) if u is not None)
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        yield from session.execute(sa.select(table).where(table.c.uuid.in_(part)).order_by(table.c.uuid))
