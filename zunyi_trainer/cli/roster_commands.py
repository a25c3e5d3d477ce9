"""``roster template|import|export``, ``attendance export|import``, ``punches import`` and
``export REGISTER -o FILE.xlsx``.

Imports print their report as a table (and write it as JSON with ``--report``); with errors,
nothing is written and the exit code is 1, unless ``--skip-invalid`` imports the valid rows.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from zunyi_trainer.cli.context import Context
from zunyi_trainer.cli.progress import ProgressBar
from zunyi_trainer.i18n import text
from zunyi_trainer.roster.report import ImportRefused, ImportReport


def _group(sub: argparse._SubParsersAction, name: str, help_text: str, dest: str) -> argparse._SubParsersAction:
    """The sub-commands of ``name``; joins a group another module already registered."""
    existing = sub.choices.get(name)
    if existing is not None:
        for action in existing._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
        return existing.add_subparsers(dest=dest, metavar="ACTION", required=True)
    parser = sub.add_parser(name, help=help_text)
    return parser.add_subparsers(dest=dest, metavar="ACTION", required=True)


def _import_options(p: argparse.ArgumentParser, *, corrections: bool = False) -> None:
    p.add_argument(
        "file", metavar="FILE", help=text("Excel 工作簿（.xlsx）或 CSV 文件", "an Excel workbook (.xlsx) or a CSV file")
    )
    p.add_argument("--class", dest="class_ref", required=True, metavar="CLASS", help=text("班级编号", "class code"))
    p.add_argument("--dry-run", action="store_true", help=text("只检查并报告，不写入", "check and report, write nothing"))
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help=text("有错误时仍导入有效的行（一次性写入）", "import the valid rows even when some rows have errors"),
    )
    p.add_argument("--report", metavar="R.json", help=text("把报告写成 JSON 文件", "write the report as JSON"))
    if corrections:
        p.add_argument(
            "--correction-reason",
            default="",
            metavar="TEXT",
            help=text("修改已有考勤（补录）的原因", "reason for changing recorded marks (补录)"),
        )


def register(sub: argparse._SubParsersAction) -> None:
    rsub = _group(sub, "roster", text("花名册：模板、导入、导出", "rosters: template, import, export"), "roster_command")
    p = rsub.add_parser("template", help=text("生成花名册 Excel 模板", "write the roster template"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_roster_template)

    p = rsub.add_parser("import", help=text("从 Excel/CSV 导入花名册", "import a roster from Excel or CSV"))
    _import_options(p)
    p.set_defaults(handler=cmd_roster_import)

    p = rsub.add_parser("export", help=text("导出培训班花名册（完整身份证号）", "export a class roster (full ID numbers)"))
    p.add_argument("class_ref", metavar="CLASS")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_roster_export)

    asub = _group(sub, "attendance", text("考勤", "attendance"), "attendance_command")
    p = asub.add_parser("export", help=text("导出考勤表（学员×课次）", "export the attendance sheet (trainees × sessions)"))
    p.add_argument("class_ref", metavar="CLASS")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_attendance_export)
    p = asub.add_parser("import", help=text("导入填好的考勤表", "import a filled-in attendance sheet"))
    _import_options(p, corrections=True)
    p.set_defaults(handler=cmd_attendance_import)

    psub = _group(sub, "punches", text("考勤机打卡记录", "terminal punch logs"), "punches_command")
    p = psub.add_parser(
        "import", help=text("导入考勤机导出的打卡记录（CSV 或 xlsx）", "import a terminal's punch log (CSV or xlsx)")
    )
    _import_options(p, corrections=True)
    p.set_defaults(handler=cmd_punches_import)

    from zunyi_trainer.excel.registers import REGISTERS

    p = sub.add_parser("export", help=text("把台账导出为 Excel", "export a register to Excel"))
    p.add_argument("register_name", metavar="REGISTER", choices=list(REGISTERS), help=" | ".join(REGISTERS))
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.add_argument("--mask-ids", action="store_true", help=text("身份证号打码", "mask ID numbers"))
    p.set_defaults(handler=cmd_export_register)


def cmd_roster_template(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.roster.template import write_template

    path = write_template(Path(args.output))
    ctx.out(text("已生成花名册模板：{p}", "Roster template written: {p}", p=str(path)))
    return 0


# Issues that a correction reason would resolve (attendance workbook, punch log).
CORRECTION_CODES = frozenset({"attendance.correction_reason", "punch.kept_existing"})


def _run_import(args: argparse.Namespace, ctx: Context, run: Callable[..., ImportReport], **kwargs) -> int:
    reg = ctx.register(create=False)
    bar = ProgressBar(text("导入", "Importing"))
    try:
        report = run(
            reg, Path(args.file), args.class_ref, dry_run=args.dry_run, skip_invalid=args.skip_invalid, progress=bar, **kwargs
        )
        code = 0
    except ImportRefused as refused:
        report = refused.report
        code = 1
    if args.report:
        report.write_json(args.report)
    ctx.out(report.format_table())
    if any(i.code in CORRECTION_CODES for i in [*report.errors, *report.warnings]):
        # The core's sentences say a reason is needed; how to give one is the command line's.
        ctx.out(
            text(
                '更正已记录的考勤需说明补录原因：加上 --correction-reason "原因" 重新导入。',
                'Correcting recorded attendance needs a reason: import again with --correction-reason "reason".',
            )
        )
    return code


def cmd_roster_import(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.roster.importer import import_roster

    return _run_import(args, ctx, import_roster)


def cmd_roster_export(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.roster.export import export_class_roster
    from zunyi_trainer.roster.importer import resolve_class

    reg = ctx.register(create=False)
    with reg.session() as s:
        cls = resolve_class(s, args.class_ref)
        path = export_class_roster(s, cls, Path(args.output))
        n = len(cls.enrollments)
    ctx.out(text("已导出 {n} 名学员的花名册：{p}", "Roster of {n} trainees exported: {p}", n=n, p=str(path)))
    return 0


def cmd_attendance_export(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.roster.attendance_sheet import export_attendance
    from zunyi_trainer.roster.importer import resolve_class

    reg = ctx.register(create=False)
    with reg.session() as s:
        cls = resolve_class(s, args.class_ref)
        path = export_attendance(s, cls, Path(args.output))
    ctx.out(text("已导出考勤表：{p}", "Attendance sheet exported: {p}", p=str(path)))
    return 0


def cmd_attendance_import(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.roster.attendance_sheet import import_attendance

    return _run_import(args, ctx, import_attendance, correction_reason=args.correction_reason)


def cmd_punches_import(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.punches import import_punches

    return _run_import(args, ctx, import_punches, correction_reason=args.correction_reason)


def cmd_export_register(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.excel.registers import export_register

    reg = ctx.register(create=False)
    bar = ProgressBar(text("导出", "Exporting"))
    with reg.session() as s:
        table = export_register(s, args.register_name, Path(args.output), mask_ids=args.mask_ids, progress=bar)
    ctx.out(
        text(
            "已导出{title} {n} 行：{p}",
            "Exported {n} rows of the {name} register: {p}",
            title=table.title,
            name=table.name,
            n=len(table.rows),
            p=str(Path(args.output)),
        )
    )
    return 0
