"""Class opening (plan item 11): what must be present and consistent before an application goes
to the county — trainees with valid IDs, seats, teachers, the approved trade, mode, hours, dates,
no double bookings, and submission in time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from zunyi_trainer import idcard
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import ClassSession, ClassStatus, SessionKind, TraineeCategory, TrainingClass, Venue
from zunyi_trainer.rules.context import ClassContext
from zunyi_trainer.rules.findings import BLOCKS, WARNS, Finding, record_of
from zunyi_trainer.timeutil import to_local


def session_label(s: ClassSession) -> str:
    return f"{s.date.isoformat()} {s.start_time:%H:%M}-{s.end_time:%H:%M}"


def trainees_present(ctx: ClassContext) -> list[Finding]:
    if ctx.active_enrollments:
        return []
    return [
        Finding(
            "class.no_trainees",
            BLOCKS,
            text(
                "培训班 {code} 还没有学员，请先录入花名册。",
                "Class {code} has no trainees yet; enter the roster first.",
                code=ctx.cls.code,
            ),
            {},
            record_of(ctx.cls),
        )
    ]


def trainee_ids(ctx: ClassContext) -> list[Finding]:
    """Every trainee's ID number is valid, with an age within the settings on the start date."""
    out = []
    for e in ctx.active_enrollments:
        t = e.trainee
        try:
            idcard.parse(t.id_number, today=ctx.cls.start_date, min_age=ctx.settings.id_min_age, max_age=ctx.settings.id_max_age)
        except ValidationError as exc:
            out.append(
                Finding(
                    "trainee.id_invalid",
                    BLOCKS,
                    text(
                        "学员 {name}（{masked}）的身份证号有问题：{problem}",
                        "Trainee {name} ({masked}) has a problem with the ID number: {problem}",
                        name=t.name,
                        masked=idcard.mask(t.id_number),
                        problem=exc.message(),
                    ),
                    {"trainee": t.name, "problem": exc.code},
                    record_of(t),
                )
            )
    return out


def trainee_categories(ctx: ClassContext) -> list[Finding]:
    """重点群体 categories are what the county reports on: "other" is allowed but worth a look."""
    others = [e.trainee.name for e in ctx.active_enrollments if e.trainee.category is TraineeCategory.OTHER]
    if not others:
        return []
    return [
        Finding(
            "trainee.category_other",
            WARNS,
            text(
                "{n} 名学员的人员类别为“其他”：{names}。如属脱贫劳动力、农村转移劳动力等重点群体，请改正类别。",
                "{n} trainees have the category “other”: {names}. Correct it where they belong to a key group.",
                n=len(others),
                names="、".join(others[:10]) + ("等" if len(others) > 10 else ""),
            ),
            {"count": len(others), "trainees": others},
            record_of(ctx.cls),
        )
    ]


def _venues(ctx: ClassContext) -> list[Venue]:
    seen: dict[int, Venue] = {}
    if ctx.cls.venue is not None:
        seen[ctx.cls.venue.id] = ctx.cls.venue
    for s in ctx.sessions:
        if s.venue is not None:
            seen.setdefault(s.venue.id, s.venue)
    return list(seen.values())


def venue_capacity(ctx: ClassContext) -> list[Finding]:
    """Enrolment fits the seats of the class's venue and of every venue on its timetable."""
    n = len(ctx.active_enrollments)
    out = []
    for v in _venues(ctx):
        if v.seats <= 0:
            out.append(
                Finding(
                    "venue.seats_unknown",
                    WARNS,
                    text(
                        "场地“{venue}”没有填写座位（工位）数，无法核对容量。",
                        "The venue “{venue}” has no seat count; its capacity cannot be checked.",
                        venue=v.name,
                    ),
                    {"venue": v.name},
                    record_of(v),
                )
            )
        elif n > v.seats:
            out.append(
                Finding(
                    "class.over_capacity",
                    BLOCKS,
                    text(
                        "培训班 {code} 有 {n} 名学员，超过场地“{venue}”的 {seats} 个座位（工位）。请减少学员或更换场地。",
                        "Class {code} has {n} trainees, more than the {seats} seats of “{venue}”. Enrol fewer or use another venue.",
                        code=ctx.cls.code,
                        n=n,
                        venue=v.name,
                        seats=v.seats,
                    ),
                    {"trainees": n, "venue": v.name, "seats": v.seats},
                    record_of(v),
                )
            )
    return out


