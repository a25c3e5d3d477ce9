"""The plan's rules: for every rule a case that passes it and a case that fails it.

A "good" class (10 trainees, 10 four-period sessions, 60 % practice, a qualified teacher, a
40-seat venue, in the school's approved trades) passes the blocking rules; each test breaks one
thing and looks for the rule's stable code.
"""

from __future__ import annotations

import datetime as dt

import factories
import pytest
import sqlalchemy as sa

from zunyi_trainer import attachments, lifecycle
from zunyi_trainer.attendance import Mark, record_marks
from zunyi_trainer.models import (
    AttendanceStatus,
    ClassSession,
    ClassStatus,
    Employment,
    EnrollmentResult,
    EquipmentSpend,
    FinanceYear,
    Funding,
    Level,
    Qualification,
    QualificationKind,
    SessionKind,
    SpendKind,
    TeacherAffiliation,
    TeacherTraining,
    TraineeCategory,
    TrainingClass,
    TrainingMode,
)
from zunyi_trainer.rules import BLOCKS, WARNS, Finding, check_class, check_school
from zunyi_trainer.settings import DEFAULTS
from zunyi_trainer.timeutil import local_instant, today_local

TODAY = dt.date(2026, 2, 1)  # a month before the factories' classes start (2026-03-02)


@pytest.fixture
def s(register):
    with register.transaction() as session:
        yield session


def good_class(s, **kw) -> TrainingClass:
    c = factories.training_class(s, trainees=kw.pop("trainees", 10), sessions=kw.pop("sessions", 10), **kw)
    for e in c.enrollments:
        e.trainee.category = TraineeCategory.RURAL_MIGRANT
    for t in {x.teacher for x in c.sessions if x.teacher}:
        t.trainings.append(TeacherTraining(held_on=dt.date(2026, 1, 10), title="轮训", hours=16))
    s.flush()
    return c


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def check(s, c, settings=DEFAULTS, today=TODAY) -> list[Finding]:
    s.flush()
    return check_class(s, c, settings, today=today)


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def test_a_complete_class_has_no_findings(s) -> None:
    assert check(s, good_class(s)) == []


def test_findings_carry_severity_message_and_record_and_blocking_ones_come_first(s) -> None:
    c = good_class(s)
    c.mode = None
    c.enrollments[0].trainee.category = TraineeCategory.OTHER
    found = check(s, c)
    assert [f.severity for f in found] == [BLOCKS, WARNS]
    assert found[0].record == ("training_class", str(c.uuid))
    assert c.code in found[0].message
    assert found[0].to_dict()["severity"] == "blocks"


# --- opening (item 11) -----------------------------------------------------------------------


def test_a_class_without_trainees_is_blocked(s) -> None:
    c = good_class(s, trainees=0)
    assert codes(check(s, c)) == {"class.no_trainees"}


def test_an_invalid_id_number_blocks_and_names_the_trainee(s) -> None:
    c = good_class(s)
    t = c.enrollments[0].trainee
    t.id_number = t.id_number[:-1] + ("0" if t.id_number[-1] != "0" else "1")
    found = only(check(s, c), "trainee.id_invalid")
    assert len(found) == 1 and found[0].blocks
    assert t.name in found[0].message and "校验位" in found[0].message


def test_a_trainee_under_the_minimum_age_on_the_start_date_is_blocked(s) -> None:
    c = good_class(s)
    c.enrollments[0].trainee.id_number = factories.id_number(dt.date(2011, 1, 1))  # 15 on 2026-03-02
    assert only(check(s, c), "trainee.id_invalid")
    assert not only(check(s, c, DEFAULTS.replace(id_min_age=15)), "trainee.id_invalid")


def test_trainees_in_the_other_category_are_worth_a_warning(s) -> None:
    c = good_class(s)
    assert not only(check(s, c), "trainee.category_other")
    c.enrollments[0].trainee.category = TraineeCategory.OTHER
    (f,) = only(check(s, c), "trainee.category_other")
    assert f.severity == WARNS and f.data["count"] == 1


