"""The figures of the dashboard (概览), computed from the register without Qt.

One call, :func:`load_dashboard`, reads everything the overview page shows: the tiles, the
school's trainees by industry against the plan's targets, attendance over recent weeks and the
alerts that want the administrator's attention, each naming the record to open. It only reads,
and it reports progress, so the GUI can run it off the UI thread.

What each figure counts:

- *trained this year*: distinct trainees, not withdrawn, in classes that were running or ended
  this year (started on or before today, ending on or after 1 January; in progress, completed or
  archived);
- *average attendance*: attended 课时 over counted 课时 (the rule of ``attendance.class_rates``)
  of every enrolment in those same classes;
- *subsidy due*: ``subsidy.year_subsidy`` of this year (subsidised classes completed this year);
- *by industry*: enrolments (人次, not withdrawn) of classes that took place (in progress, completed,
  archived), split into the plan's period 2023–2025 and the time after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from zunyi_trainer.attendance import PeriodTotals, class_rates, daily_totals, enrolment_totals
from zunyi_trainer.i18n import text
from zunyi_trainer.models import (
    AuditEvent,
    BatchState,
    ClassSession,
    ClassStatus,
    Enrollment,
    EnrollmentResult,
    ExportBatch,
    Funding,
    Industry,
    Institution,
    Qualification,
    Teacher,
    Trade,
    TrainingClass,
)
from zunyi_trainer.reference import PLAN_INDUSTRY_TARGETS, PLAN_TOTAL_TARGET
from zunyi_trainer.settings import RuleSettings, load_settings
from zunyi_trainer.timeutil import today_local

PLAN_START = dt.date(2023, 1, 1)
PLAN_END = dt.date(2025, 12, 31)
WEEKS = 8  # attendance over this many weeks, the current one last
UNAPPROVED_HORIZON_DAYS = 30  # a class starting within this many days should be approved by now
TOOK_PLACE = (ClassStatus.IN_PROGRESS, ClassStatus.COMPLETED, ClassStatus.ARCHIVED)
CHECKED = (ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.REJECTED, ClassStatus.APPROVED, ClassStatus.IN_PROGRESS)

Progress = Callable[[int, int], None]

# Alert kinds, in the order the list shows them.
FINDING = "finding"
QUALIFICATION = "qualification"
UNAPPROVED = "unapproved"
LOW_ATTENDANCE = "low_attendance"
BATCH = "batch"
KIND_ORDER = (FINDING, UNAPPROVED, QUALIFICATION, LOW_ATTENDANCE, BATCH)


@dataclasses.dataclass(frozen=True)
class Tiles:
    trained_this_year: int
    trainees_in_register: int
    classes_by_status: dict[ClassStatus, int]
    attended_periods: float
    counted_periods: int
    subsidy_due_fen: int
    subsidy_trainees: int
    subsidy_classes: int

    @property
    def average_attendance(self) -> float | None:
        """Attended over counted 课时; ``None`` when nothing counts yet."""
        return min(1.0, self.attended_periods / self.counted_periods) if self.counted_periods else None

    @property
    def classes_total(self) -> int:
        return sum(self.classes_by_status.values())


@dataclasses.dataclass(frozen=True)
class IndustryFigure:
    industry: Industry | None  # None: every industry without a target of its own
    in_plan_period: int  # 人次 in classes that started 2023–2025
    after_plan: int  # 人次 in classes that started after 2025
    target: int | None

    @property
    def share_of_target(self) -> float | None:
        return self.in_plan_period / self.target if self.target else None


@dataclasses.dataclass(frozen=True)
class WeekFigure:
    monday: dt.date
    attended_periods: float
    counted_periods: int
    sessions: int

    @property
    def rate(self) -> float | None:
        return min(1.0, self.attended_periods / self.counted_periods) if self.counted_periods else None


@dataclasses.dataclass(frozen=True)
class Alert:
    kind: str  # FINDING, QUALIFICATION, UNAPPROVED, LOW_ATTENDANCE or BATCH
    blocks: bool
    subject: str  # who or what: a class code, a teacher's name …
    message: str  # a sentence in the user's language
    record: tuple[str, str] | None  # (table name, uuid) of the record to open
    code: str = ""  # the rule's code, for findings
    day: dt.date | None = None  # the date that makes it urgent, when there is one


@dataclasses.dataclass(frozen=True)
class Dashboard:
    today: dt.date
    institution: str
    tiles: Tiles
    industries: tuple[IndustryFigure, ...]
    weeks: tuple[WeekFigure, ...]
    alerts: tuple[Alert, ...]
    plan_total_target: int = PLAN_TOTAL_TARGET

    def alerts_of(self, kind: str) -> list[Alert]:
        return [a for a in self.alerts if a.kind == kind]


def _record(table: str, uuid: object) -> tuple[str, str]:
    return (table, str(uuid))


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


# --- tiles ---------------------------------------------------------------------------------------


def _classes_of_year(session: Session, today: dt.date) -> list[TrainingClass]:
    return list(
        session.scalars(
            sa.select(TrainingClass)
            .where(
                TrainingClass.status.in_(TOOK_PLACE),
                TrainingClass.start_date <= today,
                TrainingClass.end_date >= dt.date(today.year, 1, 1),
            )
            .order_by(TrainingClass.id)
        )
    )


def _chunks(values: list[int], size: int = 500):
    for i in range(0, len(values), size):
        yield values[i : i + size]


@dataclasses.dataclass(frozen=True)
class _Enrolment:
    id: int
    class_id: int
    subsidised: bool
    withdrawn_on: dt.date | None
    result: str


def _enrolments(session: Session, class_ids: list[int]) -> dict[int, list[_Enrolment]]:
    enr_t = Enrollment.__table__
    found: dict[int, list[_Enrolment]] = defaultdict(list)
    for ids in _chunks(sorted(class_ids)):
        for r in session.execute(
            sa.select(
                enr_t.c.id,
                enr_t.c.class_id,
                enr_t.c.subsidised,
                enr_t.c.withdrawn_on,
                sa.type_coerce(enr_t.c.result, sa.String).label("result"),
            ).where(enr_t.c.class_id.in_(ids))
        ):
            found[r.class_id].append(_Enrolment(r.id, r.class_id, bool(r.subsidised), r.withdrawn_on, r.result))
    return found


def _overlapping(session: Session, class_ids: list[int]) -> set[int]:
    """Enrolments (of ``class_ids``) whose trainee is also, subsidised and not withdrawn, in another
    subsidised class overlapping in dates: the rule of ``subsidy.class_subsidy``, for many classes."""
    from sqlalchemy.orm import aliased

    this_c, other_e, other_c = aliased(TrainingClass), aliased(Enrollment), aliased(TrainingClass)
    found: set[int] = set()
    for ids in _chunks(class_ids):
        found.update(
            session.scalars(
                sa.select(Enrollment.id)
                .join(this_c, this_c.id == Enrollment.class_id)
                .join(other_e, sa.and_(other_e.trainee_id == Enrollment.trainee_id, other_e.id != Enrollment.id))
                .join(other_c, other_c.id == other_e.class_id)
                .where(
                    Enrollment.class_id.in_(ids),
                    other_c.id != this_c.id,
                    other_c.funding == Funding.SUBSIDISED,
                    other_c.status != ClassStatus.REJECTED,
                    other_e.subsidised.is_(True),
                    other_e.withdrawn_on.is_(None),
                    other_c.start_date <= this_c.end_date,
                    this_c.start_date <= other_c.end_date,
                )
            )
        )
    return found


def tiles(session: Session, settings: RuleSettings, today: dt.date, institution: Institution | None) -> Tiles:
    from zunyi_trainer.models import Trainee

    year_classes = _classes_of_year(session, today)
    trained = (
        session.scalar(
            sa.select(sa.func.count(sa.distinct(Enrollment.trainee_id)))
            .join(TrainingClass, Enrollment.class_id == TrainingClass.id)
            .where(
                TrainingClass.status.in_(TOOK_PLACE),
                TrainingClass.start_date <= today,
                TrainingClass.end_date >= dt.date(today.year, 1, 1),
                Enrollment.withdrawn_on.is_(None),
            )
        )
        or 0
    )
    # Summed by the database: a year of a large school is hundreds of thousands of marks.
    year_totals = enrolment_totals(session, [c.id for c in year_classes], as_of=today)
    attended = sum(t.attended for t in year_totals.values())
    counted = sum(t.counted for t in year_totals.values())
    by_status = {
        ClassStatus(st): n
        for st, n in session.execute(sa.select(TrainingClass.status, sa.func.count()).group_by(TrainingClass.status))
    }
    # Subsidy due: the rule of subsidy.year_subsidy (subsidised classes completed this year, each
    # trainee subsidised, not withdrawn, at the threshold as of the last day, passed, in no
    # overlapping subsidised class), with the rates of many classes read at once.
    due_fen = due_trainees = 0
    due_classes: list[TrainingClass] = []
    if institution is not None:
        due_classes = list(
            session.scalars(
                sa.select(TrainingClass).where(
                    TrainingClass.institution_id == institution.id,
                    TrainingClass.funding == Funding.SUBSIDISED,
                    TrainingClass.status.in_((ClassStatus.COMPLETED, ClassStatus.ARCHIVED)),
                    TrainingClass.end_date >= dt.date(today.year, 1, 1),
                    TrainingClass.end_date <= dt.date(today.year, 12, 31),
                )
            )
        )
    if due_classes:
        # As of each class's last day (the rule of subsidy.class_subsidy): for the classes that
        # ended by today, what the year's figures read already.
        year_ids = {c.id for c in year_classes}
        due_totals = year_totals | enrolment_totals(
            session, [c.id for c in due_classes if c.id not in year_ids or c.end_date > today], as_of=dt.date.max
        )
        enrolments = _enrolments(session, [c.id for c in due_classes])
        overlaps = _overlapping(session, [c.id for c in due_classes])
        for c in due_classes:
            for e in enrolments[c.id]:
                if (
                    e.subsidised
                    and e.withdrawn_on is None
                    and due_totals.get(e.id, PeriodTotals()).eligible(settings.attendance_threshold)
                    and e.result == EnrollmentResult.PASSED.value
                    and e.id not in overlaps
                ):
                    due_fen += c.subsidy_standard_fen
                    due_trainees += 1
    return Tiles(
        trained_this_year=trained,
        trainees_in_register=session.scalar(sa.select(sa.func.count(Trainee.id))) or 0,
        classes_by_status={st: by_status[st] for st in ClassStatus if by_status.get(st)},
        attended_periods=attended,
        counted_periods=counted,
        subsidy_due_fen=due_fen,
        subsidy_trainees=due_trainees,
        subsidy_classes=len(due_classes),
    )


# --- by industry -----------------------------------------------------------------------------------


def by_industry(session: Session) -> tuple[IndustryFigure, ...]:
    """The school's 人次 per industry with a plan target, then the rest together."""
    in_plan = sa.case((TrainingClass.start_date <= PLAN_END, 1), else_=0)
    rows = session.execute(
        sa.select(Trade.industry, in_plan.label("in_plan"), sa.func.count(Enrollment.id))
        .select_from(Enrollment)
        .join(TrainingClass, Enrollment.class_id == TrainingClass.id)
        .join(Trade, TrainingClass.trade_id == Trade.id)
        .where(
            Enrollment.withdrawn_on.is_(None),
            TrainingClass.status.in_(TOOK_PLACE),
            TrainingClass.start_date >= PLAN_START,
        )
        .group_by(Trade.industry, in_plan)
    ).all()
    during: dict[Industry | None, int] = defaultdict(int)
    after: dict[Industry | None, int] = defaultdict(int)
    for industry, is_in_plan, n in rows:
        key = Industry(industry) if Industry(industry) in PLAN_INDUSTRY_TARGETS else None
        (during if is_in_plan else after)[key] += n
    figures = [IndustryFigure(ind, during[ind], after[ind], target) for ind, target in PLAN_INDUSTRY_TARGETS.items()]
    figures.append(IndustryFigure(None, during[None], after[None], None))
    return tuple(figures)