def venue_present(ctx: ClassContext) -> list[Finding]:
    without = [s for s in ctx.sessions if s.venue is None]
    if ctx.cls.venue is not None or (ctx.sessions and not without):
        return []
    return [
        Finding(
            "class.venue_missing",
            BLOCKS,
            text(
                "培训班 {code} 没有指定培训场地（{n} 个课次也没有场地）。",
                "Class {code} has no venue (nor do {n} of its sessions).",
                code=ctx.cls.code,
                n=len(without),
            ),
            {"sessions_without_venue": len(without)},
            record_of(ctx.cls),
        )
    ]


def session_teachers(ctx: ClassContext) -> list[Finding]:
    return [
        Finding(
            "session.no_teacher",
            BLOCKS,
            text(
                "课次 {when}（{topic}）没有安排授课教师。",
                "The session {when} ({topic}) has no teacher.",
                when=session_label(s),
                topic=s.topic or s.kind.label,
            ),
            {"date": s.date.isoformat()},
            record_of(s),
        )
        for s in ctx.sessions
        if s.teacher is None
    ]


def trade_in_scope(ctx: ClassContext) -> list[Finding]:
    approved = {t.id for t in ctx.cls.institution.trades}
    if ctx.cls.trade_id in approved:
        return []
    return [
        Finding(
            "class.trade_not_approved",
            BLOCKS,
            text(
                "工种“{trade}”不在本校核准的培训范围内，不能申报开班。请先向主管部门申请增加该工种。",
                "The trade “{trade}” is outside the school's approved scope; have it added before applying.",
                trade=ctx.cls.trade.name,
            ),
            {"trade": ctx.cls.trade.name},
            record_of(ctx.cls),
        )
    ]


def mode_set(ctx: ClassContext) -> list[Finding]:
    if ctx.cls.mode is not None:
        return []
    return [
        Finding(
            "class.mode_missing",
            BLOCKS,
            text(
                "培训班 {code} 没有选择培训方式（线下、线上或混合）。",
                "Class {code} has no training mode (in person, online or blended).",
                code=ctx.cls.code,
            ),
            {},
            record_of(ctx.cls),
        )
    ]


def hours(ctx: ClassContext) -> list[Finding]:
    """Total 课时 at least the level's minimum; practice at least its share."""
    if not ctx.sessions:
        return [
            Finding(
                "class.no_timetable",
                BLOCKS,
                text(
                    "培训班 {code} 还没有课程安排（课次）。",
                    "Class {code} has no timetable (sessions) yet.",
                    code=ctx.cls.code,
                ),
                {},
                record_of(ctx.cls),
            )
        ]
    total = sum(s.periods for s in ctx.sessions)
    practice = sum(s.periods for s in ctx.sessions if s.kind is SessionKind.PRACTICE)
    minimum = ctx.settings.min_periods_for(ctx.cls.level)
    out = []
    if total < minimum:
        out.append(
            Finding(
                "class.hours_below_minimum",
                BLOCKS,
                text(
                    "培训班 {code} 共 {total} 课时，少于{level}要求的 {minimum} 课时。",
                    "Class {code} has {total} periods, fewer than the {minimum} required at {level}.",
                    code=ctx.cls.code,
                    total=total,
                    level=ctx.cls.level.label,
                    minimum=minimum,
                ),
                {"total": total, "minimum": minimum},
                record_of(ctx.cls),
            )
        )
    share = practice / total if total else 0.0
    if share + 1e-9 < ctx.settings.practice_share:
        out.append(
            Finding(
                "class.practice_share_low",
                BLOCKS,
                text(
                    "培训班 {code} 的实操课时 {practice}/{total}（{share:.0%}），低于要求的 {needed:.0%}。",
                    "Class {code} has {practice} of {total} periods in practice ({share:.0%}), below the required {needed:.0%}.",
                    code=ctx.cls.code,
                    practice=practice,
                    total=total,
                    share=share,
                    needed=ctx.settings.practice_share,
                ),
                {"practice": practice, "total": total, "share": share, "required": ctx.settings.practice_share},
                record_of(ctx.cls),
            )
        )
    return out