def test_more_trainees_than_seats_blocks_but_withdrawn_ones_do_not_count(s) -> None:
    c = good_class(s)
    c.venue.seats = 9
    (f,) = only(check(s, c), "class.over_capacity")
    assert f.blocks and f.data == {"trainees": 10, "venue": c.venue.name, "seats": 9}
    c.enrollments[0].withdrawn_on = dt.date(2026, 2, 20)
    assert not only(check(s, c), "class.over_capacity")


def test_a_session_venue_smaller_than_the_class_blocks(s) -> None:
    c = good_class(s)
    small = factories.venue(s, seats=6, name="小实训室")
    c.sessions[-1].venue = small
    (f,) = only(check(s, c), "class.over_capacity")
    assert "小实训室" in f.message


def test_a_venue_without_seat_count_warns(s) -> None:
    c = good_class(s)
    c.venue.seats = 0
    (f,) = only(check(s, c), "venue.seats_unknown")
    assert f.severity == WARNS


def test_a_class_without_any_venue_is_blocked(s) -> None:
    c = good_class(s)
    c.venue = None
    assert not only(check(s, c), "class.venue_missing")  # the sessions have theirs
    for x in c.sessions:
        x.venue = None
    assert only(check(s, c), "class.venue_missing")


def test_a_session_without_a_teacher_is_blocked(s) -> None:
    c = good_class(s)
    c.sessions[3].teacher = None
    (f,) = only(check(s, c), "session.no_teacher")
    assert f.blocks and f.record == ("class_session", str(c.sessions[3].uuid))


def test_a_trade_outside_the_approved_scope_is_blocked(s) -> None:
    welding = factories.trade(s, "焊工")
    c = good_class(s, trade=welding)
    assert "class.trade_not_approved" in codes(check(s, c))
    c.institution.trades.append(welding)
    assert "class.trade_not_approved" not in codes(check(s, c))


def test_a_class_without_a_mode_is_blocked(s) -> None:
    c = good_class(s)
    c.mode = None
    assert codes(check(s, c)) == {"class.mode_missing"}
    c.mode = TrainingMode.BLENDED
    assert check(s, c) == []


def test_hours_below_the_levels_minimum_block_and_follow_the_settings(s) -> None:
    c = good_class(s, level=Level.L4)  # 40 periods, 56 needed at 中级
    (f,) = only(check(s, c), "class.hours_below_minimum")
    assert f.data == {"total": 40, "minimum": 56}
    relaxed = DEFAULTS.replace(min_periods={**DEFAULTS.min_periods, "L4": 40})
    assert not only(check(s, c, relaxed), "class.hours_below_minimum")


def test_too_little_practice_blocks(s) -> None:
    c = good_class(s)
    c.sessions[-1].kind = SessionKind.THEORY  # 20 of 40 periods practice
    (f,) = only(check(s, c), "class.practice_share_low")
    assert f.data["share"] == pytest.approx(0.5)
    assert not only(check(s, c, DEFAULTS.replace(practice_share=0.5)), "class.practice_share_low")


def test_a_class_without_sessions_is_blocked(s) -> None:
    c = good_class(s, sessions=0)
    assert "class.no_timetable" in codes(check(s, c))


def test_sessions_outside_the_class_dates_and_bad_times_are_blocked(s) -> None:
    c = good_class(s)
    c.sessions[0].date = c.end_date + dt.timedelta(days=1)
    c.sessions[1].end_time = c.sessions[1].start_time
    found = codes(check(s, c))
    assert {"session.outside_dates", "session.times_invalid"} <= found
    c.end_date = c.start_date - dt.timedelta(days=1)
    assert "class.dates_invalid" in codes(check(s, c))


def test_more_periods_than_fit_in_a_session_warns(s) -> None:
    c = good_class(s)
    c.sessions[0].periods = 5  # 5 × 45 minutes in 3 hours
    (f,) = only(check(s, c), "session.periods_exceed_time")
    assert f.severity == WARNS


