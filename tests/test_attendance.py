"""Attendance: statuses from sign-in times, bulk recording with its audit, rates by hours."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import factories
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zunyi_trainer import audit
from zunyi_trainer.attendance import (
    Mark,
    RecordedMark,
    SessionSlot,
    class_rates,
    daily_totals,
    derive_status,
    enrolment_totals,
    overall_rate,
    record_marks,
    trainee_rate,
)
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    AuditEvent,
    ClassSession,
    SessionKind,
)
from zunyi_trainer.settings import DEFAULTS
from zunyi_trainer.timeutil import local_instant

P, LATE, EARLY, LEAVE, ABSENT = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EARLY_LEAVE,
    AttendanceStatus.LEAVE,
    AttendanceStatus.ABSENT,
)


def _session(day=dt.date(2026, 3, 2), start=dt.time(8, 30), end=dt.time(11, 30), periods=4) -> ClassSession:
    return ClassSession(date=day, start_time=start, end_time=end, periods=periods, kind=SessionKind.THEORY)


def _at(minutes_after_start: int, sess: ClassSession | None = None) -> dt.datetime:
    sess = sess or _session()
    return local_instant(sess.date, sess.start_time) + dt.timedelta(minutes=minutes_after_start)


# --- derive_status ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sign_in", "sign_out", "expected"),
    [
        (-10, 180, P),  # early arrival, stays to the end (session is 180 minutes)
        (5, 180, P),  # exactly at the late tolerance: still present
        (6, 180, LATE),
        (30, 180, LATE),
        (0, 169, EARLY),  # 11 minutes early
        (0, 171, P),  # 9 minutes early: within tolerance
        (46, 180, ABSENT),  # missed more than 45 minutes
        (20, 150, ABSENT),  # 20 late + 30 early = 50 missed
        (None, None, ABSENT),
        (0, None, P),  # no sign-out (paper sheet): not an early leave
        (None, 180, P),  # sign-out only: arrival read as on time
        (None, 120, ABSENT),  # one hour early: beyond the absent tolerance
        (200, 210, ABSENT),  # signed in after the end
    ],
)
def test_derive_status_applies_the_tolerances(sign_in, sign_out, expected) -> None:
    sess = _session()
    status = derive_status(
        sess,
        None if sign_in is None else _at(sign_in, sess),
        None if sign_out is None else _at(sign_out, sess),
        DEFAULTS,
    )
    assert status is expected


def test_derive_status_follows_the_schools_settings() -> None:
    sess = _session()
    strict = DEFAULTS.replace(late_after_minutes=0)
    assert derive_status(sess, _at(3, sess), _at(180, sess), DEFAULTS) is P
    assert derive_status(sess, _at(3, sess), _at(180, sess), strict) is LATE


def test_derive_status_refuses_naive_times() -> None:
    with pytest.raises(ValueError):
        derive_status(_session(), dt.datetime(2026, 3, 2, 8, 30), None, DEFAULTS)


# --- record_marks ----------------------------------------------------------------------------


@pytest.fixture
def small_class(register):
    """A class with 3 trainees and 4 four-period sessions (2026-03-02 and 03-03)."""
    with register.transaction() as s:
        c = factories.training_class(s, trainees=3, sessions=4)
        ids = (c.id, [x.id for x in c.sessions], [e.id for e in c.enrollments])
    return ids


def _marks(session_ids, enrollment_ids, status=P) -> list[Mark]:
    return [Mark(sid, eid, status) for sid in session_ids for eid in enrollment_ids]


def test_record_marks_writes_every_mark_with_its_method_and_recorder(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with register.transaction() as s:
        n = record_marks(s, _marks(sessions, enrollments), method=AttendanceMethod.PAPER, recorded_by="杨老师")
    assert n == 12
    with register.session() as s:
        rows = s.scalars(sa.select(Attendance)).all()
        assert len(rows) == 12
        assert {r.method for r in rows} == {AttendanceMethod.PAPER}
        assert {r.recorded_by for r in rows} == {"杨老师"}
        assert not any(r.is_correction for r in rows)


def test_record_marks_audits_each_row_and_keeps_the_chain(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with register.transaction() as s:
        record_marks(s, _marks(sessions[:1], enrollments), method="manual", recorded_by="杨老师")
    with register.session() as s:
        events = s.scalars(sa.select(AuditEvent).where(AuditEvent.table_name == "attendance")).all()
        keys = {str(u) for u in s.scalars(sa.select(Attendance.uuid))}
        assert len(events) == 3
        assert {e.record_key for e in events} == keys
        assert all(e.action == "insert" and e.class_uuid is not None for e in events)
        assert json.loads(events[0].changes)["status"] == "present"
        assert audit.verify_chain(s.connection()).ok


def test_recording_the_same_marks_twice_changes_nothing(register, small_class) -> None:
    _, sessions, enrollments = small_class
    marks = _marks(sessions, enrollments)
    with register.transaction() as s:
        record_marks(s, marks, method="manual", recorded_by="a")
    with register.transaction() as s:
        before = s.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        assert record_marks(s, marks, method="manual", recorded_by="a") == 0
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before


def test_changing_a_mark_needs_a_correction_reason_and_writes_nothing_without(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with register.transaction() as s:
        record_marks(s, _marks(sessions[:1], enrollments), method="manual", recorded_by="a")
    changed = [Mark(sessions[0], enrollments[0], ABSENT), Mark(sessions[1], enrollments[0], P)]
    with pytest.raises(ValidationError) as info, register.transaction() as s:
        record_marks(s, changed, method="manual", recorded_by="b")
    assert info.value.code == "attendance.correction_reason"
    assert "补录" in info.value.message()
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 3  # the new one was not written either
        assert {r.status for r in s.scalars(sa.select(Attendance))} == {P}


def test_a_correction_is_flagged_and_its_audit_keeps_the_earlier_value(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with register.transaction() as s:
        record_marks(s, _marks(sessions[:1], enrollments[:1]), method="manual", recorded_by="a")
    with register.transaction() as s:
        n = record_marks(
            s,
            [Mark(sessions[0], enrollments[0], LEAVE, leave_reason="病假")],
            method="manual",
            recorded_by="b",
            correction_reason="学员补交了病假条",
        )
    assert n == 1
    with register.session() as s:
        row = s.scalars(sa.select(Attendance)).one()
        assert (row.status, row.is_correction, row.correction_reason, row.leave_reason) == (
            LEAVE,
            True,
            "学员补交了病假条",
            "病假",
        )
        ev = s.scalars(sa.select(AuditEvent).where(AuditEvent.table_name == "attendance", AuditEvent.action == "update")).one()
        assert json.loads(ev.changes)["status"] == ["present", "leave"]
        assert audit.verify_chain(s.connection()).ok


def test_leave_needs_its_reason(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with pytest.raises(ValidationError) as info, register.transaction() as s:
        record_marks(s, [Mark(sessions[0], enrollments[0], LEAVE)], method="manual", recorded_by="a")
    assert info.value.code == "attendance.leave_reason"


def test_a_mark_for_another_class_is_refused_and_nothing_is_written(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with register.transaction() as s:
        other = factories.training_class(s, trainees=1, sessions=1)
        stranger = other.enrollments[0].id
    batch = [*_marks(sessions, enrollments), Mark(sessions[0], stranger, P)]
    with pytest.raises(ValidationError) as info, register.transaction() as s:
        record_marks(s, batch, method="manual", recorded_by="a")
    assert info.value.code == "attendance.wrong_class"
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_two_marks_for_one_trainee_and_session_are_refused(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with pytest.raises(ValidationError) as info, register.transaction() as s:
        record_marks(
            s, [Mark(sessions[0], enrollments[0], P), Mark(sessions[0], enrollments[0], ABSENT)], method="manual", recorded_by="a"
        )
    assert info.value.code == "attendance.duplicate"


def test_record_marks_reports_progress_to_the_end(register, small_class) -> None:
    _, sessions, enrollments = small_class
    seen = []
    with register.transaction() as s:
        record_marks(
            s, _marks(sessions, enrollments), method="terminal", recorded_by="a", progress=lambda d, t: seen.append((d, t))
        )
    assert seen[0] == (0, 12)
    assert seen[-1] == (12, 12)
    assert all(b[0] >= a[0] for a, b in itertools.pairwise(seen))


def test_sign_in_times_are_stored_as_instants(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with register.session() as s:
        sess = s.get(ClassSession, sessions[0])
        t_in = local_instant(sess.date, sess.start_time) + dt.timedelta(minutes=12, seconds=7)
    with register.transaction() as s:
        record_marks(s, [Mark(sessions[0], enrollments[0], LATE, sign_in_at=t_in)], method="terminal", recorded_by="a")
    with register.session() as s:
        row = s.scalars(sa.select(Attendance)).one()
        assert row.sign_in_at == t_in
        assert row.sign_in_at.tzinfo is not None


# --- rates -----------------------------------------------------------------------------------


def test_rates_count_hours_by_status(register) -> None:
    """出勤/迟到 count the session's 课时, 早退 the attended part, 请假/旷课 nothing."""
    with register.transaction() as s:
        c = factories.training_class(s, trainees=1, sessions=5)
        sess = c.sessions
        e = c.enrollments[0].id
        half_out = local_instant(sess[2].date, sess[2].start_time) + dt.timedelta(minutes=90)  # half of 180 minutes
        record_marks(
            s,
            [
                Mark(sess[0].id, e, P),
                Mark(sess[1].id, e, LATE),
                Mark(sess[2].id, e, EARLY, sign_out_at=half_out),
                Mark(sess[3].id, e, LEAVE, leave_reason="家中有事"),
                Mark(sess[4].id, e, ABSENT),
            ],
            method="manual",
            recorded_by="a",
        )
        rate = class_rates(s, c, DEFAULTS, as_of=dt.date(2026, 12, 31))[e]
    assert rate.counted_periods == 20
    assert rate.attended_periods == pytest.approx(4 + 4 + 2)
    assert rate.rate == pytest.approx(0.5)
    assert not rate.eligible


