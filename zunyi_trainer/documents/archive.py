"""一班一档: the archive of one class (item 15), as an inspector opens it years later.

Cover, table of contents (page numbers filled in at save time, in the same single pass), the
application and the county's decision, changes after approval, roster, timetable, attendance
summary and per-session detail, results and certificates, subsidy sums, photos, the list of
every attachment with size and SHA-256, the class's audit log, and on the last page the
SHA-256 of the whole document set.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from reportlab.lib.units import mm
from reportlab.platypus import Image, PageBreak, Table

from zunyi_trainer import idcard, lifecycle
from zunyi_trainer.attachments import blob_path
from zunyi_trainer.documents import data
from zunyi_trainer.documents.application import class_form, findings_checklist, timetable
from zunyi_trainer.documents.fonts import FontSet, fonts_for
from zunyi_trainer.documents.layout import (
    BuildResult,
    PageInfo,
    PageMarker,
    Progress,
    Styles,
    TableOfContents,
    build_pdf,
    data_table,
    day,
    form_table,
    frame_width,
    gap,
    para,
    yuan,
)
from zunyi_trainer.models import (
    Attachment,
    AttachmentKind,
    AttendanceStatus,
    AuditEvent,
    ClassSession,
    TrainingClass,
)
from zunyi_trainer.timeutil import format_local, now_utc

log = logging.getLogger(__name__)

# 保管期限: training-subsidy files are kept for at least ten years in practice; the cover says so.
RETENTION = "10 年"

TABLE_LABELS = {
    "training_class": "培训班",
    "class_session": "课次",
    "enrollment": "学员报名",
    "attendance": "考勤",
    "attachment": "附件",
    "trainee": "学员",
}
ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}
# Named operations (audit.record_operation) as the archive prints them; others print as stored.
OPERATION_LABELS = {
    "class.submit": "报审",
    "class.approve": "登记批准",
    "class.reject": "登记不予批准",
    "class.start": "开班",
    "class.complete": "结业",
    "class.archive": "归档",
    "class.reopen": "退回草稿",
    "roster_import": "导入花名册",
}
STATUS_SHORT = {
    AttendanceStatus.PRESENT: "出勤",
    AttendanceStatus.LATE: "迟到",
    AttendanceStatus.EARLY_LEAVE: "早退",
    AttendanceStatus.LEAVE: "请假",
    AttendanceStatus.ABSENT: "旷课",
}


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: str


SECTIONS = (
    Section("application", "一、开班申请与审批"),
    Section("changes", "二、批准后的变更"),
    Section("roster", "三、学员花名册"),
    Section("timetable", "四、课程安排表"),
    Section("summary", "五、考勤汇总"),
    Section("detail", "六、考勤明细（逐次课）"),
    Section("results", "七、考核结果与证书"),
    Section("subsidy", "八、补贴核算"),
    Section("photos", "九、培训过程照片"),
    Section("files", "十、附件清单"),
    Section("audit", "十一、操作记录（审计日志）"),
    Section("digest", "十二、档案完整性校验"),
)


def class_attachments(session, cls: TrainingClass) -> list[Attachment]:
    """The class's own attachments and those of its sessions, oldest first."""
    session_ids = sa.select(ClassSession.id).where(ClassSession.class_id == cls.id)
    return list(
        session.scalars(
            sa.select(Attachment)
            .where(sa.or_(Attachment.class_id == cls.id, Attachment.session_id.in_(session_ids)))
            .order_by(Attachment.taken_at.is_(None), Attachment.taken_at, Attachment.id)
        )
    )


def attachment_lines(attachments: Sequence[Attachment]) -> list[str]:
    return sorted(f"{a.sha256}  {a.size}  {a.filename}" for a in attachments)


