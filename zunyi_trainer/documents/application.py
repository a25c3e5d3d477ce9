"""开班申请表: what the county reads before approving a class (item 11), with its attachments.

One PDF: the form (institution, class, the six key elements, the rule checklist, signature and
seal, the county's opinion), then 学员花名册 (full ID numbers: the county requires them here and
only here), 课程安排表, 师资情况表, 场地设备情况表, 考核方案 and the institution's 承诺书.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Table

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
    day,
    form_table,
    frame_width,
    gap,
    keep,
    para,
    signature_block,
    yuan,
)
from zunyi_trainer.models import Equipment, SessionKind, Teacher, TrainingClass, Venue
from zunyi_trainer.reference import COUNTIES
from zunyi_trainer.timeutil import now_utc

SEVERITY = {"blocks": "不符合（须整改）", "warns": "提醒"}


def county_name(key: str) -> str:
    return next((c.name for c in COUNTIES if c.key == key), key)


def hours(cls: TrainingClass) -> tuple[int, int]:
    theory = sum(s.periods for s in cls.sessions if s.kind is SessionKind.THEORY)
    practice = sum(s.periods for s in cls.sessions if s.kind is SessionKind.PRACTICE)
    return theory, practice


def class_teachers(cls: TrainingClass) -> list[Teacher]:
    seen: dict[int, Teacher] = {}
    if cls.head_teacher is not None:
        seen[cls.head_teacher.id] = cls.head_teacher
    for s in cls.sessions:
        if s.teacher is not None:
            seen.setdefault(s.teacher.id, s.teacher)
    return list(seen.values())


def class_venues(cls: TrainingClass) -> list[Venue]:
    seen: dict[int, Venue] = {}
    if cls.venue is not None:
        seen[cls.venue.id] = cls.venue
    for s in cls.sessions:
        if s.venue is not None:
            seen.setdefault(s.venue.id, s.venue)
    return list(seen.values())


def institution_form(cls: TrainingClass, styles: Styles) -> Table:
    inst = cls.institution
    w = frame_width()
    designated = f"{day(inst.designated_from)} 至 {day(inst.designated_to)}" if inst.designated_from else "—"
    rows = [
        ["机构名称", para(inst.name, styles.cell), "统一社会信用代码", inst.uscc],
        ["办学许可证号", inst.license_no or "—", "所在县（市、区）", county_name(inst.county)],
        ["机构地址", para(inst.address or "—", styles.cell), "", ""],
        [
            "法定代表人",
            inst.legal_representative or "—",
            "联系人及电话",
            f"{inst.contact_person} {inst.contact_phone}".strip() or "—",
        ],
        ["定点培训期限", designated, "批准的职业（工种）", para("、".join(t.name for t in inst.trades) or "—", styles.cell)],
    ]
    labels = [(c, r) for r in range(5) for c in (0, 2) if not (r == 2 and c == 2)]
    return form_table(
        rows, [26 * mm, w / 2 - 26 * mm, 34 * mm, w / 2 - 34 * mm], styles.fonts, label_cells=labels, spans=[((1, 2), (3, 2))]
    )


def class_form(cls: TrainingClass, styles: Styles) -> Table:
    w = frame_width()
    theory, practice = hours(cls)
    total = theory + practice
    share = f"{practice / total:.0%}" if total else "—"
    venue = cls.venue
    venue_text = f"{venue.name}（{venue.kind.zh}，{venue.seats} 座）" if venue else "—"
    enrolled = len(data.active_enrollments(cls))
    rows = [
        ["班级名称", para(cls.name, styles.cell), "班级编号", cls.code],
        ["职业（工种）", f"{cls.trade.name}（{cls.trade.code}）", "等级", cls.level.zh],
        ["培训类型", cls.training_type.zh, "培训方式", cls.mode.zh if cls.mode else "（未填写）"],
        ["资金来源", cls.funding.zh, "培训起止日期", f"{day(cls.start_date)} 至 {day(cls.end_date)}"],
        ["总课时", f"{total} 课时（{len(cls.sessions)} 次课）", "理论 / 实操课时", f"{theory} / {practice}（实操 {share}）"],
        ["计划人数", f"{cls.planned_size} 人", "已报名人数", f"{enrolled} 人"],
        ["培训费标准", f"{yuan(cls.fee_fen)} / 人", "补贴标准", f"{yuan(cls.subsidy_standard_fen)} / 人"],
        ["培训场地", para(venue_text, styles.cell), "班主任", cls.head_teacher.name if cls.head_teacher else "—"],
    ]
    labels = [(c, r) for r in range(len(rows)) for c in (0, 2)]
    return form_table(rows, [26 * mm, w / 2 - 26 * mm, 34 * mm, w / 2 - 34 * mm], styles.fonts, label_cells=labels)


def six_elements(cls: TrainingClass, found: list[data.FindingRow] | None, styles: Styles) -> Table:
    """Item 11's six key elements (学员、师资、场地、方式、工种、课时), each with a summary."""
    theory, practice = hours(cls)
    enrolled = data.active_enrollments(cls)
    cats = collections.Counter(e.trainee.category.zh for e in enrolled)
    teachers = class_teachers(cls)
    venues = class_venues(cls)
    approved = {t.id for t in cls.institution.trades}
    in_scope = cls.trade_id in approved
    elements = [
        (
            "学员",
            ("trainee", "no_trainees", "over_capacity", "enroll"),
            f"已报名 {len(enrolled)} 人（计划 {cls.planned_size} 人）"
            + ("；" + "、".join(f"{k} {v} 人" for k, v in cats.most_common()) if cats else ""),
        ),
        (
            "师资",
            ("teacher", "qualif", "full_time", "part_time"),
            "、".join(f"{t.name}（{t.employment.zh}）" for t in teachers) or "（未安排教师）",
        ),
        (
            "场地",
            ("venue", "over_capacity", "seat"),
            "、".join(f"{v.name}（{v.kind.zh}，{v.seats} 座）" for v in venues) or "（未安排场地）",
        ),
        ("方式", ("mode",), cls.mode.zh if cls.mode else "（未填写培训方式）"),
        (
            "工种",
            ("trade",),
            f"{cls.trade.name} {cls.level.zh}" + ("（在本机构批准范围内）" if in_scope else "（不在本机构批准的职业范围内）"),
        ),
        (
            "课时",
            ("hours", "practice", "timetable", "periods", "times_invalid", "outside_dates"),
            f"理论 {theory} 课时，实操 {practice} 课时，共 {theory + practice} 课时",
        ),
    ]
    rows = []
    for name, keys, summary in elements:
        if found is None:
            state = "—"
        else:
            related = [f for f in found if any(k in f.code.lower() for k in keys)]
            state = "不符合" if any(f.severity == "blocks" for f in related) else ("有提醒" if related else "符合")
        rows.append([name, para(summary, styles.cell), state])
    w = frame_width()
    return data_table(["要素", "情况", "核查"], rows, [20 * mm, w - 44 * mm, 24 * mm], styles.fonts, center_cols=(0, 2))