def test_a_teacher_in_two_classes_at_once_is_blocked(s) -> None:
    c = good_class(s)
    other = good_class(s)
    clash = other.sessions[0]
    clash.teacher = c.sessions[0].teacher
    found = only(check(s, c), "session.teacher_double_booked")
    assert len(found) == 1 and other.code in found[0].message
    clash.start_time, clash.end_time = dt.time(12, 0), dt.time(13, 30)  # after the morning session
    assert not only(check(s, c), "session.teacher_double_booked")


def test_a_venue_used_by_two_classes_at_once_is_blocked(s) -> None:
    c = good_class(s)
    other = good_class(s)
    other.sessions[1].venue = c.sessions[1].venue
    (f,) = only(check(s, c), "session.venue_double_booked")
    assert f.data["other_class"] == other.code
    other.sessions[1].date += dt.timedelta(days=7)
    assert not only(check(s, c), "session.venue_double_booked")


def test_two_sessions_of_one_class_overlapping_are_a_double_booking(s) -> None:
    c = good_class(s)
    c.sessions[1].date, c.sessions[1].start_time, c.sessions[1].end_time = c.sessions[0].date, dt.time(9, 0), dt.time(10, 0)
    assert only(check(s, c), "session.teacher_double_booked")


def test_submitting_less_than_a_week_before_the_start_warns(s) -> None:
    c = good_class(s)
    assert not only(check(s, c, today=c.start_date - dt.timedelta(days=7)), "class.submit_late")
    (f,) = only(check(s, c, today=c.start_date - dt.timedelta(days=3)), "class.submit_late")
    assert f.severity == WARNS and f.data["days_before_start"] == 3


def test_a_submitted_class_is_judged_by_its_submission_date(s) -> None:
    c = good_class(s)
    c.status = ClassStatus.SUBMITTED
    c.submitted_at = local_instant(c.start_date - dt.timedelta(days=10), dt.time(9, 0))
    assert not only(check(s, c, today=c.start_date), "class.submit_late")
    c.submitted_at = local_instant(c.start_date - dt.timedelta(days=2), dt.time(9, 0))
    assert only(check(s, c, today=c.start_date), "class.submit_late")


# --- teachers (item 12) ----------------------------------------------------------------------


def test_a_teacher_without_a_qualification_for_the_trade_is_blocked(s) -> None:
    c = good_class(s)
    t = c.sessions[0].teacher
    t.qualifications[0].trade = factories.trade(s, "评茶员")
    (f,) = only(check(s, c), "teacher.unqualified")
    assert f.blocks and t.name in f.message and "未登记该工种证书" in f.message
    assert len(f.data["dates"]) == 5


def test_a_qualification_expired_on_the_session_date_is_blocked(s) -> None:
    c = good_class(s)
    q = c.sessions[0].teacher.qualifications[0]
    q.expires_on = dt.date(2026, 3, 2)  # valid on the first day only
    (f,) = only(check(s, c), "teacher.unqualified")
    assert "2026-03-02" not in f.data["dates"] and "2026-03-03" in f.data["dates"]
    q.expires_on = None
    assert not only(check(s, c), "teacher.unqualified")


def test_a_qualification_about_to_expire_warns(s) -> None:
    c = good_class(s)
    q = c.sessions[0].teacher.qualifications[0]
    q.expires_on = TODAY + dt.timedelta(days=120)
    assert not only(check(s, c), "teacher.qualification_expiring")
    q.expires_on = TODAY + dt.timedelta(days=30)
    (f,) = only(check(s, c), "teacher.qualification_expiring")
    assert f.data["days_left"] == 30


def test_a_part_timer_at_more_than_three_institutions_is_blocked(s) -> None:
    c = good_class(s)
    t = c.sessions[0].teacher
    t.employment = Employment.PART_TIME
    for name in ("甲校", "乙校"):
        t.affiliations.append(TeacherAffiliation(year=2026, institution_name=name))
    t.affiliations.append(TeacherAffiliation(year=2025, institution_name="去年的丙校"))
    assert not only(check(s, c), "teacher.part_time_limit")  # 3 with this school
    t.affiliations.append(TeacherAffiliation(year=2026, institution_name="丙校"))
    (f,) = only(check(s, c), "teacher.part_time_limit")
    assert f.data["institutions"] == 4 and f.blocks


