"""Results, certificates and the training subsidy (补贴) of a class: eligible trainees × the
class's standard.

A trainee is eligible when the class is government-subsidised, their enrolment is subsidised and
not withdrawn, their attendance by hours reaches the threshold, they passed the assessment, and
they are not in another subsidised class whose dates overlap (both stay ineligible until one is
resolved: the subsidy is paid once). Sums are in fen, per class and per year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from zunyi_trainer.attendance import TraineeRate, class_rates
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import (
    CertificateType,
    ClassStatus,
    Enrollment,
    EnrollmentResult,
    Funding,
    Institution,
    TrainingClass,
)
from zunyi_trainer.settings import RuleSettings

# Why a trainee gets no subsidy: stable codes with their sentences.
REASONS: dict[str, tuple[str, str]] = {
    "class_not_subsidised": ("本班不是政府补贴性培训", "the class is not government-subsidised"),
    "not_subsidised": ("该学员不享受补贴", "the trainee is not subsidised"),
    "withdrawn": ("已退学", "withdrew"),
    "attendance_low": ("出勤率未达标", "attendance below the threshold"),
    "not_passed": ("考核未合格", "did not pass"),
    "overlap": ("同期参加了另一个补贴性培训班", "in another subsidised class at the same time"),
}


def reason_text(code: str) -> str:
    zh, en = REASONS[code]
    return text(zh, en)


@dataclasses.dataclass(frozen=True)
class TraineeSubsidy:
    enrollment_id: int
    trainee_name: str
    rate: TraineeRate
    result: EnrollmentResult
    certificate_no: str
    overlapping_classes: tuple[str, ...]
    reasons: tuple[str, ...]  # empty when eligible
    amount_fen: int

    @property
    def eligible(self) -> bool:
        return not self.reasons


@dataclasses.dataclass(frozen=True)
class SubsidySummary:
    class_id: int
    class_code: str
    standard_fen: int
    threshold: float
    trainees: tuple[TraineeSubsidy, ...]

    @property
    def eligible_count(self) -> int:
        return sum(1 for t in self.trainees if t.eligible)

    @property
    def total_fen(self) -> int:
        return sum(t.amount_fen for t in self.trainees)

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.class_code,
            "standard_fen": self.standard_fen,
            "threshold": self.threshold,
            "eligible": self.eligible_count,
            "trainees": len(self.trainees),
            "total_fen": self.total_fen,
            "rows": [
                {
                    "enrollment_id": t.enrollment_id,
                    "trainee": t.trainee_name,
                    "rate": t.rate.rate,
                    "attended_periods": t.rate.attended_periods,
                    "counted_periods": t.rate.counted_periods,
                    "result": t.result.value,
                    "certificate_no": t.certificate_no,
                    "overlapping_classes": list(t.overlapping_classes),
                    "reasons": list(t.reasons),
                    "amount_fen": t.amount_fen,
                }
                for t in self.trainees
            ],
        }


def _overlaps(session: Session, cls: TrainingClass) -> dict[int, list[str]]:
    """Enrolment id → codes of the other subsidised classes, overlapping in dates, that the same
    trainee is (subsidised, not withdrawn) in."""
    other_e, other_c = aliased(Enrollment), aliased(TrainingClass)
    rows = session.execute(
        sa.select(Enrollment.id, other_c.code)
        .join(other_e, sa.and_(other_e.trainee_id == Enrollment.trainee_id, other_e.id != Enrollment.id))
        .join(other_c, other_c.id == other_e.class_id)
        .where(
            Enrollment.class_id == cls.id,
            other_c.id != cls.id,
            other_c.funding == Funding.SUBSIDISED,
            other_c.status != ClassStatus.REJECTED,
            other_e.subsidised.is_(True),
            other_e.withdrawn_on.is_(None),
            other_c.start_date <= cls.end_date,
            cls.start_date <= other_c.end_date,
        )
        .order_by(other_c.code)
    ).all()
    found: dict[int, list[str]] = {}
    for eid, code in rows:
        found.setdefault(eid, []).append(code)
    return found


def class_subsidy(
    session: Session,
    cls: TrainingClass,
    settings: RuleSettings,
    *,
    as_of: dt.date | None = None,
) -> SubsidySummary:
    """Who in the class is eligible, why the others are not, and the amounts."""
    rates = class_rates(session, cls, settings, as_of=as_of)
    overlaps = _overlaps(session, cls) if cls.funding is Funding.SUBSIDISED else {}
    enrollments = session.scalars(
        sa.select(Enrollment)
        .where(Enrollment.class_id == cls.id)
        .options(selectinload(Enrollment.trainee))
        .order_by(Enrollment.id)
    ).all()
    rows = []
    for e in enrollments:
        reasons = []
        if cls.funding is not Funding.SUBSIDISED:
            reasons.append("class_not_subsidised")
        if not e.subsidised:
            reasons.append("not_subsidised")
        if e.withdrawn_on is not None:
            reasons.append("withdrawn")
        if not rates[e.id].eligible:
            reasons.append("attendance_low")
        if e.result is not EnrollmentResult.PASSED:
            reasons.append("not_passed")
        if overlaps.get(e.id):
            reasons.append("overlap")
        rows.append(
            TraineeSubsidy(
                e.id,
                e.trainee.name,
                rates[e.id],
                e.result,
                e.certificate_no,
                tuple(overlaps.get(e.id, ())),
                tuple(reasons),
                0 if reasons else cls.subsidy_standard_fen,
            )
        )
    return SubsidySummary(cls.id, cls.code, cls.subsidy_standard_fen, settings.attendance_threshold, tuple(rows))


def apply_subsidy(
    session: Session, cls: TrainingClass, settings: RuleSettings, *, as_of: dt.date | None = None
) -> SubsidySummary:
    """Write each enrolment's determined subsidy (``subsidy_fen``); audited like any edit."""
    summary = class_subsidy(session, cls, settings, as_of=as_of)
    amounts = {t.enrollment_id: t.amount_fen for t in summary.trainees}
    for e in cls.enrollments:
        if e.subsidy_fen != amounts.get(e.id, 0):
            e.subsidy_fen = amounts.get(e.id, 0)
    session.flush()
    return summary


