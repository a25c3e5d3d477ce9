"""Subsidy: eligible trainees × the class's standard, with the reason for each one left out."""

from __future__ import annotations

import datetime as dt
import decimal

import factories
import pytest
import sqlalchemy as sa

from zunyi_trainer.attendance import Mark, record_marks
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import (
    AttendanceStatus,
    AuditEvent,
    CertificateType,
    ClassStatus,
    EnrollmentResult,
    Funding,
)
from zunyi_trainer.settings import DEFAULTS
from zunyi_trainer.subsidy import apply_subsidy, class_subsidy, reason_text, record_result, year_subsidy

AFTER = dt.date(2026, 12, 31)


@pytest.fixture
def s(register):
    with register.transaction() as session:
        yield session


def finished_class(s, trainees: int = 4, **kw):
    """A completed class (10 sessions) where everyone attended every session and passed."""
    c = factories.training_class(s, trainees=trainees, sessions=10, subsidy_standard_fen=1_500_00, **kw)
    record_marks(
        s,
        [Mark(x.id, e.id, AttendanceStatus.PRESENT) for x in c.sessions for e in c.enrollments],
        method="manual",
        recorded_by="a",
    )
    for e in c.enrollments:
        e.result = EnrollmentResult.PASSED
    c.status = ClassStatus.COMPLETED
    s.flush()
    return c


def test_everyone_eligible_gets_the_standard(s) -> None:
    c = finished_class(s)
    summary = class_subsidy(s, c, DEFAULTS, as_of=AFTER)
    assert summary.eligible_count == 4
    assert summary.total_fen == 4 * 1_500_00
    assert all(t.eligible and t.amount_fen == 1_500_00 for t in summary.trainees)


def test_each_reason_leaves_one_trainee_out(s) -> None:
    c = finished_class(s, trainees=5)
    low, failed, withdrawn, unsubsidised, fine = c.enrollments
    record_marks(
        s,
        [Mark(x.id, low.id, AttendanceStatus.ABSENT) for x in c.sessions[:3]],
        method="manual",
        recorded_by="a",
        correction_reason="核对签到表",
    )
    failed.result = EnrollmentResult.FAILED
    withdrawn.withdrawn_on = dt.date(2026, 3, 3)
    unsubsidised.subsidised = False
    s.flush()
    summary = class_subsidy(s, c, DEFAULTS, as_of=AFTER)
    reasons = {t.enrollment_id: t.reasons for t in summary.trainees}
    assert reasons[low.id] == ("attendance_low",)
    assert reasons[failed.id] == ("not_passed",)
    assert "withdrawn" in reasons[withdrawn.id]
    assert reasons[unsubsidised.id] == ("not_subsidised",)
    assert reasons[fine.id] == ()
    assert summary.total_fen == 1_500_00
    assert reason_text("attendance_low") == "出勤率未达标"


def test_a_trainee_in_an_overlapping_subsidised_class_is_left_out_of_both(s) -> None:
    a = finished_class(s, trainees=2)
    b = finished_class(s, trainees=2, start_date=a.start_date + dt.timedelta(days=3))
    b.enrollments[0].trainee = a.enrollments[0].trainee
    s.flush()
    sa_, sb = class_subsidy(s, a, DEFAULTS, as_of=AFTER), class_subsidy(s, b, DEFAULTS, as_of=AFTER)
    assert sa_.trainees[0].reasons == ("overlap",) and sa_.trainees[0].overlapping_classes == (b.code,)
    assert sb.trainees[0].reasons == ("overlap",)
    assert (sa_.eligible_count, sb.eligible_count) == (1, 1)


def test_a_self_paid_class_pays_no_subsidy(s) -> None:
    c = finished_class(s, funding=Funding.SELF_PAID)
    summary = class_subsidy(s, c, DEFAULTS, as_of=AFTER)
    assert summary.total_fen == 0
    assert all("class_not_subsidised" in t.reasons for t in summary.trainees)


def test_the_threshold_setting_decides(s) -> None:
    c = finished_class(s, trainees=1)
    e = c.enrollments[0]
    record_marks(
        s,
        [Mark(x.id, e.id, AttendanceStatus.ABSENT) for x in c.sessions[:3]],
        method="manual",
        recorded_by="a",
        correction_reason="核对",
    )  # 70 %
    assert class_subsidy(s, c, DEFAULTS, as_of=AFTER).eligible_count == 0
    assert class_subsidy(s, c, DEFAULTS.replace(attendance_threshold=0.7), as_of=AFTER).eligible_count == 1


def test_applying_writes_each_enrolments_amount_with_an_audit(s) -> None:
    c = finished_class(s, trainees=2)
    c.enrollments[1].result = EnrollmentResult.ABSENT
    apply_subsidy(s, c, DEFAULTS, as_of=AFTER)
    assert [e.subsidy_fen for e in c.enrollments] == [1_500_00, 0]
    n = s.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.table_name == "enrollment", AuditEvent.action == "update", AuditEvent.changes.like("%subsidy_fen%"))
    )
    assert n == 1


def test_year_sums_the_classes_that_ended_in_it(s) -> None:
    a = finished_class(s, trainees=2)
    b = finished_class(s, trainees=3, start_date=dt.date(2026, 6, 1))
    finished_class(s, trainees=1, start_date=dt.date(2025, 6, 1))
    draft = factories.training_class(s, trainees=2, start_date=dt.date(2026, 9, 1))
    year = year_subsidy(s, factories.institution(s), 2026, DEFAULTS)
    assert [c.class_code for c in year.classes] == [a.code, b.code]
    assert draft.code not in [c.class_code for c in year.classes]
    assert (year.eligible_count, year.total_fen) == (5, 5 * 1_500_00)


def test_a_result_with_its_certificate_is_recorded(s) -> None:
    c = finished_class(s, trainees=1)
    e = c.enrollments[0]
    record_result(
        s,
        e,
        "passed",
        score="86.5",
        exam_date=dt.date(2026, 3, 15),
        certificate_type=CertificateType.SKILL_LEVEL,
        certificate_no=" 2026520001 ",
        certificate_issued_on=dt.date(2026, 4, 1),
    )
    assert (e.result, e.score, e.certificate_no, e.certificate_type) == (
        EnrollmentResult.PASSED,
        decimal.Decimal("86.5"),
        "2026520001",
        CertificateType.SKILL_LEVEL,
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"result": "failed", "certificate_no": "X1"}, "result.certificate_without_pass"),
        ({"result": "passed", "score": 120}, "result.score"),
        ({"result": "passed", "score": "八十"}, "result.score"),
        ({"result": "absent", "score": 0}, "result.absent_score"),
        ({"result": "passed", "exam_date": dt.date(2026, 1, 1)}, "result.exam_date"),
        (
            {
                "result": "passed",
                "exam_date": dt.date(2026, 3, 15),
                "certificate_no": "X",
                "certificate_issued_on": dt.date(2026, 3, 1),
            },
            "result.certificate_date",
        ),
    ],
)
def test_a_result_that_makes_no_sense_is_refused(s, kwargs, code) -> None:
    c = finished_class(s, trainees=1)
    kwargs = dict(kwargs)  # the parameters are shared by the SQLite and the PostgreSQL pass
    result = kwargs.pop("result")
    with pytest.raises(ValidationError) as info:
        record_result(s, c.enrollments[0], result, **kwargs)
    assert info.value.code == code
    assert c.enrollments[0].trainee.name in info.value.message() or "日期" in info.value.message()
