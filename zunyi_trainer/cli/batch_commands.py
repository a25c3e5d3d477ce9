"""``batch export | list | verify | key`` and ``county-return import``: the exchange with the county."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import sqlalchemy as sa

from zunyi_trainer import paths
from zunyi_trainer.cli.context import Context
from zunyi_trainer.cli.progress import ProgressBar
from zunyi_trainer.errors import NotFound, RegisterLocked
from zunyi_trainer.i18n import text
from zunyi_trainer.models import BatchKind, BatchState, ExportBatch, Institution
from zunyi_trainer.timeutil import format_local


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batch", help=text("给县人社局的数据批次", "data batches for the county"))
    bsub = p.add_subparsers(dest="batch_command", metavar="ACTION", required=True)

    e = bsub.add_parser("export", help=text("导出下一个批次（默认增量）", "export the next batch (incremental by default)"))
    e.add_argument(
        "-o", "--output", metavar="DIR", required=True, help=text("写入的目录（如 U 盘）", "folder to write to (a USB stick)")
    )
    e.add_argument("--full", action="store_true", help=text("导出全部数据（全量批次）", "carry everything (a full batch)"))
    e.add_argument(
        "--no-documents",
        action="store_true",
        help=text("不生成培训班文书（PDF），导出更快", "leave out the class documents (PDFs); faster"),
    )
    e.add_argument(
        "--again",
        metavar="SEQ",
        type=int,
        help=text("把已导出的批次 SEQ 原样再写一份（U 盘丢失时）", "write batch SEQ again, byte for byte (a lost stick)"),
    )
    e.set_defaults(handler=cmd_export)

    lst = bsub.add_parser("list", help=text("列出已导出的批次及其状态", "list exported batches and their state"))
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)

    v = bsub.add_parser("verify", help=text("像县局一样校验批次文件", "check a batch file as the county would"))
    v.add_argument("file", metavar="FILE")
    v.add_argument(
        "--pubkey",
        metavar="KEY",
        help=text("登记的学校公钥文件或其指纹（SHA256:…）", "the school's registered public key file or its fingerprint"),
    )
    v.add_argument(
        "--previous",
        metavar="EARLIER",
        action="append",
        default=[],
        help=text("已接收的早先批次文件（可多次给出），用于核对序号和哈希链", "an earlier batch already received (repeatable)"),
    )
    v.add_argument("--json", action="store_true")
    v.set_defaults(handler=cmd_verify)

    k = bsub.add_parser("key", help=text("显示本校签名公钥的指纹", "show the fingerprint of the school's signing key"))
    k.add_argument("--export", metavar="FILE", help=text("另存公钥文件", "also write the public key to FILE"))
    k.set_defaults(handler=cmd_key)

    r = sub.add_parser("county-return", help=text("县人社局的回执（批复和确认）", "the county's return files"))
    rsub = r.add_subparsers(dest="return_command", metavar="ACTION", required=True)
    i = rsub.add_parser("import", help=text("导入回执文件", "import a return file"))
    i.add_argument("file", metavar="FILE")
    i.set_defaults(handler=cmd_return_import)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.exchange.export import export_batch, redeliver

    reg = ctx.register(create=False)
    out = Path(args.output).expanduser()
    if args.again is not None:
        path = redeliver(reg, args.again, out)
        ctx.out(
            text("已把批次 {seq} 原样再写一份：{p}", "Batch {seq} was written again, as it was: {p}", seq=args.again, p=str(path))
        )
        return 0
    bar = ProgressBar(text("导出批次", "Exporting"))
    result = export_batch(reg, out, full=args.full, documents=not args.no_documents, progress=bar)
    records = sum(c["records"] for c in result.info.record_counts.values())
    deleted = sum(c["deleted"] for c in result.info.record_counts.values())
    ctx.out(
        text(
            "已导出{kind}批次 {seq}：{p}（{kb} KB，{n} 条记录，{d} 条删除，{a} 个附件，{docs} 份文书）",
            "Exported {kind_en} batch {seq}: {p} ({kb} KB, {n} records, {d} deletions, {a} attachments, {docs} documents)",
            kind=result.kind.zh,
            kind_en=result.kind.en.lower(),
            seq=result.seq,
            p=str(result.path),
            kb=max(1, result.size // 1024),
            n=records,
            d=deleted,
            a=result.info.attachments,
            docs=result.info.documents,
        )
    )
    ctx.out(f"SHA-256: {result.sha256}")
    ctx.out(text("签名密钥指纹：{fp}", "Signing key fingerprint: {fp}", fp=result.info.fingerprint))
    for note in result.info.notes:
        ctx.warn(note)
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    reg = ctx.register(create=False)
    with reg.session() as s:
        batches = s.scalars(sa.select(ExportBatch).order_by(ExportBatch.institution_id, ExportBatch.seq)).all()
        rows = [
            {
                "seq": b.seq,
                "kind": b.kind.value,
                "state": b.state.value,
                "created_at": b.created_at.isoformat(),
                "acknowledged_at": b.acknowledged_at.isoformat() if b.acknowledged_at else None,
                "changes": [b.after_change + 1, b.through_change],
                "filename": b.filename,
                "size": b.size,
                "sha256": b.sha256,
                "record_counts": json.loads(b.record_counts or "{}"),
            }
            for b in batches
        ]
        labels = [(b.kind, b.state, b.created_at, b.acknowledged_at) for b in batches]
    if args.json:
        ctx.json(rows)
        return 0
    if not rows:
        ctx.out(text("还没有导出过批次。", "No batch has been exported yet."))
        return 0
    for r, (kind, state, created, acked) in zip(rows, labels, strict=True):
        line = f"{r['seq']:>4}  {BatchKind(kind).label:<4} {format_local(created)}  {BatchState(state).label:<6}"
        if acked:
            line += f" {format_local(acked)}"
        ctx.out(f"{line}  {r['filename']}  {r['sha256'][:16]}…")
    return 0


def cmd_verify(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.exchange.verify import check_against_exported, known_from_batches, verify_batch

    uscc, known = known_from_batches(args.previous, pubkey=args.pubkey) if args.previous else (None, {})
    report = verify_batch(args.file, pubkey=args.pubkey, known=known or None, known_uscc=uscc)
    recorded = False
    if not args.previous and paths.register_path(ctx.data_dir).exists():
        # On the school's machine the register knows what it exported: check the batch against it.
        try:
            reg = ctx.register(create=False)
        except RegisterLocked:
            ctx.warn(
                text(
                    "登记册正被桌面程序使用，未与本校记录的批次核对。",
                    "The register is open in the desktop app; the batch was not checked against the school's records.",
                )
            )
        else:
            with reg.session() as s:
                exported = dict(
                    s.execute(
                        sa.select(ExportBatch.seq, ExportBatch.sha256)
                        .join(Institution, Institution.id == ExportBatch.institution_id)
                        .where(Institution.uscc == report.uscc)
                    ).all()
                )
            recorded = check_against_exported(report, exported)
    if args.json:
        ctx.json(
            {
                "ok": True,
                "uscc": report.uscc,
                "seq": report.seq,
                "kind": report.kind,
                "sha256": report.sha256,
                "prev_sha256": report.prev_sha256,
                "fingerprint": report.fingerprint,
                "key_pinned": report.key_pinned,
                "chain_checked": report.chain_checked,
                "recorded_in_register": recorded,
                "record_counts": report.record_counts,
            }
        )
        return 0
    records = sum(c["records"] for c in report.record_counts.values())
    deleted = sum(c["deleted"] for c in report.record_counts.values())
    ctx.out(
        text(
            "批次校验通过：{name}（{uscc}）批次 {seq}，{n} 条记录，{d} 条删除。",
            "The batch is valid: {name} ({uscc}) batch {seq}, {n} records, {d} deletions.",
            name=report.institution_name,
            uscc=report.uscc,
            seq=report.seq,
            n=records,
            d=deleted,
        )
    )
    ctx.out(f"SHA-256: {report.sha256}")
    ctx.out(text("签名密钥指纹：{fp}", "Signing key fingerprint: {fp}", fp=report.fingerprint))
    if report.key_pinned:
        ctx.out(text("签名密钥与登记的公钥一致。", "The signing key matches the registered key."))
    else:
        ctx.out(
            text(
                "未指定登记的公钥（--pubkey），只用批次自带的公钥核对了签名。",
                "No registered key was given (--pubkey); the signature was checked with the key in the batch only.",
            )
        )
    if recorded:
        ctx.out(
            text(
                "序号和哈希链已与本校登记册中记录的批次核对，相符。",
                "The sequence and hash chain were checked against the batches recorded in this school's register.",
            )
        )
    elif not report.chain_checked:
        ctx.out(
            text(
                "没有给出早先的批次（--previous），未核对序号和哈希链。",
                "No earlier batches were given (--previous); the sequence and hash chain were not checked.",
            )
        )
    return 0


def cmd_key(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.exchange import signing

    if not paths.register_path(ctx.data_dir).exists():  # the key belongs with a register
        raise NotFound(
            "在 {base} 中没有找到登记册，签名密钥只为登记册所在的数据目录生成。",
            "No register in {base}; the signing key is made for the data dir of a register.",
            base=str(ctx.data_dir),
        )
    # The register itself is not opened: the key can be shown while the desktop app is open.
    key = signing.load_or_create_key(ctx.data_dir).public_key()
    ctx.out(text("本校签名公钥指纹：", "The school's signing key fingerprint:"))
    ctx.out(signing.fingerprint(key))
    ctx.out(
        text(
            "请把这个指纹报县人社局登记；县局用它核对本校的批次。",
            "Register this fingerprint with the county; it checks the school's batches against it.",
        )
    )
    if args.export:
        target = Path(args.export).expanduser()
        target.write_bytes(signing.public_pem(key))
        ctx.out(text("公钥已写入 {p}", "The public key was written to {p}", p=str(target)))
    return 0


def cmd_return_import(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.exchange.county_return import import_return

    reg = ctx.register(create=False)
    result = import_return(reg, Path(args.file).expanduser())
    if result.already_imported:
        ctx.out(text("这份回执已经导入过，没有任何改动。", "This return file was imported before; nothing changed."))
        return 0
    for code, decision in result.decisions:
        ctx.out(
            text(
                "培训班 {code}：{d}",
                "Class {code}: {d}",
                code=code,
                d=text("已批准", "approved") if decision == "approved" else text("未通过", "rejected"),
            )
        )
    if result.acknowledged:
        ctx.out(
            text(
                "县局已确认收到批次：{seqs}",
                "The county acknowledged batches: {seqs}",
                seqs=", ".join(str(n) for n in result.acknowledged),
            )
        )
    ctx.out(
        text(
            "回执已导入：{n} 项批复，{a} 个批次确认。",
            "The return file was imported: {n} decisions, {a} acknowledgements.",
            n=len(result.decisions),
            a=len(result.acknowledged),
        )
    )
    return 0
