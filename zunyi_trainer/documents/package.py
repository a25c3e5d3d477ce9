"""档案移交包: one zip per class, a BagIt bag (RFC 8493) that stands on its own.

It holds the archive PDF, the application and the sign-in sheets as PDFs, every attachment in
its original form under a readable name, the roster and attendance as xlsx (in the roster
module's layout, ID numbers masked), and an index page
in Chinese (``索引.html``, opens in any browser) listing every file with its size and SHA-256.
The bag's SHA-256 manifest lets anyone check it with any BagIt tool, or by hand with sha256sum.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import bagit

from zunyi_trainer import __version__, idcard
from zunyi_trainer.attachments import blob_path
from zunyi_trainer.documents import data
from zunyi_trainer.documents.application import build_application
from zunyi_trainer.documents.archive import build_archive, class_attachments
from zunyi_trainer.documents.fonts import FontSet, fonts_for
from zunyi_trainer.documents.layout import Progress
from zunyi_trainer.documents.signin import build_signin
from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.models import AttachmentKind, TrainingClass
from zunyi_trainer.timeutil import format_local, now_utc, today_local

INDEX_NAME = "索引.html"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# Already-compressed media gain nothing from deflate; storing them keeps packing fast.
_STORED_SUFFIXES = {
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".mp4",
    ".mov",
    ".avi",
    ".mkv",
    ".mp3",
    ".m4a",
    ".aac",
    ".zip",
    ".pdf",
    ".xlsx",
    ".heic",
}

KIND_FOLDERS = {
    AttachmentKind.PHOTO: "照片",
    AttachmentKind.SCAN: "扫描件",
    AttachmentKind.AUDIO: "音频",
    AttachmentKind.VIDEO: "视频",
    AttachmentKind.DOCUMENT: "文档",
    AttachmentKind.INVOICE: "发票",
}


def safe_name(name: str, fallback: str = "文件") -> str:
    """A file name that is valid on Windows, macOS and Linux and keeps its readable part."""
    cleaned = _UNSAFE.sub("_", name).strip().strip(".")
    return cleaned[:120] or fallback


def _write_sheets(path: Path, title: str, sheets: Sequence[tuple[str, Sequence[tuple[str, str]], list[list[Any]]]]) -> None:
    """Workbooks through the Excel module's writer when present, plain openpyxl otherwise."""
    try:
        from zunyi_trainer.excel import writing as xw

        specs = [
            xw.SheetSpec(name, [xw.Column(h, kind) for h, kind in cols], rows, title=f"{title} {name}")
            for name, cols, rows in sheets
        ]
        xw.write_workbook(path, specs)
        return
    except ImportError:
        pass
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, cols, rows in sheets:
        ws = wb.create_sheet(name)
        ws.append([h for h, _ in cols])
        for row in rows:
            ws.append(row)
    wb.save(path)


def roster_sheets(cls: TrainingClass) -> list:
    rows = []
    for i, e in enumerate(cls.enrollments, 1):
        t = e.trainee
        rows.append(
            [
                i,
                t.name,
                t.sex.zh,
                idcard.mask(t.id_number),
                t.education.zh if t.education else "",
                t.category.zh,
                t.phone,
                e.enrolled_on,
                e.withdrawn_on,
                "是" if e.subsidised else "否",
                e.result.zh,
                e.certificate_no,
            ]
        )
    cols = [
        ("序号", "int"),
        ("姓名", "text"),
        ("性别", "text"),
        ("身份证号", "id"),
        ("文化程度", "text"),
        ("人员类别", "text"),
        ("联系电话", "phone"),
        ("报名日期", "date"),
        ("退学日期", "date"),
        ("申请补贴", "text"),
        ("考核结果", "text"),
        ("证书编号", "text"),
    ]
    return [("花名册", cols, rows)]


