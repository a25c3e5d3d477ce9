"""``county report --year Y -o FILE.xlsx|.pdf``: the county's view of a year across its schools.

Per school and county-wide:

* **trainees trained by industry** (人次): enrolments, not withdrawn, of classes that finished in
  the year (completed or archived, ``end_date`` in the year), by the industry of the class's
  trade, against the plan's 2023–2025 targets (``reference.PLAN_INDUSTRY_TARGETS``), with the
  running total since 2023;
* **attendance**: the marks of sessions held in the year, by status, and the periods attended
  (出勤, 迟到 and 早退 marks count the session's periods) against the periods marked;
* **subsidy**: the amounts the schools determined (``enrollment.subsidy_fen``) for the year's
  finished classes, and the amount the county's own check of the same classes gives
  (``subsidy.class_subsidy`` with the county database's rule settings);
* **schools to follow up**: a registered school whose last batch is older than ``overdue_days``
  (or that never sent one), and a school whose rule findings block (``rules.check_school``, and
  ``rules.check_class`` of its classes that are submitted, approved or running).

:func:`build_report` computes the figures; :func:`write_xlsx` and :func:`write_pdf` lay them out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer.county.state import county_batch, county_school
from zunyi_trainer.db import Register
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import (
    Attendance,
    AttendanceStatus,
    ClassSession,
    ClassStatus,
    Enrollment,
    EnrollmentResult,
    Funding,
    Industry,
    Institution,
    Trade,
    Trainee,
    TrainingClass,
)
from zunyi_trainer.reference import PLAN_INDUSTRY_TARGETS, PLAN_TOTAL_TARGET, county_name
from zunyi_trainer.timeutil import now_utc, to_local, today_local

Progress = Callable[[int, int], None]

PLAN_FIRST_YEAR = 2023
FINISHED = (ClassStatus.COMPLETED, ClassStatus.ARCHIVED)
ACTIVE = (ClassStatus.SUBMITTED, ClassStatus.APPROVED, ClassStatus.IN_PROGRESS)
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EARLY_LEAVE)
DEFAULT_OVERDUE_DAYS = 35  # a batch a month, and a few days for the stick to travel


@dataclasses.dataclass
class SchoolFigures:
    uscc: str
    name: str
    county: str
    registered: bool
    classes: int = 0  # finished in the year
    trained: int = 0
    passed: int = 0
    by_industry: Counter = dataclasses.field(default_factory=Counter)
    marks: Counter = dataclasses.field(default_factory=Counter)  # AttendanceStatus value -> count
    attended_periods: int = 0
    marked_periods: int = 0
    subsidy_determined_fen: int = 0
    subsidy_checked_fen: int = 0
    subsidy_eligible: int = 0
    batches: int = 0
    last_seq: int | None = None
    last_batch_at: dt.datetime | None = None  # when the school exported its latest batch
    last_ingested_at: dt.datetime | None = None
    overdue: bool = False
    blocking: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)  # (class code, code, message)

    @property
    def attendance_rate(self) -> float | None:
        return self.attended_periods / self.marked_periods if self.marked_periods else None


@dataclasses.dataclass
class IndustryFigures:
    industry: Industry
    trained: int
    passed: int
    since_plan_start: int  # trained in PLAN_FIRST_YEAR .. year
    target: int | None  # the plan's 2023–2025 target, where it sets one

    @property
    def share(self) -> float | None:
        return self.since_plan_start / self.target if self.target else None


@dataclasses.dataclass(frozen=True)
class ClassRef:
    uscc: str
    school: str
    class_code: str
    start: dt.date
    end: dt.date


@dataclasses.dataclass(frozen=True)
class CrossSchoolOverlap:
    """One person (by ID number) in subsidised classes of two schools whose dates overlap: only
    the county, holding every school, can see it (plan item 22: a subsidy is paid once)."""

    id_masked: str
    name: str
    first: ClassRef
    second: ClassRef


@dataclasses.dataclass
class CountyReport:
    year: int
    as_of: dt.date
    generated_at: dt.datetime
    overdue_days: int
    schools: list[SchoolFigures]
    industries: list[IndustryFigures]
    since_plan_start: int
    cross_school: list[CrossSchoolOverlap] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> SchoolFigures:
        t = SchoolFigures("", text("全县合计", "County total"), "", True)
        for s in self.schools:
            t.classes += s.classes
            t.trained += s.trained
            t.passed += s.passed
            t.by_industry.update(s.by_industry)
            t.marks.update(s.marks)
            t.attended_periods += s.attended_periods
            t.marked_periods += s.marked_periods
            t.subsidy_determined_fen += s.subsidy_determined_fen
            t.subsidy_checked_fen += s.subsidy_checked_fen
            t.subsidy_eligible += s.subsidy_eligible
            t.batches += s.batches
        return t

    @property
    def follow_up(self) -> list[SchoolFigures]:
        shared = {ref.uscc for o in self.cross_school for ref in (o.first, o.second)}
        return [s for s in self.schools if s.overdue or s.blocking or s.uscc in shared]


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _as_instant(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _trained(session: Session, first: dt.date, last: dt.date):
    """(institution id, industry, passed?) of each trainee-class of classes finished between the dates."""
    return session.execute(
        sa.select(TrainingClass.institution_id, Trade.industry, Enrollment.result)
        .join(Trade, Trade.id == TrainingClass.trade_id)
        .join(Enrollment, Enrollment.class_id == TrainingClass.id)
        .where(
            TrainingClass.status.in_(FINISHED),
            TrainingClass.end_date >= first,
            TrainingClass.end_date <= last,
            Enrollment.withdrawn_on.is_(None),
        )
    ).all()


def cross_school_overlaps(session: Session, first: dt.date, last: dt.date) -> list[CrossSchoolOverlap]:
    """People in subsidised classes of two different schools at overlapping dates, one of them
    running within ``first``..``last`` (enrolments subsidised, not withdrawn, classes not rejected)."""
    from sqlalchemy.orm import aliased

    from zunyi_trainer.idcard import mask

    t1, t2 = aliased(Trainee), aliased(Trainee)
    e1, e2 = aliased(Enrollment), aliased(Enrollment)
    c1, c2 = aliased(TrainingClass), aliased(TrainingClass)
    i1, i2 = aliased(Institution), aliased(Institution)

    def counted(e, c):
        return sa.and_(
            e.subsidised.is_(True),
            e.withdrawn_on.is_(None),
            c.funding == Funding.SUBSIDISED,
            c.status != ClassStatus.REJECTED,
        )

    rows = session.execute(
        sa.select(
            t1.id_number,
            t1.name,
            i1.uscc,
            i1.name,
            c1.code,
            c1.start_date,
            c1.end_date,
            i2.uscc,
            i2.name,
            c2.code,
            c2.start_date,
            c2.end_date,
        )
        .join(e1, e1.trainee_id == t1.id)
        .join(c1, c1.id == e1.class_id)
        .join(i1, i1.id == c1.institution_id)
        .join(t2, sa.and_(t2.id_number == t1.id_number, t2.institution_id != t1.institution_id))
        .join(e2, e2.trainee_id == t2.id)
        .join(c2, c2.id == e2.class_id)
        .join(i2, i2.id == c2.institution_id)
        .where(
            i1.uscc < i2.uscc,
            counted(e1, c1),
            counted(e2, c2),
            c1.start_date <= c2.end_date,
            c2.start_date <= c1.end_date,
            sa.or_(sa.and_(c1.start_date <= last, c1.end_date >= first), sa.and_(c2.start_date <= last, c2.end_date >= first)),
        )
        .order_by(i1.uscc, c1.code, t1.id_number, i2.uscc, c2.code)
    ).all()
    return [
        CrossSchoolOverlap(mask(r[0]), r[1], ClassRef(r[2], r[3], r[4], r[5], r[6]), ClassRef(r[7], r[8], r[9], r[10], r[11]))
        for r in rows
    ]


def build_report(
    register: Register,
    year: int,
    *,
    overdue_days: int = DEFAULT_OVERDUE_DAYS,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> CountyReport:
    from zunyi_trainer.rules import check_class, check_school
    from zunyi_trainer.settings import load_settings
    from zunyi_trainer.subsidy import class_subsidy

    if not 2000 <= year <= 2100:
        raise ValidationError(
            "年份 {y} 不合理，请填写四位年份，如 2026。",
            "The year {y} is not plausible; give a year such as 2026.",
            field="year",
            y=year,
        )
    if overdue_days < 1:
        raise ValidationError("逾期天数应至少为 1。", "The overdue days must be at least 1.", field="overdue_days")
    as_of = as_of or today_local()
    first, last = _year_bounds(year)
    report = progress or (lambda done, total: None)
    with register.session() as s:
        settings = load_settings(s)
        institutions = s.scalars(sa.select(Institution).order_by(Institution.uscc)).all()
        registered = {r.uscc: r.name for r in s.execute(sa.select(county_school.c.uscc, county_school.c.name))}
        schools: dict[str, SchoolFigures] = {}
        by_id: dict[int, SchoolFigures] = {}
        for inst in institutions:
            f = SchoolFigures(inst.uscc, inst.name, county_name(inst.county), inst.uscc in registered)
            schools[inst.uscc] = by_id[inst.id] = f
        for uscc, name in registered.items():
            schools.setdefault(uscc, SchoolFigures(uscc, name or uscc, "", True))

        trained_by_industry: Counter = Counter()
        passed_by_industry: Counter = Counter()
        for inst_id, industry, result in _trained(s, first, last):
            f, industry = by_id[inst_id], Industry(industry)
            passed = EnrollmentResult(result) is EnrollmentResult.PASSED
            f.trained += 1
            f.by_industry[industry] += 1
            trained_by_industry[industry] += 1
            if passed:
                f.passed += 1
                passed_by_industry[industry] += 1
        since: Counter = Counter(Industry(row[1]) for row in _trained(s, dt.date(PLAN_FIRST_YEAR, 1, 1), last))
        for inst_id, n in s.execute(
            sa.select(TrainingClass.institution_id, sa.func.count())
            .where(TrainingClass.status.in_(FINISHED), TrainingClass.end_date >= first, TrainingClass.end_date <= last)
            .group_by(TrainingClass.institution_id)
        ):
            by_id[inst_id].classes = n

        marks = s.execute(
            sa.select(TrainingClass.institution_id, Attendance.status, sa.func.count(), sa.func.sum(ClassSession.periods))
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
            .where(ClassSession.date >= first, ClassSession.date <= last)
            .group_by(TrainingClass.institution_id, Attendance.status)
        ).all()
        for inst_id, status, n, periods in marks:
            f = by_id[inst_id]
            status = AttendanceStatus(status)
            f.marks[status.value] += n
            f.marked_periods += int(periods or 0)
            if status in ATTENDED:
                f.attended_periods += int(periods or 0)

        for inst_id, fen in s.execute(
            sa.select(TrainingClass.institution_id, sa.func.sum(Enrollment.subsidy_fen))
            .join(Enrollment, Enrollment.class_id == TrainingClass.id)
            .where(TrainingClass.status.in_(FINISHED), TrainingClass.end_date >= first, TrainingClass.end_date <= last)
            .group_by(TrainingClass.institution_id)
        ):
            by_id[inst_id].subsidy_determined_fen = int(fen or 0)

        finished = s.scalars(
            sa.select(TrainingClass)
            .where(
                TrainingClass.status.in_(FINISHED),
                TrainingClass.funding == Funding.SUBSIDISED,
                TrainingClass.end_date >= first,
                TrainingClass.end_date <= last,
            )
            .order_by(TrainingClass.institution_id, TrainingClass.code)
        ).all()
        active = s.scalars(
            sa.select(TrainingClass)
            .where(TrainingClass.status.in_(ACTIVE))
            .order_by(TrainingClass.institution_id, TrainingClass.code)
        ).all()
        total_steps = len(finished) + len(active) + len(institutions)
        done = 0
        report(done, total_steps)
        for cls in finished:
            summary = class_subsidy(s, cls, settings, as_of=cls.end_date)
            f = by_id[cls.institution_id]
            f.subsidy_checked_fen += summary.total_fen
            f.subsidy_eligible += summary.eligible_count
            done += 1
            report(done, total_steps)
        for cls in active:
            for finding in check_class(s, cls, settings, today=as_of):
                if finding.blocks:
                    by_id[cls.institution_id].blocking.append((cls.code, finding.code, finding.message))
            done += 1
            report(done, total_steps)
        for inst in institutions:
            for finding in check_school(s, inst, settings, today=as_of):
                if finding.blocks:
                    by_id[inst.id].blocking.append(("", finding.code, finding.message))
            done += 1
            report(done, total_steps)

        for uscc, n, last_seq in s.execute(
            sa.select(county_batch.c.uscc, sa.func.count(), sa.func.max(county_batch.c.seq)).group_by(county_batch.c.uscc)
        ):
            if uscc in schools:
                schools[uscc].batches, schools[uscc].last_seq = n, last_seq
        for f in schools.values():
            if f.last_seq is None:
                continue
            row = s.execute(
                sa.select(county_batch.c.created_at, county_batch.c.ingested_at).where(
                    county_batch.c.uscc == f.uscc, county_batch.c.seq == f.last_seq
                )
            ).one()
            f.last_batch_at, f.last_ingested_at = _as_instant(row.created_at), _as_instant(row.ingested_at)
        cross = cross_school_overlaps(s, first, last)
        for f in schools.values():
            if not f.registered:
                continue
            if f.last_batch_at is None:
                f.overdue = True
            else:
                f.overdue = (as_of - to_local(f.last_batch_at).date()).days > overdue_days

    industries = []
    listed = [*PLAN_INDUSTRY_TARGETS, *(i for i in Industry if i not in PLAN_INDUSTRY_TARGETS)]
    for industry in listed:
        industries.append(
            IndustryFigures(
                industry,
                trained_by_industry[industry],
                passed_by_industry[industry],
                since[industry],
                PLAN_INDUSTRY_TARGETS.get(industry),
            )
        )
    return CountyReport(
        year,
        as_of,
        now_utc(),
        overdue_days,
        sorted(schools.values(), key=lambda f: (f.county, f.uscc)),
        industries,
        sum(since.values()),
        cross,
    )


# --- writing ------------------------------------------------------------------------------------


def write_report(report: CountyReport, target: Path | str, *, fonts_session: Session | None = None) -> Path:
    target = Path(target).expanduser()
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(report, target)
    if suffix == ".pdf":
        return write_pdf(report, target, session=fonts_session)
    raise ValidationError(
        "报告文件应以 .xlsx 或 .pdf 结尾（现在是“{name}”）。",
        "The report must be named *.xlsx or *.pdf (got “{name}”).",
        field="output",
        code="county.report_suffix",
        name=target.name,
    )


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


STATUS_ORDER = [s for s in AttendanceStatus]


def _follow_up_rows(report: CountyReport) -> list[list[object]]:
    rows: list[list[object]] = []
    for f in report.follow_up:
        if f.overdue:
            if f.last_batch_at is None:
                why = "从未报送批次"
            else:
                days = (report.as_of - to_local(f.last_batch_at).date()).days
                why = f"最近批次 {f.last_seq} 导出于 {to_local(f.last_batch_at).date().isoformat()}，已 {days} 天（超过 {report.overdue_days} 天）"
            rows.append([f.uscc, f.name, "批次逾期", "", "", why])
        for class_code, code, message in f.blocking:
            rows.append([f.uscc, f.name, "规则阻断", class_code, code, message])
        for o in report.cross_school:
            for mine, other in ((o.first, o.second), (o.second, o.first)):
                if mine.uscc == f.uscc:
                    why = (
                        f"学员 {o.name}（{o.id_masked}）同期在 {other.school}（{other.uscc}）的补贴性培训班 {other.class_code}"
                        f"（{other.start.isoformat()}–{other.end.isoformat()}）参训，补贴只能享受一次"
                    )
                    rows.append([f.uscc, f.name, "跨校重复参训", mine.class_code, "county.cross_school_overlap", why])
    return rows


def write_xlsx(report: CountyReport, target: Path) -> Path:
    from zunyi_trainer.excel.writing import DATE, DATETIME, INT, MONEY, PERCENT, TEXT, Column, SheetSpec, write_workbook

    total = report.total
    industry_rows = [
        [i.industry.zh, i.trained, i.passed, i.since_plan_start, i.target, _rate(i.share)] for i in report.industries
    ]
    industry_rows.append(
        [
            "合计",
            total.trained,
            total.passed,
            report.since_plan_start,
            PLAN_TOTAL_TARGET,
            _rate(report.since_plan_start / PLAN_TOTAL_TARGET),
        ]
    )
    status_cols = [Column(f"{st.zh}（次）", INT) for st in STATUS_ORDER]

    def school_row(f: SchoolFigures) -> list[object]:
        return [
            f.uscc,
            f.name,
            f.county,
            f.classes,
            f.trained,
            f.passed,
            *[f.marks.get(st.value, 0) for st in STATUS_ORDER],
            f.attended_periods,
            f.marked_periods,
            _rate(f.attendance_rate),
            f.subsidy_determined_fen,
            f.subsidy_checked_fen,
            f.subsidy_eligible,
            f.batches,
            f.last_seq,
            f.last_batch_at,
            "是" if f.overdue else "",
            len(f.blocking),
        ]

    school_cols = [
        Column("统一社会信用代码", TEXT),
        Column("学校"),
        Column("县（市、区）"),
        Column("结业班数", INT),
        Column("培训人次", INT),
        Column("考核合格人次", INT),
        *status_cols,
        Column("出勤课时", INT),
        Column("考勤课时", INT),
        Column("出勤率", PERCENT),
        Column("学校核定补贴（元）", MONEY),
        Column("县局复核补贴（元）", MONEY),
        Column("复核可补贴人数", INT),
        Column("已收批次数", INT),
        Column("最近批次序号", INT),
        Column("最近批次导出时间", DATETIME),
        Column("批次逾期", TEXT),
        Column("阻断问题数", INT),
    ]
    industries = [i.industry for i in report.industries]
    by_school_industry = [[f.uscc, f.name, *[f.by_industry.get(ind, 0) for ind in industries], f.trained] for f in report.schools]
    notes = [
        f"统计年度：{report.year}；截至 {report.as_of.isoformat()}；生成于 {to_local(report.generated_at):%Y-%m-%d %H:%M}。",
        "培训人次：当年结业（已结业、已归档）培训班中未退学的学员；规划目标为“技能遵义”行动 2023–2025 年目标。",
        "出勤课时：出勤、迟到、早退按该课次的课时计；考勤课时为已登记考勤的课时。",
        "学校核定补贴为各校登记的补贴金额；县局复核补贴为按县局数据库的规则设置重新计算的金额。",
    ]
    sheets = [
        SheetSpec(
            "全县分产业",
            [
                Column("产业"),
                Column(f"{report.year} 年培训人次", INT),
                Column("考核合格人次", INT),
                Column(f"{PLAN_FIRST_YEAR}–{report.year} 累计", INT),
                Column("规划目标（2023–2025）", INT),
                Column("完成比例", PERCENT),
            ],
            industry_rows,
            title=f"{report.year} 年县域职业技能培训汇总",
            notes=notes,
        ),
        SheetSpec(
            "各校汇总", school_cols, [*map(school_row, report.schools), school_row(total)], title=f"{report.year} 年各校汇总"
        ),
        SheetSpec(
            "各校分产业",
            [Column("统一社会信用代码", TEXT), Column("学校"), *[Column(ind.zh, INT) for ind in industries], Column("合计", INT)],
            by_school_industry,
            title=f"{report.year} 年各校分产业培训人次",
        ),
        SheetSpec(
            "需跟进学校",
            [
                Column("统一社会信用代码", TEXT),
                Column("学校"),
                Column("类别"),
                Column("培训班"),
                Column("规则代码"),
                Column("说明"),
            ],
            _follow_up_rows(report),
            title="批次逾期、规则阻断或有跨校重复参训的学校",
        ),
        SheetSpec(
            "跨校重复参训",
            [
                Column("身份证号（脱敏）", TEXT),
                Column("姓名"),
                Column("学校一"),
                Column("培训班一"),
                Column("开班", DATE),
                Column("结业", DATE),
                Column("学校二"),
                Column("培训班二"),
                Column("开班", DATE),
                Column("结业", DATE),
            ],
            [
                [
                    o.id_masked,
                    o.name,
                    f"{o.first.school}（{o.first.uscc}）",
                    o.first.class_code,
                    o.first.start,
                    o.first.end,
                    f"{o.second.school}（{o.second.uscc}）",
                    o.second.class_code,
                    o.second.start,
                    o.second.end,
                ]
                for o in report.cross_school
            ],
            title="同一人同期在两所学校的补贴性培训班参训",
            notes=["同一学员同期参加两所学校的补贴性培训，补贴只能享受一次（“技能遵义”第 22 条）；请与两校核实。"],
        ),
    ]
    return write_workbook(target, sheets)


def write_pdf(report: CountyReport, target: Path, *, session: Session | None = None) -> Path:
    from zunyi_trainer.documents.fonts import fonts_for
    from zunyi_trainer.documents.layout import PageInfo, Styles, build_pdf, data_table, frame_width, gap, para, yuan

    fonts = fonts_for(session)
    styles = Styles(fonts)
    styles.h1.keepWithNext = True  # a section's heading never ends a page without its table
    total = report.total
    w = frame_width(wide=True)
    story = [
        para(f"{report.year} 年县域职业技能培训汇总", styles.title),
        para(
            f"截至 {report.as_of.isoformat()}，共 {len(report.schools)} 所学校；培训人次 {total.trained}，"
            f"考核合格 {total.passed}；学校核定补贴 {yuan(total.subsidy_determined_fen)}，县局复核 {yuan(total.subsidy_checked_fen)}。",
            styles.body,
        ),
        gap(),
        para("一、分产业培训人次与规划目标", styles.h1),
    ]
    rows = [
        [
            i.industry.zh,
            i.trained,
            i.passed,
            i.since_plan_start,
            f"{i.target:,}" if i.target else "—",
            "—" if i.share is None else f"{i.share:.1%}",
        ]
        for i in report.industries
    ]
    rows.append(
        [
            "合计",
            total.trained,
            total.passed,
            report.since_plan_start,
            f"{PLAN_TOTAL_TARGET:,}",
            f"{report.since_plan_start / PLAN_TOTAL_TARGET:.1%}",
        ]
    )
    story.append(
        data_table(
            ["产业", f"{report.year} 年人次", "合格人次", f"{PLAN_FIRST_YEAR}–{report.year} 累计", "规划目标", "完成比例"],
            rows,
            [w * x for x in (0.25, 0.15, 0.15, 0.15, 0.15, 0.15)],
            fonts,
            center_cols=(1, 2, 3, 4, 5),
        )
    )
    story += [gap(), para("二、各校培训、考勤与补贴", styles.h1)]
    school_rows = []
    for f in [*report.schools, total]:
        rate = f.attendance_rate
        school_rows.append(
            [
                para(f.name, styles.cell),
                f.county,
                f.classes,
                f.trained,
                f.passed,
                f"{f.attended_periods}/{f.marked_periods}",
                "—" if rate is None else f"{rate:.1%}",
                yuan(f.subsidy_determined_fen),
                yuan(f.subsidy_checked_fen),
                "—" if f.last_seq is None else str(f.last_seq),
                "逾期" if f.overdue else "",
            ]
        )
    story.append(
        data_table(
            [
                "学校",
                "县（市、区）",
                "结业班",
                "人次",
                "合格",
                "出勤/考勤课时",
                "出勤率",
                "学校核定补贴",
                "县局复核补贴",
                "最近批次",
                "批次",
            ],
            school_rows,
            [w * x for x in (0.2, 0.09, 0.06, 0.06, 0.06, 0.1, 0.07, 0.11, 0.11, 0.07, 0.07)],
            fonts,
            size=8,
            center_cols=(2, 3, 4, 5, 6, 9, 10),
        )
    )
    story += [gap(), para("三、需跟进的学校（批次逾期、规则阻断或跨校重复参训）", styles.h1)]
    follow = _follow_up_rows(report)
    if follow:
        story.append(
            data_table(
                ["学校", "类别", "培训班", "说明"],
                [[para(r[1], styles.cell), r[2], r[3], para(r[5], styles.cell)] for r in follow],
                [w * 0.22, w * 0.1, w * 0.1, w * 0.58],
                fonts,
                size=8,
            )
        )
    else:
        story.append(para("没有批次逾期或规则阻断的学校。", styles.body))
    info = PageInfo(
        title=f"{report.year} 年县域职业技能培训汇总",
        institution="县人社局",
        class_code="",
        subject="county report",
        generated_at=report.generated_at,
        fonts=fonts,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        build_pdf(partial, info, story, wide=True)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