def test_a_teacher_without_training_this_year_warns(s) -> None:
    c = good_class(s)
    t = c.sessions[0].teacher
    assert not only(check(s, c), "teacher.no_training")
    t.trainings[0].held_on = dt.date(2025, 6, 1)
    (f,) = only(check(s, c), "teacher.no_training")
    assert f.severity == WARNS


# --- funds (items 13, 15, 22) ----------------------------------------------------------------


def test_a_subsidised_trainee_in_two_overlapping_subsidised_classes_is_blocked(s) -> None:
    a = good_class(s)
    b = good_class(s, start_date=a.end_date)  # overlaps on one day
    t = a.enrollments[0].trainee
    b.enrollments[0].trainee = t
    (f,) = only(check(s, a), "trainee.overlapping_subsidy")
    assert f.blocks and t.name in f.message and b.code in f.message
    b.funding = Funding.SELF_PAID
    assert not only(check(s, a), "trainee.overlapping_subsidy")
    b.funding = Funding.SUBSIDISED
    b.enrollments[0].withdrawn_on = a.end_date
    assert not only(check(s, a), "trainee.overlapping_subsidy")


def test_classes_one_after_the_other_do_not_overlap(s) -> None:
    a = good_class(s)
    b = good_class(s, start_date=a.end_date + dt.timedelta(days=1))
    b.enrollments[0].trainee = a.enrollments[0].trainee
    assert not only(check(s, a), "trainee.overlapping_subsidy")


def test_many_trainees_on_one_phone_warn(s) -> None:
    c = good_class(s)
    for e in c.enrollments[:2]:
        e.trainee.phone = "13900001111"
    assert not only(check(s, c), "trainee.shared_phone")  # a mother and daughter: normal
    c.enrollments[2].trainee.phone = "13900001111"
    (f,) = only(check(s, c), "trainee.shared_phone")
    assert f.data["count"] == 3 and "13900001111" in f.message


def _sign_in_all(s, c, seconds: list[int]) -> None:
    sess = c.sessions[0]
    start = local_instant(sess.date, sess.start_time)
    marks = [
        Mark(sess.id, e.id, AttendanceStatus.PRESENT, sign_in_at=start + dt.timedelta(seconds=sec))
        for e, sec in zip(c.enrollments, seconds, strict=False)
    ]
    record_marks(s, marks, method="terminal", recorded_by="a")


def test_a_whole_session_signed_in_at_one_instant_warns(s) -> None:
    c = good_class(s, trainees=4)
    _sign_in_all(s, c, [-300, -300, -300, -300])
    (f,) = only(check(s, c), "session.identical_sign_ins")
    assert f.data["count"] == 4 and f.severity == WARNS


def test_sign_ins_spread_over_time_are_normal(s) -> None:
    c = good_class(s, trainees=4)
    _sign_in_all(s, c, [-300, -300, -240, -10])
    assert not only(check(s, c), "session.identical_sign_ins")


def test_trainees_below_the_attendance_threshold_warn_once_the_class_runs(s) -> None:
    c = good_class(s, trainees=2)
    weak, fine = c.enrollments
    marks = [Mark(x.id, fine.id, AttendanceStatus.PRESENT) for x in c.sessions]
    marks += [
        Mark(x.id, weak.id, AttendanceStatus.ABSENT if k < 3 else AttendanceStatus.PRESENT) for k, x in enumerate(c.sessions)
    ]
    record_marks(s, marks, method="manual", recorded_by="a")
    assert not only(check(s, c), "attendance.below_threshold")  # a draft has no attendance to judge
    c.status = ClassStatus.IN_PROGRESS
    (f,) = only(check(s, c, today=dt.date(2026, 3, 31)), "attendance.below_threshold")
    assert f.data["enrollment_id"] == weak.id and f.data["rate"] == pytest.approx(0.7)


