"""Fund safety (plan items 13, 15, 22): the patterns by which training subsidies are claimed
twice or made up — one trainee in two overlapping subsidised classes, many trainees on one phone,
a whole session signed in at the same instant, spend without a document — and trainees whose
attendance is below the subsidy threshold."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from zunyi_trainer import idcard
from zunyi_trainer.i18n import text
from zunyi_trainer.models import (
    Attachment,
    Attendance,
    ClassSession,
    ClassStatus,
    Enrollment,
    EquipmentSpend,
    Funding,
    Trainee,
    TrainingClass,
)
from zunyi_trainer.rules.context import ClassContext, SchoolContext
from zunyi_trainer.rules.findings import BLOCKS, WARNS, Finding, record_of
from zunyi_trainer.rules.opening import session_label
from zunyi_trainer.timeutil import format_local

# Identical sign-ins are suspicious from this many trainees on (two friends arriving together
# are not).
IDENTICAL_SIGN_IN_MIN = 3


def _overlap_query(institution_id: int, class_id: int | None = None):
    e1, e2 = aliased(Enrollment), aliased(Enrollment)
    c1, c2 = aliased(TrainingClass), aliased(TrainingClass)
    q = (
        sa.select(Trainee, c1, c2)
        .join(e1, e1.trainee_id == Trainee.id)
        .join(c1, c1.id == e1.class_id)
        .join(e2, sa.and_(e2.trainee_id == e1.trainee_id, e2.id != e1.id))
        .join(c2, c2.id == e2.class_id)
        .where(
            Trainee.institution_id == institution_id,
            c1.funding == Funding.SUBSIDISED,
            c2.funding == Funding.SUBSIDISED,
            e1.subsidised.is_(True),
            e2.subsidised.is_(True),
            e1.withdrawn_on.is_(None),
            e2.withdrawn_on.is_(None),
            c1.status != ClassStatus.REJECTED,
            c2.status != ClassStatus.REJECTED,
            c1.start_date <= c2.end_date,
            c2.start_date <= c1.end_date,
        )
        .order_by(Trainee.name, c1.code, c2.code)
    )
    # One class: all its pairs; the school: each pair once.
    return q.where(c1.id == class_id) if class_id is not None else q.where(c1.id < c2.id)


def _overlap_finding(t: Trainee, a: TrainingClass, b: TrainingClass) -> Finding:
    return Finding(
        "trainee.overlapping_subsidy",
        BLOCKS,
        text(
            "学员 {name}（{masked}）同时在补贴性培训班 {a}（{a_start}~{a_end}）和 {b}（{b_start}~{b_end}）中，"
            "时间重叠，不能重复享受补贴。请让其退出其中一个班，或把其中一个标为不享受补贴。",
            "Trainee {name} ({masked}) is in the subsidised classes {a} ({a_start}~{a_end}) and {b} "
            "({b_start}~{b_end}), whose dates overlap; a subsidy is paid once. Withdraw them from one or mark one unsubsidised.",
            name=t.name,
            masked=idcard.mask(t.id_number),
            a=a.code,
            a_start=a.start_date.isoformat(),
            a_end=a.end_date.isoformat(),
            b=b.code,
            b_start=b.start_date.isoformat(),
            b_end=b.end_date.isoformat(),
        ),
        {"trainee": t.name, "classes": [a.code, b.code]},
        record_of(t),
    )


def overlapping_subsidy(ctx: ClassContext) -> list[Finding]:
    cls = ctx.cls
    if cls.funding is not Funding.SUBSIDISED:
        return []
    rows = ctx.session.execute(_overlap_query(cls.institution_id, cls.id)).all()
    return [_overlap_finding(t, a, b) for t, a, b in rows]


def _phone_finding(phone: str, names: list[str], limit: int, record) -> Finding:
    return Finding(
        "trainee.shared_phone",
        WARNS,
        text(
            "{n} 名学员登记了同一个手机号 {phone}：{names}。请核实是否为本人号码（达到 {limit} 人即提醒）。",
            "{n} trainees share the phone number {phone}: {names}. Check that each is their own ({limit} or more warn).",
            n=len(names),
            phone=phone,
            names="、".join(names[:10]) + ("等" if len(names) > 10 else ""),
            limit=limit,
        ),
        {"phone": phone, "trainees": names, "count": len(names)},
        record,
    )


def _phone_groups(ctx_session, institution_id: int, phones: set[str] | None, limit: int) -> dict[str, list[str]]:
    """Phone → names of the school's trainees registered with it, for phones at least ``limit``
    trainees share (among ``phones`` when given). The database counts first, so only the shared
    phones' names are read (a large school has tens of thousands of trainees)."""
    mine = sa.and_(Trainee.institution_id == institution_id, Trainee.phone != "")
    if phones is not None:
        if not phones:
            return {}
        mine = sa.and_(mine, Trainee.phone.in_(sorted(phones)))
    shared = sa.select(Trainee.phone).where(mine).group_by(Trainee.phone).having(sa.func.count() >= limit)
    groups: dict[str, list[str]] = defaultdict(list)
    for phone, name in ctx_session.execute(
        sa.select(Trainee.phone, Trainee.name).where(mine, Trainee.phone.in_(shared)).order_by(Trainee.phone, Trainee.name)
    ):
        groups[phone].append(name)
    return dict(groups)