def findings_checklist(found: list[data.FindingRow] | None, styles: Styles) -> list:
    w = frame_width()
    if found is None:
        return [para("（本机未安装规则核查模块，以下核查项请人工填写。）", styles.small)]
    if not found:
        return [para("√ 按本机构设置的规则核查，未发现问题。", styles.body)]
    # The rule's code in small type, wrapped within its column (session.teacher_double_booked is
    # wider than 40 mm at the table's size).
    rows = [
        [str(i), SEVERITY.get(f.severity, f.severity), para(f.message, styles.cell), para(f.code, styles.small)]
        for i, f in enumerate(found, 1)
    ]
    return [
        data_table(
            ["序号", "类别", "核查结果", "代码"],
            rows,
            [12 * mm, 30 * mm, w - 82 * mm, 40 * mm],
            styles.fonts,
            center_cols=(0, 1),
            size=8.5,
        )
    ]


def roster(cls: TrainingClass, styles: Styles, *, full_ids: bool) -> Table:
    w = frame_width()
    rows = []
    for i, e in enumerate(data.active_enrollments(cls), 1):
        t = e.trainee
        rows.append(
            [
                str(i),
                t.name,
                t.sex.zh,
                t.id_number if full_ids else idcard.mask(t.id_number),
                t.education.zh if t.education else "",
                para(t.category.zh, styles.cell),
                t.phone,
                para(t.household_address, styles.cell),
            ]
        )
    widths = [9 * mm, 16 * mm, 9 * mm, 37 * mm, 17 * mm, 24 * mm, 24 * mm]
    widths.append(w - sum(widths))
    return data_table(
        ["序号", "姓名", "性别", "公民身份号码", "文化程度", "人员类别", "联系电话", "户籍地址"],
        rows,
        widths,
        styles.fonts,
        size=8.5,
        center_cols=(0, 2),
    )


