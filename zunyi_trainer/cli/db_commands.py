"""``db check | backup | backups | restore | upgrade | verify-audit``."""

from __future__ import annotations

import argparse
from pathlib import Path

from zunyi_trainer import audit, paths
from zunyi_trainer.backups import list_backups, restore_backup
from zunyi_trainer.cli.context import Context
from zunyi_trainer.cli.progress import ProgressBar
from zunyi_trainer.db import check_register, open_register
from zunyi_trainer.errors import BackupError
from zunyi_trainer.i18n import text
from zunyi_trainer.lockfile import RegisterLock


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help=text("登记册的检查、备份、恢复和升级", "check, back up, restore, upgrade the register"))
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    p = dbsub.add_parser("check", help=text("检查登记册是否完好（完好时退出码为 0）", "check the register (exit 0 when healthy)"))
    p.set_defaults(handler=cmd_check)

    p = dbsub.add_parser("backup", help=text("立即备份", "back up now"))
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=text("备份文件（默认放在数据目录的 backups 中）", "backup file (default: backups/ in the data dir)"),
    )
    p.set_defaults(handler=cmd_backup)

    p = dbsub.add_parser("backups", help=text("列出备份", "list backups"))
    p.set_defaults(handler=cmd_backups)

    p = dbsub.add_parser(
        "restore", help=text("从备份恢复（当前登记册会先另存）", "restore from a backup (the current register is kept first)")
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_restore)

    p = dbsub.add_parser(
        "upgrade",
        help=text("把登记册升级到本程序的版本（先自动备份）", "upgrade the register to this app's schema (backs up first)"),
    )
    p.set_defaults(handler=cmd_upgrade)

    p = dbsub.add_parser("verify-audit", help=text("校验审计记录的哈希链", "verify the audit trail's hash chain"))
    p.set_defaults(handler=cmd_verify_audit)


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    problems = check_register(ctx.data_dir, ctx.database_url)
    if problems:
        for line in problems:
            ctx.warn(line)
        return 1
    where = ctx.register().location if ctx.database_url else str(paths.register_path(ctx.data_dir))
    ctx.out(text("登记册完好：{p}", "The register is healthy: {p}", p=where))
    return 0


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    reg = ctx.register()
    bar = ProgressBar(text("备份", "Backing up"))
    info = reg.backup("manual", target=Path(args.output).resolve() if args.output else None, progress=bar)
    ctx.out(text("已备份并校验：{p}（{kb} KB）", "Backed up and verified: {p} ({kb} KB)", p=str(info.path), kb=info.size // 1024))
    return 0


def cmd_backups(args: argparse.Namespace, ctx: Context) -> int:
    found = list_backups(paths.backups_dir(ctx.data_dir))
    if not found:
        ctx.out(text("还没有备份。", "No backups yet."))
        return 0
    for b in found:
        ctx.out(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.size // 1024:>8} KB  {b.reason:<12}  {b.path}")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    if ctx.database_url:
        raise BackupError(
            "PostgreSQL 数据库请用 pg_restore 恢复（由数据库管理员操作）。",
            "Restore a PostgreSQL database with pg_restore (the database administrator's job).",
        )
    source = Path(args.file).expanduser().resolve()
    if not source.is_file():
        raise BackupError("找不到备份文件 {p}。", "No backup file at {p}.", p=str(source))
    register_file = paths.register_path(ctx.data_dir)
    with RegisterLock(register_file):
        kept = restore_backup(source, register_file, paths.backups_dir(ctx.data_dir))
    reg = open_register(ctx.data_dir, create=False)  # brings an older backup up to this app's schema
    reg.close()
    ctx.out(text("已从 {src} 恢复登记册。", "The register was restored from {src}.", src=str(source)))
    if kept is not None:
        ctx.out(text("恢复前的登记册保存在：{k}", "The register as it was before is kept at: {k}", k=str(kept)))
    return 0


def cmd_upgrade(args: argparse.Namespace, ctx: Context) -> int:
    reg = ctx.register(create=False)
    rep = reg.report
    if rep.upgraded_to:
        ctx.out(text("已从 {a} 升级到 {b}。", "Upgraded from {a} to {b}.", a=rep.upgraded_from or "-", b=rep.upgraded_to))
        if rep.backup:
            ctx.out(text("升级前的备份：{p}", "Backup taken before the upgrade: {p}", p=str(rep.backup.path)))
    else:
        ctx.out(text("登记册已是最新版本。", "The register is already up to date."))
    return 0


def cmd_verify_audit(args: argparse.Namespace, ctx: Context) -> int:
    reg = ctx.register(create=False)
    with reg.engine.connect() as conn:
        report = audit.verify_chain(conn)
    if report.ok:
        ctx.out(
            text(
                "审计记录完整：共 {n} 条，哈希链一致。",
                "The audit trail is intact: {n} events, hash chain consistent.",
                n=report.events,
            )
        )
        return 0
    ctx.warn(
        text(
            "审计记录第 {id} 条与哈希链不符（{why}），从这一条起记录可能被改动过。",
            "Audit event {id} does not match the chain ({why}); the trail may have been altered from there on.",
            id=report.first_bad_id,
            why=report.reason,
        )
    )
    return 1
