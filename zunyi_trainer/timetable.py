"""The timetable (课程安排): sessions built from a pattern, single-session edits, totals.

A :class:`Pattern` says which days (a date range, weekdays, minus holidays) and which slots
(morning, afternoon, evening, with their times and 课时) a class meets, theory or practice, with
a default teacher and venue. :func:`plan_sessions` turns it into dated sessions (a preview that
writes nothing); :func:`build_sessions` adds them to a class. 1 课时 = ``period_minutes``
(45 by default): a slot without explicit 课时 gets as many as fit in it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from zunyi_trainer.errors import ValidationError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import ClassSession, ClassStatus, SessionKind, TrainingClass
from zunyi_trainer.settings import DEFAULTS, RuleSettings


@dataclasses.dataclass(frozen=True)
class Slot:
    name: str
    start: dt.time
    end: dt.time
    periods: int | None = None  # None: as many 课时 as fit

    def minutes(self) -> int:
        return (dt.datetime.combine(dt.date.min, self.end) - dt.datetime.combine(dt.date.min, self.start)).seconds // 60

    def periods_for(self, settings: RuleSettings) -> int:
        return self.periods if self.periods is not None else self.minutes() // settings.period_minutes


MORNING = Slot("morning", dt.time(8, 30), dt.time(11, 30), 4)
AFTERNOON = Slot("afternoon", dt.time(14, 0), dt.time(17, 0), 4)
EVENING = Slot("evening", dt.time(19, 0), dt.time(21, 15), 3)
SLOTS = {s.name: s for s in (MORNING, AFTERNOON, EVENING)}
SLOT_LABELS = {"morning": ("上午", "Morning"), "afternoon": ("下午", "Afternoon"), "evening": ("晚上", "Evening")}
WEEKDAYS = frozenset(range(5))  # Monday to Friday


@dataclasses.dataclass(frozen=True)
class Pattern:
    start_date: dt.date
    end_date: dt.date
    slots: tuple[Slot, ...] = (MORNING, AFTERNOON)
    weekdays: frozenset[int] = WEEKDAYS  # 0 = Monday
    kind: SessionKind = SessionKind.PRACTICE
    teacher_id: int | None = None
    venue_id: int | None = None
    holidays: frozenset[dt.date] = frozenset()
    topic: str = ""
    max_periods: int | None = None  # stop once this many 课时 are planned


@dataclasses.dataclass(frozen=True)
class PlannedSession:
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    periods: int
    kind: SessionKind
    teacher_id: int | None
    venue_id: int | None
    topic: str


def _check_pattern(p: Pattern, settings: RuleSettings) -> None:
    if p.end_date < p.start_date:
        raise ValidationError(
            "课程安排的结束日期 {end} 早于开始日期 {start}。",
            "The pattern ends ({end}) before it starts ({start}).",
            field="end_date",
            code="timetable.dates",
            start=p.start_date.isoformat(),
            end=p.end_date.isoformat(),
        )
    if not p.slots:
        raise ValidationError("请至少选择一个上课时段。", "Choose at least one slot.", field="slots", code="timetable.no_slots")
    if not p.weekdays or not set(p.weekdays) <= set(range(7)):
        raise ValidationError(
            "请选择上课的星期（周一到周日）。",
            "Choose the weekdays (Monday to Sunday).",
            field="weekdays",
            code="timetable.weekdays",
        )
    for slot in p.slots:
        if slot.end <= slot.start:
            raise ValidationError(
                "时段“{name}”的下课时间 {end} 不晚于上课时间 {start}。",
                "The slot “{name}” ends ({end}) no later than it starts ({start}).",
                field="slots",
                code="timetable.slot_times",
                name=slot.name,
                start=slot.start.strftime("%H:%M"),
                end=slot.end.strftime("%H:%M"),
            )
        if slot.periods_for(settings) < 1:
            raise ValidationError(
                "时段“{name}”不足 1 课时（{minutes} 分钟）。",
                "The slot “{name}” is shorter than one period ({minutes} minutes).",
                field="slots",
                code="timetable.slot_short",
                name=slot.name,
                minutes=settings.period_minutes,
            )


def plan_sessions(pattern: Pattern, settings: RuleSettings = DEFAULTS) -> list[PlannedSession]:
    """The sessions a pattern gives, in order; writes nothing."""
    _check_pattern(pattern, settings)
    out: list[PlannedSession] = []
    planned = 0
    day = pattern.start_date
    slots = sorted(pattern.slots, key=lambda s: s.start)
    while day <= pattern.end_date:
        if day.weekday() in pattern.weekdays and day not in pattern.holidays:
            for slot in slots:
                if pattern.max_periods is not None and planned >= pattern.max_periods:
                    return out
                periods = slot.periods_for(settings)
                if pattern.max_periods is not None:
                    periods = min(periods, pattern.max_periods - planned)
                out.append(
                    PlannedSession(
                        day, slot.start, slot.end, periods, pattern.kind, pattern.teacher_id, pattern.venue_id, pattern.topic
                    )
                )
                planned += periods
        day += dt.timedelta(days=1)
    return out


def _refuse_if_closed(cls: TrainingClass) -> None:
    if cls.status in (ClassStatus.COMPLETED, ClassStatus.ARCHIVED):
        raise ValidationError(
            "培训班 {class_code} 的状态为“{status}”，课程安排不能再修改。",
            "Class {class_code} is {status_en}; its timetable can no longer change.",
            code="timetable.closed",
            class_code=cls.code,
            status=cls.status.zh,
            status_en=cls.status.en,
        )


def build_sessions(
    session: Session,
    cls: TrainingClass,
    pattern: Pattern,
    settings: RuleSettings = DEFAULTS,
) -> list[ClassSession]:
    """Add the pattern's sessions to the class (audited like any edit). A slot the class already
    has a session in, overlapping in time, is skipped rather than doubled."""
    _refuse_if_closed(cls)
    existing = [(s.date, s.start_time, s.end_time) for s in cls.sessions]
    added = []
    for p in plan_sessions(pattern, settings):
        if any(d == p.date and st < p.end_time and p.start_time < en for d, st, en in existing):
            continue
        s = ClassSession(
            date=p.date,
            start_time=p.start_time,
            end_time=p.end_time,
            periods=p.periods,
            kind=p.kind,
            teacher_id=p.teacher_id,
            venue_id=p.venue_id,
            topic=p.topic,
        )
        cls.sessions.append(s)
        existing.append((p.date, p.start_time, p.end_time))
        added.append(s)
    session.flush()
    return added


EDITABLE = frozenset({"date", "start_time", "end_time", "periods", "kind", "teacher_id", "venue_id", "topic", "notes"})


def edit_session(session: Session, class_session: ClassSession, **changes: Any) -> ClassSession:
    """Change one session (teacher, venue, time, 课时 …); the audit keeps the earlier values."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _refuse_if_closed(class_session.training_class)
    start = changes.get("start_time", class_session.start_time)
    end = changes.get("end_time", class_session.end_time)
    periods = changes.get("periods", class_session.periods)
    if end <= start:
        raise ValidationError(
            "下课时间 {end} 不晚于上课时间 {start}。",
            "The session ends ({end}) no later than it starts ({start}).",
            field="end_time",
            code="timetable.session_times",
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
        )
    if not isinstance(periods, int) or periods < 1:
        raise ValidationError(
            "课时数应为正整数。", "The periods must be a positive whole number.", field="periods", code="timetable.periods"
        )
    if "kind" in changes:
        changes["kind"] = SessionKind(changes["kind"])
    for key, value in changes.items():
        setattr(class_session, key, value)
    session.flush()
    return class_session