def document_set_digest(attachments: Sequence[Attachment], audit_head: str) -> str:
    """SHA-256 of the document set: the sorted lines ``sha256  size  name`` of every attachment,
    then ``audit <hash>`` of the class's last audit event, each line ending in a newline (UTF-8).
    Printed with its recipe, so an inspector can recompute it from the file list alone."""
    lines = [*attachment_lines(attachments), f"audit {audit_head}"]
    return hashlib.sha256("".join(line + "\n" for line in lines).encode("utf-8")).hexdigest()


def class_audit_events(session, cls: TrainingClass) -> list[Any]:
    """The class's audit events as read-only rows (an archive may read tens of thousands)."""
    cols = (
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.actor,
        AuditEvent.action,
        AuditEvent.table_name,
        AuditEvent.changes,
        AuditEvent.hash,
    )
    return list(session.execute(sa.select(*cols).where(AuditEvent.class_uuid == cls.uuid).order_by(AuditEvent.id)))


def _summary(changes: str, limit: int = 90) -> str:
    try:
        value = json.loads(changes)
    except ValueError:
        return changes[:limit]
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            if isinstance(v, list) and len(v) == 2:
                parts.append(f"{k}: {v[0]} → {v[1]}")
            elif isinstance(v, dict) and {"old", "new"} <= v.keys():
                parts.append(f"{k}: {v['old']} → {v['new']}")
            else:
                parts.append(f"{k}={v}")
        text = "；".join(parts)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_rows(events: Sequence[AuditEvent]) -> list[list[str]]:
    """One row per event; runs of bulk inserts (attendance taken in one go) become one row."""
    rows: list[list[str]] = []
    run_key: tuple | None = None
    run_count = 0
    for ev in events:
        key = (ev.actor, ev.action, ev.table_name, format_local(ev.at))
        if ev.action == "insert" and key == run_key:
            run_count += 1
            rows[-1][4] = f"共 {run_count} 条记录"
            rows[-1][0] = f"{rows[-1][0].split('–')[0]}–{ev.id}"
            continue
        run_key, run_count = (key, 1) if ev.action == "insert" else (None, 0)
        rows.append(
            [
                str(ev.id),
                format_local(ev.at),
                ev.actor,
                OPERATION_LABELS.get(ev.action)
                or f"{ACTION_LABELS.get(ev.action, ev.action)} {TABLE_LABELS.get(ev.table_name, ev.table_name)}",
                _summary(ev.changes),
            ]
        )
    return rows


def _cover(cls: TrainingClass, styles: Styles, generated: str) -> list:
    w = frame_width()
    rows = [
        ["档案号", cls.archive_no or "（未编号）"],
        ["班级名称", para(cls.name, styles.cell)],
        ["班级编号", cls.code],
        ["培训机构", para(cls.institution.name, styles.cell)],
        ["职业（工种）及等级", f"{cls.trade.name} {cls.level.zh}"],
        ["培训类型", cls.training_type.zh],
        ["培训起止日期", f"{day(cls.start_date)} 至 {day(cls.end_date)}"],
        ["批准文号", cls.approval_no or "—"],
        ["结业日期", day(cls.completed_on) or "—"],
        ["归档日期", day(cls.archived_on) or "（未归档）"],
        ["保管期限", RETENTION],
        ["档案生成时间", generated],
    ]
    return [
        gap(30),
        para("职业技能培训", styles.subtitle),
        para("一 班 一 档", styles.title),
        gap(16),
        form_table(
            rows,
            [42 * mm, w - 72 * mm],
            styles.fonts,
            label_cells=[(0, r) for r in range(len(rows))],
            heights=[10 * mm] * len(rows),
        ),
        PageBreak(),
    ]


