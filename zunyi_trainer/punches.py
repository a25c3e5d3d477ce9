"""Punch logs of face-recognition and card terminals: matched to trainees and sessions.

Terminals export CSV or xlsx in their own layouts: 姓名, a person number (工号, 人员编号,
卡号) or the ID number, and the time of the punch — in one column (打卡时间, 识别时间) or split
into 日期 and 时间. Each punch is matched to a trainee of the class (by ID number, then by a
name that is unique in the class) and to the session running at that time (with a margin
before the start and after the end). A trainee's first punch in a session is the sign-in and
the last (if it is a separate, later punch) the sign-out; the status is derived with the
school's tolerances (:func:`zunyi_trainer.attendance.derive_status`). Trainees without a punch
in a session that the log covers are marked 旷课.

Nothing is silently dropped: punches of people who are not trainees of the class (teachers,
staff), of two trainees with the same name, or outside any session are listed in the report
as warnings with their row numbers; rows whose time cannot be read are errors (all or nothing,
unless the invalid rows are skipped).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from zunyi_trainer import idcard
from zunyi_trainer.db import Register
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.excel.reading import TableFile, read_table
from zunyi_trainer.i18n import text
from zunyi_trainer.models import Attendance, AttendanceMethod, AttendanceStatus, ClassSession, Enrollment, TrainingClass
from zunyi_trainer.roster import cleaning
from zunyi_trainer.roster.fields import normalise_header
from zunyi_trainer.roster.layout import find_header
from zunyi_trainer.roster.report import ERROR, WARNING, ImportRefused, ImportReport, Issue
from zunyi_trainer.timeutil import local_instant, to_local, today_local

Progress = Callable[[int, int], None]

WINDOW_BEFORE = dt.timedelta(minutes=60)  # a punch this long before the start still signs in
WINDOW_AFTER = dt.timedelta(minutes=60)  # and this long after the end still signs out
DOUBLE_PUNCH = dt.timedelta(minutes=5)  # punches closer than this are one (people punch twice)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "人员姓名", "员工姓名", "用户姓名", "名字", "学员姓名"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码", "证件号", "身份证"),
    "person_no": (
        "工号",
        "人员编号",
        "员工编号",
        "用户编号",
        "用户id",
        "人员id",
        "考勤号码",
        "考勤号",
        "卡号",
        "编号",
        "登记号码",
    ),
    "at": (
        "打卡时间",
        "识别时间",
        "考勤时间",
        "通行时间",
        "刷卡时间",
        "签到时间",
        "记录时间",
        "时间戳",
        "日期时间",
        "打卡日期时间",
    ),
    "date": ("日期", "打卡日期", "考勤日期", "刷卡日期"),
    "clock": ("时间", "打卡时刻", "刷卡时刻"),
}
_INDEX = {normalise_header(s): key for key, words in _SYNONYMS.items() for s in words}
_DATETIME = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]*(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?秒?)?"
)
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_CLOCK = re.compile(r"^(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?秒?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})\s*(\d{2}):?(\d{2}):?(\d{2})?$")


def _match_column(value: object) -> str | None:
    return _INDEX.get(normalise_header(value))


@dataclasses.dataclass(frozen=True)
class Punch:
    row: int
    name: str
    person: str  # the ID number or the terminal's person number, cleaned
    at: dt.datetime  # aware


def _to_datetime(value: Any) -> dt.datetime | None:
    """A local wall-clock datetime from a cell (a real datetime or text in the usual shapes)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    text_value = cleaning.clean_text(value)
    m = _DATETIME.match(text_value) or _COMPACT.match(text_value)
    if not m:
        return None
    y, mo, d, h, mi, sec = (int(g) if g else 0 for g in m.groups())
    try:
        return dt.datetime(y, mo, d, h, mi, sec)
    except ValueError:
        return None


def _to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.match(cleaning.clean_text(value))
    if not m:
        return None
    try:
        return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        return None


