"""Teachers (with qualifications, other institutions and training) and trainees."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zunyi_trainer.models.base import Base, HasUuid, IdPk, Timestamps
from zunyi_trainer.models.enums import (
    Education,
    Employment,
    Level,
    QualificationKind,
    Sex,
    TraineeCategory,
)

if TYPE_CHECKING:
    from zunyi_trainer.models.institution import Trade
    from zunyi_trainer.models.training import Enrollment


class Teacher(IdPk, HasUuid, Timestamps, Base):
    """培训教师, full-time (专职) or part-time (兼职): item 12 of the plan."""

    __tablename__ = "teacher"
    __table_args__ = (sa.UniqueConstraint("institution_id", "id_number"),)

    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    id_number: Mapped[str] = mapped_column(sa.String(18))
    sex: Mapped[Sex | None]
    phone: Mapped[str] = mapped_column(sa.String(32), default="")
    employment: Mapped[Employment]
    education: Mapped[Education | None]
    title: Mapped[str] = mapped_column(sa.String(64), default="")  # 职称
    specialty: Mapped[str] = mapped_column(sa.String(128), default="")
    hired_on: Mapped[dt.date | None]
    left_on: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    qualifications: Mapped[list[Qualification]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", order_by="Qualification.expires_on"
    )
    affiliations: Mapped[list[TeacherAffiliation]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", order_by="TeacherAffiliation.year"
    )
    trainings: Mapped[list[TeacherTraining]] = relationship(
        back_populates="teacher", cascade="all, delete-orphan", order_by="TeacherTraining.held_on"
    )

    def __repr__(self) -> str:
        return f"<Teacher {self.name} {self.employment}>"


class Qualification(IdPk, HasUuid, Timestamps, Base):
    """A teacher's certificate: kind, number, trade and level, validity."""

    __tablename__ = "qualification"

    teacher_id: Mapped[int] = mapped_column(sa.ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    kind: Mapped[QualificationKind]
    number: Mapped[str] = mapped_column(sa.String(64))
    trade_id: Mapped[int | None] = mapped_column(sa.ForeignKey("trade.id", ondelete="RESTRICT"), index=True)
    level: Mapped[Level | None]
    issuer: Mapped[str] = mapped_column(sa.String(128), default="")
    issued_on: Mapped[dt.date | None]
    expires_on: Mapped[dt.date | None]  # None: does not expire

    teacher: Mapped[Teacher] = relationship(back_populates="qualifications")
    trade: Mapped[Trade | None] = relationship()

    def valid_on(self, day: dt.date) -> bool:
        if self.issued_on and day < self.issued_on:
            return False
        return self.expires_on is None or day <= self.expires_on


class TeacherAffiliation(IdPk, HasUuid, Timestamps, Base):
    """Another institution a part-time teacher works at in a given year (item 12: at most 3 in all)."""

    __tablename__ = "teacher_affiliation"

    teacher_id: Mapped[int] = mapped_column(sa.ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    institution_name: Mapped[str] = mapped_column(sa.String(128))
    institution_uscc: Mapped[str] = mapped_column(sa.String(18), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    teacher: Mapped[Teacher] = relationship(back_populates="affiliations")


class TeacherTraining(IdPk, HasUuid, Timestamps, Base):
    """A teacher-training record (教师职业能力轮训, item 12)."""

    __tablename__ = "teacher_training"

    teacher_id: Mapped[int] = mapped_column(sa.ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date]
    title: Mapped[str] = mapped_column(sa.String(128))
    organizer: Mapped[str] = mapped_column(sa.String(128), default="")
    hours: Mapped[int] = mapped_column(default=0)

    teacher: Mapped[Teacher] = relationship(back_populates="trainings")


class Trainee(IdPk, HasUuid, Timestamps, Base):
    """学员. The ID number is unique within a school; birth date and sex derive from it."""

    __tablename__ = "trainee"
    __table_args__ = (sa.UniqueConstraint("institution_id", "id_number"),)

    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64), index=True)
    id_number: Mapped[str] = mapped_column(sa.String(18))
    sex: Mapped[Sex]
    birth_date: Mapped[dt.date]
    phone: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    education: Mapped[Education | None]
    category: Mapped[TraineeCategory] = mapped_column(default=TraineeCategory.OTHER)
    household_address: Mapped[str] = mapped_column(sa.String(256), default="")  # 户籍地址
    current_address: Mapped[str] = mapped_column(sa.String(256), default="")
    employer: Mapped[str] = mapped_column(sa.String(128), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="trainee", order_by="Enrollment.id")

    def __repr__(self) -> str:
        return f"<Trainee {self.name}>"