def _approval(cls: TrainingClass, styles: Styles, found: list[data.FindingRow] | None) -> list:
    w = frame_width()
    remarks = (cls.decision_remarks or cls.rejection_reason or "—").strip()
    if cls.approved_at or cls.approval_no:
        state = "批准"
    elif cls.rejection_reason:
        state = "不予批准"
    else:
        state = "已报审，待批复" if cls.submitted_at else "未报审"
    rows = [
        ["报审时间", format_local(cls.submitted_at) or "—", "批复结果", state],
        ["批复日期", day(cls.decided_on) or "—", "批准文号", cls.approval_no or "—"],
        ["批复机关", para(cls.approver or "—", styles.cell), "状态", cls.status.zh],
        ["批复意见", para(remarks if len(remarks) <= 300 else "（见下文）", styles.cell), "", ""],
    ]
    # Long remarks flow as paragraphs below the table: a table row never splits across pages.
    long_remarks = [para(line, styles.indent) for line in remarks.splitlines() if line.strip()] if len(remarks) > 300 else []
    return [
        para("（一）培训班基本情况", styles.h2),
        class_form(cls, styles),
        para("（二）审批情况", styles.h2),
        form_table(
            rows,
            [24 * mm, w / 2 - 24 * mm, 24 * mm, w / 2 - 24 * mm],
            styles.fonts,
            label_cells=[(c, r) for r in range(4) for c in (0, 2) if not (r == 3 and c == 2)],
            spans=[((1, 3), (3, 3))],
        ),
        *long_remarks,
        para("（三）开班条件核查（档案生成时）", styles.h2),
        *findings_checklist(found, styles),
    ]


def _changes(changes: Sequence[AuditEvent], styles: Styles) -> list:
    if not changes:
        return [para("批准后没有修改培训班、课程安排或学员名单的记录。", styles.body)]
    w = frame_width()
    rows = [[r[1], r[2], r[3], para(r[4], styles.cell)] for r in audit_rows(changes)]
    return [
        para(f"批准后共有 {len(changes)} 项变更（按时间顺序）：", styles.body),
        data_table(["时间", "操作人", "操作", "内容"], rows, [30 * mm, 20 * mm, 28 * mm, w - 78 * mm], styles.fonts, size=8.5),
    ]


def _roster(cls: TrainingClass, styles: Styles) -> list:
    w = frame_width()
    rows = []
    for i, e in enumerate(cls.enrollments, 1):
        t = e.trainee
        state = f"{e.withdrawn_on} 退学" if e.withdrawn_on else "在册"
        rows.append(
            [
                str(i),
                t.name,
                t.sex.zh,
                idcard.mask(t.id_number),
                t.category.zh,
                t.phone,
                day(e.enrolled_on),
                state,
                "是" if e.subsidised else "否",
            ]
        )
    widths = [9 * mm, 16 * mm, 9 * mm, 36 * mm, 0, 24 * mm, 20 * mm, 18 * mm, 11 * mm]
    widths[4] = w - sum(widths)
    return [
        data_table(
            ["序号", "姓名", "性别", "身份证号", "人员类别", "联系电话", "报名日期", "状态", "补贴"],
            rows,
            widths,
            styles.fonts,
            size=8.5,
            center_cols=(0, 2, 6, 7, 8),
        )
    ]


def _summary_table(cls: TrainingClass, marks: dict, rates: dict[int, data.Rate], limit: float, styles: Styles) -> list:
    w = frame_width()
    rows = []
    for i, e in enumerate(cls.enrollments, 1):
        counts = Counter(m.status for sess_marks in marks.values() if (m := sess_marks.get(e.id)) is not None)
        r = rates.get(e.id, data.Rate(0, 0, 0.0, False))
        rows.append(
            [
                str(i),
                e.trainee.name,
                str(r.counted_periods),
                f"{r.attended_periods:g}",
                f"{r.rate:.1%}",
                str(counts[AttendanceStatus.LATE]),
                str(counts[AttendanceStatus.EARLY_LEAVE]),
                str(counts[AttendanceStatus.LEAVE]),
                str(counts[AttendanceStatus.ABSENT]),
                "是" if r.eligible else "否",
            ]
        )
    attended = sum(r.attended_periods for r in rates.values())
    counted = sum(r.counted_periods for r in rates.values())
    overall = attended / counted if counted else 0.0
    widths = [10 * mm, 20 * mm, 18 * mm, 18 * mm, 18 * mm, 14 * mm, 14 * mm, 14 * mm, 14 * mm]
    widths.append(w - sum(widths))
    return [
        para(
            f"全班应出勤 {counted} 课时，实际出勤 {attended:g} 课时，出勤率 {overall:.1%}；"
            f"出勤率达到 {limit:.0%} 的学员 {sum(1 for r in rates.values() if r.eligible)} 人。",
            styles.body,
        ),
        gap(2),
        data_table(
            ["序号", "姓名", "应出勤课时", "实出勤课时", "出勤率", "迟到", "早退", "请假", "旷课", f"达到{limit:.0%}"],
            rows,
            widths,
            styles.fonts,
            size=8.5,
            center_cols=tuple(range(0, 10)),
        ),
    ]