def dates(ctx: ClassContext) -> list[Finding]:
    """The class's dates make sense and every session lies inside them, with a real duration."""
    cls = ctx.cls
    out = []
    if cls.end_date < cls.start_date:
        out.append(
            Finding(
                "class.dates_invalid",
                BLOCKS,
                text(
                    "培训班 {code} 的结束日期 {end} 早于开始日期 {start}。",
                    "Class {code} ends ({end}) before it starts ({start}).",
                    code=cls.code,
                    start=cls.start_date.isoformat(),
                    end=cls.end_date.isoformat(),
                ),
                {},
                record_of(cls),
            )
        )
    for s in ctx.sessions:
        if not cls.start_date <= s.date <= cls.end_date:
            out.append(
                Finding(
                    "session.outside_dates",
                    BLOCKS,
                    text(
                        "课次 {when} 不在培训班的起止日期 {start} 至 {end} 之内。",
                        "The session {when} lies outside the class's dates {start} to {end}.",
                        when=session_label(s),
                        start=cls.start_date.isoformat(),
                        end=cls.end_date.isoformat(),
                    ),
                    {"date": s.date.isoformat()},
                    record_of(s),
                )
            )
        minutes = (dt.datetime.combine(s.date, s.end_time) - dt.datetime.combine(s.date, s.start_time)).total_seconds() / 60
        if minutes <= 0:
            out.append(
                Finding(
                    "session.times_invalid",
                    BLOCKS,
                    text(
                        "课次 {when} 的下课时间不晚于上课时间。",
                        "The session {when} does not end after it starts.",
                        when=session_label(s),
                    ),
                    {},
                    record_of(s),
                )
            )
        elif s.periods <= 0 or s.periods * ctx.settings.period_minutes > minutes:
            out.append(
                Finding(
                    "session.periods_exceed_time",
                    WARNS,
                    text(
                        "课次 {when} 记为 {periods} 课时，但时长只有 {minutes:.0f} 分钟（每课时 {pm} 分钟）。",
                        "The session {when} counts {periods} periods in {minutes:.0f} minutes ({pm} minutes each).",
                        when=session_label(s),
                        periods=s.periods,
                        minutes=minutes,
                        pm=ctx.settings.period_minutes,
                    ),
                    {"periods": s.periods, "minutes": minutes},
                    record_of(s),
                )
            )
    return out


def _overlaps(a: ClassSession, b_start: dt.time, b_end: dt.time) -> bool:
    return a.start_time < b_end and b_start < a.end_time