# --- attendance by week ----------------------------------------------------------------------------


def weekly_attendance(session: Session, today: dt.date, weeks: int = WEEKS) -> tuple[WeekFigure, ...]:
    """Attended over counted 课时 of the sessions held in each of the last ``weeks`` weeks
    (Monday to Sunday, the current week last), by the rule of ``attendance.trainee_rate``."""
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    first = mondays[0]
    attended: dict[dt.date, float] = defaultdict(float)
    counted: dict[dt.date, int] = defaultdict(int)
    sessions: dict[dt.date, int] = defaultdict(int)
    for day, totals in daily_totals(session, first, today).items():
        monday = day - dt.timedelta(days=day.weekday())
        attended[monday] += totals.attended
        counted[monday] += totals.counted
    sess_t = ClassSession.__table__
    for day, n in session.execute(
        sa.select(sess_t.c.date, sa.func.count()).where(sess_t.c.date >= first, sess_t.c.date <= today).group_by(sess_t.c.date)
    ):
        sessions[day - dt.timedelta(days=day.weekday())] += n
    return tuple(WeekFigure(m, attended[m], counted[m], sessions[m]) for m in mondays)


# --- alerts ------------------------------------------------------------------------------------------


def _finding_alerts(session: Session, settings: RuleSettings, today: dt.date, institution: Institution | None) -> list[Alert]:
    from zunyi_trainer.rules import check_class, check_school

    alerts: list[Alert] = []
    classes = session.scalars(
        sa.select(TrainingClass).where(TrainingClass.status.in_(CHECKED)).order_by(TrainingClass.start_date, TrainingClass.code)
    ).all()
    for c in classes:
        for f in check_class(session, c, settings, today=today):
            if f.blocks:
                alerts.append(
                    Alert(FINDING, True, c.code, f.message, f.record or _record("training_class", c.uuid), f.code, c.start_date)
                )
    if institution is not None:
        for f in check_school(session, institution, settings, today=today):
            if f.blocks:
                alerts.append(Alert(FINDING, True, institution.name, f.message, f.record, f.code))
    return alerts