def _detail(cls: TrainingClass, marks: dict, styles: Styles) -> list:
    """One table per session; its title row and header repeat when it runs onto a new page."""
    w = frame_width()
    widths = [10 * mm, 18 * mm, 34 * mm, 14 * mm, 18 * mm, 18 * mm, 22 * mm]
    widths.append(w - sum(widths))
    names = {e.id: e.trainee for e in cls.enrollments}
    masked = {e.id: idcard.mask(e.trainee.id_number) for e in cls.enrollments}
    out: list = []
    fonts = styles.fonts
    for k, sess in enumerate(cls.sessions, 1):
        sess_marks = marks.get(sess.id, {})
        present = sum(1 for m in sess_marks.values() if m.status in data.ATTENDED)
        title = (
            f"第 {k} 次课  {sess.date:%Y-%m-%d} {sess.start_time:%H:%M}–{sess.end_time:%H:%M}  {sess.periods} 课时 {sess.kind.zh}  "
            f"{sess.topic}  授课：{sess.teacher.name if sess.teacher else '—'}  出勤 {present}/{len(sess_marks) or len(names)}"
        )
        rows: list[list[str]] = [[title, "", "", "", "", "", "", ""]]
        rows.append(["序号", "姓名", "身份证号", "状态", "签到", "签退", "记录方式", "备注"])
        if not sess_marks:
            rows.append(["", "（本次课没有考勤记录）", "", "", "", "", "", ""])
        for i, e in enumerate(cls.enrollments, 1):
            m = sess_marks.get(e.id)
            if m is None:
                continue
            note = m.leave_reason
            if m.is_correction:
                note = f"补录：{m.correction_reason}"
            rows.append(
                [
                    str(i),
                    names[e.id].name,
                    masked[e.id],
                    STATUS_SHORT.get(m.status, m.status.zh),
                    format_local(m.sign_in_at, "%H:%M:%S"),
                    format_local(m.sign_out_at, "%H:%M:%S"),
                    m.method.zh,
                    note,
                ]
            )
        n = len(rows)
        table = Table(
            rows,
            colWidths=widths,
            repeatRows=2,
            splitInRow=0,
            style=[
                ("FONTNAME", (0, 0), (-1, -1), fonts.body),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("LEADING", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.5, "#444444"),
                ("SPAN", (0, 0), (-1, 0)),
                ("FONTNAME", (0, 0), (-1, 0), fonts.heading),
                ("BACKGROUND", (0, 0), (-1, 0), "#D8D8D8"),
                ("BACKGROUND", (0, 1), (-1, 1), "#EEEEEE"),
                ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                ("ALIGN", (0, 2), (0, n - 1), "CENTER"),
                ("ALIGN", (3, 2), (5, n - 1), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ],
        )
        table.spaceAfter = 3 * mm
        out.append(table)
    if not cls.sessions:
        out.append(para("本班没有课程安排。", styles.body))
    return out


def _results(cls: TrainingClass, styles: Styles) -> list:
    w = frame_width()
    rows = []
    for i, e in enumerate(cls.enrollments, 1):
        rows.append(
            [
                str(i),
                e.trainee.name,
                e.result.zh,
                "" if e.score is None else f"{e.score:g}",
                day(e.exam_date),
                para(e.certificate_type.zh if e.certificate_type else "", styles.cell),
                e.certificate_no,
                day(e.certificate_issued_on),
            ]
        )
    widths = [10 * mm, 18 * mm, 16 * mm, 12 * mm, 22 * mm, 0, 36 * mm, 22 * mm]
    widths[5] = w - sum(widths)
    passed = sum(1 for e in cls.enrollments if e.result.value == "passed")
    certs = sum(1 for e in cls.enrollments if e.certificate_no)
    return [
        para(f"参加考核 {len(cls.enrollments)} 人，合格 {passed} 人，取得证书 {certs} 人。", styles.body),
        gap(2),
        data_table(
            ["序号", "姓名", "考核结果", "成绩", "考核日期", "证书类型", "证书编号", "发证日期"],
            rows,
            widths,
            styles.fonts,
            size=8.5,
            center_cols=(0, 2, 3, 4, 7),
        ),
    ]


def _subsidy(cls: TrainingClass, rates: dict[int, data.Rate], summary: data.SubsidyRow, styles: Styles) -> list:
    w = frame_width()
    rows = []
    recorded = 0
    for i, e in enumerate(cls.enrollments, 1):
        r = rates.get(e.id, data.Rate(0, 0, 0.0, False))
        amount, why = summary.per_trainee.get(e.id, (0, ""))
        recorded += e.subsidy_fen
        rows.append(
            [
                str(i),
                e.trainee.name,
                "是" if e.subsidised else "否",
                f"{r.rate:.1%}",
                e.result.zh,
                yuan(amount).replace(" 元", "") if amount else "—",
                para(why, styles.cell) if len(why) > 12 else (why or "符合"),  # wrap only long reasons
                yuan(e.subsidy_fen).replace(" 元", "") if e.subsidy_fen else "—",
            ]
        )
    widths = [10 * mm, 18 * mm, 16 * mm, 16 * mm, 18 * mm, 22 * mm, 0, 24 * mm]
    widths[6] = w - sum(widths)
    form = form_table(
        [
            ["补贴标准", f"{yuan(summary.standard_fen)} / 人", "符合补贴条件人数", f"{summary.eligible} 人"],
            ["核定补贴金额", yuan(summary.total_fen), "已登记补贴金额", yuan(recorded)],
        ],
        [26 * mm, w / 2 - 26 * mm, 34 * mm, w / 2 - 34 * mm],
        styles.fonts,
        label_cells=[(0, 0), (2, 0), (0, 1), (2, 1)],
    )
    return [
        form,
        gap(3),
        data_table(
            ["序号", "姓名", "申请补贴", "出勤率", "考核结果", "核定金额（元）", "不予补贴的原因", "已登记（元）"],
            rows,
            widths,
            styles.fonts,
            size=8.5,
            center_cols=(0, 2, 3, 4),
            extra=[("ALIGN", (5, 1), (5, -1), "RIGHT"), ("ALIGN", (7, 1), (7, -1), "RIGHT")],
        ),
    ]


PHOTO_MAX_PX = 1600  # enough for a sharp print at the size the archive shows a photo


def _photo(store: Path | None, att: Attachment, width: float, height: float) -> Image | None:
    """The photo scaled into (width, height), upright (EXIF orientation) and at most
    PHOTO_MAX_PX on its long side, so twenty phone photos do not make a 200 MB archive.
    The original stays untouched in the store and in the package."""
    if store is None:
        return None
    path = blob_path(store, att.sha256)
    if not path.is_file():
        return None
    try:
        from PIL import Image as PILImage
        from PIL import ImageOps

        with PILImage.open(path) as img:
            img = ImageOps.exif_transpose(img)
            if img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            img.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=85)
            iw, ih = img.size
    except Exception:  # not an image Pillow can read (HEIC, damaged): it stays in the file list
        log.info("photo %s (%s) cannot be drawn", att.filename, att.sha256)
        return None
    buf.seek(0)
    scale = min(width / iw, height / ih)
    return Image(buf, width=iw * scale, height=ih * scale)