def test_sessions_outside_the_enrolment_do_not_count(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, trainees=1, sessions=6)  # days 03-02, 03-03, 03-04
        enr = c.enrollments[0]
        enr.enrolled_on = dt.date(2026, 3, 3)
        enr.withdrawn_on = dt.date(2026, 3, 3)
        s.flush()
        marks = [Mark(x.id, enr.id, ABSENT) for x in c.sessions if x.date != dt.date(2026, 3, 3)]
        marks += [Mark(x.id, enr.id, P) for x in c.sessions if x.date == dt.date(2026, 3, 3)]
        record_marks(s, marks, method="manual", recorded_by="a")
        rate = class_rates(s, c, DEFAULTS, as_of=dt.date(2026, 12, 31))[enr.id]
    assert (rate.counted_periods, rate.rate, rate.eligible) == (8, 1.0, True)


def test_unmarked_sessions_count_once_held_but_not_before(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, trainees=1, sessions=4)  # 03-02 (2), 03-03 (2)
        e = c.enrollments[0].id
        record_marks(s, [Mark(c.sessions[0].id, e, P)], method="manual", recorded_by="a")
        on_first_day = class_rates(s, c, DEFAULTS, as_of=dt.date(2026, 3, 2))[e]
        later = class_rates(s, c, DEFAULTS, as_of=dt.date(2026, 3, 10))[e]
    assert (on_first_day.counted_periods, on_first_day.attended_periods) == (8, 4)
    assert (later.counted_periods, later.rate) == (16, 0.25)


