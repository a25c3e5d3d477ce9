"""``class list``, the lifecycle transitions (``submit``, ``approve``, ``reject``, ``start``,
``complete``, ``archive``, ``reopen``), ``class timetable`` and ``class changes``."""

from __future__ import annotations

import argparse
import datetime as dt
import json

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from zunyi_trainer.cli.context import Context
from zunyi_trainer.errors import NotFound, ValidationError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import ClassStatus, SessionKind, TrainingClass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("class", help=text("培训班", "training classes"))
    csub = p.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    lst = csub.add_parser("list", help=text("列出培训班", "list classes"))
    lst.add_argument("--status", choices=[s.value for s in ClassStatus])
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)
    add_lifecycle_commands(csub)


def class_dict(c: TrainingClass) -> dict:
    return {
        "uuid": str(c.uuid),
        "code": c.code,
        "name": c.name,
        "trade": c.trade.name,
        "trade_code": c.trade.code,
        "industry": c.trade.industry.value,
        "level": c.level.value,
        "training_type": c.training_type.value,
        "mode": c.mode.value if c.mode else None,
        "funding": c.funding.value,
        "status": c.status.value,
        "start": c.start_date.isoformat(),
        "end": c.end_date.isoformat(),
        "planned_size": c.planned_size,
        "approval_no": c.approval_no,
    }


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    reg = ctx.register(create=False)
    with reg.session() as s:
        q = (
            sa.select(TrainingClass)
            .options(selectinload(TrainingClass.trade))
            .order_by(TrainingClass.start_date, TrainingClass.code)
        )
        if args.status:
            q = q.where(TrainingClass.status == ClassStatus(args.status))
        rows = [class_dict(c) for c in s.scalars(q)]
    if args.json:
        ctx.json(rows)
        return 0
    if not rows:
        ctx.out(text("没有培训班。", "No classes."))
        return 0
    for r in rows:
        ctx.out(
            f"{r['code']:<16} {ClassStatus(r['status']).label:<6} {r['start']} ~ {r['end']}  {r['trade']:<8} {r['name']}"
            + (f"  {r['approval_no']}" if r["approval_no"] else "")
        )
    return 0


# --- the lifecycle --------------------------------------------------------------------------


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(text("日期应写成 2026-03-01 的格式", "a date is written like 2026-03-01")) from None