def _photos(photos: Sequence[Attachment], store: Path | None, styles: Styles) -> list:
    if not photos:
        return [para("本班没有照片。", styles.body)]
    w = frame_width()
    cell_w = w / 2 - 4 * mm
    cells = []
    for att in photos:
        img = _photo(store, att, cell_w - 6, 62 * mm)
        caption = para(
            f"{att.caption or att.filename}\n{format_local(att.taken_at) or '拍摄时间不详'}  {att.filename}", styles.cell_center
        )
        cells.append([img or para("（图片无法显示，见附件清单）", styles.cell_center), caption])
    rows = []
    for i in range(0, len(cells), 2):
        pair = cells[i : i + 2] + ([["", ""]] if i + 1 >= len(cells) else [])
        rows.append([pair[0][0], pair[1][0]])
        rows.append([pair[0][1], pair[1][1]])
    table = Table(
        rows,
        colWidths=[w / 2, w / 2],
        splitInRow=0,
        style=[
            ("FONTNAME", (0, 0), (-1, -1), styles.fonts.body),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    return [table]


def _files(attachments: Sequence[Attachment], store: Path | None, styles: Styles) -> list:
    if not attachments:
        return [para("本班没有附件。", styles.body)]
    w = frame_width()
    rows = []
    for i, a in enumerate(attachments, 1):
        missing = store is not None and not blob_path(store, a.sha256).is_file()
        rows.append(
            [
                str(i),
                para(a.filename + ("（文件缺失！）" if missing else ""), styles.cell),
                a.kind.zh,
                f"{a.size:,}",
                para(a.caption, styles.cell),
                para(a.sha256, styles.mono),
            ]
        )
    widths = [9 * mm, 36 * mm, 13 * mm, 20 * mm, 30 * mm]
    widths.append(w - sum(widths))
    kinds = Counter(a.kind for a in attachments)
    summary = "、".join(f"{k.zh} {n} 个" for k, n in kinds.items())
    return [
        para(f"共 {len(attachments)} 个附件（{summary}），原件按 SHA-256 存放，随档案包移交。", styles.body),
        gap(2),
        data_table(
            ["序号", "文件名", "类别", "大小（字节）", "说明", "SHA-256"], rows, widths, styles.fonts, size=8, center_cols=(0, 2)
        ),
    ]


def _audit(events: Sequence[AuditEvent], styles: Styles) -> list:
    if not events:
        return [para("没有本班的操作记录。", styles.body)]
    w = frame_width()
    rows = audit_rows(events)
    return [
        para(
            f"本班共有 {len(events)} 条操作记录（编号 {events[0].id}–{events[-1].id}），成批录入的同类记录合并为一行。"
            f"最后一条记录的哈希：{events[-1].hash}",
            styles.small,
        ),
        gap(2),
        data_table(
            ["编号", "时间", "操作人", "操作", "内容"],
            [[*r[:4], para(r[4], styles.cell)] for r in rows],
            [20 * mm, 28 * mm, 18 * mm, 26 * mm, w - 92 * mm],
            styles.fonts,
            size=8,
        ),
    ]


def _digest(attachments: Sequence[Attachment], events: Sequence[AuditEvent], styles: Styles) -> list:
    head = events[-1].hash if events else "0" * 64
    digest = document_set_digest(attachments, head)
    return [
        para("档案文件集 SHA-256：", styles.body),
        para(digest, styles.h2),
        para(
            f"计算方法：取附件清单中每个文件的“SHA-256␣␣大小␣␣文件名”一行（共 {len(attachments)} 行，按字典序排列），"
            "再加一行“audit 最后一条操作记录的哈希”，每行以换行符结尾，按 UTF-8 编码计算 SHA-256。"
            "文件或记录有任何改动，此值都会不同。",
            styles.body,
        ),
        gap(10),
        para("归档人（签字）：________________　　审核人（签字）：________________　　日期：____________", styles.body),
    ]


def archive_story(
    session, cls: TrainingClass, styles: Styles, *, store: Path | None, generated_at: Any = None
) -> tuple[list, dict[str, Any]]:
    """The archive's flowables, and the facts behind them (for tests and the package)."""
    settings = data.settings_for(session)
    limit = data.threshold(settings)
    marks = data.attendance_by_session(session, cls)
    summary, rates = data.subsidy_and_rates(session, cls, settings, marks)
    found = data.findings(session, cls, settings)
    attachments = class_attachments(session, cls)
    events = class_audit_events(session, cls)
    changes = lifecycle.changes_after_approval(session, cls)
    photos = [a for a in attachments if a.kind is AttachmentKind.PHOTO]
    pages: dict[str, int] = {}
    generated = format_local(generated_at or now_utc())
    story: list = [*_cover(cls, styles, generated)]
    story += [
        para("目　录", styles.title),
        TableOfContents([(s.key, s.title, 0) for s in SECTIONS], pages, styles),
    ]
    bodies = {
        "application": lambda: _approval(cls, styles, found),
        "changes": lambda: _changes(changes, styles),
        "roster": lambda: _roster(cls, styles),
        "timetable": lambda: [timetable(cls, styles)],
        "summary": lambda: _summary_table(cls, marks, rates, limit, styles),
        "detail": lambda: _detail(cls, marks, styles),
        "results": lambda: _results(cls, styles),
        "subsidy": lambda: _subsidy(cls, rates, summary, styles),
        "photos": lambda: _photos(photos, store, styles),
        "files": lambda: _files(attachments, store, styles),
        "audit": lambda: _audit(events, styles),
        "digest": lambda: _digest(attachments, events, styles),
    }
    # Short sections share a page; long ones start on a new one.
    new_page = {
        "application",
        "roster",
        "timetable",
        "summary",
        "detail",
        "results",
        "subsidy",
        "photos",
        "files",
        "audit",
        "digest",
    }
    for s in SECTIONS:
        if s.key in new_page:
            story.append(PageBreak())
        story += [PageMarker(s.key, pages), para(s.title, styles.h1), *bodies[s.key]()]
    facts = {
        "pages": pages,
        "attachments": attachments,
        "digest": document_set_digest(attachments, events[-1].hash if events else "0" * 64),
        "rates": rates,
        "subsidy": summary,
        "findings": found,
    }
    return story, facts


def build_archive(
    session,
    cls: TrainingClass,
    target: str | Path | IO[bytes],
    *,
    store: Path | None = None,
    fonts: FontSet | None = None,
    progress: Progress = None,
) -> BuildResult:
    """Write the class's archive PDF; ``store`` is the attachment store (photos are drawn from it)."""
    fonts = fonts or fonts_for(session)
    styles = Styles(fonts)
    generated_at = now_utc()
    story, facts = archive_story(session, cls, styles, store=store, generated_at=generated_at)
    info = PageInfo(
        title="一班一档",
        institution=cls.institution.name,
        class_code=cls.code,
        subject=f"{cls.name} 培训档案（档案号 {cls.archive_no or '未编号'}）",
        generated_at=generated_at,
        fonts=fonts,
        keywords=f"一班一档 培训档案 {cls.code} sha256:{facts['digest']}",
    )
    result = build_pdf(target, info, story, progress=progress)
    result.warnings = data.glyph_warnings(fonts, cls)
    result.sections = dict(facts["pages"])
    result.digest = facts["digest"]
    return result