def test_changing_the_timetable_after_approval_warns_but_recording_results_does_not(s) -> None:
    c = good_class(s)
    lifecycle.submit(s, c, today=TODAY)
    lifecycle.record_decision(s, c, "approved", approval_no="仁人社培〔2026〕12号", decided_on=today_local(), approver="县人社局")
    s.flush()
    c.enrollments[0].result = EnrollmentResult.PASSED
    s.flush()
    assert not only(check(s, c), "class.changed_after_approval")
    c.sessions[0].teacher = factories.teacher(s, trade=c.trade)
    s.flush()
    (f,) = only(check(s, c), "class.changed_after_approval")
    assert f.data["count"] == 1 and f.data["tables"] == ["class_session"]


# --- school-wide -----------------------------------------------------------------------------


def school(s, today=TODAY):
    s.flush()
    return check_school(s, factories.institution(s), DEFAULTS, today=today)


def _teachers(s, full: int, part: int) -> None:
    for _ in range(full):
        factories.teacher(s, employment=Employment.FULL_TIME)
    for _ in range(part):
        factories.teacher(s, employment=Employment.PART_TIME)


def test_a_school_without_teachers_is_blocked(s) -> None:
    factories.institution(s)
    assert "school.no_teachers" in codes(school(s))


def test_full_time_teachers_below_a_third_block(s) -> None:
    _teachers(s, full=1, part=3)
    (f,) = only(school(s), "school.full_time_share_low")
    assert f.blocks and f.data["share"] == pytest.approx(0.25)


def test_a_third_full_time_teachers_pass(s) -> None:
    _teachers(s, full=1, part=2)
    assert not only(school(s), "school.full_time_share_low")


def test_inactive_teachers_do_not_count_in_the_share(s) -> None:
    _teachers(s, full=1, part=2)
    factories.teacher(s, employment=Employment.PART_TIME, active=False)
    assert not only(school(s), "school.full_time_share_low")


def test_school_teachers_part_time_limit_expiry_and_training(s) -> None:
    t = factories.teacher(s, employment=Employment.PART_TIME)
    factories.teacher(s, employment=Employment.FULL_TIME)
    for name in ("甲", "乙", "丙"):
        t.affiliations.append(TeacherAffiliation(year=TODAY.year, institution_name=name))
    t.qualifications.append(Qualification(kind=QualificationKind.TRAINER, number="PX1", expires_on=TODAY + dt.timedelta(days=10)))
    found = codes(school(s))
    assert {"teacher.part_time_limit", "teacher.qualification_expiring", "teacher.no_training"} <= found


def test_spend_without_a_document_warns_until_one_is_attached(register, s) -> None:
    inst = factories.institution(s)
    spend = EquipmentSpend(
        institution_id=inst.id, kind=SpendKind.PURCHASE, spent_on=dt.date(2025, 5, 1), amount_fen=12_345_00, description="焊机"
    )
    s.add(spend)
    s.flush()
    (f,) = only(school(s), "spend.no_document")
    assert "12,345.00" in f.message and f.record == ("equipment_spend", str(spend.uuid))
    attachments.add_attachment(s, register.attachments_dir, b"%PDF-1.4 invoice", filename="发票.pdf", spend=spend)
    assert not only(school(s), "spend.no_document")


def test_equipment_spend_below_the_target_share_of_last_years_surplus_warns(s) -> None:
    inst = factories.institution(s, equipment_target_pct=10)
    inst.finances.append(FinanceYear(year=2025, income_fen=1_000_000_00, expenses_fen=800_000_00))  # surplus 200k
    inst.finances.append(FinanceYear(year=2026, income_fen=1_000_000_00, expenses_fen=800_000_00))
    s.add(EquipmentSpend(institution_id=inst.id, kind=SpendKind.PURCHASE, spent_on=dt.date(2025, 6, 1), amount_fen=15_000_00))
    s.flush()
    (f,) = only(check_school(s, inst, DEFAULTS, today=TODAY), "school.equipment_share_low")
    assert f.data["year"] == 2025 and f.data["target_fen"] == 20_000_00  # the open year 2026 is not judged
    s.add(EquipmentSpend(institution_id=inst.id, kind=SpendKind.RENEWAL, spent_on=dt.date(2025, 9, 1), amount_fen=5_000_00))
    s.flush()
    assert not only(check_school(s, inst, DEFAULTS, today=TODAY), "school.equipment_share_low")


