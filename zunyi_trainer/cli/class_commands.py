"""``class list`` (the lifecycle commands join here)."""

from __future__ import annotations

import argparse

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from zunyi_trainer.cli.context import Context
from zunyi_trainer.i18n import text
from zunyi_trainer.models import ClassStatus, TrainingClass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("class", help=text("培训班", "training classes"))
    csub = p.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    lst = csub.add_parser("list", help=text("列出培训班", "list classes"))
    lst.add_argument("--status", choices=[s.value for s in ClassStatus])
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)


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