def attendance_sheets(session, cls: TrainingClass) -> list:
    settings = data.settings_for(session)
    marks = data.attendance_by_session(session, cls)
    _, rates = data.subsidy_and_rates(session, cls, settings, marks)
    detail = []
    for k, s in enumerate(cls.sessions, 1):
        for e in cls.enrollments:
            m = marks.get(s.id, {}).get(e.id)
            if m is None:
                continue
            detail.append(
                [
                    k,
                    s.date,
                    f"{s.start_time:%H:%M}-{s.end_time:%H:%M}",
                    s.periods,
                    e.trainee.name,
                    idcard.mask(e.trainee.id_number),
                    m.status.zh,
                    format_local(m.sign_in_at, "%H:%M:%S"),
                    format_local(m.sign_out_at, "%H:%M:%S"),
                    m.method.zh,
                    f"补录：{m.correction_reason}" if m.is_correction else m.leave_reason,
                ]
            )
    summary = []
    for i, e in enumerate(cls.enrollments, 1):
        r = rates.get(e.id, data.Rate(0, 0, 0.0, False))
        summary.append(
            [
                i,
                e.trainee.name,
                idcard.mask(e.trainee.id_number),
                r.counted_periods,
                r.attended_periods,
                r.rate,
                "是" if r.eligible else "否",
            ]
        )
    return [
        (
            "考勤汇总",
            [
                ("序号", "int"),
                ("姓名", "text"),
                ("身份证号", "id"),
                ("应出勤课时", "int"),
                ("实出勤课时", "decimal"),
                ("出勤率", "percent"),
                ("达到补贴出勤率", "text"),
            ],
            summary,
        ),
        (
            "考勤明细",
            [
                ("课次", "int"),
                ("日期", "date"),
                ("时间", "text"),
                ("课时", "int"),
                ("姓名", "text"),
                ("身份证号", "id"),
                ("状态", "text"),
                ("签到", "text"),
                ("签退", "text"),
                ("记录方式", "text"),
                ("备注", "text"),
            ],
            detail,
        ),
    ]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _index_html(cls: TrainingClass, root: Path, generated: str) -> str:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    rows = []
    for i, p in enumerate(files, 1):
        rel = p.relative_to(root).as_posix()
        rows.append(
            f'<tr><td>{i}</td><td><a href="{html.escape(rel)}">{html.escape(rel)}</a></td>'
            f"<td class=n>{p.stat().st_size:,}</td><td class=h>{_sha256(p)}</td></tr>"
        )
    inst = cls.institution
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>档案移交包 {html.escape(cls.code)} 文件索引</title>
<style>body{{font-family:"SimSun","Songti SC","Noto Serif CJK SC",serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #666;padding:3px 6px;font-size:13px}}
th{{background:#eee}}.n{{text-align:right}}.h{{font-family:monospace;font-size:11px}}</style></head>
<body>
<h1>培训班档案移交包 — 文件索引</h1>
<p>培训机构：{html.escape(inst.name)}（{html.escape(inst.uscc)}）<br>
培训班：{html.escape(cls.name)}（班级编号 {html.escape(cls.code)}，档案号 {html.escape(cls.archive_no or "未编号")}）<br>
培训日期：{cls.start_date} 至 {cls.end_date}　批准文号：{html.escape(cls.approval_no or "—")}<br>
生成时间：{generated}　生成程序：zunyi-trainer {__version__}</p>
<p>本包为 BagIt 格式（RFC 8493）：data 文件夹下为全部文件，manifest-sha256.txt 列出每个文件的 SHA-256，
可用任何 BagIt 工具或 sha256sum 逐一核对；不需要安装 zunyi-trainer。</p>
<table><tr><th>序号</th><th>文件</th><th>大小（字节）</th><th>SHA-256</th></tr>
{chr(10).join(rows)}
</table>
<p>共 {len(files)} 个文件（不含本索引页）。</p>
</body></html>
"""


def _zip_dir(source: Path, target: Path, progress: Callable[[], None] | None = None) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".package-", suffix=".zip", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            for path in sorted(source.rglob("*")):
                if not path.is_file():
                    continue
                arc = f"{source.name}/{path.relative_to(source).as_posix()}"
                method = zipfile.ZIP_STORED if path.suffix.lower() in _STORED_SUFFIXES else zipfile.ZIP_DEFLATED
                zf.write(path, arc, compress_type=method)
                if progress:
                    progress()
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def build_package(
    session,
    cls: TrainingClass,
    target: str | Path,
    *,
    store: Path,
    fonts: FontSet | None = None,
    progress: Progress = None,
) -> Path:
    """Write the class's archive package (a zipped BagIt bag) to ``target``; returns its path."""
    target = Path(target)
    if target.suffix.lower() != ".zip":
        raise ZunyiError(
            "档案包的文件名应以 .zip 结尾（现在是“{name}”）。",
            "The package must be named *.zip (got “{name}”).",
            code="documents.package_suffix",
            name=target.name,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fonts = fonts or fonts_for(session)
    attachments = class_attachments(session, cls)
    days = sorted({s.date for s in cls.sessions})
    total = 4 + len(days) + len(attachments) + 2
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(min(done, total), total)

    generated_at = now_utc()
    bag_name = safe_name(f"档案移交包-{cls.code}")
    with tempfile.TemporaryDirectory(prefix="zunyi-package-", dir=target.parent) as tmp:
        root = Path(tmp) / bag_name
        root.mkdir()
        build_archive(session, cls, root / f"01-一班一档-{safe_name(cls.code)}.pdf", store=store, fonts=fonts)
        step()
        build_application(session, cls, root / f"02-开班申请表-{safe_name(cls.code)}.pdf", fonts=fonts)
        step()
        signin_dir = root / "03-签到表"
        signin_dir.mkdir()
        for d in days:
            build_signin(session, cls, signin_dir / f"签到表-{d.isoformat()}.pdf", on=d, fonts=fonts)
            step()
        missing = _copy_attachments(attachments, store, root / "04-附件", step)
        _workbooks(session, cls, root)
        step()
        if missing:
            (root / "04-附件" / "缺失文件说明.txt").write_text(
                "以下附件在登记册中有记录，但附件库中找不到原文件：\n" + "\n".join(missing) + "\n", encoding="utf-8"
            )
        generated = format_local(generated_at)
        (root / INDEX_NAME).write_text(_index_html(cls, root, generated), encoding="utf-8")
        step()
        bagit.make_bag(
            str(root),
            bag_info={
                "Source-Organization": cls.institution.name,
                "Organization-Address": cls.institution.address or "",
                "External-Identifier": cls.archive_no or cls.code,
                "External-Description": f"一班一档 {cls.name}（{cls.code}）",
                "Bagging-Date": today_local().isoformat(),
                "Bag-Software-Agent": f"zunyi-trainer {__version__}",
                "Class-UUID": str(cls.uuid),
            },
            checksums=["sha256"],
        )
        step()
        _zip_dir(root, target)
        step()
    return target


def _workbooks(session, cls: TrainingClass, root: Path) -> None:
    """花名册 and 考勤表 in the roster module's layout (its columns, writer and attendance sheet),
    plus the sign-in and sign-out times of every mark. ID numbers are masked here as everywhere
    but the application's roster, which the package carries as a PDF. Without the roster module,
    plain sheets of the same facts."""
    try:
        from zunyi_trainer.excel.writing import write_table
        from zunyi_trainer.roster.attendance_sheet import export_attendance
        from zunyi_trainer.roster.export import roster_columns, roster_rows
        from zunyi_trainer.roster.fields import FIELD_BY_KEY
    except ImportError:
        _write_sheets(root / "05-花名册.xlsx", cls.code, roster_sheets(cls))
        _write_sheets(root / "06-考勤表.xlsx", cls.code, attendance_sheets(session, cls))
        return
    rows = roster_rows(session, cls)
    id_col = [c.header for c in roster_columns()].index(FIELD_BY_KEY["id_number"].header)
    for row in rows:
        row[id_col] = idcard.mask(row[id_col])
    write_table(
        root / "05-花名册.xlsx",
        roster_columns(),
        rows,
        sheet_name="花名册",
        title=f"{cls.institution.name}　{cls.name}（{cls.code}）学员花名册（身份证号已脱敏，全号见开班申请表）",
        notes=[f"共 {len(rows)} 人。"],
    )
    export_attendance(session, cls, root / "06-考勤表.xlsx")
    _write_sheets(root / "07-考勤明细（签到签退时间）.xlsx", cls.code, attendance_sheets(session, cls))


def _copy_attachments(attachments: Sequence[Any], store: Path, folder: Path, step: Callable[[], None]) -> list[str]:
    """Copy each attachment byte for byte under ``04-附件/<kind>/NN-<name>``; returns the missing."""
    missing = []
    for i, att in enumerate(attachments, 1):
        sub = folder / KIND_FOLDERS.get(att.kind, "其他")
        sub.mkdir(parents=True, exist_ok=True)
        source = blob_path(store, att.sha256)
        name = f"{i:03d}-{safe_name(att.filename)}"
        if source.is_file():
            shutil.copyfile(source, sub / name)
        else:
            missing.append(f"{name}  SHA-256 {att.sha256}  {att.size} 字节")
        step()
    return missing