def _to_clock(value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # a time typed into a plain cell
        seconds = round(value * 86400)
        return dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    m = _CLOCK.match(cleaning.clean_text(value))
    if not m:
        return None
    h, mi, sec = (int(g) if g else 0 for g in m.groups())
    try:
        return dt.time(h, mi, sec)
    except ValueError:
        return None


def read_punches(table: TableFile, report: ImportReport) -> list[Punch]:
    """The punches of a log; unreadable rows are errors in ``report``."""
    found = find_header(table, _match_column, ("at", "date", "clock"), min_fields=2)
    if found is None:
        raise _no_header(table)
    sheet_index, header_row = found
    sheet = table.sheets[sheet_index]
    header = next(v for n, v in sheet.rows if n == header_row)
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        key = _match_column(value) if isinstance(value, str) else None
        if key is not None and key not in columns:
            columns[key] = index
    if not ({"name", "id_number", "person_no"} & columns.keys()) or not ("at" in columns or "date" in columns):
        raise _no_header(table)
    if "at" not in columns and "clock" not in columns:
        columns["at"] = columns.pop("date")  # a 日期 column that holds date and time
    report.sheet, report.header_row = sheet.name, header_row
    report.columns = {k: cleaning.clean_text(header[i]) for k, i in columns.items()}

    def cell(values: list[Any], key: str) -> Any:
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    punches = []
    for number, values in sheet.rows:
        if number <= header_row:
            continue
        name = cleaning.clean_name(cell(values, "name"))
        id_number = idcard.clean(cell(values, "id_number")) if "id_number" in columns else ""
        person_no = cleaning.clean_text(cell(values, "person_no"))
        if not (name or id_number or person_no):
            report.skipped_blank += 1
            continue
        report.rows_read += 1
        if "at" in columns:
            raw_at = cell(values, "at")
            local = _to_datetime(raw_at)
            if local is None and "clock" in columns:
                day, clock = _to_date(raw_at), _to_clock(cell(values, "clock"))
                local = dt.datetime.combine(day, clock) if day and clock else None
        else:
            raw_at = f"{cleaning.clean_text(cell(values, 'date'))} {cleaning.clean_text(cell(values, 'clock'))}"
            day, clock = _to_date(cell(values, "date")), _to_clock(cell(values, "clock"))
            local = dt.datetime.combine(day, clock) if day and clock else None
        if local is None:
            report.add(
                Issue(
                    number,
                    report.columns.get("at") or report.columns.get("clock", ""),
                    "punch.bad_time",
                    text(
                        "打卡时间“{v}”无法识别。应为“2026-03-02 08:25:00”这样的日期和时间。",
                        "The punch time “{v}” cannot be read; it should look like 2026-03-02 08:25:00.",
                        v=cleaning.clean_text(raw_at),
                    ),
                    ERROR,
                    cleaning.clean_text(raw_at),
                )
            )
            continue
        report.valid += 1
        punches.append(Punch(number, name, id_number or person_no, local_instant(local.date(), local.time())))
    return punches


def _no_header(table: TableFile) -> ValidationError:
    return ValidationError(
        "在“{name}”中没有找到打卡记录的表头。需要有姓名或工号/人员编号/身份证号，以及打卡时间（或日期和时间）列。",
        "No punch-log header was found in “{name}”: it needs a name or person number or ID column and a time "
        "(or date and time) column.",
        code="punch.no_header",
        name=table.path.name,
    )


@dataclasses.dataclass
class PunchPlan:
    class_id: int
    marks: list[Any]  # attendance.Mark
    report: ImportReport


def _session_for(sessions: list[ClassSession], at: dt.datetime) -> list[ClassSession]:
    local = to_local(at)
    candidates = []
    for s in sessions:
        if s.date != local.date():
            continue
        start, end = local_instant(s.date, s.start_time), local_instant(s.date, s.end_time)
        if start - WINDOW_BEFORE <= at <= end + WINDOW_AFTER:
            inside = start <= at <= end
            distance = 0 if inside else min(abs((at - start).total_seconds()), abs((at - end).total_seconds()))
            candidates.append((distance, s))
    if not candidates:
        return []
    best = min(d for d, _ in candidates)
    return [s for d, s in candidates if d == best]


def plan_punches(
    session: Session,
    cls: TrainingClass,
    punches: list[Punch],
    report: ImportReport,
    *,
    correction_reason: str = "",
    today: dt.date | None = None,
) -> PunchPlan:
    from zunyi_trainer.attendance import Mark, derive_status
    from zunyi_trainer.settings import load_settings

    settings = load_settings(session)
    today = today or today_local()
    sessions = list(cls.sessions)
    enrollments = session.scalars(
        sa.select(Enrollment).where(Enrollment.class_id == cls.id).options(selectinload(Enrollment.trainee))
    ).all()
    by_id = {e.trainee.id_number: e for e in enrollments}
    by_name: dict[str, list[Enrollment]] = {}
    for e in enrollments:
        by_name.setdefault(e.trainee.name, []).append(e)
    grouped: dict[tuple[int, int], list[dt.datetime]] = {}
    covered: set[int] = set()
    unmatched = ambiguous = outside = 0
    for p in punches:
        enrollment = by_id.get(idcard.clean(p.person)) if p.person else None
        if enrollment is None:
            candidates = by_name.get(p.name, []) if p.name else []
            if len(candidates) == 1:
                enrollment = candidates[0]
            elif len(candidates) > 1:
                ambiguous += 1
                report.add(
                    Issue(
                        p.row,
                        report.columns.get("name", ""),
                        "punch.ambiguous_person",
                        text(
                            "本班有 {n} 名学员叫“{name}”，考勤机记录中没有身份证号可区分，这条打卡未计入。请在考勤机中登记身份证号，或手工补录。",
                            "{n} trainees of the class are called “{name}” and the punch carries no ID number; it was not counted. "
                            "Register ID numbers in the terminal or enter the mark by hand.",
                            n=len(candidates),
                            name=p.name,
                        ),
                        WARNING,
                        f"{p.name} {p.person}".strip(),
                    )
                )
                continue
            else:
                unmatched += 1
                report.add(
                    Issue(
                        p.row,
                        report.columns.get("name", "") or report.columns.get("person_no", ""),
                        "punch.unknown_person",
                        text(
                            "“{who}”不是本班学员（可能是教师或工作人员），这条打卡未计入。",
                            "“{who}” is not a trainee of this class (perhaps a teacher or staff); the punch was not counted.",
                            who=(p.name or p.person),
                        ),
                        WARNING,
                        f"{p.name} {p.person}".strip(),
                    )
                )
                continue
        found = _session_for(sessions, p.at)
        if len(found) != 1:
            outside += 1
            report.add(
                Issue(
                    p.row,
                    report.columns.get("at", "") or report.columns.get("clock", ""),
                    "punch.no_session" if not found else "punch.ambiguous_session",
                    text(
                        "{when} 的打卡（{name}）不在本班任何课次的时间内（课前 {b} 分钟到课后 {a} 分钟），未计入。"
                        if not found
                        else "{when} 的打卡（{name}）同时落在两个课次的时间内，无法判断，未计入。",
                        "The punch at {when} ({name}) is outside every session of the class ({b} min before to {a} min after); not counted."
                        if not found
                        else "The punch at {when} ({name}) falls in two sessions and was not counted.",
                        when=to_local(p.at).strftime("%Y-%m-%d %H:%M"),
                        name=enrollment.trainee.name,
                        b=int(WINDOW_BEFORE.total_seconds() // 60),
                        a=int(WINDOW_AFTER.total_seconds() // 60),
                    ),
                    WARNING,
                    to_local(p.at).strftime("%Y-%m-%d %H:%M:%S"),
                )
            )
            continue
        cs = found[0]
        covered.add(cs.id)
        grouped.setdefault((cs.id, enrollment.id), []).append(p.at)
    existing = {
        (a.session_id, a.enrollment_id): a
        for a in session.scalars(sa.select(Attendance).where(Attendance.session_id.in_(covered or {0})))
    }
    by_session = {s.id: s for s in sessions}
    marks = []
    kept = absent_filled = 0
    for sid in sorted(covered):
        cs = by_session[sid]
        if cs.date > today:
            continue
        for e in enrollments:
            if e.enrolled_on > cs.date or (e.withdrawn_on is not None and e.withdrawn_on <= cs.date):
                continue
            times = sorted(grouped.get((sid, e.id), []))
            sign_in = times[0] if times else None
            sign_out = times[-1] if len(times) > 1 and times[-1] - times[0] >= DOUBLE_PUNCH else None
            if sign_in is not None and sign_out is None:
                end = local_instant(cs.date, cs.end_time)
                if sign_in >= end - dt.timedelta(minutes=settings.early_leave_minutes):
                    sign_in, sign_out = None, sign_in  # one punch at the end: a sign-out without sign-in
            status = derive_status(cs, sign_in, sign_out, settings)
            old = existing.get((sid, e.id))
            if old is not None and old.status == AttendanceStatus.LEAVE and not times:
                continue  # on leave, as recorded: no punch is expected
            if old is not None and AttendanceStatus(old.status) != status and not correction_reason.strip():
                kept += 1
                report.add(
                    Issue(
                        None,
                        "",
                        "punch.kept_existing",
                        text(
                            "{name} 在 {when} 的课次已记录为“{old}”，打卡记录得出“{new}”；保留原记录。如需按打卡更正，请说明补录原因后重新导入。",
                            "{name}'s mark for the session of {when} is {old}; the punches give {new}. The mark was kept; "
                            "give a reason for the correction and import again to apply the punches.",
                            name=e.trainee.name,
                            when=f"{cs.date.isoformat()} {cs.start_time:%H:%M}",
                            old=AttendanceStatus(old.status).zh,
                            new=status.zh,
                        ),
                        WARNING,
                    )
                )
                continue
            if old is not None and AttendanceStatus(old.status) == status and status == AttendanceStatus.ABSENT and not times:
                continue
            if not times:
                absent_filled += 1
            leave = old.leave_reason if old is not None and status == AttendanceStatus.LEAVE else ""
            marks.append(Mark(sid, e.id, status, sign_in, sign_out, leave))
    report.imported = len(marks)
    report.extra = {
        "punches": len(punches),
        "punches_unmatched": unmatched,
        "punches_ambiguous": ambiguous,
        "punches_outside_sessions": outside,
        "sessions_covered": len(covered),
        "marks": len(marks),
        "absent_filled": absent_filled,
        "kept_existing": kept,
    }
    return PunchPlan(cls.id, marks, report)


def import_punches(
    register: Register,
    path: Path | str,
    class_ref: str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    correction_reason: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Read a punch log, match it, and record the marks (all or nothing)."""
    from zunyi_trainer.attendance import record_marks
    from zunyi_trainer.roster.importer import resolve_class

    table = read_table(path)
    report = ImportReport(kind="punches", file=table.path.name)
    punches = read_punches(table, report)
    with register.session() as s:
        cls = resolve_class(s, class_ref)
        plan = plan_punches(s, cls, punches, report, correction_reason=correction_reason)
    report.dry_run = dry_run
    if report.errors and not skip_invalid:
        raise ImportRefused(report)
    if dry_run or not plan.marks:
        report.written = not dry_run
        return report
    if register.engine.dialect.name == "sqlite":
        report.backup = str(register.backup("pre-import").path)
    with register.transaction() as s:
        report.extra["written"] = record_marks(
            s,
            plan.marks,
            method=AttendanceMethod.TERMINAL,
            recorded_by=register.actor,
            correction_reason=correction_reason or None,
            progress=progress,
        )
    report.written = True
    return report
