"""What the documents read: one class loaded with everything it prints, and the rule results.

Attendance rates, rule findings and subsidy sums belong to the rules modules
(``attendance.class_rates``, ``rules.check_class``, ``subsidy.class_subsidy``). They are imported
where used, so this package works in a tree where one of them is missing; the fallback then
computes the same figures from the register by the documented definitions (rate by 课时 of held
sessions; subsidy = eligible subsidised trainees × standard).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import logging
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from zunyi_trainer.errors import NotFound
from zunyi_trainer.models import (
    Attendance,
    AttendanceStatus,
    ClassSession,
    Enrollment,
    Institution,
    Teacher,
    TrainingClass,
)
from zunyi_trainer.timeutil import today_local

log = logging.getLogger(__name__)

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EARLY_LEAVE)


@dataclasses.dataclass(frozen=True)
class Rate:
    attended_periods: float  # partial sessions (late, early leave) count in part
    counted_periods: int
    rate: float
    eligible: bool


@dataclasses.dataclass(frozen=True)
class FindingRow:
    code: str
    severity: str  # "blocks" | "warns"
    message: str


@dataclasses.dataclass(frozen=True)
class SubsidyRow:
    eligible: int
    total_fen: int
    standard_fen: int
    # enrollment id -> (determined amount in fen, why not eligible: "" when eligible)
    per_trainee: dict[int, tuple[int, str]] = dataclasses.field(default_factory=dict)


def _optional(module: str) -> Any | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def find_class(session: Session, ref: str) -> TrainingClass:
    """A class by its code (班级编号) or UUID, with everything the documents print loaded."""
    opts = (
        selectinload(TrainingClass.institution),
        selectinload(TrainingClass.trade),
        selectinload(TrainingClass.venue),
        selectinload(TrainingClass.head_teacher),
        selectinload(TrainingClass.sessions).selectinload(ClassSession.teacher).selectinload(Teacher.qualifications),
        selectinload(TrainingClass.sessions).selectinload(ClassSession.venue),
        selectinload(TrainingClass.enrollments).selectinload(Enrollment.trainee),
        selectinload(TrainingClass.attachments),
    )
    q = sa.select(TrainingClass).options(*opts)
    ref = ref.strip()
    found = session.scalars(q.where(TrainingClass.code == ref)).all()
    if not found:
        try:
            found = session.scalars(q.where(TrainingClass.uuid == uuid.UUID(ref))).all()
        except ValueError:
            found = []
    if not found:
        raise NotFound(
            "没有编号为“{ref}”的培训班。可用 zunyi-trainer class list 查看全部班级编号。",
            "There is no class “{ref}”. zunyi-trainer class list shows every class code.",
            ref=ref,
        )
    if len(found) > 1:  # the same code at two institutions: only on a county's database
        raise NotFound(
            "编号“{ref}”对应多个培训班（不同机构），请改用班级的 UUID。",
            "The code “{ref}” matches classes of several institutions; use the class's UUID.",
            ref=ref,
        )
    return found[0]


def settings_for(session: Session) -> Any | None:
    mod = _optional("zunyi_trainer.settings")
    if mod is None:
        return None
    try:
        return mod.load_settings(session)
    except Exception:  # a settings module mid-development must not stop printing
        log.exception("load_settings failed; documents use the defaults")
        return getattr(mod, "DEFAULTS", None)


def threshold(settings: Any | None) -> float:
    return float(getattr(settings, "attendance_threshold", 0.8))


_MARK_COLUMNS = (
    Attendance.session_id,
    Attendance.enrollment_id,
    Attendance.status,
    Attendance.sign_in_at,
    Attendance.sign_out_at,
    Attendance.method,
    Attendance.is_correction,
    Attendance.correction_reason,
    Attendance.leave_reason,
)


def attendance_by_session(session: Session, cls: TrainingClass) -> dict[int, dict[int, Any]]:
    """session id → enrollment id → mark (a read-only row with the Attendance columns printed).

    Rows, not ORM objects: an archive reads thousands of marks and changes none of them.
    """
    rows = session.execute(
        sa.select(*_MARK_COLUMNS)
        .join(ClassSession, Attendance.session_id == ClassSession.id)
        .where(ClassSession.class_id == cls.id)
    )
    out: dict[int, dict[int, Any]] = {}
    for a in rows:
        out.setdefault(a.session_id, {})[a.enrollment_id] = a
    return out


def class_rates(
    session: Session, cls: TrainingClass, settings: Any | None, marks: dict[int, dict[int, Any]] | None = None
) -> dict[int, Rate]:
    """enrollment id → attendance rate by 课时 (the rules module's, when present)."""
    mod = _optional("zunyi_trainer.attendance")
    if mod is not None and hasattr(mod, "class_rates") and settings is not None:
        try:
            got = mod.class_rates(session, cls, settings)
            return {
                k: Rate(float(v.attended_periods), int(v.counted_periods), float(v.rate), bool(v.eligible))
                for k, v in got.items()
            }
        except Exception:
            log.exception("attendance.class_rates failed; documents compute rates themselves")
    marks = marks if marks is not None else attendance_by_session(session, cls)
    limit = threshold(settings)
    held = [s for s in cls.sessions if s.id in marks]
    counted = sum(s.periods for s in held)
    rates = {}
    for e in cls.enrollments:
        got = sum(s.periods for s in held if (m := marks[s.id].get(e.id)) is not None and m.status in ATTENDED)
        rate = got / counted if counted else 0.0
        rates[e.id] = Rate(got, counted, rate, counted > 0 and rate >= limit)
    return rates


def findings(session: Session, cls: TrainingClass, settings: Any | None) -> list[FindingRow] | None:
    """The class's rule findings; ``None`` when the rules module is not available."""
    mod = _optional("zunyi_trainer.rules")
    if mod is None or not hasattr(mod, "check_class"):
        return None
    try:
        got = mod.check_class(session, cls, settings)
    except Exception:
        log.exception("rules.check_class failed")
        return None
    return [FindingRow(str(f.code), str(f.severity), str(f.message)) for f in got]


def subsidy_and_rates(
    session: Session, cls: TrainingClass, settings: Any | None, marks: dict[int, dict[int, Any]] | None = None
) -> tuple[SubsidyRow, dict[int, Rate]]:
    """The class's subsidy (eligible × standard, with each trainee's reasons) and attendance rates.

    The subsidy module computes the rates on its way, so they are taken from it rather than
    computed a second time; without it, both come from :func:`class_rates` and the documented rule.
    """
    mod = _optional("zunyi_trainer.subsidy")
    if mod is not None and hasattr(mod, "class_subsidy") and settings is not None:
        try:
            got = mod.class_subsidy(session, cls, settings)
            reason = getattr(mod, "reason_text", str)
            per = {t.enrollment_id: (int(t.amount_fen), "、".join(reason(r) for r in t.reasons)) for t in got.trainees}
            rates = {
                t.enrollment_id: Rate(
                    float(t.rate.attended_periods), int(t.rate.counted_periods), float(t.rate.rate), bool(t.rate.eligible)
                )
                for t in got.trainees
            }
            return SubsidyRow(int(got.eligible_count), int(got.total_fen), int(got.standard_fen), per), rates
        except Exception:
            log.exception("subsidy.class_subsidy failed; documents compute the sum themselves")
    rates = class_rates(session, cls, settings, marks)
    per = {}
    for e in cls.enrollments:
        r = rates.get(e.id, Rate(0, 0, 0, False))
        ok = e.subsidised and e.withdrawn_on is None and r.eligible
        per[e.id] = (cls.subsidy_standard_fen if ok else 0, "" if ok else "未达到补贴条件")
    eligible = sum(1 for amount, _ in per.values() if amount)
    return SubsidyRow(eligible, eligible * cls.subsidy_standard_fen, cls.subsidy_standard_fen, per), rates


def institution_of(session: Session, cls: TrainingClass | None) -> Institution:
    if cls is not None:
        return cls.institution
    inst = session.scalars(sa.select(Institution).order_by(Institution.id)).first()
    if inst is None:
        raise NotFound(
            "登记册里还没有培训机构信息，请先填写本校信息。",
            "The register has no institution yet; enter the school's details first.",
        )
    return inst


def active_enrollments(cls: TrainingClass) -> list[Enrollment]:
    return [e for e in cls.enrollments if e.withdrawn_on is None]


def signin_sessions(cls: TrainingClass, on: dt.date | None, today: dt.date | None = None) -> list[ClassSession]:
    """The sessions a sign-in sheet is for: those on ``on``; without a date, the class's next
    session day from today, or its last session day when the class is over."""
    if not cls.sessions:
        raise NotFound(
            "培训班 {klass} 还没有课程安排，无法打印签到表。请先排课。",
            "The class {klass} has no timetable yet; add its sessions before printing sign-in sheets.",
            klass=cls.code,
        )
    if on is None:
        today = today or today_local()
        upcoming = [s.date for s in cls.sessions if s.date >= today]
        on = min(upcoming) if upcoming else max(s.date for s in cls.sessions)
    chosen = [s for s in cls.sessions if s.date == on]
    if not chosen:
        days = sorted({s.date for s in cls.sessions})
        raise NotFound(
            "培训班 {klass} 在 {day} 没有课。有课的日期：{first} 至 {last}（共 {n} 天）。",
            "The class {klass} has no session on {day}. It has sessions on {n} days from {first} to {last}.",
            klass=cls.code,
            day=on.isoformat(),
            first=days[0].isoformat(),
            last=days[-1].isoformat(),
            n=len(days),
        )
    return chosen


def glyph_warnings(fonts: Any, cls: TrainingClass) -> list[str]:
    """Sentences naming every person whose name the body font cannot fully print."""
    from zunyi_trainer.documents.fonts import missing_characters
    from zunyi_trainer.i18n import text

    people = [("学员", "trainee", e.trainee.name) for e in cls.enrollments]
    people += [("教师", "teacher", s.teacher.name) for s in cls.sessions if s.teacher is not None]
    out: list[str] = []
    for role_zh, role_en, name in dict.fromkeys(people):
        missing = missing_characters(fonts.body, name)
        if missing:
            out.append(
                text(
                    "{role}“{name}”的姓名中有所选字体没有的字（{chars}），打印出来是空白方框。"
                    "请用 --font 选择包含这些字的字体，或在打印件上手写补正。",
                    "The {role_en} “{name}” has characters the font cannot print ({chars}); they come out as "
                    "empty boxes. Choose a font that has them (--font) or correct the print by hand.",
                    role=role_zh,
                    role_en=role_en,
                    name=name,
                    chars=missing,
                )
            )
    return out