def shared_phones(ctx: ClassContext) -> list[Finding]:
    """Phones of this class's trainees that many of the school's trainees share."""
    phones = {e.trainee.phone.strip() for e in ctx.active_enrollments if e.trainee.phone.strip()}
    groups = _phone_groups(ctx.session, ctx.cls.institution_id, phones, ctx.settings.shared_phone_limit)
    return [_phone_finding(p, names, ctx.settings.shared_phone_limit, record_of(ctx.cls)) for p, names in sorted(groups.items())]


def identical_sign_ins(ctx: ClassContext) -> list[Finding]:
    """A session whose sign-ins all carry the same instant (to the second) was not signed in by
    the trainees one by one."""
    at, st = Attendance.__table__, ClassSession.__table__
    per_session: dict[int, list] = defaultdict(list)
    for sid, sign_in in ctx.session.execute(
        sa.select(at.c.session_id, at.c.sign_in_at)
        .join(st, st.c.id == at.c.session_id)
        .where(st.c.class_id == ctx.cls.id, at.c.sign_in_at.is_not(None))
    ):
        per_session[sid].append(sign_in.replace(microsecond=0))
    sessions = {s.id: s for s in ctx.sessions}
    out = []
    for sid, times in per_session.items():
        if len(times) >= IDENTICAL_SIGN_IN_MIN and len(set(times)) == 1 and sid in sessions:
            s = sessions[sid]
            out.append(
                Finding(
                    "session.identical_sign_ins",
                    WARNS,
                    text(
                        "课次 {when} 的 {n} 条签到时间完全相同（{at}），不像逐人签到。请核对签到记录的来源。",
                        "All {n} sign-ins of the session {when} carry the same time ({at}); they were not signed one by one. "
                        "Check where they came from.",
                        when=session_label(s),
                        n=len(times),
                        at=format_local(times[0], "%H:%M:%S"),
                    ),
                    {"count": len(times), "at": times[0].isoformat()},
                    record_of(s),
                )
            )
    return out


def attendance_below_threshold(ctx: ClassContext) -> list[Finding]:
    """Trainees under the subsidy threshold, once the class has started."""
    if ctx.cls.status not in (ClassStatus.IN_PROGRESS, ClassStatus.COMPLETED, ClassStatus.ARCHIVED):
        return []
    from zunyi_trainer.attendance import class_rates

    rates = class_rates(ctx.session, ctx.cls, ctx.settings, as_of=ctx.today)
    names = {e.id: e.trainee.name for e in ctx.cls.enrollments}
    out = []
    for eid, r in rates.items():
        if r.counted_periods and not r.eligible:
            out.append(
                Finding(
                    "attendance.below_threshold",
                    WARNS,
                    text(
                        "学员 {name} 的出勤率为 {rate:.1%}（{att:g}/{cnt} 课时），低于补贴要求的 {needed:.0%}。",
                        "Trainee {name} has attended {rate:.1%} ({att:g} of {cnt} periods), below the {needed:.0%} needed for the subsidy.",
                        name=names.get(eid, str(eid)),
                        rate=r.rate,
                        att=round(r.attended_periods, 2),
                        cnt=r.counted_periods,
                        needed=ctx.settings.attendance_threshold,
                    ),
                    {"enrollment_id": eid, "rate": r.rate, "attended": r.attended_periods, "counted": r.counted_periods},
                    None,
                )
            )
    return out


