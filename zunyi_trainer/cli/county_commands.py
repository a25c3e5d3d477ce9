"""``county keys | ingest | decide | return | report``: the county bureau gathering schools' batches.

Run against the county database: ``--database-url postgresql+psycopg://…`` (or
``ZUNYI_TRAINER_DATABASE_URL``), or a data dir of its own for a SQLite trial (docs/county.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from zunyi_trainer.cli.context import Context
from zunyi_trainer.cli.progress import ProgressBar
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.i18n import text
from zunyi_trainer.timeutil import format_local


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("county", help=text("县人社局：汇集各校批次、批复、回执、统计", "the county: gather schools' batches"))
    csub = p.add_subparsers(dest="county_command", metavar="ACTION", required=True)

    keys = csub.add_parser("keys", help=text("各校登记的签名公钥", "the schools' registered keys"))
    ksub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    ka = ksub.add_parser("add", help=text("登记学校的公钥", "register a school's key"))
    ka.add_argument("uscc", metavar="USCC", help=text("学校的统一社会信用代码", "the school's USCC"))
    ka.add_argument("key", metavar="KEY", help=text("公钥文件或指纹（SHA256:…）", "public key file or fingerprint"))
    ka.add_argument("--name", default="", help=text("学校名称", "the school's name"))
    ka.add_argument(
        "--replace", action="store_true", help=text("学校更换了密钥时替换已登记的公钥", "replace the key registered before")
    )
    ka.set_defaults(handler=cmd_keys_add)
    kl = ksub.add_parser("list", help=text("列出已登记的学校", "list registered schools"))
    kl.add_argument("--json", action="store_true")
    kl.set_defaults(handler=cmd_keys_list)

    ing = csub.add_parser("ingest", help=text("校验并接收学校的批次", "verify and take in schools' batches"))
    ing.add_argument(
        "files",
        metavar="BATCH.zip",
        nargs="+",
        help=text("批次文件，或存放批次的文件夹（如 U 盘）", "batch files, or folders holding them"),
    )
    ing.add_argument("--json", action="store_true")
    ing.set_defaults(handler=cmd_ingest)

    bat = csub.add_parser("batches", help=text("列出已接收的批次", "list the batches taken in"))
    bat.add_argument("uscc", metavar="USCC", nargs="?", help=text("只列这所学校", "only this school"))
    bat.add_argument("--json", action="store_true")
    bat.set_defaults(handler=cmd_batches)

    dec = csub.add_parser(
        "decide",
        help=text("登记对报审培训班的批复", "enter a decision on a submitted class"),
        description=text(
            "培训班可用其标识（UUID）或“学校统一社会信用代码 培训班编号”指定。",
            "Name the class by its UUID, or by the school's USCC and the class code.",
        ),
    )
    dec.add_argument("target", metavar="CLASS_UUID|USCC")
    dec.add_argument("rest", metavar="[CODE] approved|rejected", nargs="+")
    dec.add_argument("--approval-no", default="", help=text("批文号", "approval number"))
    dec.add_argument("--approver", default="", help=text("审批单位", "approving body"))
    dec.add_argument("--decided-on", metavar="YYYY-MM-DD", help=text("批复日期（默认今天）", "date (default today)"))
    dec.add_argument("--reason", default="", help=text("不予批准的原因或批准的备注", "reason or remarks"))
    dec.set_defaults(handler=cmd_decide)

    dl = csub.add_parser("decisions", help=text("列出已登记的批复及其去向", "list decisions and where they stand"))
    dl.add_argument("uscc", metavar="USCC", nargs="?", help=text("只列这所学校", "only this school"))
    dl.add_argument("--json", action="store_true")
    dl.set_defaults(handler=cmd_decisions)

    ret = csub.add_parser("return", help=text("为学校生成回执文件", "write a school's return file"))
    ret.add_argument("uscc", metavar="USCC")
    ret.add_argument("-o", "--output", metavar="FILE.json", required=True)
    ret.add_argument("--issuer", default="", help=text("发文单位", "issuing office"))
    ret.add_argument(
        "--resend",
        action="store_true",
        help=text("回执丢失时：把已发出、学校仍未登记的批复再放进去", "a lost return file: put decisions already sent in again"),
    )
    ret.set_defaults(handler=cmd_return)

    rep = csub.add_parser("report", help=text("年度县域统计报告", "the county's yearly report"))
    rep.add_argument("--year", type=int, required=True)
    rep.add_argument("-o", "--output", metavar="FILE.xlsx|FILE.pdf", required=True)
    rep.add_argument(
        "--overdue-days",
        type=int,
        default=35,
        help=text("最近批次超过多少天算逾期（默认 35）", "days after which a school's batches are overdue (35)"),
    )
    rep.add_argument("--as-of", metavar="YYYY-MM-DD", help=text("统计截止日（默认今天）", "reckon as of this day"))
    rep.set_defaults(handler=cmd_report)


def _county(ctx: Context):
    from zunyi_trainer import paths
    from zunyi_trainer.county.state import refuse_school_register

    url = ctx.database_url or ""
    if url.startswith("sqlite"):
        # open_register keeps a SQLite register in the data dir's own file, whatever the URL says.
        named = sa.engine.make_url(url).database or ""
        own = paths.register_path(ctx.data_dir)
        if not named or Path(named).expanduser().resolve() != own.resolve():
            raise ValidationError(
                "SQLite 的县局数据库就是数据目录中的 {own}。请用 --data-dir 指定县局自己的数据目录，不要用 --database-url {url}。",
                "A SQLite county database is the data dir's {own}. Give the county a data dir of its own with "
                "--data-dir rather than --database-url {url}.",
                field="database_url",
                code="county.sqlite_url",
                own=str(own),
                url=url,
            )
    reg = ctx.register(create=True)
    refuse_school_register(reg)
    return reg


def _date(value: str | None, field: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            "日期“{v}”无法识别，请写成 YYYY-MM-DD，如 2026-03-10。",
            "The date “{v}” cannot be read; write it as YYYY-MM-DD, e.g. 2026-03-10.",
            field=field,
            v=value,
        ) from None


def cmd_keys_add(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.county.keys import add_key

    key = add_key(_county(ctx), args.uscc, args.key, name=args.name, replace=args.replace)
    ctx.out(
        text("已登记学校 {uscc} 的公钥：{fp}", "Registered the key of school {uscc}: {fp}", uscc=key.uscc, fp=key.fingerprint)
    )
    return 0


def cmd_keys_list(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.county.keys import list_keys

    keys = list_keys(_county(ctx))
    if args.json:
        ctx.json(
            [
                {
                    "uscc": k.uscc,
                    "name": k.name,
                    "fingerprint": k.fingerprint,
                    "registered_at": k.registered_at.isoformat(),
                    "batches": k.batches,
                    "last_seq": k.last_seq,
                    "last_ingested_at": k.last_ingested_at.isoformat() if k.last_ingested_at else None,
                }
                for k in keys
            ]
        )
        return 0
    if not keys:
        ctx.out(text("还没有登记任何学校。", "No school has been registered yet."))
        return 0
    for k in keys:
        last = (
            text("最近批次 {seq}（{at}）", "last batch {seq} ({at})", seq=k.last_seq, at=format_local(k.last_ingested_at))
            if k.last_seq
            else text("尚未收到批次", "no batch yet")
        )
        ctx.out(f"{k.uscc}  {k.name}  {k.fingerprint}  {last}")
    return 0


def cmd_ingest(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.county.ingest import REFUSED, ingest_batches

    reg = _county(ctx)
    bar = ProgressBar(text("接收批次", "Ingesting"))
    results = ingest_batches(reg, [Path(f).expanduser() for f in args.files], progress=bar)
    if args.json:
        ctx.json([r.to_dict() for r in results])
    else:
        for r in results:
            line = f"{r.path.name}: {r.message}"
            (ctx.warn if r.status == REFUSED else ctx.out)(line)
    refused = sum(1 for r in results if r.status == REFUSED)
    if not args.json and len(results) > 1:
        ctx.out(
            text(
                "共 {n} 个批次：接收 {a} 个，重复 {r} 个，拒绝 {x} 个。",
                "{n} batches: {a} taken in, {r} replays, {x} refused.",
                n=len(results),
                a=sum(1 for r in results if r.status == "accepted"),
                r=sum(1 for r in results if r.status == "replay"),
                x=refused,
            )
        )
    return 1 if refused else 0


def cmd_batches(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.county.ingest import received_batches

    batches = received_batches(_county(ctx), args.uscc)
    if args.json:
        ctx.json(
            [
                {
                    "uscc": b.uscc,
                    "seq": b.seq,
                    "kind": b.kind,
                    "sha256": b.sha256,
                    "created_at": b.created_at.isoformat() if b.created_at else None,
                    "ingested_at": b.ingested_at.isoformat(),
                    "filename": b.filename,
                    "applied": b.applied,
                }
                for b in batches
            ]
        )
        return 0
    if not batches:
        ctx.out(text("还没有接收任何批次。", "No batch has been taken in yet."))
        return 0
    for b in batches:
        changed = {k: sum(t.get(k, 0) for t in b.applied.values()) for k in ("inserted", "updated", "deleted")}
        ctx.out(
            f"{b.uscc}  {b.seq:>4}  {b.kind:<11}  {format_local(b.created_at)}  {format_local(b.ingested_at)}  "
            + text(
                "新增 {inserted} 更新 {updated} 删除 {deleted}",
                "+{inserted} ~{updated} -{deleted}",
                **changed,
            )
            + f"  {b.sha256[:16]}…"
        )
    return 0


def cmd_decide(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.county.decisions import enter_decision

    if len(args.rest) == 1:
        code, decision = None, args.rest[0]
    elif len(args.rest) == 2:
        code, decision = args.rest
    else:
        raise ValidationError(
            "用法：county decide 培训班UUID approved|rejected，或 county decide 统一社会信用代码 培训班编号 approved|rejected。",
            "Usage: county decide CLASS_UUID approved|rejected, or county decide USCC CODE approved|rejected.",
        )
    d = enter_decision(
        _county(ctx),
        args.target,
        code,
        decision,
        approval_no=args.approval_no,
        decided_on=_date(args.decided_on, "decided_on"),
        approver=args.approver,
        reason=args.reason,
    )
    ctx.out(
        text(
            "已登记批复：学校 {uscc} 培训班 {code} {d}（{day}）。生成回执：zunyi-trainer county return {uscc} -o 文件",
            "Decision entered: school {uscc} class {code} {d} ({day}). Write the return: zunyi-trainer county return {uscc} -o FILE",
            uscc=d.uscc,
            code=d.class_code,
            d=text("批准", "approved") if d.decision == "approved" else text("不予批准", "rejected"),
            day=d.decided_on.isoformat(),
        )
    )
    return 0


def cmd_decisions(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.county.decisions import list_decisions

    rows = list_decisions(_county(ctx), args.uscc)
    if args.json:
        ctx.json(
            [
                {
                    "uscc": r.uscc,
                    "class_code": r.class_code,
                    "decision": r.decision,
                    "approval_no": r.approval_no,
                    "decided_on": r.decided_on.isoformat(),
                    "approver": r.approver,
                    "reason": r.reason,
                    "entered_at": r.entered_at.isoformat(),
                    "returned_at": r.returned_at.isoformat() if r.returned_at else None,
                    "class_status": r.class_status.value if r.class_status else None,
                    "state": r.state,
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        ctx.out(text("还没有登记任何批复。", "No decision has been entered yet."))
        return 0
    for r in rows:
        verdict = text("批准", "approved") if r.decision == "approved" else text("不予批准", "rejected")
        ctx.out(f"{r.uscc}  {r.class_code}  {verdict}  {r.decided_on.isoformat()}  {r.approval_no or r.reason}  {r.state_label}")
    return 0


def cmd_return(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.county.decisions import write_return

    written = write_return(_county(ctx), args.uscc, Path(args.output), issuer=args.issuer, resend=args.resend)
    ctx.out(
        text(
            "回执已写入 {p}：{n} 项批复，确认 {a} 个批次。",
            "The return file was written to {p}: {n} decisions, {a} batches acknowledged.",
            p=str(written.path),
            n=written.decisions,
            a=written.acknowledged,
        )
    )
    return 0


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.county.report import build_report, write_report

    reg = _county(ctx)
    bar = ProgressBar(text("统计", "Reckoning"))
    report = build_report(reg, args.year, overdue_days=args.overdue_days, as_of=_date(args.as_of, "as_of"), progress=bar)
    with reg.session() as s:
        path = write_report(report, Path(args.output), fonts_session=s)
    total = report.total
    ctx.out(
        text(
            "报告已写入 {p}：{n} 所学校，培训 {t} 人次，需跟进 {f} 所。",
            "The report was written to {p}: {n} schools, {t} trainees trained, {f} to follow up.",
            p=str(path),
            n=len(report.schools),
            t=total.trained,
            f=len(report.follow_up),
        )
    )
    return 0