def test_school_finds_overlapping_subsidised_trainees_once_per_pair(s) -> None:
    a = good_class(s)
    b = good_class(s)
    b.enrollments[0].trainee = a.enrollments[0].trainee
    assert len(only(school(s), "trainee.overlapping_subsidy")) == 1


def test_school_finds_shared_phones_across_classes(s) -> None:
    a = good_class(s, trainees=2)
    b = good_class(s, trainees=1)
    for e in [*a.enrollments, *b.enrollments]:
        e.trainee.phone = "18800002222"
    (f,) = only(school(s), "trainee.shared_phone")
    assert f.data["count"] == 3


# --- the demo school -------------------------------------------------------------------------


def _demo_class(s, suffix: str) -> TrainingClass:
    return s.scalars(sa.select(TrainingClass).where(TrainingClass.code.like(f"%{suffix}"))).one()


def test_the_demo_welding_draft_is_blocked_for_its_three_planted_problems(demo_register) -> None:
    with demo_register.session() as s:
        found = codes(check_class(s, _demo_class(s, "011")))
    assert {"class.over_capacity", "session.no_teacher", "class.mode_missing"} <= found


def test_the_demo_chilli_draft_is_ready_to_submit(demo_register) -> None:
    """RH…010 is the demo's draft that passes: nothing blocks it."""
    with demo_register.session() as s:
        found = check_class(s, _demo_class(s, "010"))
    assert not [f.code for f in found if f.blocks]


def test_the_demo_has_no_trainee_in_two_overlapping_subsidised_classes(demo_register) -> None:
    from zunyi_trainer.models import Institution

    with demo_register.session() as s:
        found = codes(check_school(s, s.scalars(sa.select(Institution)).one()))
    assert "trainee.overlapping_subsidy" not in found


def test_the_demo_school_check_finds_the_planted_warnings(demo_register) -> None:
    with demo_register.session() as s:
        from zunyi_trainer.models import Institution

        found = codes(check_school(s, s.scalars(sa.select(Institution)).one()))
    assert {"spend.no_document", "teacher.no_training", "teacher.qualification_expiring"} <= found


def test_a_check_of_a_session_edit_sees_unflushed_changes(s) -> None:
    """Rules run on what the user has in front of them: pending edits are flushed first."""
    c = good_class(s)
    x: ClassSession = c.sessions[0]
    x.teacher = None
    assert only(check_class(s, c, DEFAULTS, today=TODAY), "session.no_teacher")


def _everything_wrong(s) -> TrainingClass:
    """A class that trips as many rules as one class can."""
    c = good_class(s, level=Level.L4, trade=factories.trade(s, "焊工"))
    c.mode = None
    c.venue.seats = 0
    c.sessions[0].teacher = None
    c.sessions[1].date = c.end_date + dt.timedelta(days=3)
    c.sessions[2].periods = 9
    c.sessions[3].kind = SessionKind.THEORY
    t = c.sessions[4].teacher
    t.employment = Employment.PART_TIME
    for name in "甲乙丙":
        t.affiliations.append(TeacherAffiliation(year=2026, institution_name=name))
    t.trainings.clear()
    t.qualifications[0].expires_on = TODAY + dt.timedelta(days=20)
    c.enrollments[0].trainee.id_number = "123"
    for e in c.enrollments[1:4]:
        e.trainee.phone = "13700000000"
        e.trainee.category = TraineeCategory.OTHER
    other = good_class(s, trainees=0)
    other.sessions[5].teacher = c.sessions[5].teacher
    other.sessions[5].venue = c.sessions[5].venue
    b = good_class(s, trainees=1)
    b.enrollments[0].trainee = c.enrollments[5].trainee
    s.flush()
    return c


