"""``demo [--seed N] [--scale N]``."""

from __future__ import annotations

import argparse

import sqlalchemy as sa

from zunyi_trainer import paths
from zunyi_trainer.cli.context import Context
from zunyi_trainer.cli.progress import ProgressBar
from zunyi_trainer.demo import fill_demo
from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import Enrollment, Trainee, TrainingClass


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help=text("在新登记册中生成一所演示学校", "fill a new register with a demo school"))
    p.add_argument(
        "--seed", type=int, default=2026, help=text("随机种子（相同种子生成相同数据）", "random seed (same seed, same data)")
    )
    p.add_argument("--scale", type=int, default=1, help=text("放大倍数（用于性能测试）", "make it N times larger (benchmarks)"))
    p.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    if args.scale < 1 or args.scale > 1000:
        raise ZunyiError("--scale 应在 1 到 1000 之间。", "--scale must be between 1 and 1000.", code="usage")
    if not ctx.database_url and paths.register_path(ctx.data_dir).exists():
        raise ZunyiError(
            "{p} 已有登记册，演示数据不会覆盖它。请用 --data-dir 指定一个新的目录。",
            "{p} already holds a register; the demo will not overwrite it. Choose a new --data-dir.",
            code="demo.exists",
            p=str(paths.register_path(ctx.data_dir)),
        )
    reg = ctx.register(create=True)
    bar = ProgressBar(text("生成演示数据", "Building the demo"))
    fill_demo(reg, seed=args.seed, scale=args.scale, progress=bar)
    with reg.session() as s:
        n_classes = s.scalar(sa.select(sa.func.count()).select_from(TrainingClass))
        n_trainees = s.scalar(sa.select(sa.func.count()).select_from(Trainee))
        n_enrol = s.scalar(sa.select(sa.func.count()).select_from(Enrollment))
    ctx.out(
        text(
            "演示登记册已建好：{c} 个培训班，{t} 名学员，{e} 人次报名。位置：{p}",
            "The demo register is ready: {c} classes, {t} trainees, {e} enrolments. At: {p}",
            c=n_classes,
            t=n_trainees,
            e=n_enrol,
            p=str(reg.path),
        )
    )
    return 0