def _qualification_alerts(session: Session, settings: RuleSettings, today: dt.date) -> list[Alert]:
    soon = today + dt.timedelta(days=settings.qualification_warn_days)
    alerts = []
    for q in session.scalars(
        sa.select(Qualification)
        .join(Teacher)
        .where(Teacher.active, Qualification.expires_on.is_not(None), Qualification.expires_on <= soon)
        .options(selectinload(Qualification.teacher), selectinload(Qualification.trade))
        .order_by(Qualification.expires_on)
    ):
        what = f"{q.trade.name if q.trade else q.kind.label} {q.number}".strip()
        expired = q.expires_on < today
        message = (
            text(
                "教师{name}的证书（{what}）已于 {day} 过期，请更新证书或调整排课。",
                "Teacher {name}'s certificate ({what}) expired on {day}: renew it or change the timetable.",
                name=q.teacher.name,
                what=what,
                day=q.expires_on.isoformat(),
            )
            if expired
            else text(
                "教师{name}的证书（{what}）将于 {day} 到期（还有 {days} 天）。",
                "Teacher {name}'s certificate ({what}) expires on {day} (in {days} days).",
                name=q.teacher.name,
                what=what,
                day=q.expires_on.isoformat(),
                days=(q.expires_on - today).days,
            )
        )
        alerts.append(
            Alert(QUALIFICATION, expired, q.teacher.name, message, _record("teacher", q.teacher.uuid), day=q.expires_on)
        )
    return alerts


