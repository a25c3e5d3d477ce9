"""The class's 花名册 as a workbook, with full ID numbers (as the county asks).

Its columns are the template's, so an exported roster imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from zunyi_trainer.excel.writing import DATE, ID, PHONE, TEXT, Column, write_table
from zunyi_trainer.models import Enrollment, Trainee, TrainingClass
from zunyi_trainer.roster.fields import FIELD_BY_KEY

Progress = Callable[[int, int], None]

ROSTER_FIELDS = (
    "seq",
    "name",
    "sex",
    "id_number",
    "phone",
    "education",
    "category",
    "household_address",
    "current_address",
    "employer",
    "notes",
)
_KINDS = {"id_number": ID, "phone": PHONE}


def roster_columns() -> list[Column]:
    cols = [Column(FIELD_BY_KEY[k].header, _KINDS.get(k, TEXT), FIELD_BY_KEY[k].width) for k in ROSTER_FIELDS]
    cols.insert(4, Column("出生日期", DATE, 12))
    cols.append(Column("报名日期", DATE, 12))
    cols.append(Column("退学日期", DATE, 12))
    return cols


def roster_rows(session: Session, cls: TrainingClass) -> list[list]:
    enrollments = session.scalars(
        sa.select(Enrollment)
        .where(Enrollment.class_id == cls.id)
        .options(selectinload(Enrollment.trainee))
        .order_by(Enrollment.id)
    ).all()
    rows = []
    for seq, e in enumerate(enrollments, start=1):
        t: Trainee = e.trainee
        rows.append(
            [
                seq,
                t.name,
                t.sex.zh,
                t.id_number,
                t.birth_date,
                t.phone,
                t.education.zh if t.education else "",
                t.category.zh,
                t.household_address,
                t.current_address,
                t.employer,
                t.notes,
                e.enrolled_on,
                e.withdrawn_on,
            ]
        )
    return rows


def export_class_roster(session: Session, cls: TrainingClass, path: Path | str, *, progress: Progress | None = None) -> Path:
    rows = roster_rows(session, cls)
    title = f"{cls.institution.name}　{cls.name}（{cls.code}）学员花名册"
    return write_table(
        path,
        roster_columns(),
        rows,
        sheet_name="花名册",
        title=title,
        notes=[f"共 {len(rows)} 人。"],
        progress=progress,
        row_count=len(rows),
    )
