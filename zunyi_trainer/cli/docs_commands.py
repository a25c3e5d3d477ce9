"""``docs application|signin|archive CLASS -o FILE.pdf``, ``docs equipment --year Y -o FILE.pdf``,
``docs package CLASS -o FILE.zip`` and ``docs fonts`` (the 宋体/仿宋 fonts found on this machine)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

from zunyi_trainer.cli.context import Context
from zunyi_trainer.cli.progress import ProgressBar
from zunyi_trainer.errors import ValidationError, ZunyiError
from zunyi_trainer.i18n import text


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text("日期应为 YYYY-MM-DD：{v}", "a date is YYYY-MM-DD: {v}", v=value)) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help=text("打印文书：开班申请表、签到表、一班一档、设备投入报告、档案包", "print documents"))
    dsub = p.add_subparsers(dest="docs_command", metavar="DOCUMENT", required=True)
    font_help = text(
        "正文字体文件（TrueType 宋体/仿宋，如 C:\\Windows\\Fonts\\simsun.ttc）；默认用本校设置或程序自带字体",
        "body font file (TrueType SimSun/FangSong); default: the school's choice or the built-in font",
    )
    for name, zh, en in (
        ("application", "开班申请表（含花名册等附件）", "class-opening application with attachments"),
        ("signin", "签到表", "sign-in sheets"),
        ("archive", "一班一档", "the class archive"),
    ):
        q = dsub.add_parser(name, help=text(zh, en))
        q.add_argument("klass", metavar="CLASS", help=text("班级编号或 UUID", "class code or UUID"))
        q.add_argument(
            "-o", "--output", required=True, type=Path, metavar="FILE.pdf", help=text("输出的 PDF 文件", "the PDF to write")
        )
        q.add_argument("--font", metavar="FONT", help=font_help)
        if name == "signin":
            q.add_argument(
                "--date",
                type=_date,
                help=text(
                    "日期（默认：今天起的下一个上课日；已结业的班为最后一个上课日）",
                    "date (default: next session day, or the last)",
                ),
            )
        q.set_defaults(handler=cmd_class_document, document=name)
    eq = dsub.add_parser("equipment", help=text("年度设备投入报告", "yearly equipment-spend report"))
    eq.add_argument("--year", type=int, required=True)
    eq.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE.pdf", help=text("输出的 PDF 文件", "the PDF to write")
    )
    eq.add_argument("--font", metavar="FONT", help=font_help)
    eq.set_defaults(handler=cmd_equipment)
    pk = dsub.add_parser("package", help=text("档案移交包（BagIt 格式 zip）", "archive package (zipped BagIt bag)"))
    pk.add_argument("klass", metavar="CLASS", help=text("班级编号或 UUID", "class code or UUID"))
    pk.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE.zip", help=text("输出的 zip 文件", "the zip to write")
    )
    pk.add_argument("--font", metavar="FONT", help=font_help)
    pk.set_defaults(handler=cmd_package)
    ft = dsub.add_parser("fonts", help=text("列出或选择文书的正文字体（宋体/仿宋）", "list or choose the documents' body font"))
    choice = ft.add_mutually_exclusive_group()
    choice.add_argument(
        "--use", metavar="FONT", help=text("以后的文书都用这个字体文件作正文", "use this font file for the body from now on")
    )
    choice.add_argument("--builtin", action="store_true", help=text("改回程序自带字体", "go back to the built-in font"))
    ft.set_defaults(handler=cmd_fonts)


def _check_output(path: Path, suffix: str) -> Path:
    if path.suffix.lower() != suffix:
        raise ValidationError(
            "输出文件名应以 {suffix} 结尾（现在是“{name}”）。",
            "The output file must end in {suffix} (got “{name}”).",
            field="output",
            suffix=suffix,
            name=path.name,
        )
    if path.is_dir():
        raise ValidationError(
            "“{p}”是一个文件夹，请给出文件名。", "“{p}” is a folder; give a file name.", field="output", p=str(path)
        )
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write_atomically(path: Path, write) -> object:
    """Write through a temporary file beside ``path``: a failure leaves no half-written PDF."""
    fd, tmp = tempfile.mkstemp(prefix=".docs-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        result = write(Path(tmp))
        try:
            os.replace(tmp, path)
        except PermissionError:
            raise ZunyiError(
                "无法写入 {p}：文件可能正在 PDF 阅读器中打开。请关闭它后再试。",
                "Cannot write {p}: it may be open in a PDF reader. Close it and try again.",
                code="documents.locked",
                p=str(path),
            ) from None
        return result
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def cmd_class_document(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import documents

    out = _check_output(args.output, ".pdf")
    reg = ctx.register(create=False)
    labels = {
        "application": text("开班申请表", "application"),
        "signin": text("签到表", "sign-in"),
        "archive": text("一班一档", "archive"),
    }
    bar = ProgressBar(labels[args.document])
    with reg.session() as s:
        cls = documents.find_class(s, args.klass)
        fonts = documents.fonts_for(s, args.font)
        if args.document == "application":
            result = _write_atomically(out, lambda p: documents.build_application(s, cls, p, fonts=fonts, progress=bar))
        elif args.document == "signin":
            result = _write_atomically(out, lambda p: documents.build_signin(s, cls, p, on=args.date, fonts=fonts, progress=bar))
        else:
            result = _write_atomically(
                out, lambda p: documents.build_archive(s, cls, p, store=reg.attachments_dir, fonts=fonts, progress=bar)
            )
    for warning in result.warnings:
        ctx.warn(warning)
    ctx.out(text("已生成 {p}（共 {n} 页）", "Wrote {p} ({n} pages)", p=str(out), n=result.pages))
    return 0


def cmd_equipment(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import documents

    out = _check_output(args.output, ".pdf")
    reg = ctx.register(create=False)
    with reg.session() as s:
        fonts = documents.fonts_for(s, args.font)
        result = _write_atomically(out, lambda p: documents.build_equipment_report(s, args.year, p, fonts=fonts))
    ctx.out(text("已生成 {p}（共 {n} 页）", "Wrote {p} ({n} pages)", p=str(out), n=result.pages))
    return 0


def cmd_package(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer import documents

    out = _check_output(args.output, ".zip")
    reg = ctx.register(create=False)
    bar = ProgressBar(text("档案包", "package"))
    with reg.session() as s:
        cls = documents.find_class(s, args.klass)
        fonts = documents.fonts_for(s, args.font)
        documents.build_package(s, cls, out, store=reg.attachments_dir, fonts=fonts, progress=bar)
    ctx.out(
        text("已生成档案包 {p}（{size:,} 字节）", "Wrote the package {p} ({size:,} bytes)", p=str(out), size=out.stat().st_size)
    )
    return 0


def cmd_fonts(args: argparse.Namespace, ctx: Context) -> int:
    from zunyi_trainer.documents.fonts import fallback_font_path, find_installed_fonts, load_font_preference, save_font_preference

    if args.use or args.builtin:
        reg = ctx.register(create=False)
        with reg.transaction() as s:
            save_font_preference(s, None if args.builtin else Path(args.use).expanduser().resolve())
        ctx.out(
            text("文书正文改用程序自带字体。", "Documents use the built-in font.")
            if args.builtin
            else text("文书正文改用 {p}。", "Documents now use {p}.", p=args.use)
        )
        return 0
    ctx.out(text("程序自带字体：{p}", "Built-in font: {p}", p=str(fallback_font_path())))
    if ctx.data_dir.joinpath("register.sqlite3").exists():
        reg = ctx.register(create=False)
        with reg.session() as s:
            chosen = load_font_preference(s)
        ctx.out(
            text("本校选用的正文字体：{p}", "The school's body font: {p}", p=chosen or text("（程序自带字体）", "(built-in)"))
        )
    found = find_installed_fonts()
    if not found:
        ctx.out(text("本机没有找到宋体/仿宋 TrueType 字体。", "No SimSun/FangSong TrueType font found on this machine."))
    for f in found:
        ctx.out(f"{f.label}\t{f.path}")
    return 0