def test_exactly_the_threshold_is_eligible(register) -> None:
    with register.transaction() as s:
        c = factories.training_class(s, trainees=1, sessions=5)
        e = c.enrollments[0].id
        marks = [Mark(x.id, e, P) for x in c.sessions[:4]] + [Mark(c.sessions[4].id, e, ABSENT)]
        record_marks(s, marks, method="manual", recorded_by="a")
        rates = class_rates(s, c, DEFAULTS, as_of=dt.date(2026, 12, 31))
        higher = class_rates(s, c, DEFAULTS.replace(attendance_threshold=0.81), as_of=dt.date(2026, 12, 31))
    assert rates[e].rate == pytest.approx(0.8)
    assert rates[e].eligible
    assert not higher[e].eligible
    assert overall_rate(rates.values()) == pytest.approx(0.8)


# --- properties ------------------------------------------------------------------------------

_DAY0 = dt.date(2026, 3, 2)
_statuses = st.sampled_from(list(AttendanceStatus))


@st.composite
def _timetables(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    slots = []
    for i in range(n):
        day = _DAY0 + dt.timedelta(days=draw(st.integers(0, 20)))
        start = local_instant(day, dt.time(8, 30))
        minutes = draw(st.integers(45, 240))
        slots.append(SessionSlot(i + 1, day, start, start + dt.timedelta(minutes=minutes), draw(st.integers(1, 6))))
    marks = {}
    for slot in slots:
        if draw(st.booleans()):
            status = draw(_statuses)
            sign_in = slot.start + dt.timedelta(minutes=draw(st.integers(-30, 300)))
            sign_out = sign_in + dt.timedelta(minutes=draw(st.integers(0, 300))) if draw(st.booleans()) else None
            marks[slot.id] = RecordedMark(status, sign_in if draw(st.booleans()) else None, sign_out)
    enrolled = _DAY0 + dt.timedelta(days=draw(st.integers(-3, 10)))
    withdrawn = draw(st.none() | st.builds(lambda d: _DAY0 + dt.timedelta(days=d), st.integers(0, 25)))
    as_of = _DAY0 + dt.timedelta(days=draw(st.integers(-2, 25)))
    return slots, marks, enrolled, withdrawn, as_of


def _rate(slots, marks, enrolled, withdrawn, as_of, threshold=0.8):
    return trainee_rate(1, enrolled, withdrawn, slots, marks, as_of=as_of, threshold=threshold)


@settings(max_examples=300, deadline=None)
@given(_timetables())
def test_a_rate_lies_between_0_and_1(case) -> None:
    r = _rate(*case)
    assert 0.0 <= r.rate <= 1.0
    assert 0.0 <= r.attended_periods <= r.counted_periods
    assert r.eligible == (r.counted_periods > 0 and r.rate >= 0.8 - 1e-9)


@settings(max_examples=300, deadline=None)
@given(_timetables(), st.data())
def test_marking_someone_present_never_lowers_their_rate(case, data) -> None:
    slots, marks, enrolled, withdrawn, as_of = case
    before = _rate(slots, marks, enrolled, withdrawn, as_of)
    target = data.draw(st.sampled_from(slots))
    after = _rate(slots, {**marks, target.id: RecordedMark(P)}, enrolled, withdrawn, as_of)
    assert after.rate >= before.rate - 1e-12
    assert after.attended_periods >= before.attended_periods
    assert not (before.eligible and not after.eligible)


def test_marking_present_in_the_register_never_lowers_the_class_rate(register) -> None:
    """The same property end to end, through record_marks and class_rates."""
    with register.transaction() as s:
        c = factories.training_class(s, trainees=2, sessions=6)
        sess, (e1, e2) = c.sessions, [e.id for e in c.enrollments]
        record_marks(
            s,
            [Mark(sess[0].id, e1, ABSENT), Mark(sess[1].id, e1, EARLY), Mark(sess[2].id, e2, LATE)],
            method="manual",
            recorded_by="a",
        )
        before = class_rates(s, c, DEFAULTS, as_of=dt.date(2026, 3, 3))
        for target in sess:
            record_marks(s, [Mark(target.id, e1, P)], method="manual", recorded_by="a", correction_reason="核对签到表")
            after = class_rates(s, c, DEFAULTS, as_of=dt.date(2026, 3, 3))
            assert after[e1].rate >= before[e1].rate
            assert after[e2] == before[e2]
            before = after
    assert before[e1].rate == 1.0


def test_bulk_rows_read_back_through_the_orm_like_orm_written_ones(register, small_class) -> None:
    """record_marks writes SQLite's stored forms by hand: the ORM must read them back exactly."""
    _, sessions, enrollments = small_class
    with register.session() as s:
        sess = s.get(ClassSession, sessions[0])
        t_in = local_instant(sess.date, sess.start_time) + dt.timedelta(minutes=2, microseconds=250)
        t_out = local_instant(sess.date, sess.end_time)
    with register.transaction() as s:
        record_marks(
            s,
            [
                Mark(sessions[0], enrollments[0], P, sign_in_at=t_in, sign_out_at=t_out),
                Mark(sessions[0], enrollments[1], LEAVE, leave_reason='病假 "急诊"'),
            ],
            method=AttendanceMethod.TERMINAL,
            recorded_by="杨晓梅",
        )
    with register.session() as s:
        a, b = s.scalars(sa.select(Attendance).order_by(Attendance.enrollment_id)).all()
        assert (a.sign_in_at, a.sign_out_at, a.status, a.method) == (t_in, t_out, P, AttendanceMethod.TERMINAL)
        assert a.uuid.version == 4 and a.recorded_at.tzinfo is not None and a.is_correction is False
        assert (b.status, b.leave_reason, b.sign_in_at) == (LEAVE, '病假 "急诊"', None)
        events = {e.record_key: e for e in s.scalars(sa.select(AuditEvent).where(AuditEvent.table_name == "attendance"))}
        snap = json.loads(events[str(b.uuid)].changes)
        assert snap["leave_reason"] == '病假 "急诊"' and snap["recorded_by"] == "杨晓梅"
        for ev in events.values():
            assert audit.canonical_json(json.loads(ev.changes)) == ev.changes
        assert json.loads(events[str(a.uuid)].changes)["sign_in_at"] == t_in.astimezone(dt.UTC).isoformat()


def test_an_unknown_status_is_refused_and_a_stored_value_is_accepted(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with pytest.raises(ValidationError) as info, register.transaction() as s:
        record_marks(s, [Mark(sessions[0], enrollments[0], "here")], method="manual", recorded_by="a")
    assert info.value.code == "attendance.status"
    with register.transaction() as s:
        assert record_marks(s, [Mark(sessions[0], enrollments[0], "late")], method="manual", recorded_by="a") == 1


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-60, 240),
    st.integers(0, 120),
    st.one_of(st.none(), st.integers(-30, 260)),
    st.integers(0, 60),
    st.integers(0, 60),
    st.integers(0, 120),
)
def test_arriving_later_never_counts_more(first_in, delay, out, late_after, early_leave, absent_after) -> None:
    """With the same sign-out, a later sign-in never gives a status that counts more 课时."""
    from zunyi_trainer.attendance import attended_share, session_bounds

    sess = _session()
    start, end = session_bounds(sess)
    rules = DEFAULTS.replace(late_after_minutes=late_after, early_leave_minutes=early_leave, absent_after_minutes=absent_after)
    sign_out = None if out is None else _at(out, sess)

    def counted(minutes: int) -> float:
        sign_in = _at(minutes, sess)
        share = attended_share(derive_status(sess, sign_in, sign_out, rules), start, end, sign_in, sign_out)
        assert 0.0 <= share <= 1.0
        return share

    assert counted(first_in + delay) <= counted(first_in)