@dataclasses.dataclass(frozen=True)
class YearSubsidy:
    year: int
    classes: tuple[SubsidySummary, ...]

    @property
    def total_fen(self) -> int:
        return sum(c.total_fen for c in self.classes)

    @property
    def eligible_count(self) -> int:
        return sum(c.eligible_count for c in self.classes)


def year_subsidy(session: Session, institution: Institution, year: int, settings: RuleSettings) -> YearSubsidy:
    """The subsidy of the subsidised classes that ended in ``year`` (completed or archived)."""
    classes = session.scalars(
        sa.select(TrainingClass)
        .where(
            TrainingClass.institution_id == institution.id,
            TrainingClass.funding == Funding.SUBSIDISED,
            TrainingClass.status.in_((ClassStatus.COMPLETED, ClassStatus.ARCHIVED)),
            TrainingClass.end_date >= dt.date(year, 1, 1),
            TrainingClass.end_date <= dt.date(year, 12, 31),
        )
        .order_by(TrainingClass.end_date, TrainingClass.code)
    ).all()
    return YearSubsidy(year, tuple(class_subsidy(session, c, settings, as_of=c.end_date) for c in classes))


# --- results and certificates ------------------------------------------------------------------


def record_result(
    session: Session,
    enrollment: Enrollment,
    result: EnrollmentResult | str,
    *,
    score: decimal.Decimal | int | str | None = None,
    exam_date: dt.date | None = None,
    certificate_type: CertificateType | str | None = None,
    certificate_no: str = "",
    certificate_issued_on: dt.date | None = None,
) -> Enrollment:
    """Record a trainee's assessment (合格/不合格/缺考, score, exam date) and certificate (for
    证书直补). A certificate goes with a pass; dates follow each other. Audited like any edit."""
    result = EnrollmentResult(result)
    cls = enrollment.training_class
    who = enrollment.trainee.name
    if score is not None and score != "":
        try:
            score = decimal.Decimal(str(score))
        except decimal.InvalidOperation:
            raise ValidationError(
                "学员 {who} 的成绩“{score}”不是数字。",
                "The score “{score}” of {who} is not a number.",
                field="score",
                code="result.score",
                who=who,
                score=score,
            ) from None
        if not 0 <= score <= 100:
            raise ValidationError(
                "学员 {who} 的成绩 {score} 不在 0–100 之间。",
                "The score {score} of {who} is outside 0–100.",
                field="score",
                code="result.score",
                who=who,
                score=score,
            )
    else:
        score = None
    if result is EnrollmentResult.ABSENT and score is not None:
        raise ValidationError(
            "学员 {who} 缺考，不应有成绩。",
            "{who} was absent from the exam and has no score.",
            field="score",
            code="result.absent_score",
            who=who,
        )
    if exam_date is not None and exam_date < cls.start_date:
        raise ValidationError(
            "考核日期 {day} 早于开班日期 {start}。",
            "The exam date {day} is before the class starts ({start}).",
            field="exam_date",
            code="result.exam_date",
            day=exam_date.isoformat(),
            start=cls.start_date.isoformat(),
        )
    certificate_no = certificate_no.strip()
    if (certificate_type or certificate_no) and result is not EnrollmentResult.PASSED:
        raise ValidationError(
            "学员 {who} 未考核合格，不能登记证书。",
            "{who} did not pass, so no certificate can be recorded.",
            field="certificate_no",
            code="result.certificate_without_pass",
            who=who,
        )
    if certificate_issued_on is not None and exam_date is not None and certificate_issued_on < exam_date:
        raise ValidationError(
            "证书发证日期 {issued} 早于考核日期 {exam}。",
            "The certificate's issue date {issued} is before the exam ({exam}).",
            field="certificate_issued_on",
            code="result.certificate_date",
            issued=certificate_issued_on.isoformat(),
            exam=exam_date.isoformat(),
        )
    enrollment.result = result
    enrollment.score = score
    enrollment.exam_date = exam_date
    enrollment.certificate_type = CertificateType(certificate_type) if certificate_type else None
    enrollment.certificate_no = certificate_no
    enrollment.certificate_issued_on = certificate_issued_on
    session.flush()
    return enrollment