def _unapproved_alerts(session: Session, today: dt.date) -> list[Alert]:
    alerts = []
    horizon = today + dt.timedelta(days=UNAPPROVED_HORIZON_DAYS)
    for c in session.scalars(
        sa.select(TrainingClass)
        .where(
            TrainingClass.status.in_((ClassStatus.DRAFT, ClassStatus.SUBMITTED, ClassStatus.REJECTED)),
            TrainingClass.start_date <= horizon,
            TrainingClass.end_date >= today,
        )
        .order_by(TrainingClass.start_date, TrainingClass.code)
    ):
        days = (c.start_date - today).days
        message = text(
            "{code} {name} 计划于 {day} 开班（{when}），目前状态为“{status}”，尚未获批。",
            "{code} {name} is due to start on {day} ({when}) and is {status}, not approved.",
            code=c.code,
            name=c.name,
            day=c.start_date.isoformat(),
            when=text("还有 {n} 天", "in {n} days", n=days) if days >= 0 else text("已过 {n} 天", "{n} days ago", n=-days),
            status=c.status.label,
        )
        alerts.append(Alert(UNAPPROVED, days < 0, c.code, message, _record("training_class", c.uuid), day=c.start_date))
    return alerts


def _attendance_alerts(session: Session, settings: RuleSettings, today: dt.date) -> list[Alert]:
    from zunyi_trainer.models import Trainee

    alerts = []
    for c in session.scalars(
        sa.select(TrainingClass).where(TrainingClass.status == ClassStatus.IN_PROGRESS).order_by(TrainingClass.code)
    ):
        rates = class_rates(session, c, settings, as_of=today)
        low = [r for r in rates.values() if r.counted_periods and not r.eligible]
        if not low:
            continue
        names = dict(
            session.execute(
                sa.select(Enrollment.id, Trainee.name)
                .join(Trainee, Enrollment.trainee_id == Trainee.id)
                .where(Enrollment.id.in_([r.enrollment_id for r in low]), Enrollment.withdrawn_on.is_(None))
            ).all()
        )
        for r in sorted(low, key=lambda r: r.rate):
            if r.enrollment_id not in names:
                continue  # withdrawn: no longer a concern
            message = text(
                "{code} 学员{name}的出勤率为 {rate}（已计 {counted} 课时），低于补贴门槛 {threshold}。",
                "{code}: trainee {name}'s attendance is {rate} ({counted} periods counted), below the subsidy threshold {threshold}.",
                code=c.code,
                name=names[r.enrollment_id],
                rate=_pct(r.rate),
                counted=r.counted_periods,
                threshold=_pct(settings.attendance_threshold),
            )
            alerts.append(Alert(LOW_ATTENDANCE, False, names[r.enrollment_id], message, _record("training_class", c.uuid)))
    return alerts


