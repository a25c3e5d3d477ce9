"""The command line: ``zunyi-trainer [--data-dir DIR] COMMAND``.

A contract other parts and users rely on. Exit codes: 0 done, 1 refused or failed with a message
that says why, 2 usage. Without a command the desktop app opens.

Each group of commands lives in its own module with a ``register(subparsers)`` function that adds
its parsers and sets ``handler`` on them; add new modules to ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from zunyi_trainer import __version__
from zunyi_trainer.cli.context import Context
from zunyi_trainer.errors import ZunyiError, explain_storage_error
from zunyi_trainer.i18n import text

COMMAND_MODULES = (
    "zunyi_trainer.cli.db_commands",
    "zunyi_trainer.cli.demo_commands",
    "zunyi_trainer.cli.institution_commands",
    "zunyi_trainer.cli.class_commands",
    "zunyi_trainer.cli.check_commands",
    "zunyi_trainer.cli.gui_commands",
    "zunyi_trainer.cli.batch_commands",
    "zunyi_trainer.cli.docs_commands",
    "zunyi_trainer.cli.roster_commands",
    "zunyi_trainer.cli.county_commands",
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

log = logging.getLogger("zunyi_trainer.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2 with the usage line
        self.print_usage(sys.stderr)
        sys.stderr.write(text("用法错误：{m}\n", "usage error: {m}\n", m=message))
        raise SystemExit(EXIT_USAGE)


_GLOBAL_WITH_VALUE = ("--data-dir", "--database-url")


def _command_of(argv: Sequence[str]) -> str | None:
    """The command word in ``argv`` (None when there is none), found without importing every
    command module: opening the window should not pay for loading the Excel, PDF and exchange code."""
    args = iter(argv)
    for arg in args:
        if arg in _GLOBAL_WITH_VALUE:
            next(args, None)
        elif arg.startswith("-"):
            continue
        else:
            return arg
    return None


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="zunyi-trainer",
        description=text(
            "遵义民办职业培训学校管理台账。不带命令时打开桌面程序。",
            "The register of a private vocational training school in Zunyi. Without a command, the desktop app opens.",
        ),
    )
    parser.add_argument("--version", action="version", version=f"zunyi-trainer {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=text("在临时文件夹中自检全部功能后退出", "check every part of the app in a temporary folder, then exit"),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=text("数据目录（也可用环境变量 ZUNYI_TRAINER_HOME）", "data directory (or ZUNYI_TRAINER_HOME)"),
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help=text(
            "改用 PostgreSQL 数据库（如 postgresql+psycopg://用户@主机/库；也可用 ZUNYI_TRAINER_DATABASE_URL）",
            "use a PostgreSQL database instead of the SQLite file (or ZUNYI_TRAINER_DATABASE_URL)",
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _command_of(argv) in (None, "gui") and not {"-h", "--help"} & set(argv):
        parser = build_parser(["zunyi_trainer.cli.gui_commands"])
    else:
        parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from zunyi_trainer.selftest import run_self_test

        return run_self_test()
    ctx = Context(args.data_dir, args.database_url)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command is None:
            from zunyi_trainer.cli.gui_commands import launch_gui

            return launch_gui(ctx, screenshot=None)
        parser.parse_args([*(argv or []), "--help"])
        return EXIT_USAGE
    ctx.setup_logging()
    try:
        return int(handler(args, ctx) or EXIT_OK)
    except ZunyiError as exc:
        log.info("refused: %s (%s)", exc.code, exc.en)
        print(exc.message(), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(text("已中断，未完成的操作没有写入。", "Interrupted; nothing unfinished was written."), file=sys.stderr)
        return 130
    except Exception as exc:
        log.exception("unexpected error in %s", args.command)
        storage = explain_storage_error(exc)
        if storage is not None:
            print(storage.message(), file=sys.stderr)
            return EXIT_FAILED
        print(
            text(
                "发生了意外错误，操作没有完成，已完成的数据不受影响。详细信息已写入日志：{log}",
                "Something unexpected went wrong; the operation did not complete and earlier data is "
                "unaffected. Details are in the log: {log}",
                log=str(ctx.log_file),
            ),
            file=sys.stderr,
        )
        return EXIT_FAILED
    finally:
        ctx.close()


def main(argv: Sequence[str] | None = None) -> None:
    raise SystemExit(run(sys.argv[1:] if argv is None else argv))
