"""Round trips: a class roster exported and imported again gives the same register."""

from __future__ import annotations

import factories as f
import openpyxl
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from zunyi_trainer.models import ClassStatus, Enrollment, Trainee, TrainingClass
from zunyi_trainer.roster import export_class_roster, import_roster

FIELDS = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "education",
    "category",
    "household_address",
    "current_address",
    "employer",
)


def _people(session, class_code: str) -> dict[str, tuple]:
    cls = session.scalars(sa.select(TrainingClass).where(TrainingClass.code == class_code)).one()
    enrollments = session.scalars(
        sa.select(Enrollment).where(Enrollment.class_id == cls.id).options(selectinload(Enrollment.trainee))
    ).all()
    return {e.trainee.id_number: tuple(getattr(e.trainee, k) for k in FIELDS) for e in enrollments}


def _demo_class(session) -> TrainingClass:
    return session.scalars(
        sa.select(TrainingClass).where(TrainingClass.status != ClassStatus.ARCHIVED).order_by(TrainingClass.code)
    ).first()


def test_export_then_import_into_a_new_register_gives_the_same_trainees(demo_register, register, tmp_path):
    with demo_register.session() as s:
        cls = _demo_class(s)
        export_class_roster(s, cls, tmp_path / "roster.xlsx")
        expected = _people(s, cls.code)
    assert len(expected) >= 10
    with register.transaction() as s:
        f.training_class(s, code="NEW1")
    report = import_roster(register, tmp_path / "roster.xlsx", "NEW1")
    assert (report.imported, report.created, report.errors) == (len(expected), len(expected), [])
    with register.session() as s:
        assert _people(s, "NEW1") == expected
        assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == len(expected)


def test_export_then_import_into_another_class_links_everyone_and_creates_nobody(demo_register, tmp_path):
    with demo_register.transaction() as s:
        cls = _demo_class(s)
        export_class_roster(s, cls, tmp_path / "roster.xlsx")
        expected = _people(s, cls.code)
        before = s.scalar(sa.select(sa.func.count()).select_from(Trainee))
        f.training_class(s, institution=cls.institution, code="COPY1")
    report = import_roster(demo_register, tmp_path / "roster.xlsx", "COPY1")
    assert (report.linked_existing, report.created) == (len(expected), 0)
    with demo_register.session() as s:
        assert _people(s, "COPY1") == expected
        assert s.scalar(sa.select(sa.func.count()).select_from(Trainee)) == before


def test_the_exported_roster_is_the_countys_form_full_ids_as_text_and_real_dates(demo_register, tmp_path):
    with demo_register.session() as s:
        cls = _demo_class(s)
        export_class_roster(s, cls, tmp_path / "roster.xlsx")
        numbers = set(_people(s, cls.code))
    ws = openpyxl.load_workbook(tmp_path / "roster.xlsx").active
    assert cls.code in ws["A1"].value
    headers = [c.value for c in ws[2]]
    assert headers[:6] == ["序号", "姓名", "性别", "公民身份号码", "出生日期", "联系电话"]
    cells = [ws.cell(row=r, column=4) for r in range(3, 3 + len(numbers))]
    assert {c.value for c in cells} == numbers and all(c.number_format == "@" for c in cells)
    assert ws.cell(row=3, column=5).is_date
    assert ws.freeze_panes == "A3"