def _batch_alerts(session: Session, today: dt.date) -> list[Alert]:
    from zunyi_trainer.exchange.tables import BY_TABLE_NAME  # the tables a batch carries

    alerts = []
    for b in session.scalars(sa.select(ExportBatch).where(ExportBatch.state == BatchState.EXPORTED).order_by(ExportBatch.seq)):
        alerts.append(
            Alert(
                BATCH,
                False,
                text("第 {seq} 批", "batch No. {seq}", seq=b.seq),
                text(
                    "第 {seq} 批数据（{day} 导出）县局尚未确认，请导入县局回执。",
                    "Batch No. {seq} (exported {day}) is not acknowledged yet: import the county's return.",
                    seq=b.seq,
                    day=b.created_at.date().isoformat(),
                ),
                _record("export_batch", b.uuid),
            )
        )
    through = session.scalar(sa.select(sa.func.max(ExportBatch.through_change)))
    limit = 100_000  # counting stops here: "more than 100000" says enough
    waiting = session.scalar(
        sa.select(sa.func.count()).select_from(
            sa.select(AuditEvent.id)
            .where(AuditEvent.id > (through or 0), AuditEvent.table_name.in_(BY_TABLE_NAME))
            .limit(limit + 1)
            .subquery()
        )
    )
    has_classes = session.scalar(sa.select(sa.func.count(TrainingClass.id)).where(TrainingClass.status != ClassStatus.DRAFT))
    if through is None and has_classes:
        alerts.append(
            Alert(
                BATCH,
                False,
                text("数据报送", "Reporting"),
                text(
                    "还没有导出过数据批次：登记册中有 {n} 个已报审的班级，请导出第一批数据报送县局。",
                    "No batch has been exported yet: {n} classes went beyond draft. Export the first batch for the county.",
                    n=has_classes,
                ),
                None,
            )
        )
    elif through is not None and waiting:
        alerts.append(
            Alert(
                BATCH,
                False,
                text("数据报送", "Reporting"),
                text(
                    "上一批数据之后有 {n} 项改动尚未导出，请导出增量批次。",
                    "{n} changes since the last batch are not exported yet: export an incremental batch.",
                    n=f"{limit}+" if waiting > limit else waiting,
                ),
                None,
            )
        )
    return alerts


