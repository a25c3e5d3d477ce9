"""签到表: one sheet per session, a row per enrolled trainee, empty cells for signatures and times.

ID numbers are masked: the sheet lies on a table for every trainee to see.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from zunyi_trainer import idcard
from zunyi_trainer.documents import data
from zunyi_trainer.documents.fonts import FontSet, fonts_for
from zunyi_trainer.documents.layout import (
    BuildResult,
    PageInfo,
    Progress,
    Styles,
    build_pdf,
    data_table,
    form_table,
    frame_width,
    gap,
    para,
)
from zunyi_trainer.errors import NotFound
from zunyi_trainer.models import ClassSession, TrainingClass
from zunyi_trainer.timeutil import now_utc


def session_story(cls: TrainingClass, sess: ClassSession, styles: Styles) -> list:
    fonts = styles.fonts
    width = frame_width()
    teacher = sess.teacher.name if sess.teacher else ""
    venue = (sess.venue or cls.venue).name if (sess.venue or cls.venue) else ""
    info = [
        ["班级名称", para(cls.name, styles.cell), "班级编号", cls.code],
        [
            "培训日期",
            f"{sess.date:%Y年%m月%d日}",
            "上课时间",
            f"{sess.start_time:%H:%M}–{sess.end_time:%H:%M}（{sess.periods} 课时）",
        ],
        ["课程内容", para(f"{sess.topic}（{sess.kind.zh}）", styles.cell), "授课教师", teacher],
        ["培训场地", para(venue, styles.cell), "职业（工种）", f"{cls.trade.name} {cls.level.zh}"],
    ]
    labels = [(c, r) for r in range(4) for c in (0, 2)]
    head = form_table(info, [22 * mm, width / 2 - 22 * mm, 24 * mm, width / 2 - 24 * mm], fonts, label_cells=labels)
    rows = []
    for i, e in enumerate(data.active_enrollments(cls), start=1):
        rows.append([str(i), e.trainee.name, idcard.mask(e.trainee.id_number), "", "", "", "", ""])
    widths = [10 * mm, 22 * mm, 36 * mm, 26 * mm, 17 * mm, 26 * mm, 17 * mm]
    widths.append(width - sum(widths))
    table = data_table(
        ["序号", "姓名", "身份证号", "签到（签名）", "签到时间", "签退（签名）", "签退时间", "备注"],
        rows,
        widths,
        fonts,
        size=9.5,
        center_cols=(0, 2),
        min_row_height=9 * mm,
    )
    foot = form_table(
        [["应到人数", str(len(rows)), "实到人数", "", "授课教师签名", "", "班主任签名", ""]],
        [18 * mm, 14 * mm, 18 * mm, 14 * mm, 24 * mm, (width - 128 * mm) / 2, 20 * mm, (width - 128 * mm) / 2 + 0],
        fonts,
        label_cells=[(0, 0), (2, 0), (4, 0), (6, 0)],
        heights=[11 * mm],
    )
    return [
        para("培训学员签到表", styles.title),
        head,
        gap(4),
        table,
        gap(4),
        foot,
        gap(2),
        para(
            "说明：学员本人签名并填写到达、离开时间；迟到、早退、请假由授课教师在备注栏注明。本表随班级档案保存。", styles.small
        ),
    ]


def build_signin(
    session,
    cls: TrainingClass,
    target: str | Path | IO[bytes],
    *,
    on: dt.date | None = None,
    session_id: int | None = None,
    fonts: FontSet | None = None,
    progress: Progress = None,
    today: dt.date | None = None,
) -> BuildResult:
    """The sign-in sheets of ``cls``: one session (``session_id``), or every session of the day
    ``on`` (default: the next session day from today, or the last one when the class is over)."""
    fonts = fonts or fonts_for(session)
    styles = Styles(fonts)
    if session_id is not None:
        sessions = [x for x in cls.sessions if x.id == session_id]
        if not sessions:
            raise NotFound(
                "培训班 {klass} 没有这次课（编号 {sid}），可能已被删除，请刷新后再试。",
                "The class {klass} has no session {sid}; it may have been deleted. Refresh and try again.",
                klass=cls.code,
                sid=session_id,
            )
    else:
        sessions = data.signin_sessions(cls, on, today)
    story: list = []
    for k, sess in enumerate(sessions):
        if k:
            story.append(PageBreak())
        story += session_story(cls, sess, styles)
    info = PageInfo(
        title="培训学员签到表",
        institution=cls.institution.name,
        class_code=cls.code,
        subject=f"{cls.name} {sessions[0].date.isoformat()} 签到表",
        generated_at=now_utc(),
        fonts=fonts,
        keywords="签到表 zunyi-trainer",
    )
    result = build_pdf(target, info, story, progress=progress)
    result.warnings = data.glyph_warnings(fonts, cls)
    return result