def test_an_unknown_method_is_refused_and_a_blank_recorder_becomes_the_user(register, small_class) -> None:
    _, sessions, enrollments = small_class
    with pytest.raises(ValidationError) as info, register.transaction() as s:
        record_marks(s, [Mark(sessions[0], enrollments[0], P)], method="pigeon", recorded_by="a")
    assert info.value.code == "attendance.method"
    with register.transaction() as s:
        record_marks(s, [Mark(sessions[0], enrollments[0], P)], method="paper", recorded_by="  ")
    with register.session() as s:
        assert s.scalars(sa.select(Attendance.recorded_by)).one() == register.actor


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.sampled_from([P, LATE, EARLY, ABSENT])), max_size=12))
def test_recording_any_batch_leaves_exactly_those_marks_with_one_event_per_written_row(register, small_class, batch) -> None:
    _, sessions, enrollments = small_class
    marks = {(sessions[i], enrollments[j]): status for i, j, status in batch}  # the last one of a pair wins
    with register.session() as s:
        before = {(r.session_id, r.enrollment_id): r.status for r in s.scalars(sa.select(Attendance))}
        events_before = s.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    with register.transaction() as s:
        written = record_marks(
            s,
            [Mark(sid, eid, status) for (sid, eid), status in marks.items()],
            method="manual",
            recorded_by="a",
            correction_reason="核对",
        )
    with register.session() as s:
        after = {(r.session_id, r.enrollment_id): r.status for r in s.scalars(sa.select(Attendance))}
        events_after = s.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    assert after == {**before, **marks}
    assert written == sum(1 for k, v in marks.items() if before.get(k) != v)
    assert events_after - events_before == written