def remove_session(session: Session, class_session: ClassSession) -> None:
    """Remove one session (and its attendance marks); the audit keeps what it was."""
    _refuse_if_closed(class_session.training_class)
    session.delete(class_session)
    session.flush()


@dataclasses.dataclass(frozen=True)
class TimetableTotals:
    sessions: int
    total_periods: int
    theory_periods: int
    practice_periods: int
    period_minutes: int

    @property
    def practice_share(self) -> float:
        return self.practice_periods / self.total_periods if self.total_periods else 0.0

    @property
    def hours(self) -> float:
        """Clock hours the 课时 stand for."""
        return self.total_periods * self.period_minutes / 60

    def to_dict(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "total_periods": self.total_periods,
            "theory_periods": self.theory_periods,
            "practice_periods": self.practice_periods,
            "practice_share": self.practice_share,
            "hours": self.hours,
        }


def totals(sessions: Iterable[ClassSession | PlannedSession], settings: RuleSettings = DEFAULTS) -> TimetableTotals:
    theory = practice = n = 0
    for s in sessions:
        n += 1
        if SessionKind(s.kind) is SessionKind.THEORY:
            theory += s.periods
        else:
            practice += s.periods
    return TimetableTotals(n, theory + practice, theory, practice, settings.period_minutes)


def slot_label(name: str) -> str:
    zh, en = SLOT_LABELS.get(name, (name, name))
    return text(zh, en)