def attendance_recorded(ctx: ClassContext) -> list[Finding]:
    """Every session already held has its attendance entered (the archive needs it, item 15)."""
    if ctx.cls.status not in (ClassStatus.IN_PROGRESS, ClassStatus.COMPLETED, ClassStatus.ARCHIVED):
        return []
    held = [s for s in ctx.sessions if s.date < ctx.today]
    if not held or not ctx.active_enrollments:
        return []
    at = Attendance.__table__
    marked = set(
        ctx.session.scalars(sa.select(at.c.session_id).where(at.c.session_id.in_([s.id for s in held])).distinct()).all()
    )
    missing = [s for s in held if s.id not in marked]
    if not missing:
        return []
    return [
        Finding(
            "session.attendance_missing",
            WARNS,
            text(
                "培训班 {code} 有 {n} 个已上过的课次还没有录入考勤：{when}。",
                "Class {code} has {n} held sessions without attendance: {when}.",
                code=ctx.cls.code,
                n=len(missing),
                when="、".join(session_label(s) for s in missing[:5]) + ("等" if len(missing) > 5 else ""),
            ),
            {"count": len(missing), "session_ids": [s.id for s in missing]},
            record_of(missing[0]),
        )
    ]


CLASS_RULES = (overlapping_subsidy, shared_phones, identical_sign_ins, attendance_below_threshold, attendance_recorded)


# --- school-wide ------------------------------------------------------------------------------


def school_overlapping_subsidy(ctx: SchoolContext) -> list[Finding]:
    rows = ctx.session.execute(_overlap_query(ctx.institution.id)).all()
    return [_overlap_finding(t, a, b) for t, a, b in rows]


def school_shared_phones(ctx: SchoolContext) -> list[Finding]:
    groups = _phone_groups(ctx.session, ctx.institution.id, None, ctx.settings.shared_phone_limit)
    return [
        _phone_finding(p, names, ctx.settings.shared_phone_limit, record_of(ctx.institution))
        for p, names in sorted(groups.items())
    ]


def spend_documents(ctx: SchoolContext) -> list[Finding]:
    """Every equipment spend is traceable to a document (invoice scan or the like)."""
    has_doc = sa.exists().where(Attachment.spend_id == EquipmentSpend.id)
    spends = ctx.session.scalars(
        sa.select(EquipmentSpend)
        .where(EquipmentSpend.institution_id == ctx.institution.id, ~has_doc)
        .order_by(EquipmentSpend.spent_on, EquipmentSpend.id)
    ).all()
    return [
        Finding(
            "spend.no_document",
            WARNS,
            text(
                "{day} 的设备{kind}“{desc}”（{amount:,.2f} 元）没有附上发票或凭证，资金去向无法追溯。请扫描后添加附件。",
                "The equipment {kind} “{desc}” of {day} ({amount:,.2f} yuan) has no invoice or document attached. Scan and attach it.",
                day=sp.spent_on.isoformat(),
                kind=sp.kind.label,
                desc=sp.description or sp.invoice_no or "-",
                amount=sp.amount_fen / 100,
            ),
            {"amount_fen": sp.amount_fen, "spent_on": sp.spent_on.isoformat(), "invoice_no": sp.invoice_no},
            record_of(sp),
        )
        for sp in spends
    ]


SCHOOL_RULES = (school_overlapping_subsidy, school_shared_phones, spend_documents)
