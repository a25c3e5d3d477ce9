"""The timetable builder: patterns to sessions, holidays, single edits, totals."""

from __future__ import annotations

import datetime as dt

import factories
import pytest
import sqlalchemy as sa

from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import AuditEvent, ClassSession, ClassStatus, SessionKind
from zunyi_trainer.rules import check_class
from zunyi_trainer.settings import DEFAULTS
from zunyi_trainer.timetable import (
    AFTERNOON,
    EVENING,
    MORNING,
    Pattern,
    Slot,
    build_sessions,
    edit_session,
    plan_sessions,
    remove_session,
    totals,
)

MONDAY = dt.date(2026, 3, 2)


def test_a_pattern_gives_weekday_sessions_in_each_slot() -> None:
    planned = plan_sessions(Pattern(MONDAY, MONDAY + dt.timedelta(days=6)))  # Monday to Sunday
    assert len(planned) == 10
    assert {p.date.weekday() for p in planned} == {0, 1, 2, 3, 4}
    assert [p.start_time for p in planned[:2]] == [MORNING.start, AFTERNOON.start]
    assert sum(p.periods for p in planned) == 40


def test_holidays_and_unchosen_weekdays_are_skipped() -> None:
    qingming = dt.date(2026, 4, 6)  # a Monday
    planned = plan_sessions(
        Pattern(
            dt.date(2026, 4, 6),
            dt.date(2026, 4, 12),
            slots=(MORNING,),
            weekdays=frozenset({0, 5}),
            holidays=frozenset({qingming}),
        )
    )
    assert [p.date for p in planned] == [dt.date(2026, 4, 11)]


def test_a_slot_without_periods_gets_as_many_as_fit() -> None:
    slot = Slot("custom", dt.time(9, 0), dt.time(10, 40))  # 100 minutes
    (p,) = plan_sessions(Pattern(MONDAY, MONDAY, slots=(slot,)))
    assert p.periods == 2
    (p,) = plan_sessions(Pattern(MONDAY, MONDAY, slots=(slot,)), DEFAULTS.replace(period_minutes=40))
    assert p.periods == 2
    (p,) = plan_sessions(Pattern(MONDAY, MONDAY, slots=(slot,)), DEFAULTS.replace(period_minutes=30))
    assert p.periods == 3


def test_max_periods_stops_the_pattern_and_trims_the_last_session() -> None:
    planned = plan_sessions(Pattern(MONDAY, MONDAY + dt.timedelta(days=30), slots=(MORNING, EVENING), max_periods=18))
    assert sum(p.periods for p in planned) == 18
    assert planned[-1].periods == 18 - sum(p.periods for p in planned[:-1])


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        (Pattern(MONDAY, MONDAY - dt.timedelta(days=1)), "timetable.dates"),
        (Pattern(MONDAY, MONDAY, slots=()), "timetable.no_slots"),
        (Pattern(MONDAY, MONDAY, weekdays=frozenset()), "timetable.weekdays"),
        (Pattern(MONDAY, MONDAY, slots=(Slot("x", dt.time(10), dt.time(9)),)), "timetable.slot_times"),
        (Pattern(MONDAY, MONDAY, slots=(Slot("x", dt.time(9), dt.time(9, 30)),)), "timetable.slot_short"),
    ],
)
def test_a_pattern_that_makes_no_sense_is_refused(pattern, code) -> None:
    with pytest.raises(ValidationError) as info:
        plan_sessions(pattern)
    assert info.value.code == code


def test_building_adds_audited_sessions_with_teacher_and_venue(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, trainees=2)
        t = factories.teacher(s, trade=c.trade)
        v = factories.venue(s)
        theory = build_sessions(
            s,
            c,
            Pattern(MONDAY, MONDAY + dt.timedelta(days=1), kind=SessionKind.THEORY, teacher_id=t.id, venue_id=v.id, topic="理论"),
        )
        practice = build_sessions(
            s, c, Pattern(MONDAY + dt.timedelta(days=2), c.end_date, teacher_id=t.id, venue_id=v.id), DEFAULTS
        )
        assert len(theory) == 4 and all(x.teacher_id == t.id and x.venue_id == v.id for x in theory)
        sums = totals(c.sessions)
        assert (sums.theory_periods, sums.practice_periods) == (16, 64)
        assert sums.practice_share == pytest.approx(0.8)
        assert sums.hours == pytest.approx(80 * 45 / 60)
        assert len(practice) == 16
        n_events = s.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.table_name == "class_session", AuditEvent.action == "insert")
        )
        assert n_events == 20


def test_building_twice_does_not_double_the_sessions(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s)
        pattern = Pattern(MONDAY, MONDAY + dt.timedelta(days=4))
        assert len(build_sessions(s, c, pattern)) == 10
        assert build_sessions(s, c, pattern) == []
        assert len(c.sessions) == 10


def test_a_built_timetable_passes_the_hours_rules(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, trainees=3)
        t = factories.teacher(s, trade=c.trade)
        v = factories.venue(s)
        build_sessions(s, c, Pattern(MONDAY, MONDAY, kind=SessionKind.THEORY, teacher_id=t.id, venue_id=v.id))
        build_sessions(s, c, Pattern(MONDAY + dt.timedelta(days=1), c.end_date, teacher_id=t.id, venue_id=v.id, max_periods=32))
        found = {f.code for f in check_class(s, c, DEFAULTS, today=dt.date(2026, 2, 1)) if f.blocks}
    assert not found & {"class.hours_below_minimum", "class.practice_share_low", "session.no_teacher", "class.no_timetable"}


def test_editing_one_session_is_audited_with_the_earlier_value(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, sessions=2)
        x = c.sessions[0]
        other = factories.teacher(s, trade=c.trade)
        edit_session(s, x, teacher_id=other.id, start_time=dt.time(9, 0), kind="practice")
        assert (x.teacher_id, x.start_time, x.kind) == (other.id, dt.time(9, 0), SessionKind.PRACTICE)
        ev = s.scalars(sa.select(AuditEvent).where(AuditEvent.table_name == "class_session", AuditEvent.action == "update")).one()
        assert "teacher_id" in ev.changes and "08:30:00" in ev.changes


def test_an_edit_that_ends_before_it_starts_is_refused(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, sessions=1)
        with pytest.raises(ValidationError) as info:
            edit_session(s, c.sessions[0], end_time=dt.time(8, 0))
        assert info.value.code == "timetable.session_times"
        with pytest.raises(ValidationError):
            edit_session(s, c.sessions[0], periods=0)


def test_a_finished_classs_timetable_is_closed(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, sessions=1)
        c.status = ClassStatus.ARCHIVED
        with pytest.raises(ValidationError) as info:
            edit_session(s, c.sessions[0], topic="改")
        assert info.value.code == "timetable.closed"
        with pytest.raises(ValidationError):
            build_sessions(s, c, Pattern(MONDAY, MONDAY))


def test_removing_a_session(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, sessions=2)
        remove_session(s, c.sessions[0])
        assert s.scalar(sa.select(sa.func.count()).select_from(ClassSession)) == 1