def timetable(cls: TrainingClass, styles: Styles) -> Table:
    w = frame_width()
    rows = []
    for i, s in enumerate(cls.sessions, 1):
        rows.append(
            [
                str(i),
                f"{s.date:%Y-%m-%d}",
                f"{s.start_time:%H:%M}–{s.end_time:%H:%M}",
                str(s.periods),
                s.kind.zh,
                para(s.topic, styles.cell),
                s.teacher.name if s.teacher else "（未安排）",
                para((s.venue or cls.venue).name if (s.venue or cls.venue) else "", styles.cell),
            ]
        )
    theory, practice = hours(cls)
    rows.append(["合计", "", "", str(theory + practice), "", f"理论 {theory} 课时，实操 {practice} 课时", "", ""])
    widths = [10 * mm, 22 * mm, 24 * mm, 11 * mm, 12 * mm, 0, 20 * mm, 30 * mm]
    widths[5] = w - sum(widths)
    n = len(rows)
    return data_table(
        ["序号", "日期", "时间", "课时", "类型", "课程内容", "授课教师", "场地"],
        rows,
        widths,
        styles.fonts,
        size=8.5,
        center_cols=(0, 3, 4),
        extra=[("SPAN", (0, n), (2, n)), ("SPAN", (5, n), (7, n))],
    )


def teachers_table(cls: TrainingClass, styles: Styles) -> Table:
    w = frame_width()
    rows = []
    for i, t in enumerate(class_teachers(cls), 1):
        quals = [
            f"{q.kind.zh} {q.number}"
            + (f"（{q.level.zh}）" if q.level else "")
            + (f"，有效期至 {q.expires_on}" if q.expires_on else "，长期有效")
            for q in t.qualifications
        ]
        rows.append(
            [
                str(i),
                t.name,
                t.sex.zh if t.sex else "",
                idcard.mask(t.id_number),
                t.employment.zh,
                t.education.zh if t.education else "",
                para(t.title or "—", styles.cell),
                para("；".join(quals) or "（无证书记录）", styles.cell),
            ]
        )
    widths = [9 * mm, 15 * mm, 9 * mm, 33 * mm, 11 * mm, 16 * mm, 20 * mm]
    widths.append(w - sum(widths))
    return data_table(
        ["序号", "姓名", "性别", "身份证号", "聘用", "学历", "职称", "资格证书（编号、等级、有效期）"],
        rows,
        widths,
        styles.fonts,
        size=8.5,
        center_cols=(0, 2, 4),
    )


def venues_equipment(session, cls: TrainingClass, styles: Styles) -> list:
    w = frame_width()
    venues = class_venues(cls)
    vrows = [
        [
            str(i),
            para(v.name, styles.cell),
            v.kind.zh,
            para(v.address or "—", styles.cell),
            f"{v.area_m2}" if v.area_m2 is not None else "—",
            str(v.seats),
        ]
        for i, v in enumerate(venues, 1)
    ]
    widths = [10 * mm, 34 * mm, 24 * mm, 0, 20 * mm, 16 * mm]
    widths[3] = w - sum(widths)
    out = [
        para("（一）培训场地", styles.h2),
        data_table(
            ["序号", "场地名称", "类型", "地址", "面积（㎡）", "座位"], vrows, widths, styles.fonts, center_cols=(0, 4, 5)
        ),
    ]
    ids = [v.id for v in venues]
    equipment = (
        session.scalars(sa.select(Equipment).where(Equipment.venue_id.in_(ids)).order_by(Equipment.venue_id, Equipment.id)).all()
        if ids
        else []
    )
    names = {v.id: v.name for v in venues}
    erows = [
        [
            str(i),
            para(e.name, styles.cell),
            para(e.model or "—", styles.cell),
            f"{e.quantity} {e.unit}",
            e.status.zh,
            para(names.get(e.venue_id, ""), styles.cell),
        ]
        for i, e in enumerate(equipment, 1)
    ]
    widths = [10 * mm, 0, 34 * mm, 18 * mm, 16 * mm, 36 * mm]
    widths[1] = w - sum(widths)
    out += [para("（二）实训设备", styles.h2)]
    if erows:
        out.append(
            data_table(
                ["序号", "设备名称", "规格型号", "数量", "状态", "所在场地"], erows, widths, styles.fonts, center_cols=(0, 3, 4)
            )
        )
    else:
        out.append(para("（所用场地未登记设备）", styles.body))
    return out


def assessment(cls: TrainingClass, styles: Styles) -> list:
    plan = cls.assessment_plan.strip() or "（未填写考核方案）"
    cert = "专项职业能力证书" if cls.level.value == "special" else "职业技能等级证书"
    w = frame_width()
    rows = [
        ["考核职业（工种）", f"{cls.trade.name} {cls.level.zh}"],
        ["拟发证书", cert],
        ["考核时间", f"培训结束后（{day(cls.end_date)} 前后）"],
    ]
    # The plan is free text of any length: as paragraphs it flows across pages, where a table
    # row (which never splits) could not hold more than a page.
    return [
        form_table(rows, [36 * mm, w - 36 * mm], styles.fonts, label_cells=[(0, r) for r in range(3)]),
        para("考核方式与标准", styles.h2),
        *[para(line, styles.indent) for line in plan.splitlines() if line.strip()],
    ]