def alerts(
    session: Session, settings: RuleSettings, today: dt.date, institution: Institution | None, progress: Progress | None = None
) -> tuple[Alert, ...]:
    report = progress or (lambda done, total: None)
    found: list[Alert] = []
    steps: list[Callable[[], list[Alert]]] = [
        lambda: _finding_alerts(session, settings, today, institution),
        lambda: _unapproved_alerts(session, today),
        lambda: _qualification_alerts(session, settings, today),
        lambda: _attendance_alerts(session, settings, today),
        lambda: _batch_alerts(session, today),
    ]
    for i, step in enumerate(steps):
        found += step()
        report(i + 1, len(steps))
    return tuple(sorted(found, key=lambda a: (KIND_ORDER.index(a.kind), not a.blocks)))


# --- all of it -----------------------------------------------------------------------------------------


def load_alerts(session: Session, *, today: dt.date | None = None, progress: Progress | None = None) -> tuple[Alert, ...]:
    """The alerts alone (the rules run here, so they take the longest)."""
    today = today or today_local()
    institution = session.scalars(sa.select(Institution).order_by(Institution.id)).first()
    return alerts(session, load_settings(session), today, institution, progress)


def load_dashboard(
    session: Session, *, today: dt.date | None = None, progress: Progress | None = None, with_alerts: bool = True
) -> Dashboard:
    """Everything the overview page shows; reads only. ``progress(done, total)`` after each part.
    Without ``with_alerts`` the alerts are left empty (:func:`load_alerts` gives them)."""
    today = today or today_local()
    report = progress or (lambda done, total: None)
    total = 8 if with_alerts else 3
    settings = load_settings(session)
    institution = session.scalars(sa.select(Institution).order_by(Institution.id)).first()
    report(0, total)
    tile_figures = tiles(session, settings, today, institution)
    report(1, total)
    industries = by_industry(session)
    report(2, total)
    weeks = weekly_attendance(session, today)
    report(3, total)
    found: tuple[Alert, ...] = ()
    if with_alerts:
        found = alerts(session, settings, today, institution, lambda done, _n: report(3 + done, total))
    return Dashboard(
        today=today,
        institution=institution.name if institution else "",
        tiles=tile_figures,
        industries=industries,
        weeks=weeks,
        alerts=found,
    )
