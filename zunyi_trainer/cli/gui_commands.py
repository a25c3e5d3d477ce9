"""``gui [--screenshot FILE]``, and the default when no command is given."""

from __future__ import annotations

import argparse

from zunyi_trainer.cli.context import Context
from zunyi_trainer.i18n import text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help=text("打开桌面程序", "open the desktop app"))
    p.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help=text("打开主窗口、保存截图后退出", "open the main window, save a screenshot and exit"),
    )
    # For the startup benchmark: print "painted" and "loaded" as the screenshot mode gets there.
    p.add_argument("--report-paint", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(handler=lambda args, ctx: launch_gui(ctx, screenshot=args.screenshot, report_paint=args.report_paint))


def launch_gui(ctx: Context, screenshot: str | None, report_paint: bool = False) -> int:
    from zunyi_trainer.gui.app import run_app  # Qt only loads when the window is wanted

    return run_app(ctx.data_dir, screenshot=screenshot, report_paint=report_paint)
