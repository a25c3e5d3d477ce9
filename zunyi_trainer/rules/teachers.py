"""Teachers (plan item 12): qualified for the trade on the day they teach, full-time teachers at
least a third of the school's, part-timers at no more than three institutions a year, yearly
teacher training (轮训), and qualifications about to expire."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from zunyi_trainer.i18n import text
from zunyi_trainer.models import ClassStatus, Employment, Teacher
from zunyi_trainer.rules.context import ClassContext, SchoolContext
from zunyi_trainer.rules.findings import BLOCKS, WARNS, Finding, record_of
from zunyi_trainer.settings import RuleSettings

_FINISHED = (ClassStatus.COMPLETED, ClassStatus.ARCHIVED)


def _dates_text(days: list[dt.date]) -> str:
    shown = "、".join(d.isoformat() for d in days[:5])
    return shown + (text(" 等 {n} 天", " and {n} days in all", n=len(days)) if len(days) > 5 else "")


def qualified_for_trade(ctx: ClassContext) -> list[Finding]:
    """Each teacher on the timetable holds a qualification for the class's trade, valid on the
    date of each session they teach."""
    by_teacher: dict[int, list[dt.date]] = defaultdict(list)
    teachers: dict[int, Teacher] = {}
    for s in ctx.sessions:
        t = s.teacher
        if t is None:
            continue
        teachers[t.id] = t
        valid = any(q.trade_id == ctx.cls.trade_id and q.valid_on(s.date) for q in t.qualifications)
        if not valid and s.date not in by_teacher[t.id]:
            by_teacher[t.id].append(s.date)
    out = []
    for tid, days in by_teacher.items():
        t = teachers[tid]
        has_any = any(q.trade_id == ctx.cls.trade_id for q in t.qualifications)
        out.append(
            Finding(
                "teacher.unqualified",
                BLOCKS,
                text(
                    "教师 {teacher} 在 {dates} 授课时没有有效的“{trade}”资格证书{why}。请更换教师或补录有效证书。",
                    "Teacher {teacher} holds no {trade} qualification valid on {dates}{why}. "
                    "Assign another teacher or record a valid certificate.",
                    teacher=t.name,
                    dates=_dates_text(days),
                    trade=ctx.cls.trade.name,
                    why=text("（证书已过期或尚未生效）", " (expired or not yet valid)")
                    if has_any
                    else text("（未登记该工种证书）", " (none recorded for this trade)"),
                ),
                {"teacher": t.name, "dates": [d.isoformat() for d in days]},
                record_of(t),
            )
        )
    return out


def _expiring(t: Teacher, settings: RuleSettings, today: dt.date, trade_id: int | None = None) -> list[Finding]:
    horizon = today + dt.timedelta(days=settings.qualification_warn_days)
    out = []
    for q in t.qualifications:
        if q.expires_on is None or not today <= q.expires_on <= horizon:
            continue
        if trade_id is not None and q.trade_id != trade_id:
            continue
        out.append(
            Finding(
                "teacher.qualification_expiring",
                WARNS,
                text(
                    "教师 {teacher} 的{kind}（{number}）将于 {day} 到期（还有 {days} 天），请及时换证。",
                    "Teacher {teacher}'s {kind} ({number}) expires on {day} (in {days} days); renew it.",
                    teacher=t.name,
                    kind=q.kind.label,
                    number=q.number,
                    day=q.expires_on.isoformat(),
                    days=(q.expires_on - today).days,
                ),
                {"teacher": t.name, "expires_on": q.expires_on.isoformat(), "days_left": (q.expires_on - today).days},
                record_of(q),
            )
        )
    return out


def qualifications_expiring(ctx: ClassContext) -> list[Finding]:
    if ctx.cls.status in _FINISHED:
        return []
    out = []
    for t in ctx.timetable_teachers:
        out += _expiring(t, ctx.settings, ctx.today, ctx.cls.trade_id)
    return out


def _institutions_in(t: Teacher, year: int) -> set[str]:
    return {(a.institution_uscc or a.institution_name).strip() for a in t.affiliations if a.year == year}


def _part_time_over(t: Teacher, year: int, settings: RuleSettings) -> Finding | None:
    if t.employment is not Employment.PART_TIME:
        return None
    others = _institutions_in(t, year)
    count = len(others) + 1  # this school included
    if count <= settings.max_institutions:
        return None
    return Finding(
        "teacher.part_time_limit",
        BLOCKS,
        text(
            "兼职教师 {teacher} 在 {year} 年共任职于 {count} 家培训机构（含本校），超过 {limit} 家的上限。",
            "Part-time teacher {teacher} works at {count} institutions in {year} (this school included), over the limit of {limit}.",
            teacher=t.name,
            year=year,
            count=count,
            limit=settings.max_institutions,
        ),
        {"teacher": t.name, "year": year, "institutions": count, "limit": settings.max_institutions},
        record_of(t),
    )


def part_time_limit(ctx: ClassContext) -> list[Finding]:
    years = sorted({s.date.year for s in ctx.sessions})
    out = []
    for t in ctx.timetable_teachers:
        for year in years:
            if any(s.teacher_id == t.id and s.date.year == year for s in ctx.sessions):
                f = _part_time_over(t, year, ctx.settings)
                if f is not None:
                    out.append(f)
    return out


def _no_training(t: Teacher, year: int) -> Finding | None:
    if any(tr.held_on.year == year for tr in t.trainings):
        return None
    return Finding(
        "teacher.no_training",
        WARNS,
        text(
            "教师 {teacher} 在 {year} 年还没有参加教师职业能力轮训的记录。",
            "Teacher {teacher} has no teacher-training record in {year}.",
            teacher=t.name,
            year=year,
        ),
        {"teacher": t.name, "year": year},
        record_of(t),
    )


def training_this_year(ctx: ClassContext) -> list[Finding]:
    if ctx.cls.status in _FINISHED:
        return []
    return [f for t in ctx.timetable_teachers if (f := _no_training(t, ctx.today.year)) is not None]


CLASS_RULES = (qualified_for_trade, qualifications_expiring, part_time_limit, training_this_year)


# --- school-wide ------------------------------------------------------------------------------


def _active_teachers(ctx: SchoolContext) -> list[Teacher]:
    return list(
        ctx.session.scalars(
            sa.select(Teacher)
            .where(Teacher.institution_id == ctx.institution.id, Teacher.active.is_(True))
            .options(selectinload(Teacher.qualifications), selectinload(Teacher.affiliations), selectinload(Teacher.trainings))
            .order_by(Teacher.name)
        )
    )


def full_time_share(ctx: SchoolContext) -> list[Finding]:
    teachers = _active_teachers(ctx)
    if not teachers:
        return [
            Finding(
                "school.no_teachers",
                BLOCKS,
                text("本校还没有登记在职教师。", "The school has no active teachers registered."),
                {},
                record_of(ctx.institution),
            )
        ]
    full = sum(1 for t in teachers if t.employment is Employment.FULL_TIME)
    share = full / len(teachers)
    if share + 1e-9 >= ctx.settings.full_time_share:
        return []
    return [
        Finding(
            "school.full_time_share_low",
            BLOCKS,
            text(
                "专职教师 {full} 人，占在职教师 {total} 人的 {share:.0%}，低于要求的 {needed:.0%}（1/3）。请增聘专职教师。",
                "{full} of {total} active teachers are full-time ({share:.0%}), below the required {needed:.0%}. Hire full-time teachers.",
                full=full,
                total=len(teachers),
                share=share,
                needed=ctx.settings.full_time_share,
            ),
            {"full_time": full, "total": len(teachers), "share": share, "required": ctx.settings.full_time_share},
            record_of(ctx.institution),
        )
    ]


def school_teachers(ctx: SchoolContext) -> list[Finding]:
    out = []
    year = ctx.today.year
    for t in _active_teachers(ctx):
        f = _part_time_over(t, year, ctx.settings)
        if f is not None:
            out.append(f)
        out += _expiring(t, ctx.settings, ctx.today)
        f = _no_training(t, year)
        if f is not None:
            out.append(f)
    return out


SCHOOL_RULES = (full_time_share, school_teachers)