def add_lifecycle_commands(csub: argparse._SubParsersAction) -> None:
    def class_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("class_ref", metavar="CLASS", help=text("培训班编号（或 UUID）", "class code (or UUID)"))

    p = csub.add_parser("submit", help=text("报审（有阻止性问题时拒绝）", "submit the application (refused while blocked)"))
    class_arg(p)
    p.set_defaults(handler=cmd_submit)

    p = csub.add_parser("approve", help=text("登记县局批准", "record the county's approval"))
    class_arg(p)
    p.add_argument("--no", dest="approval_no", required=True, help=text("批文号", "approval number (批文号)"))
    p.add_argument("--date", dest="decided_on", type=_date, required=True, help=text("批复日期", "date of the decision"))
    p.add_argument("--approver", default="", help=text("审批机关", "approving body"))
    p.add_argument("--remarks", default="", help=text("批复意见", "remarks"))
    p.set_defaults(handler=cmd_approve)

    p = csub.add_parser("reject", help=text("登记县局不予批准", "record the county's rejection"))
    class_arg(p)
    p.add_argument("--reason", required=True, help=text("不予批准的原因", "reason for the rejection"))
    p.add_argument("--date", dest="decided_on", type=_date, required=True, help=text("批复日期", "date of the decision"))
    p.add_argument("--approver", default="", help=text("审批机关", "approving body"))
    p.set_defaults(handler=cmd_reject)

    for name, zh, en, handler in (
        ("start", "开班", "start the approved class", cmd_start),
        ("complete", "结业", "complete the class", cmd_complete),
    ):
        p = csub.add_parser(name, help=text(zh, en))
        class_arg(p)
        p.add_argument("--on", type=_date, default=None, help=text("日期（默认今天）", "date (default today)"))
        p.set_defaults(handler=handler)

    p = csub.add_parser("archive", help=text("归档（一班一档）", "archive the class"))
    class_arg(p)
    p.add_argument("--archive-no", default="", help=text("档案号（默认 DA-编号）", "archive number (default DA-code)"))
    p.add_argument("--on", type=_date, default=None, help=text("日期（默认今天）", "date (default today)"))
    p.set_defaults(handler=cmd_archive)

    p = csub.add_parser("reopen", help=text("退回草稿以便修改", "take the class back to draft for correction"))
    class_arg(p)
    p.add_argument(
        "--reason", default="", help=text("原因（撤回已报审的申请时必填）", "reason (needed to withdraw a submission)")
    )
    p.set_defaults(handler=cmd_reopen)

    p = csub.add_parser("timetable", help=text("课程安排与课时合计", "the timetable and its totals"))
    class_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_timetable)

    p = csub.add_parser("schedule", help=text("按规律生成课次", "add sessions from a pattern"))
    class_arg(p)
    p.add_argument("--from", dest="start", type=_date, required=True, help=text("开始日期", "first day"))
    p.add_argument("--to", dest="end", type=_date, required=True, help=text("结束日期", "last day"))
    p.add_argument(
        "--weekdays", default="1,2,3,4,5", help=text("星期几上课，1=周一 … 7=周日（默认 1-5）", "weekdays, 1=Monday … 7=Sunday")
    )
    p.add_argument(
        "--slots", default="morning,afternoon", help=text("时段：morning,afternoon,evening", "slots: morning,afternoon,evening")
    )
    p.add_argument("--kind", choices=[k.value for k in SessionKind], default=SessionKind.PRACTICE.value)
    p.add_argument("--teacher", default=None, help=text("授课教师姓名", "teacher's name"))
    p.add_argument("--venue", default=None, help=text("场地名称（默认培训班的场地）", "venue name (default: the class's)"))
    p.add_argument(
        "--holiday", type=_date, action="append", default=[], help=text("跳过的日期，可重复", "a day to skip; repeatable")
    )
    p.add_argument("--max-periods", type=int, default=None, help=text("最多生成的课时", "stop at this many periods"))
    p.add_argument("--topic", default="")
    p.add_argument("--dry-run", action="store_true", help=text("只预览，不写入", "preview only"))
    p.set_defaults(handler=cmd_schedule)

    p = csub.add_parser("rates", help=text("学员出勤率（按课时）", "trainees' attendance rates by hours"))
    class_arg(p)
    p.add_argument("--as-of", type=_date, default=None, help=text("截至日期（默认今天）", "as of this date (default today)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_rates)

    p = csub.add_parser("subsidy", help=text("培训补贴测算", "the class's subsidy"))
    class_arg(p)
    p.add_argument("--apply", action="store_true", help=text("把测算结果写入各学员", "write each trainee's amount"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_subsidy)

    p = csub.add_parser("changes", help=text("批准后的改动", "changes made after the approval"))
    class_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_changes)


def _transition(ctx: Context, ref: str, apply, done_zh: str, done_en: str) -> int:
    from zunyi_trainer.cli.check_commands import find_class

    reg = ctx.register(create=False)
    with reg.transaction() as s:
        cls = find_class(s, ref)
        result = apply(s, cls)
        code, status = cls.code, cls.status
    ctx.out(text(done_zh, done_en, code=code, status=status.label))
    return result if isinstance(result, int) else 0


def cmd_submit(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import lifecycle

    warnings: list = []

    def apply(s, cls):
        warnings.extend(lifecycle.submit(s, cls))

    _transition(ctx, args.class_ref, apply, "培训班 {code} 已报审（{status}）。", "Class {code} submitted ({status}).")
    for f in warnings:
        ctx.out(text("  【提醒】", "  [warns] ") + f.message)
    return 0


def cmd_approve(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import lifecycle

    return _transition(
        ctx,
        args.class_ref,
        lambda s, cls: lifecycle.record_decision(
            s,
            cls,
            "approved",
            approval_no=args.approval_no,
            decided_on=args.decided_on,
            approver=args.approver,
            remarks=args.remarks,
        ),
        "已登记培训班 {code} 的批准（{status}）。",
        "Recorded the approval of class {code} ({status}).",
    )


def cmd_reject(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import lifecycle

    return _transition(
        ctx,
        args.class_ref,
        lambda s, cls: lifecycle.record_decision(
            s, cls, "rejected", decided_on=args.decided_on, approver=args.approver, reason=args.reason
        ),
        "已登记培训班 {code} 不予批准（{status}）。可修改后用 class reopen 退回草稿再报审。",
        "Recorded the rejection of class {code} ({status}). Correct it, class reopen, and submit again.",
    )


def cmd_start(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import lifecycle

    return _transition(
        ctx, args.class_ref, lambda s, cls: lifecycle.start(s, cls, on=args.on), "培训班 {code} 已开班。", "Class {code} started."
    )


def cmd_complete(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import lifecycle

    return _transition(
        ctx,
        args.class_ref,
        lambda s, cls: lifecycle.complete(s, cls, on=args.on),
        "培训班 {code} 已结业。",
        "Class {code} completed.",
    )


def cmd_archive(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import lifecycle

    return _transition(
        ctx,
        args.class_ref,
        lambda s, cls: lifecycle.archive(s, cls, archive_no=args.archive_no, on=args.on),
        "培训班 {code} 已归档。",
        "Class {code} archived.",
    )


def cmd_reopen(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import lifecycle

    return _transition(
        ctx,
        args.class_ref,
        lambda s, cls: lifecycle.reopen_draft(s, cls, reason=args.reason),
        "培训班 {code} 已退回草稿，可以修改后重新报审。",
        "Class {code} is a draft again; correct it and submit.",
    )


def cmd_timetable(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.cli.check_commands import find_class
    from zunyi_trainer.settings import load_settings
    from zunyi_trainer.timetable import totals

    reg = ctx.register(create=False)
    with reg.session() as s:
        cls = find_class(s, args.class_ref)
        settings = load_settings(s)
        rows = [
            {
                "uuid": str(x.uuid),
                "date": x.date.isoformat(),
                "start": x.start_time.strftime("%H:%M"),
                "end": x.end_time.strftime("%H:%M"),
                "periods": x.periods,
                "kind": x.kind.value,
                "topic": x.topic,
                "teacher": x.teacher.name if x.teacher else None,
                "venue": x.venue.name if x.venue else None,
            }
            for x in cls.sessions
        ]
        sums = totals(cls.sessions, settings)
        code = cls.code
    if args.json:
        ctx.json({"class": code, "sessions": rows, "totals": sums.to_dict()})
        return 0
    for r in rows:
        kind = SessionKind(r["kind"]).label
        ctx.out(
            f"{r['date']} {r['start']}-{r['end']}  {r['periods']}{text('课时', 'p')}  {kind}  "
            f"{r['teacher'] or text('（无教师）', '(no teacher)')}  {r['venue'] or text('（无场地）', '(no venue)')}  {r['topic']}"
        )
    ctx.out(
        text(
            "合计 {n} 个课次，{total} 课时（理论 {theory}，实操 {practice}，实操占 {share:.0%}），约 {hours:g} 小时。",
            "{n} sessions, {total} periods ({theory} theory, {practice} practice, {share:.0%} practice), about {hours:g} hours.",
            n=len(rows),
            total=sums.total_periods,
            theory=sums.theory_periods,
            practice=sums.practice_periods,
            share=sums.practice_share,
            hours=round(sums.hours, 1),
        )
    )
    return 0


def _weekdays(value: str) -> frozenset[int]:
    days: set[int] = set()
    for part in value.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            first, last = int(lo), int(hi or lo)
        except ValueError:
            first = last = 0
        if not 1 <= first <= last <= 7:
            raise ValidationError(
                "星期应写成 1 到 7 之间的数字，如 1,2,3,4,5 或 1-5。",
                "Weekdays are numbers from 1 to 7, like 1,2,3,4,5 or 1-5.",
                field="weekdays",
                code="timetable.weekdays",
            )
        days.update(d - 1 for d in range(first, last + 1))
    return frozenset(days)


def cmd_schedule(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.cli.check_commands import find_class
    from zunyi_trainer.models import Teacher, Venue
    from zunyi_trainer.settings import load_settings
    from zunyi_trainer.timetable import SLOTS, Pattern, build_sessions, plan_sessions, totals

    slots = []
    for name in (x.strip() for x in args.slots.split(",")):
        if name not in SLOTS:
            raise ValidationError(
                "时段“{name}”不存在，可选 morning、afternoon、evening。",
                "There is no slot “{name}”; choose morning, afternoon or evening.",
                field="slots",
                code="timetable.slot",
                name=name,
            )
        slots.append(SLOTS[name])
    reg = ctx.register(create=False)
    with reg.session() if args.dry_run else reg.transaction() as s:
        cls = find_class(s, args.class_ref)
        teacher_id = venue_id = None
        if args.teacher:
            found = s.scalars(
                sa.select(Teacher).where(Teacher.institution_id == cls.institution_id, Teacher.name == args.teacher.strip())
            ).all()
            if len(found) != 1:
                raise NotFound(
                    "没有找到唯一一位名为“{name}”的教师。",
                    "No single teacher is called “{name}”.",
                    name=args.teacher,
                )
            teacher_id = found[0].id
        if args.venue:
            v = s.scalars(
                sa.select(Venue).where(Venue.institution_id == cls.institution_id, Venue.name == args.venue.strip())
            ).first()
            if v is None:
                raise NotFound("没有名为“{name}”的场地。", "No venue is called “{name}”.", name=args.venue)
            venue_id = v.id
        else:
            venue_id = cls.venue_id
        pattern = Pattern(
            args.start,
            args.end,
            slots=tuple(slots),
            weekdays=_weekdays(args.weekdays),
            kind=SessionKind(args.kind),
            teacher_id=teacher_id,
            venue_id=venue_id,
            holidays=frozenset(args.holiday),
            topic=args.topic,
            max_periods=args.max_periods,
        )
        settings = load_settings(s)
        if args.dry_run:
            planned = plan_sessions(pattern, settings)
            sums = totals(planned, settings)
        else:
            planned = build_sessions(s, cls, pattern, settings)
            sums = totals(planned, settings)
        code = cls.code
    ctx.out(
        text(
            "{what} {n} 个课次，共 {total} 课时（培训班 {code}）。",
            "{what} {n} sessions, {total} periods (class {code}).",
            what=text("预览：将生成", "Preview: would add") if args.dry_run else text("已生成", "Added"),
            n=sums.sessions,
            total=sums.total_periods,
            code=code,
        )
    )
    return 0


def cmd_rates(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.attendance import class_rates, overall_rate
    from zunyi_trainer.cli.check_commands import find_class
    from zunyi_trainer.idcard import mask
    from zunyi_trainer.settings import load_settings

    reg = ctx.register(create=False)
    with reg.session() as s:
        cls = find_class(s, args.class_ref)
        settings = load_settings(s)
        rates = class_rates(s, cls, settings, as_of=args.as_of)
        names = {e.id: (e.trainee.name, mask(e.trainee.id_number)) for e in cls.enrollments}
        rows = [
            {
                "enrollment_id": eid,
                "trainee": names[eid][0],
                "id_number": names[eid][1],
                "attended_periods": round(r.attended_periods, 2),
                "counted_periods": r.counted_periods,
                "rate": round(r.rate, 4),
                "eligible": r.eligible,
            }
            for eid, r in rates.items()
        ]
        total = overall_rate(rates.values())
    if args.json:
        ctx.json({"class": cls.code, "threshold": settings.attendance_threshold, "class_rate": round(total, 4), "trainees": rows})
        return 0
    for r in rows:
        mark = "" if r["eligible"] else text("  未达标", "  below")
        ctx.out(f"{r['trainee']:<6} {r['id_number']}  {r['attended_periods']:g}/{r['counted_periods']}  {r['rate']:.1%}{mark}")
    ctx.out(
        text(
            "全班出勤率 {rate:.1%}，补贴门槛 {t:.0%}，{n} 人未达标。",
            "Class rate {rate:.1%}; threshold {t:.0%}; {n} below it.",
            rate=total,
            t=settings.attendance_threshold,
            n=sum(1 for r in rows if not r["eligible"]),
        )
    )
    return 0


def cmd_subsidy(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.cli.check_commands import find_class
    from zunyi_trainer.settings import load_settings
    from zunyi_trainer.subsidy import apply_subsidy, class_subsidy, reason_text

    reg = ctx.register(create=False)
    with reg.transaction() as s:
        cls = find_class(s, args.class_ref)
        settings = load_settings(s)
        summary = (apply_subsidy if args.apply else class_subsidy)(s, cls, settings)
        data = summary.to_dict()
    if args.json:
        ctx.json(data)
        return 0
    for r in data["rows"]:
        why = "、".join(reason_text(c) for c in r["reasons"]) if r["reasons"] else ""
        ctx.out(f"{r['trainee']:<6} {r['rate']:.1%}  {r['amount_fen'] / 100:>9,.2f}  {why}")
    ctx.out(
        text(
            "{code}：{e}/{n} 人符合补贴条件，标准 {std:,.2f} 元/人，合计 {total:,.2f} 元。{applied}",
            "{code}: {e} of {n} eligible at {std:,.2f} yuan each, {total:,.2f} yuan in all. {applied}",
            code=data["class"],
            e=data["eligible"],
            n=data["trainees"],
            std=data["standard_fen"] / 100,
            total=data["total_fen"] / 100,
            applied=text("已写入各学员。", "Written to each trainee.") if args.apply else "",
        )
    )
    return 0


def cmd_changes(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.cli.check_commands import find_class
    from zunyi_trainer.lifecycle import changes_after_approval
    from zunyi_trainer.timeutil import format_local

    reg = ctx.register(create=False)
    with reg.session() as s:
        cls = find_class(s, args.class_ref)
        rows = [
            {
                "id": ev.id,
                "at": ev.at.isoformat(),
                "actor": ev.actor,
                "action": ev.action,
                "table": ev.table_name,
                "record": ev.record_key,
                "changes": json.loads(ev.changes),
                "_local": format_local(ev.at),
            }
            for ev in changes_after_approval(s, cls)
        ]
    if args.json:
        ctx.json([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
        return 0
    if not rows:
        ctx.out(text("批准后没有改动。", "No changes after the approval."))
        return 0
    for r in rows:
        ctx.out(f"{r['_local']}  {r['actor']}  {r['action']} {r['table']}  {json.dumps(r['changes'], ensure_ascii=False)}")
    return 0
