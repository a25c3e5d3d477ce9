"""``check CLASS [--json]`` and ``check --school [--json]``: the plan's rules, as findings."""

from __future__ import annotations

import argparse
import contextlib
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer.cli.context import Context
from zunyi_trainer.errors import NotFound, ValidationError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import Institution, TrainingClass
from zunyi_trainer.rules import Finding

EXIT_BLOCKED = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help=text("按方案规则检查培训班或全校", "check a class or the whole school against the plan's rules"),
    )
    p.add_argument("class_ref", nargs="?", metavar="CLASS", help=text("培训班编号（或 UUID）", "class code (or UUID)"))
    p.add_argument("--school", action="store_true", help=text("检查全校范围的规则", "run the school-wide checks"))
    p.add_argument("--rules", action="store_true", help=text("列出所有检查规则", "list every rule that is checked"))
    p.add_argument("--json", action="store_true", help=text("以 JSON 输出", "print JSON"))
    p.add_argument(
        "--strict",
        action="store_true",
        help=text("有阻止性问题时以状态 1 退出", "exit 1 when a blocking finding exists"),
    )
    p.set_defaults(handler=cmd_check)


def find_class(s: Session, ref: str) -> TrainingClass:
    """A class by its code or UUID, or NotFound naming what was looked for."""
    ref = ref.strip()
    q = sa.select(TrainingClass).where(TrainingClass.code == ref)
    with contextlib.suppress(ValueError):
        q = sa.select(TrainingClass).where(sa.or_(TrainingClass.code == ref, TrainingClass.uuid == uuid.UUID(ref)))
    found = s.scalars(q).all()
    if not found:
        raise NotFound(
            "没有编号为“{ref}”的培训班。可用 zunyi-trainer class list 查看所有培训班。",
            "No class with the code “{ref}”. See zunyi-trainer class list.",
            ref=ref,
        )
    return found[0]


def the_institution(s: Session) -> Institution:
    inst = s.scalars(sa.select(Institution).order_by(Institution.id)).first()
    if inst is None:
        raise NotFound("登记册中还没有学校信息。", "The register has no school profile yet.")
    return inst


def print_findings(ctx: Context, findings: list[Finding], *, as_json: bool, heading: str) -> None:
    if as_json:
        ctx.json([f.to_dict() for f in findings])
        return
    ctx.out(heading)
    if not findings:
        ctx.out(text("  未发现问题。", "  No findings."))
        return
    blocks = sum(1 for f in findings if f.blocks)
    for f in findings:
        mark = text("【阻止】", "[blocks]") if f.blocks else text("【提醒】", "[warns] ")
        ctx.out(f"  {mark} {f.message}  ({f.code})")
    ctx.out(
        text(
            "共 {n} 项：{b} 项须先解决（阻止），{w} 项提醒。",
            "{n} findings: {b} blocking, {w} warnings.",
            n=len(findings),
            b=blocks,
            w=len(findings) - blocks,
        )
    )


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.rules import CATALOGUE, check_class, check_school

    if args.rules:
        rows = [
            {"code": r.code, "severity": r.severity, "scope": r.scope, "item": r.item, "description": r.description}
            for r in CATALOGUE
        ]
        if args.json:
            ctx.json(rows)
            return 0
        for r in rows:
            mark = text("阻止", "blocks") if r["severity"] == "blocks" else text("提醒", "warns")
            ctx.out(f"{r['code']:<32} {mark}  {text('第{n}条', 'item {n}', n=r['item']):<8} {r['description']}")
        return 0
    if bool(args.school) == bool(args.class_ref):
        raise ValidationError(
            "请指定一个培训班编号，或使用 --school 检查全校（二者选一）。",
            "Name one class, or use --school for the school-wide checks (one of the two).",
            code="check.usage",
        )
    reg = ctx.register(create=False)
    with reg.session() as s:
        if args.school:
            inst = the_institution(s)
            findings = check_school(s, inst)
            heading = text("全校检查：{name}", "School checks: {name}", name=inst.name)
        else:
            cls = find_class(s, args.class_ref)
            findings = check_class(s, cls)
            heading = text(
                "培训班 {code}（{name}，{status}）检查结果：",
                "Checks of class {code} ({name}, {status}):",
                code=cls.code,
                name=cls.name,
                status=cls.status.label,
            )
    print_findings(ctx, findings, as_json=args.json, heading=heading)
    if args.strict and any(f.blocks for f in findings):
        return EXIT_BLOCKED
    return 0
