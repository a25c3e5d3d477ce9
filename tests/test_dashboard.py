"""The dashboard's figures (zunyi_trainer.dashboard) on the demo school, each checked against the
register counted another way, and the alerts the demo's planted slips must raise."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from zunyi_trainer.attendance import attended_share
from zunyi_trainer.dashboard import (
    BATCH,
    FINDING,
    LOW_ATTENDANCE,
    QUALIFICATION,
    UNAPPROVED,
    Dashboard,
    load_dashboard,
)
from zunyi_trainer.models import (
    ClassStatus,
    Enrollment,
    Funding,
    Industry,
    Institution,
    Qualification,
    Teacher,
    TrainingClass,
)
from zunyi_trainer.reference import PLAN_INDUSTRY_TARGETS
from zunyi_trainer.settings import load_settings, save_settings
from zunyi_trainer.timeutil import local_instant, today_local

TOOK_PLACE = {ClassStatus.IN_PROGRESS, ClassStatus.COMPLETED, ClassStatus.ARCHIVED}


@pytest.fixture
def board(demo_register) -> Dashboard:
    with demo_register.session() as s:
        return load_dashboard(s)


def _year_classes(s, today):
    """Classes running or ended this year, picked in Python from every class."""
    return [
        c
        for c in s.scalars(sa.select(TrainingClass).options(selectinload(TrainingClass.enrollments)))
        if c.status in TOOK_PLACE and c.start_date <= today and c.end_date >= dt.date(today.year, 1, 1)
    ]


def _attended_and_counted(c: TrainingClass, as_of: dt.date, days: tuple[dt.date, dt.date] | None = None) -> tuple[float, int]:
    """Attended and counted 课时 of a class, walking its sessions and marks one by one."""
    attended, counted = 0.0, 0
    for e in c.enrollments:
        marks = {a.session_id: a for a in e.attendance}
        for x in c.sessions:
            if days and not days[0] <= x.date <= days[1]:
                continue
            if x.date < e.enrolled_on or (e.withdrawn_on and x.date > e.withdrawn_on):
                continue
            mark = marks.get(x.id)
            if mark is None and x.date > as_of:
                continue
            counted += x.periods
            if mark is not None:
                share = attended_share(
                    mark.status,
                    local_instant(x.date, x.start_time),
                    local_instant(x.date, x.end_time),
                    mark.sign_in_at,
                    mark.sign_out_at,
                )
                attended += x.periods * share
    return attended, counted


def test_the_tiles_match_the_demo_register_counted_another_way(demo_register, board) -> None:
    from zunyi_trainer.subsidy import class_subsidy

    today = board.today
    with demo_register.session() as s:
        year_classes = _year_classes(s, today)
        trainees = {e.trainee_id for c in year_classes for e in c.enrollments if e.withdrawn_on is None}
        statuses = Counter(c.status for c in s.scalars(sa.select(TrainingClass)))
        attended = counted = 0
        for c in year_classes:
            a, n = _attended_and_counted(c, min(today, c.end_date))
            attended += a
            counted += n
        settings = load_settings(s)
        due = [
            class_subsidy(s, c, settings, as_of=c.end_date)
            for c in s.scalars(sa.select(TrainingClass))
            if c.funding is Funding.SUBSIDISED
            and c.status in (ClassStatus.COMPLETED, ClassStatus.ARCHIVED)
            and c.end_date.year == today.year
        ]
    tiles = board.tiles
    assert tiles.trained_this_year == len(trainees) > 0
    assert tiles.classes_by_status == dict(statuses)
    assert tiles.classes_total == sum(statuses.values())
    assert tiles.counted_periods == counted > 0
    assert tiles.attended_periods == pytest.approx(attended)
    assert 0.5 < tiles.average_attendance < 1
    assert tiles.subsidy_due_fen == sum(d.total_fen for d in due) > 0
    assert tiles.subsidy_trainees == sum(d.eligible_count for d in due)
    assert tiles.subsidy_classes == len(due)


def test_trainees_by_industry_are_counted_against_the_plans_targets(demo_register, board) -> None:
    with demo_register.session() as s:
        during, after = Counter(), Counter()
        for e in s.scalars(
            sa.select(Enrollment).options(selectinload(Enrollment.training_class).selectinload(TrainingClass.trade))
        ):
            c = e.training_class
            if e.withdrawn_on is not None or c.status not in TOOK_PLACE or c.start_date < dt.date(2023, 1, 1):
                continue
            industry = c.trade.industry if c.trade.industry in PLAN_INDUSTRY_TARGETS else None
            (during if c.start_date.year <= 2025 else after)[industry] += 1
    figures = {f.industry: f for f in board.industries}
    assert [f.industry for f in board.industries][:5] == list(PLAN_INDUSTRY_TARGETS)
    assert figures[Industry.LIQUOR].target == 30_000 and figures[Industry.GUITAR].target == 2_000
    assert sum(f.target or 0 for f in board.industries) == 62_000 and board.plan_total_target == 120_000
    for industry, f in figures.items():
        assert (f.in_plan_period, f.after_plan) == (during[industry], after[industry])
    assert sum(f.in_plan_period + f.after_plan for f in board.industries) > 0


def test_attendance_by_week_follows_the_marks_of_each_week(demo_register, board) -> None:
    assert len(board.weeks) == 8
    assert board.weeks[-1].monday == board.today - dt.timedelta(days=board.today.weekday())
    with demo_register.session() as s:
        classes = s.scalars(sa.select(TrainingClass).options(selectinload(TrainingClass.enrollments))).all()
        for week in board.weeks:
            sunday = min(week.monday + dt.timedelta(days=6), board.today)
            attended = counted = 0
            for c in classes:
                a, n = _attended_and_counted(c, board.today, (week.monday, sunday))
                attended += a
                counted += n
            assert week.counted_periods == counted
            assert week.attended_periods == pytest.approx(attended)
    assert any(w.rate is not None for w in board.weeks)


def test_the_alerts_hold_the_demos_planted_slips_each_with_its_record(demo_register, board) -> None:
    blocking = {(a.subject[-3:], a.code) for a in board.alerts_of(FINDING)}
    assert {("011", "class.over_capacity"), ("011", "session.no_teacher"), ("011", "class.mode_missing")} <= blocking
    assert any(a.code == "teacher.part_time_limit" for a in board.alerts_of(FINDING))
    assert all(a.blocks and a.record for a in board.alerts_of(FINDING))
    today = board.today
    with demo_register.session() as s:
        not_approved = {
            c.code
            for c in s.scalars(sa.select(TrainingClass))
            if c.status in (ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.REJECTED)
            and c.start_date <= today + dt.timedelta(days=30)
            and c.end_date >= today
        }
        warn_days = load_settings(s).qualification_warn_days
        expiring = {
            str(q.teacher.uuid)
            for q in s.scalars(sa.select(Qualification).join(Teacher).where(Teacher.active))
            if q.expires_on and q.expires_on <= today + dt.timedelta(days=warn_days)
        }
    assert {a.subject for a in board.alerts_of(UNAPPROVED)} == not_approved and len(not_approved) >= 3
    assert {a.record[1] for a in board.alerts_of(QUALIFICATION)} == expiring and expiring
    low = board.alerts_of(LOW_ATTENDANCE)
    assert low and all(a.record[0] == "training_class" and "低于补贴门槛 80%" in a.message for a in low)
    (batch,) = board.alerts_of(BATCH)
    assert "还没有导出过数据批次" in batch.message
    kinds = [a.kind for a in board.alerts]
    assert kinds == sorted(kinds, key=[FINDING, UNAPPROVED, QUALIFICATION, LOW_ATTENDANCE, BATCH].index)


def test_a_batch_waiting_for_the_countys_acknowledgement_is_an_alert(demo_register, tmp_path) -> None:
    from zunyi_trainer.exchange.export import export_batch

    export_batch(demo_register, tmp_path / "usb", documents=False)
    with demo_register.session() as s:
        board = load_dashboard(s)
    (batch,) = board.alerts_of(BATCH)
    assert batch.record[0] == "export_batch" and "第 1 批" in batch.message and "尚未确认" in batch.message
    with demo_register.transaction() as s:
        s.scalars(sa.select(Institution)).one().contact_phone = "0851-22000000"
    with demo_register.session() as s:
        messages = [a.message for a in load_dashboard(s).alerts_of(BATCH)]
    assert any("尚未导出" in m for m in messages) and len(messages) == 2


def test_a_lower_attendance_threshold_leaves_fewer_trainees_below_it(demo_register, board) -> None:
    before = board.alerts_of(LOW_ATTENDANCE)
    with demo_register.transaction() as s:
        save_settings(s, load_settings(s).replace(attendance_threshold=0.45))
    with demo_register.session() as s:
        after = load_dashboard(s).alerts_of(LOW_ATTENDANCE)
    assert 0 < len(after) < len(before)
    assert all("低于补贴门槛 45%" in a.message for a in after)


def test_an_empty_register_gives_zeros_and_no_alerts(register) -> None:
    with register.session() as s:
        board = load_dashboard(s, today=today_local())
    assert board.tiles.trained_this_year == 0 and board.tiles.average_attendance is None
    assert board.alerts == () and board.institution == ""
    assert all(w.rate is None for w in board.weeks)


def test_the_dashboard_reports_progress_and_writes_nothing(demo_register) -> None:
    from zunyi_trainer.audit import last_event

    steps = []
    with demo_register.session() as s:
        before = last_event(s.connection())
        load_dashboard(s, progress=lambda done, total: steps.append((done, total)))
        assert not s.new and not s.dirty and not s.deleted
        assert last_event(s.connection()) == before
    assert steps[0] == (0, 8) and steps[-1] == (8, 8)


def test_subsidy_due_follows_the_subsidy_rule_for_overlaps_results_and_attendance(register) -> None:
    """The tile reads many classes at once; it must agree with subsidy.year_subsidy class by class:
    a trainee in an overlapping subsidised class, one who failed and one below the threshold get
    nothing."""
    import factories

    from zunyi_trainer.attendance import Mark, record_marks
    from zunyi_trainer.models import AttendanceStatus, EnrollmentResult
    from zunyi_trainer.subsidy import year_subsidy

    today = today_local()
    start = today - dt.timedelta(days=40)
    with register.transaction() as s:
        inst = factories.institution(s)
        c = factories.training_class(s, institution=inst, trainees=5, sessions=8, start_date=start)
        other = factories.training_class(s, institution=inst, trainees=0, start_date=start + dt.timedelta(days=2))
        other.enrollments.append(Enrollment(trainee=c.enrollments[0].trainee, enrolled_on=start))
        low = c.enrollments[2]
        marks = [
            Mark(x.id, e.id, AttendanceStatus.ABSENT if e is low and k < 4 else AttendanceStatus.PRESENT)
            for k, x in enumerate(c.sessions)
            for e in c.enrollments
        ]
        record_marks(s, marks, method="manual", recorded_by="test")
        for e in c.enrollments:
            e.result = EnrollmentResult.PASSED
        c.enrollments[1].result = EnrollmentResult.FAILED
        c.status = ClassStatus.COMPLETED
    with register.session() as s:
        board = load_dashboard(s, today=today)
        expected = year_subsidy(s, s.scalars(sa.select(Institution)).one(), today.year, load_settings(s))
    if c.end_date.year != today.year:
        pytest.skip("the class ended last year (the test runs in early January)")
    assert board.tiles.subsidy_trainees == expected.eligible_count == 2
    assert board.tiles.subsidy_due_fen == expected.total_fen == 2 * 1_000_00
    assert board.tiles.subsidy_classes == 1