def pledge(cls: TrainingClass, styles: Styles) -> list:
    inst = cls.institution
    paragraphs = [
        f"本机构（{inst.name}，统一社会信用代码 {inst.uscc}）申请举办“{cls.name}”（班级编号 {cls.code}），郑重承诺：",
        "一、所报学员、师资、场地、培训方式、职业（工种）和课时等信息真实、准确、完整，学员均为本人自愿参加培训；",
        "二、严格按照批准的培训计划和课程安排组织教学，不擅自变更培训内容、时间、地点和授课教师，确需变更的及时报告；",
        "三、落实实名制签到和考勤管理，如实记录出勤情况，培训资料“一班一档”完整保存备查；",
        "四、不以虚报学员、虚增课时、冒名顶替等方式套取、骗取职业技能培训补贴资金；",
        "五、自觉接受人力资源社会保障、财政等部门的监督检查。",
        "如有违反，本机构自愿承担相应法律责任，并接受取消定点培训资格等处理。",
    ]
    out = [para(p, styles.indent if i else styles.body) for i, p in enumerate(paragraphs)]
    out += [
        gap(14),
        para("法定代表人（签字）：______________", styles.right),
        gap(6),
        para("承诺单位（盖章）：______________", styles.right),
        gap(6),
        para("年　　月　　日", styles.right),
    ]
    return out


def application_story(session, cls: TrainingClass, styles: Styles, found: list[data.FindingRow] | None) -> list:
    w = frame_width()
    story: list = [
        para("职业技能培训开班申请表", styles.title),
        para(f"申报单位：{cls.institution.name}　　　班级编号：{cls.code}", styles.subtitle),
        para("一、培训机构基本情况", styles.h2),
        institution_form(cls, styles),
        para("二、培训班基本情况", styles.h2),
        class_form(cls, styles),
        para("三、开班要素（学员、师资、场地、方式、工种、课时）", styles.h2),
        six_elements(cls, found, styles),
        para("四、开班条件核查", styles.h2),
        *findings_checklist(found, styles),
        keep(
            para("五、申报单位意见", styles.h2),
            signature_block(
                styles,
                [
                    "以上情况及所附材料真实有效，申请举办本期培训班。",
                    "",
                    ("法定代表人（签字）：", "单位（盖章）"),
                    ("", "年　　月　　日"),
                ],
                w,
                34 * mm,
            ),
        ),
        keep(
            para("六、县级人力资源社会保障部门审核意见", styles.h2),
            signature_block(
                styles,
                [
                    "□ 同意开班，批文号：____________________",
                    "□ 不同意，理由：",
                    "",
                    ("经办人：　　　　　　审核人：", "（盖章）"),
                    ("", "年　　月　　日"),
                ],
                w,
                42 * mm,
            ),
        ),
    ]
    attachments = [
        ("附件 1  学员花名册", [roster(cls, styles, full_ids=True)]),
        ("附件 2  课程安排表", [timetable(cls, styles)]),
        ("附件 3  师资情况表", [teachers_table(cls, styles)]),
        ("附件 4  场地设备情况表", venues_equipment(session, cls, styles)),
        ("附件 5  考核方案", assessment(cls, styles)),
        ("附件 6  承诺书", pledge(cls, styles)),
    ]
    for title, flowables in attachments:
        story += [PageBreak(), para(title, styles.h1), para(f"{cls.name}（{cls.code}）", styles.small), gap(2), *flowables]
    return story


def build_application(
    session,
    cls: TrainingClass,
    target: str | Path | IO[bytes],
    *,
    fonts: FontSet | None = None,
    progress: Progress = None,
) -> BuildResult:
    fonts = fonts or fonts_for(session)
    styles = Styles(fonts)
    settings = data.settings_for(session)
    found = data.findings(session, cls, settings)
    info = PageInfo(
        title="开班申请表",
        institution=cls.institution.name,
        class_code=cls.code,
        subject=f"{cls.name} 开班申请表及附件",
        generated_at=now_utc(),
        fonts=fonts,
        keywords="开班申请表 花名册 课程安排表 zunyi-trainer",
    )
    result = build_pdf(target, info, application_story(session, cls, styles, found), progress=progress)
    result.warnings = data.glyph_warnings(fonts, cls)
    return result
