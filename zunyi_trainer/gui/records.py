"""Saving and deleting register records from the forms, without Qt.

Each ``save_*`` takes the values a form collected (typed Python values keyed by field name),
validates them with the core's validators (ID numbers, credit codes) and the register's own
constraints, and raises :class:`ValidationError` with ``field`` set, so the form can show the
sentence next to that field. ``deletion_impact`` says what else would go with a record, or why it
cannot be deleted.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import idcard
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import (
    Attachment,
    Attendance,
    ClassSession,
    ClassStatus,
    Enrollment,
    Equipment,
    EquipmentSpend,
    Institution,
    Level,
    Qualification,
    Teacher,
    TeacherAffiliation,
    TeacherTraining,
    Trade,
    Trainee,
    TrainingClass,
    Venue,
)


def _required(values: dict[str, Any], name: str, zh: str, en: str) -> Any:
    value = values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(f"请填写{zh}。", f"Enter the {en}.", field=name, code="required")
    return value.strip() if isinstance(value, str) else value


def yuan_to_fen(value: decimal.Decimal | float | int | str) -> int:
    return int((decimal.Decimal(str(value)) * 100).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


def fen_to_yuan(fen: int) -> str:
    return f"{decimal.Decimal(fen) / 100:,.2f}"


# --- institution ------------------------------------------------------------------------------


def save_institution(s: Session, values: dict[str, Any], existing: Institution | None = None) -> Institution:
    name = _required(values, "name", "机构名称", "institution name")
    uscc = idcard.parse_uscc(_required(values, "uscc", "统一社会信用代码", "unified social credit code"))
    county = _required(values, "county", "所在县（市、区）", "county")
    start, end = values.get("designated_from"), values.get("designated_to")
    if start and end and end < start:
        raise ValidationError(
            "定点协议的结束日期早于开始日期，请核对。",
            "The designation ends before it starts; check the dates.",
            field="designated_to",
        )
    inst = existing or Institution(name=name, uscc=uscc, county=county)
    if existing is None:
        s.add(inst)
    for key in ("license_no", "address", "legal_representative", "contact_person", "contact_phone"):
        setattr(inst, key, (values.get(key) or "").strip())
    inst.name, inst.uscc, inst.county = name, uscc, county
    inst.designated_from, inst.designated_to = start, end
    inst.equipment_target_pct = int(values.get("equipment_target_pct") or 0)
    if "trade_ids" in values:
        inst.trades = list(s.scalars(sa.select(Trade).where(Trade.id.in_(values["trade_ids"]))))
    s.flush()
    return inst


# --- classes ----------------------------------------------------------------------------------


def save_class(s: Session, institution_id: int, values: dict[str, Any], existing: TrainingClass | None = None) -> TrainingClass:
    code = _required(values, "code", "班级编号", "class code")
    name = _required(values, "name", "班级名称", "class name")
    trade_id = _required(values, "trade_id", "职业（工种）", "trade")
    trade = s.get(Trade, trade_id)
    if trade is None:
        raise ValidationError("请选择职业（工种）。", "Choose a trade.", field="trade_id")
    level = Level(_required(values, "level", "等级", "level"))
    if trade.levels and level not in trade.levels:
        raise ValidationError(
            "{trade}没有“{level}”这个等级，可选：{levels}。",
            "{trade} has no level “{level}”; it has: {levels}.",
            field="level",
            trade=trade.name,
            level=level.label,
            levels="、".join(lv.label for lv in trade.levels),
        )
    start, end = values.get("start_date"), values.get("end_date")
    if start is None:
        raise ValidationError("请填写开班日期。", "Enter the start date.", field="start_date")
    if end is None or end < start:
        raise ValidationError(
            "结业日期不能早于开班日期，请核对。", "The end date cannot be before the start date.", field="end_date"
        )
    clash = s.scalar(
        sa.select(TrainingClass.id).where(
            TrainingClass.institution_id == institution_id,
            TrainingClass.code == code,
            TrainingClass.id != (existing.id if existing else -1),
        )
    )
    if clash:
        raise ValidationError(
            "班级编号“{class_code}”已被另一个培训班使用，请换一个编号。",
            "The class code “{class_code}” is already used by another class.",
            field="code",
            code="class.code_taken",
            class_code=code,
        )
    for key in ("fee_fen", "subsidy_standard_fen", "planned_size"):
        if int(values.get(key) or 0) < 0:
            raise ValidationError("金额和人数不能为负数。", "Amounts and sizes cannot be negative.", field=key)
    c = existing or TrainingClass(institution_id=institution_id)
    if existing is None:
        s.add(c)
    c.code, c.name, c.trade, c.level = code, name, trade, level
    c.training_type = values["training_type"]
    c.mode = values.get("mode")
    c.funding = values["funding"]
    c.start_date, c.end_date = start, end
    c.venue_id = values.get("venue_id")
    c.head_teacher_id = values.get("head_teacher_id")
    c.planned_size = int(values.get("planned_size") or 0)
    c.fee_fen = int(values.get("fee_fen") or 0)
    c.subsidy_standard_fen = int(values.get("subsidy_standard_fen") or 0)
    c.assessment_plan = values.get("assessment_plan", "") or ""
    c.notes = values.get("notes", "") or ""
    s.flush()
    return c


# --- trainees ---------------------------------------------------------------------------------


def save_trainee(s: Session, institution_id: int, values: dict[str, Any], existing: Trainee | None = None) -> Trainee:
    name = _required(values, "name", "姓名", "name")
    parsed = idcard.parse(values.get("id_number"))
    clash = s.scalar(
        sa.select(Trainee.name).where(
            Trainee.institution_id == institution_id,
            Trainee.id_number == parsed.number,
            Trainee.id != (existing.id if existing else -1),
        )
    )
    if clash is not None:
        raise ValidationError(
            "身份证号 {masked} 已登记为学员“{other}”，同一个人只登记一次。",
            "The ID number {masked} is already registered for “{other}”; a person is registered once.",
            field="id_number",
            masked=parsed.masked,
            other=clash,
        )
    t = existing or Trainee(institution_id=institution_id)
    if existing is None:
        s.add(t)
    t.name, t.id_number, t.sex, t.birth_date = name, parsed.number, parsed.sex, parsed.birth_date
    t.phone = (values.get("phone") or "").strip()
    t.education = values.get("education")
    t.category = values["category"]
    for key in ("household_address", "current_address", "employer", "notes"):
        setattr(t, key, (values.get(key) or "").strip())
    s.flush()
    return t


# --- teachers ---------------------------------------------------------------------------------


@dataclass
class QualificationRow:
    kind: Any
    number: str
    trade_id: int | None = None
    level: Level | None = None
    issuer: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


@dataclass
class TeacherExtras:
    qualifications: list[QualificationRow] = field(default_factory=list)
    affiliations: list[tuple[int, str, str]] = field(default_factory=list)  # year, name, uscc
    trainings: list[tuple[dt.date, str, str, int]] = field(default_factory=list)  # held_on, title, organizer, hours


def save_teacher(
    s: Session, institution_id: int, values: dict[str, Any], extras: TeacherExtras, existing: Teacher | None = None
) -> Teacher:
    name = _required(values, "name", "姓名", "name")
    parsed = idcard.parse(values.get("id_number"), min_age=18, max_age=80)
    clash = s.scalar(
        sa.select(Teacher.name).where(
            Teacher.institution_id == institution_id,
            Teacher.id_number == parsed.number,
            Teacher.id != (existing.id if existing else -1),
        )
    )
    if clash is not None:
        raise ValidationError(
            "身份证号 {masked} 已登记为教师“{other}”。",
            "The ID number {masked} is already registered for the teacher “{other}”.",
            field="id_number",
            masked=parsed.masked,
            other=clash,
        )
    for i, q in enumerate(extras.qualifications, start=1):
        if not q.number.strip():
            raise ValidationError(
                "第 {i} 条资格证书没有证书编号。", "Qualification {i} has no certificate number.", field="qualifications", i=i
            )
        if q.issued_on and q.expires_on and q.expires_on < q.issued_on:
            raise ValidationError(
                "第 {i} 条资格证书的有效期早于发证日期。",
                "Qualification {i} expires before it was issued.",
                field="qualifications",
                i=i,
            )
    for i, (_year, other, _uscc) in enumerate(extras.affiliations, start=1):
        if not other.strip():
            raise ValidationError(
                "第 {i} 条兼职机构没有填写机构名称。", "Other institution {i} has no name.", field="affiliations", i=i
            )
    for i, (_held, title, _org, _hours) in enumerate(extras.trainings, start=1):
        if not title.strip():
            raise ValidationError("第 {i} 条培训记录没有填写名称。", "Training record {i} has no title.", field="trainings", i=i)
    t = existing or Teacher(institution_id=institution_id)
    if existing is None:
        s.add(t)
    t.name, t.id_number, t.sex = name, parsed.number, parsed.sex
    t.employment = values["employment"]
    t.education = values.get("education")
    for key in ("phone", "title", "specialty", "notes"):
        setattr(t, key, (values.get(key) or "").strip())
    t.hired_on = values.get("hired_on")
    t.left_on = values.get("left_on")
    t.active = t.left_on is None
    t.qualifications = [
        Qualification(
            kind=q.kind,
            number=q.number.strip(),
            trade_id=q.trade_id,
            level=q.level,
            issuer=q.issuer,
            issued_on=q.issued_on,
            expires_on=q.expires_on,
        )
        for q in extras.qualifications
    ]
    t.affiliations = [
        TeacherAffiliation(year=year, institution_name=other.strip(), institution_uscc=uscc.strip())
        for year, other, uscc in extras.affiliations
    ]
    t.trainings = [
        TeacherTraining(held_on=held, title=title.strip(), organizer=org.strip(), hours=hours)
        for held, title, org, hours in extras.trainings
    ]
    s.flush()
    return t


# --- venues, equipment, spend -----------------------------------------------------------------


def save_venue(s: Session, institution_id: int, values: dict[str, Any], existing: Venue | None = None) -> Venue:
    name = _required(values, "name", "场地名称", "venue name")
    seats = int(values.get("seats") or 0)
    if seats < 0:
        raise ValidationError("座位数不能为负数。", "Seats cannot be negative.", field="seats")
    v = existing or Venue(institution_id=institution_id)
    if existing is None:
        s.add(v)
    v.name, v.kind, v.seats = name, values["kind"], seats
    area = values.get("area_m2")
    v.area_m2 = decimal.Decimal(str(area)) if area else None
    v.address = (values.get("address") or "").strip()
    v.active = bool(values.get("active", True))
    v.notes = values.get("notes", "") or ""
    s.flush()
    return v


def save_equipment(s: Session, institution_id: int, values: dict[str, Any], existing: Equipment | None = None) -> Equipment:
    name = _required(values, "name", "设备名称", "equipment name")
    quantity = int(values.get("quantity") or 0)
    if quantity < 1:
        raise ValidationError("数量至少为 1。", "The quantity is at least 1.", field="quantity")
    e = existing or Equipment(institution_id=institution_id)
    if existing is None:
        s.add(e)
    e.name, e.quantity = name, quantity
    for key in ("asset_no", "model", "unit", "notes"):
        setattr(e, key, (values.get(key) or "").strip())
    e.unit = e.unit or "台"
    e.status = values["status"]
    e.venue_id = values.get("venue_id")
    e.acquired_on = values.get("acquired_on")
    e.value_fen = int(values.get("value_fen") or 0)
    s.flush()
    return e


def save_spend(
    s: Session,
    institution_id: int,
    values: dict[str, Any],
    attachments: Sequence[Path] = (),
    store: Path | None = None,
    existing: EquipmentSpend | None = None,
) -> EquipmentSpend:
    amount = int(values.get("amount_fen") or 0)
    if amount <= 0:
        raise ValidationError("请填写大于零的金额。", "Enter an amount above zero.", field="amount_fen")
    if values.get("spent_on") is None:
        raise ValidationError("请填写支出日期。", "Enter the date of the spend.", field="spent_on")
    description = _required(values, "description", "用途说明", "description")
    sp = existing or EquipmentSpend(institution_id=institution_id)
    if existing is None:
        s.add(sp)
    sp.kind, sp.spent_on, sp.amount_fen, sp.description = values["kind"], values["spent_on"], amount, description
    sp.equipment_id = values.get("equipment_id")
    for key in ("supplier", "invoice_no", "notes"):
        setattr(sp, key, (values.get(key) or "").strip())
    s.flush()
    if attachments:
        from zunyi_trainer.attachments import add_attachment
        from zunyi_trainer.models import AttachmentKind

        for path in attachments:
            kind = AttachmentKind.INVOICE if "发票" in path.name or "invoice" in path.name.lower() else None
            add_attachment(s, store, Path(path), kind=kind, spend=sp)
        s.flush()
    return sp


# --- deleting ---------------------------------------------------------------------------------


@dataclass
class DeletionImpact:
    """What deleting a record would take with it (``consequences``), or why it cannot be deleted."""

    consequences: list[str] = field(default_factory=list)
    blocker: str | None = None


def _count(s: Session, stmt: sa.Select) -> int:
    return s.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0


def deletion_impact(s: Session, obj: Any) -> DeletionImpact:
    impact = DeletionImpact()
    if isinstance(obj, TrainingClass):
        if obj.status not in (ClassStatus.DRAFT, ClassStatus.REJECTED):
            impact.blocker = text(
                "培训班“{name}”状态为“{status}”，已报审或已开班的班级不能删除，以免档案缺失。",
                "The class “{name}” is {status}; a class that was submitted or has started cannot be deleted.",
                name=obj.name,
                status=obj.status.label,
            )
            return impact
        sessions = _count(s, sa.select(ClassSession.id).where(ClassSession.class_id == obj.id))
        enrolled = _count(s, sa.select(Enrollment.id).where(Enrollment.class_id == obj.id))
        marks = _count(s, sa.select(Attendance.id).join(ClassSession).where(ClassSession.class_id == obj.id))
        files = _count(s, sa.select(Attachment.id).where(Attachment.class_id == obj.id))
        for n, zh, en in (
            (sessions, "{n} 个课次", "{n} sessions"),
            (enrolled, "{n} 名学员的报名记录（学员本人保留）", "{n} enrolments (the trainees stay)"),
            (marks, "{n} 条考勤记录", "{n} attendance marks"),
            (files, "{n} 个档案附件", "{n} archive attachments"),
        ):
            if n:
                impact.consequences.append(text(zh, en, n=n))
    elif isinstance(obj, Trainee):
        classes = list(s.scalars(sa.select(TrainingClass.name).join(Enrollment).where(Enrollment.trainee_id == obj.id).limit(5)))
        if classes:
            impact.blocker = text(
                "学员“{name}”已报名培训班（{classes}），不能删除。请先在培训班中办理退学。",
                "The trainee “{name}” is enrolled in classes ({classes}) and cannot be deleted; withdraw them first.",
                name=obj.name,
                classes="、".join(classes),
            )
    elif isinstance(obj, Teacher):
        used = _count(s, sa.select(ClassSession.id).where(ClassSession.teacher_id == obj.id))
        if used:
            impact.blocker = text(
                "教师“{name}”在 {n} 个课次的课程表上，不能删除。可以填写离职日期，使其不再排课。",
                "The teacher “{name}” is on the timetable of {n} sessions and cannot be deleted; enter a leaving date instead.",
                name=obj.name,
                n=used,
            )
            return impact
        for n, zh, en in (
            (len(obj.qualifications), "{n} 条资格证书", "{n} qualifications"),
            (len(obj.affiliations), "{n} 条兼职机构记录", "{n} other-institution records"),
            (len(obj.trainings), "{n} 条培训记录", "{n} training records"),
        ):
            if n:
                impact.consequences.append(text(zh, en, n=n))
    elif isinstance(obj, Venue):
        used = _count(s, sa.select(TrainingClass.id).where(TrainingClass.venue_id == obj.id)) + _count(
            s, sa.select(ClassSession.id).where(ClassSession.venue_id == obj.id)
        )
        if used:
            impact.blocker = text(
                "场地“{name}”已被培训班或课次使用，不能删除。可以把它设为停用。",
                "The venue “{name}” is used by classes or sessions and cannot be deleted; mark it inactive instead.",
                name=obj.name,
            )
            return impact
        n = _count(s, sa.select(Equipment.id).where(Equipment.venue_id == obj.id))
        if n:
            impact.consequences.append(
                text("{n} 台设备将不再登记在此场地（设备本身保留）", "{n} equipment items lose their venue (they stay)", n=n)
            )
    elif isinstance(obj, Equipment):
        n = _count(s, sa.select(EquipmentSpend.id).where(EquipmentSpend.equipment_id == obj.id))
        if n:
            impact.consequences.append(
                text("{n} 条设备投入记录将不再关联此设备（记录本身保留）", "{n} spend records lose their link (they stay)", n=n)
            )
    elif isinstance(obj, EquipmentSpend):
        n = _count(s, sa.select(Attachment.id).where(Attachment.spend_id == obj.id))
        if n:
            impact.consequences.append(text("{n} 个发票或照片附件", "{n} invoice or photo attachments", n=n))
    return impact


def delete_record(s: Session, obj: Any) -> None:
    impact = deletion_impact(s, obj)
    if impact.blocker:
        raise ValidationError(impact.blocker, impact.blocker, code="delete.refused")
    if isinstance(obj, EquipmentSpend):
        for att in s.scalars(sa.select(Attachment).where(Attachment.spend_id == obj.id)):
            s.delete(att)
    if isinstance(obj, TrainingClass):
        for att in s.scalars(sa.select(Attachment).where(Attachment.class_id == obj.id)):
            s.delete(att)
    s.delete(obj)
    s.flush()