# --- rates summed in SQL -----------------------------------------------------------------------


def test_totals_summed_by_the_database_match_the_rate_of_each_trainee(register) -> None:
    """enrolment_totals and daily_totals (the overview's figures) give what trainee_rate gives,
    whatever the statuses, times, enrolment windows, days and marks of another class."""
    with register.transaction() as s:
        c = factories.training_class(s, trainees=5, sessions=8)  # 03-02 … 03-05, two sessions a day
        other = factories.training_class(s, trainees=2, sessions=4)
        sess, (late_joiner, leaver, a, b, _unmarked) = c.sessions, c.enrollments
        late_joiner.enrolled_on = dt.date(2026, 3, 4)
        leaver.withdrawn_on = dt.date(2026, 3, 3)
        s.flush()
        start = local_instant(sess[1].date, sess[1].start_time)
        statuses = [P, LATE, EARLY, LEAVE, ABSENT, P, EARLY, P]
        marks = [
            Mark(x.id, e.id, st, leave_reason="病假" if st == LEAVE else "")
            for e in (late_joiner, leaver, a)
            for x, st in zip(sess, statuses, strict=True)
            if x.date >= (e.enrolled_on or x.date)
        ]
        marks += [  # timed early leaves (one signed in late as well), and a mark ahead of the day
            Mark(
                sess[1].id,
                b.id,
                EARLY,
                sign_in_at=start + dt.timedelta(minutes=20),
                sign_out_at=start + dt.timedelta(minutes=100),
            ),
            Mark(
                sess[3].id, b.id, EARLY, sign_out_at=local_instant(sess[3].date, sess[3].start_time) + dt.timedelta(minutes=150)
            ),
            Mark(sess[7].id, b.id, P),
        ]
        marks += [Mark(x.id, e.id, P) for x in other.sessions for e in other.enrollments]
        record_marks(s, marks, method="manual", recorded_by="a")
        for as_of in (dt.date(2026, 3, 1), dt.date(2026, 3, 3), dt.date(2026, 3, 4), dt.date(2026, 4, 30)):
            expected = {
                e: (r.attended_periods, r.counted_periods)
                for e, r in class_rates(s, c, DEFAULTS, as_of=min(as_of, c.end_date)).items()
                if r.counted_periods
            }
            totals = enrolment_totals(s, [c.id], as_of=as_of)
            assert {e: (pytest.approx(t.attended), t.counted) for e, t in totals.items()} == expected, as_of
        # b by hand, as of 03-03: four sessions held and the one marked on 03-05 count (5 × 4 课时);
        # stayed 80 and 150 of 180 minutes, then present.
        b_totals = enrolment_totals(s, [c.id], as_of=dt.date(2026, 3, 3))[b.id]
        assert (b_totals.attended, b_totals.counted) == (pytest.approx(4 * 80 / 180 + 4 * 150 / 180 + 4), 20)

        last = dt.date(2026, 3, 4)
        days = daily_totals(s, dt.date(2026, 3, 3), last)
        assert set(days) == {dt.date(2026, 3, 3), dt.date(2026, 3, 4)}  # 03-02 before the range, 03-05 after
        for day, t in days.items():  # the whole school's: both classes
            rates = [
                trainee_rate(
                    e.id,
                    e.enrolled_on,
                    e.withdrawn_on,
                    [
                        SessionSlot(
                            x.id, x.date, local_instant(x.date, x.start_time), local_instant(x.date, x.end_time), x.periods
                        )
                        for x in k.sessions
                        if x.date == day
                    ],
                    _recorded(s, e.id),
                    as_of=last,
                    threshold=0.8,
                )
                for k in (c, other)
                for e in k.enrollments
            ]
            assert (t.attended, t.counted) == (
                pytest.approx(sum(r.attended_periods for r in rates)),
                sum(r.counted_periods for r in rates),
            )


def _recorded(s, enrollment_id: int) -> dict[int, RecordedMark]:
    return {
        m.session_id: RecordedMark(m.status, m.sign_in_at, m.sign_out_at)
        for m in s.scalars(sa.select(Attendance).where(Attendance.enrollment_id == enrollment_id))
    }
