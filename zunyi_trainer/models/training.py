"""Training classes, their timetables, enrolments and attendance."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zunyi_trainer.models.base import Base, HasUuid, IdPk, Timestamps
from zunyi_trainer.models.enums import (
    AttendanceMethod,
    AttendanceStatus,
    CertificateType,
    ClassStatus,
    EnrollmentResult,
    Funding,
    Level,
    SessionKind,
    TrainingMode,
    TrainingType,
)
from zunyi_trainer.timeutil import now_utc

if TYPE_CHECKING:
    from zunyi_trainer.models.institution import Institution, Trade, Venue
    from zunyi_trainer.models.people import Teacher, Trainee
    from zunyi_trainer.models.records import Attachment


class TrainingClass(IdPk, HasUuid, Timestamps, Base):
    """培训班: what the county approves (item 11) and what one archive is kept for (item 15)."""

    __tablename__ = "training_class"
    __table_args__ = (sa.UniqueConstraint("institution_id", "code"),)

    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(128))
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="RESTRICT"), index=True)
    level: Mapped[Level]
    training_type: Mapped[TrainingType]
    mode: Mapped[TrainingMode | None]
    funding: Mapped[Funding] = mapped_column(default=Funding.SUBSIDISED)
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venue.id", ondelete="RESTRICT"), index=True)
    head_teacher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teacher.id", ondelete="SET NULL"), index=True)
    planned_size: Mapped[int] = mapped_column(default=0)
    fee_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # 培训费 per trainee
    subsidy_standard_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # 补贴标准 per trainee
    assessment_plan: Mapped[str] = mapped_column(sa.Text, default="")  # 考核方案
    status: Mapped[ClassStatus] = mapped_column(default=ClassStatus.DRAFT, index=True)
    submitted_at: Mapped[dt.datetime | None]
    # The county's decision (批复): kept as recorded, whether approved or rejected.
    approval_no: Mapped[str] = mapped_column(sa.String(64), default="")  # 批文号
    decided_on: Mapped[dt.date | None]
    approver: Mapped[str] = mapped_column(sa.String(128), default="")  # approving body
    decision_remarks: Mapped[str] = mapped_column(sa.Text, default="")
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    approved_at: Mapped[dt.datetime | None]  # when the approval was recorded: later edits are flagged
    started_on: Mapped[dt.date | None]
    completed_on: Mapped[dt.date | None]
    archived_on: Mapped[dt.date | None]
    archive_no: Mapped[str] = mapped_column(sa.String(64), default="")  # 档案号
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    institution: Mapped[Institution] = relationship()
    trade: Mapped[Trade] = relationship()
    venue: Mapped[Venue | None] = relationship()
    head_teacher: Mapped[Teacher | None] = relationship()
    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="training_class",
        cascade="all, delete-orphan",
        order_by="(ClassSession.date, ClassSession.start_time)",
    )
    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="training_class", cascade="all, delete-orphan", order_by="Enrollment.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(back_populates="training_class", order_by="Attachment.id")

    def __repr__(self) -> str:
        return f"<TrainingClass {self.code} {self.status}>"

    def audit_class(self) -> TrainingClass:
        return self


class ClassSession(IdPk, HasUuid, Timestamps, Base):
    """课次: one teaching block of a class on one day, with its teacher and venue."""

    __tablename__ = "class_session"

    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_class.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    start_time: Mapped[dt.time]
    end_time: Mapped[dt.time]
    periods: Mapped[int]  # 课时 (1 课时 = 45 minutes by default)
    kind: Mapped[SessionKind]
    topic: Mapped[str] = mapped_column(sa.String(128), default="")
    teacher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teacher.id", ondelete="RESTRICT"), index=True)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venue.id", ondelete="RESTRICT"), index=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")
    teacher: Mapped[Teacher | None] = relationship()
    venue: Mapped[Venue | None] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Attendance.id"
    )

    def audit_class(self) -> TrainingClass | None:
        return self.training_class


class Enrollment(IdPk, HasUuid, Timestamps, Base):
    """A trainee in a class: result, certificate (证书直补) and subsidy."""

    __tablename__ = "enrollment"
    __table_args__ = (sa.UniqueConstraint("class_id", "trainee_id"),)

    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_class.id", ondelete="CASCADE"), index=True)
    trainee_id: Mapped[int] = mapped_column(sa.ForeignKey("trainee.id", ondelete="RESTRICT"), index=True)
    enrolled_on: Mapped[dt.date]
    withdrawn_on: Mapped[dt.date | None]
    withdraw_reason: Mapped[str] = mapped_column(sa.String(256), default="")
    subsidised: Mapped[bool] = mapped_column(default=True)
    result: Mapped[EnrollmentResult] = mapped_column(default=EnrollmentResult.PENDING)
    score: Mapped[decimal.Decimal | None]
    exam_date: Mapped[dt.date | None]
    certificate_type: Mapped[CertificateType | None]
    certificate_no: Mapped[str] = mapped_column(sa.String(64), default="")
    certificate_issued_on: Mapped[dt.date | None]
    subsidy_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # as determined; 0 until then
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    training_class: Mapped[TrainingClass] = relationship(back_populates="enrollments")
    trainee: Mapped[Trainee] = relationship(back_populates="enrollments")
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="enrollment", cascade="all, delete-orphan", order_by="Attendance.id"
    )

    def audit_class(self) -> TrainingClass | None:
        return self.training_class


class Attendance(IdPk, HasUuid, Timestamps, Base):
    """One trainee's attendance at one session."""

    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "enrollment_id"),)

    session_id: Mapped[int] = mapped_column(sa.ForeignKey("class_session.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrollment.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus]
    sign_in_at: Mapped[dt.datetime | None]
    sign_out_at: Mapped[dt.datetime | None]
    method: Mapped[AttendanceMethod] = mapped_column(default=AttendanceMethod.MANUAL)
    recorded_by: Mapped[str] = mapped_column(sa.String(64), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now_utc)
    is_correction: Mapped[bool] = mapped_column(default=False)  # 补录
    correction_reason: Mapped[str] = mapped_column(sa.String(256), default="")
    leave_reason: Mapped[str] = mapped_column(sa.String(256), default="")
    notes: Mapped[str] = mapped_column(sa.String(256), default="")

    session: Mapped[ClassSession] = relationship(back_populates="attendance")
    enrollment: Mapped[Enrollment] = relationship(back_populates="attendance")

    def audit_class(self) -> TrainingClass | None:
        return self.session.training_class if self.session is not None else None