def test_every_message_renders_in_both_languages(s) -> None:
    from zunyi_trainer.i18n import set_language

    c = _everything_wrong(s)
    zh = check(s, c, today=c.start_date - dt.timedelta(days=1))
    assert len(codes(zh)) >= 15
    set_language("en")
    try:
        en = check(s, c, today=c.start_date - dt.timedelta(days=1))
        school_en = school(s)
    finally:
        set_language("zh")
    assert [f.code for f in en] == [f.code for f in zh]
    assert all(a.message != b.message for a, b in zip(en, zh, strict=True))
    assert all("{" not in f.message for f in [*en, *zh, *school_en])


def test_held_sessions_without_attendance_warn_once_the_class_runs(s) -> None:
    c = good_class(s, trainees=2)
    record_marks(
        s,
        [Mark(x.id, e.id, AttendanceStatus.PRESENT) for x in c.sessions[:4] for e in c.enrollments],
        method="manual",
        recorded_by="a",
    )
    day_after_third_day = dt.date(2026, 3, 5)  # sessions 0-5 are held; 4 and 5 have no marks
    assert not only(check(s, c, today=day_after_third_day), "session.attendance_missing")  # still a draft
    c.status = ClassStatus.IN_PROGRESS
    (f,) = only(check(s, c, today=day_after_third_day), "session.attendance_missing")
    assert f.data["session_ids"] == [c.sessions[4].id, c.sessions[5].id] and f.severity == WARNS
    assert not only(check(s, c, today=dt.date(2026, 3, 4)), "session.attendance_missing")


def test_the_catalogue_lists_every_code_the_rules_can_emit_with_its_severity() -> None:
    import re
    from pathlib import Path

    from zunyi_trainer import rules
    from zunyi_trainer.rules.catalogue import BY_CODE, CATALOGUE

    emitted = {}
    for path in Path(rules.__file__).parent.glob("*.py"):
        for code, severity in re.findall(r'Finding\(\s*"([a-z_.]+)",\s*(BLOCKS|WARNS)', path.read_text(encoding="utf-8")):
            emitted[code] = severity.lower()
    assert emitted == {r.code: r.severity for r in CATALOGUE}
    assert len(BY_CODE) == len(CATALOGUE)


def test_findings_of_a_real_check_agree_with_the_catalogue(s) -> None:
    from zunyi_trainer.rules.catalogue import BY_CODE

    c = _everything_wrong(s)
    for f in [*check(s, c), *school(s)]:
        assert BY_CODE[f.code].severity == f.severity


def test_checking_changes_nothing(demo_register) -> None:
    from zunyi_trainer.audit import last_event
    from zunyi_trainer.models import Institution

    with demo_register.session() as s:
        before = last_event(s.connection())
        for c in s.scalars(sa.select(TrainingClass)):
            check_class(s, c)
        check_school(s, s.scalars(sa.select(Institution)).one())
        assert not s.new and not s.dirty and not s.deleted
        assert last_event(s.connection()) == before


def test_the_demo_school_exercises_most_rules(demo_register) -> None:
    """A newcomer opening the demo sees the checks at work: more than half of the rule codes
    are raised somewhere in it, each by a slip planted where it would happen in real life."""
    from zunyi_trainer.models import Institution
    from zunyi_trainer.rules.catalogue import CATALOGUE

    with demo_register.session() as s:
        found = codes(check_school(s, s.scalars(sa.select(Institution)).one()))
        for c in s.scalars(sa.select(TrainingClass)):
            found |= codes(check_class(s, c))
    assert len(found) > len(CATALOGUE) / 2, sorted(found)
    assert {
        "teacher.part_time_limit",
        "teacher.unqualified",
        "session.teacher_double_booked",
        "session.identical_sign_ins",
        "trainee.shared_phone",
        "class.changed_after_approval",
        "class.hours_below_minimum",
    } <= found
