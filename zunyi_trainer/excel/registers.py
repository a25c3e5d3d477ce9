"""Exports of the registers (台账): classes, trainees, teachers, venues, equipment, spend.

Each register is a list of :class:`~zunyi_trainer.excel.writing.Column` and rows, built from the
database by :func:`register_table` and written by :func:`export_register`. ID numbers are
exported in full and as text: these workbooks are the school's own ledgers (mask them with
``mask_ids=True`` for copies that leave the office).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from zunyi_trainer import idcard
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.excel.writing import DATE, DATETIME, DECIMAL, ID, INT, MONEY, PHONE, TEXT, Column, write_table
from zunyi_trainer.models import (
    Attachment,
    Enrollment,
    Equipment,
    EquipmentSpend,
    Teacher,
    Trainee,
    TrainingClass,
    Venue,
)

Progress = Callable[[int, int], None]


@dataclasses.dataclass(frozen=True)
class RegisterTable:
    name: str
    title: str  # the sheet's name and the workbook's title, in Chinese
    columns: list[Column]
    rows: list[list[Any]]


def _label(value: Any) -> str:
    return "" if value is None else getattr(value, "zh", str(value))


def _id(number: str | None, mask: bool) -> str:
    return idcard.mask(number) if mask else (number or "")


def _classes(s: Session, mask: bool) -> RegisterTable:
    counts = dict(
        s.execute(
            sa.select(Enrollment.class_id, sa.func.count()).where(Enrollment.withdrawn_on.is_(None)).group_by(Enrollment.class_id)
        ).all()
    )
    classes = s.scalars(
        sa.select(TrainingClass)
        .options(selectinload(TrainingClass.trade), selectinload(TrainingClass.venue))
        .order_by(TrainingClass.start_date, TrainingClass.code)
    ).all()
    columns = [
        Column("班级编号", TEXT),
        Column("班级名称", TEXT),
        Column("职业（工种）", TEXT),
        Column("等级", TEXT),
        Column("培训类型", TEXT),
        Column("培训形式", TEXT),
        Column("资金来源", TEXT),
        Column("开班日期", DATE),
        Column("结业日期", DATE),
        Column("计划人数", INT),
        Column("在册人数", INT),
        Column("培训场地", TEXT),
        Column("培训费（元/人）", MONEY),
        Column("补贴标准（元/人）", MONEY),
        Column("状态", TEXT),
        Column("批文号", TEXT),
        Column("批复日期", DATE),
        Column("档案号", TEXT),
    ]
    rows = [
        [
            c.code,
            c.name,
            c.trade.name,
            _label(c.level),
            _label(c.training_type),
            _label(c.mode),
            _label(c.funding),
            c.start_date,
            c.end_date,
            c.planned_size,
            counts.get(c.id, 0),
            c.venue.name if c.venue else "",
            c.fee_fen,
            c.subsidy_standard_fen,
            _label(c.status),
            c.approval_no,
            c.decided_on,
            c.archive_no,
        ]
        for c in classes
    ]
    return RegisterTable("classes", "培训班台账", columns, rows)


def _trainees(s: Session, mask: bool) -> RegisterTable:
    counts = dict(s.execute(sa.select(Enrollment.trainee_id, sa.func.count()).group_by(Enrollment.trainee_id)).all())
    columns = [
        Column("姓名", TEXT),
        Column("性别", TEXT),
        Column("公民身份号码", ID),
        Column("出生日期", DATE),
        Column("联系电话", PHONE),
        Column("文化程度", TEXT),
        Column("人员类别", TEXT),
        Column("户籍地址", TEXT),
        Column("现居住地址", TEXT),
        Column("工作单位", TEXT),
        Column("参训班次", INT),
        Column("建档时间", DATETIME),
        Column("备注", TEXT),
    ]
    rows = [
        [
            t.name,
            _label(t.sex),
            _id(t.id_number, mask),
            t.birth_date,
            t.phone,
            _label(t.education),
            _label(t.category),
            t.household_address,
            t.current_address,
            t.employer,
            counts.get(t.id, 0),
            t.created_at,
            t.notes,
        ]
        for t in s.scalars(sa.select(Trainee).order_by(Trainee.id))
    ]
    return RegisterTable("trainees", "学员台账", columns, rows)


def _teachers(s: Session, mask: bool) -> RegisterTable:
    teachers = s.scalars(
        sa.select(Teacher)
        .options(selectinload(Teacher.qualifications), selectinload(Teacher.trainings))
        .order_by(Teacher.employment, Teacher.name)
    ).all()
    columns = [
        Column("姓名", TEXT),
        Column("性别", TEXT),
        Column("公民身份号码", ID),
        Column("联系电话", PHONE),
        Column("聘用形式", TEXT),
        Column("文化程度", TEXT),
        Column("职称", TEXT),
        Column("专业特长", TEXT),
        Column("入职日期", DATE),
        Column("离职日期", DATE),
        Column("在职", TEXT),
        Column("资格证书", TEXT, 50),
        Column("最早到期日", DATE),
        Column("最近轮训日期", DATE),
        Column("备注", TEXT),
    ]
    rows = []
    for t in teachers:
        quals = "；".join(
            f"{_label(q.kind)} {q.number}" + (f"（至 {q.expires_on.isoformat()}）" if q.expires_on else "")
            for q in t.qualifications
        )
        expiries = [q.expires_on for q in t.qualifications if q.expires_on]
        trainings = [tr.held_on for tr in t.trainings]
        rows.append(
            [
                t.name,
                _label(t.sex),
                _id(t.id_number, mask),
                t.phone,
                _label(t.employment),
                _label(t.education),
                t.title,
                t.specialty,
                t.hired_on,
                t.left_on,
                t.active,
                quals,
                min(expiries) if expiries else None,
                max(trainings) if trainings else None,
                t.notes,
            ]
        )
    return RegisterTable("teachers", "教师台账", columns, rows)


def _venues(s: Session, mask: bool) -> RegisterTable:
    columns = [
        Column("场地名称", TEXT),
        Column("类型", TEXT),
        Column("地址", TEXT),
        Column("面积（㎡）", DECIMAL),
        Column("座位数", INT),
        Column("在用", TEXT),
        Column("备注", TEXT),
    ]
    rows = [
        [v.name, _label(v.kind), v.address, v.area_m2, v.seats, v.active, v.notes]
        for v in s.scalars(sa.select(Venue).order_by(Venue.name))
    ]
    return RegisterTable("venues", "场地台账", columns, rows)


def _equipment(s: Session, mask: bool) -> RegisterTable:
    columns = [
        Column("资产编号", TEXT),
        Column("设备名称", TEXT),
        Column("规格型号", TEXT),
        Column("数量", INT),
        Column("单位", TEXT),
        Column("状态", TEXT),
        Column("所在场地", TEXT),
        Column("购置日期", DATE),
        Column("价值（元）", MONEY),
        Column("备注", TEXT),
    ]
    rows = [
        [
            e.asset_no,
            e.name,
            e.model,
            e.quantity,
            e.unit,
            _label(e.status),
            e.venue.name if e.venue else "",
            e.acquired_on,
            e.value_fen,
            e.notes,
        ]
        for e in s.scalars(sa.select(Equipment).options(selectinload(Equipment.venue)).order_by(Equipment.asset_no, Equipment.id))
    ]
    return RegisterTable("equipment", "设备台账", columns, rows)


def _spend(s: Session, mask: bool) -> RegisterTable:
    attachments = dict(
        s.execute(
            sa.select(Attachment.spend_id, sa.func.count()).where(Attachment.spend_id.is_not(None)).group_by(Attachment.spend_id)
        ).all()
    )
    columns = [
        Column("日期", DATE),
        Column("类型", TEXT),
        Column("设备", TEXT),
        Column("金额（元）", MONEY),
        Column("说明", TEXT),
        Column("供应商", TEXT),
        Column("发票号", TEXT),
        Column("附件数", INT),
        Column("备注", TEXT),
    ]
    rows = [
        [
            sp.spent_on,
            _label(sp.kind),
            sp.equipment.name if sp.equipment else "",
            sp.amount_fen,
            sp.description,
            sp.supplier,
            sp.invoice_no,
            attachments.get(sp.id, 0),
            sp.notes,
        ]
        for sp in s.scalars(
            sa.select(EquipmentSpend).options(selectinload(EquipmentSpend.equipment)).order_by(EquipmentSpend.spent_on)
        )
    ]
    return RegisterTable("spend", "设备投入台账", columns, rows)


REGISTERS: dict[str, Callable[[Session, bool], RegisterTable]] = {
    "classes": _classes,
    "trainees": _trainees,
    "teachers": _teachers,
    "venues": _venues,
    "equipment": _equipment,
    "spend": _spend,
}


def register_table(session: Session, name: str, *, mask_ids: bool = False) -> RegisterTable:
    builder = REGISTERS.get(name)
    if builder is None:
        raise ValidationError(
            "没有名为“{name}”的台账。可导出的台账：{names}。",
            "There is no register “{name}”. Registers: {names}.",
            code="export.unknown_register",
            name=name,
            names=", ".join(REGISTERS),
        )
    return builder(session, mask_ids)


def export_register(
    session: Session, name: str, path: Path | str, *, mask_ids: bool = False, progress: Progress | None = None
) -> RegisterTable:
    """Write one register to ``path``; returns what was written."""
    table = register_table(session, name, mask_ids=mask_ids)
    write_table(
        path,
        table.columns,
        table.rows,
        sheet_name=table.title,
        title="",
        progress=progress,
        row_count=len(table.rows),
    )
    return table