def double_booking(ctx: ClassContext) -> list[Finding]:
    """No teacher or venue in two places at once, across all classes (this one included)."""
    sessions = ctx.sessions
    if not sessions:
        return []
    days = sorted({s.date for s in sessions})
    teacher_ids = {s.teacher_id for s in sessions if s.teacher_id is not None}
    venue_ids = {s.venue_id for s in sessions if s.venue_id is not None}
    if not teacher_ids and not venue_ids:
        return []
    st, ct = ClassSession.__table__, TrainingClass.__table__
    cond = []
    if teacher_ids:
        cond.append(st.c.teacher_id.in_(teacher_ids))
    if venue_ids:
        cond.append(st.c.venue_id.in_(venue_ids))
    others: dict[dt.date, list] = defaultdict(list)
    for i in range(0, len(days), 400):
        for row in ctx.session.execute(
            sa.select(st.c.id, st.c.date, st.c.start_time, st.c.end_time, st.c.teacher_id, st.c.venue_id, ct.c.code)
            .join(ct, ct.c.id == st.c.class_id)
            .where(st.c.date.in_(days[i : i + 400]), sa.or_(*cond))
        ):
            others[row.date].append(row)
    teacher_names = {t.id: t.name for t in ctx.timetable_teachers}
    venue_names = {v.id: v.name for v in _venues(ctx)}
    out = []
    reported: set[tuple[str, int, int]] = set()
    for s in sessions:
        for o in others.get(s.date, ()):
            if o.id == s.id or not _overlaps(s, o.start_time, o.end_time):
                continue
            pair = (min(s.id, o.id), max(s.id, o.id))
            if s.teacher_id is not None and o.teacher_id == s.teacher_id and ("t", *pair) not in reported:
                reported.add(("t", *pair))
                out.append(
                    Finding(
                        "session.teacher_double_booked",
                        BLOCKS,
                        text(
                            "教师 {teacher} 在 {when} 同时安排在培训班 {other} 的 {other_when} 课次上。",
                            "Teacher {teacher} is booked at {when} and, at the same time, in class {other} at {other_when}.",
                            teacher=teacher_names.get(s.teacher_id, str(s.teacher_id)),
                            when=session_label(s),
                            other=o.code,
                            other_when=f"{o.date.isoformat()} {o.start_time:%H:%M}-{o.end_time:%H:%M}",
                        ),
                        {"teacher_id": s.teacher_id, "other_class": o.code, "other_session_id": o.id},
                        record_of(s),
                    )
                )
            if s.venue_id is not None and o.venue_id == s.venue_id and ("v", *pair) not in reported:
                reported.add(("v", *pair))
                out.append(
                    Finding(
                        "session.venue_double_booked",
                        BLOCKS,
                        text(
                            "场地“{venue}”在 {when} 同时被培训班 {other} 的 {other_when} 课次占用。",
                            "The venue “{venue}” is booked at {when} and, at the same time, by class {other} at {other_when}.",
                            venue=venue_names.get(s.venue_id, str(s.venue_id)),
                            when=session_label(s),
                            other=o.code,
                            other_when=f"{o.date.isoformat()} {o.start_time:%H:%M}-{o.end_time:%H:%M}",
                        ),
                        {"venue_id": s.venue_id, "other_class": o.code, "other_session_id": o.id},
                        record_of(s),
                    )
                )
    return out


def submission_in_time(ctx: ClassContext) -> list[Finding]:
    """The application reaches the county at least N days before the start (a warning)."""
    cls = ctx.cls
    if cls.status not in (ClassStatus.DRAFT, ClassStatus.REJECTED, ClassStatus.SUBMITTED):
        return []
    day = to_local(cls.submitted_at).date() if cls.status is ClassStatus.SUBMITTED and cls.submitted_at else ctx.today
    days_left = (cls.start_date - day).days
    if days_left >= ctx.settings.submit_days_before:
        return []
    return [
        Finding(
            "class.submit_late",
            WARNS,
            text(
                "培训班 {code} 于 {start} 开班，报审距开班只有 {days} 天，少于要求的 {needed} 天。请尽快报审或推迟开班。",
                "Class {code} starts on {start}, only {days} days after submission; {needed} are expected. "
                "Submit now or move the start.",
                code=cls.code,
                start=cls.start_date.isoformat(),
                days=days_left,
                needed=ctx.settings.submit_days_before,
            ),
            {"days_before_start": days_left, "required": ctx.settings.submit_days_before},
            record_of(cls),
        )
    ]


CLASS_RULES = (
    trainees_present,
    trainee_ids,
    trainee_categories,
    venue_present,
    venue_capacity,
    session_teachers,
    trade_in_scope,
    mode_set,
    hours,
    dates,
    double_booking,
    submission_in_time,
)
