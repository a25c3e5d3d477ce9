"""The attendance workbook of a class: trainees × sessions, with status codes and rates.

Exported for the administrator to fill in or check in Excel, and read back with the same
report and all-or-nothing rules as a roster. Machine keys travel with the sheet so that it
reads back exactly: a hidden row under the header holds each session's UUID and a hidden
column each enrolment's UUID. A sheet that lost them (copied into a new workbook) is matched
by the session's date and start time in the header and by the trainee's ID number or name.

Codes: √ 出勤, 迟 迟到, 退 早退, 假 请假 (with the reason in brackets: ``假（病假）``), × 旷课;
the full words are accepted too. An empty cell is "not recorded".
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
from zunyi_trainer.excel.writing import DECIMAL, ID, INT, PERCENT, TEXT, Column, SheetSpec, write_workbook
from zunyi_trainer.i18n import text
from zunyi_trainer.models import Attendance, AttendanceMethod, AttendanceStatus, ClassSession, Enrollment, TrainingClass
from zunyi_trainer.roster import cleaning
from zunyi_trainer.roster.report import WARNING, ImportRefused, ImportReport, Issue

Progress = Callable[[int, int], None]

CODES: dict[AttendanceStatus, str] = {
    AttendanceStatus.PRESENT: "√",
    AttendanceStatus.LATE: "迟",
    AttendanceStatus.EARLY_LEAVE: "退",
    AttendanceStatus.LEAVE: "假",
    AttendanceStatus.ABSENT: "×",
}
_WORDS: dict[str, AttendanceStatus] = {
    "√": AttendanceStatus.PRESENT,
    "✓": AttendanceStatus.PRESENT,
    "✔": AttendanceStatus.PRESENT,
    "v": AttendanceStatus.PRESENT,
    "到": AttendanceStatus.PRESENT,
    "出": AttendanceStatus.PRESENT,
    "迟": AttendanceStatus.LATE,
    "退": AttendanceStatus.EARLY_LEAVE,
    "早": AttendanceStatus.EARLY_LEAVE,
    "假": AttendanceStatus.LEAVE,
    "×": AttendanceStatus.ABSENT,
    "x": AttendanceStatus.ABSENT,
    "✗": AttendanceStatus.ABSENT,
    "✘": AttendanceStatus.ABSENT,
    "旷": AttendanceStatus.ABSENT,
    "缺": AttendanceStatus.ABSENT,
    "缺勤": AttendanceStatus.ABSENT,
}
for _status in AttendanceStatus:
    _WORDS[_status.zh] = _status
    _WORDS[_status.value] = _status
    _WORDS[_status.en.lower()] = _status

KEY_HEADER = "学员编号"  # the hidden enrolment-UUID column
LEGEND = "符号：√ 出勤　迟 迟到　退 早退　假（事由）请假　× 旷课　空白 未记录"
_LEAVE_REASON = re.compile(r"^(.+?)\s*[(（:：]\s*(.*?)\s*[)）]?$")
_SESSION_HEADER = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\D+?(\d{1,2})[:：](\d{2})")
_FIXED_HEADERS = ("序号", "姓名", "公民身份号码", KEY_HEADER)


def session_header(s: ClassSession) -> str:
    return f"{s.date.isoformat()}\n{s.start_time:%H:%M}-{s.end_time:%H:%M}\n{s.kind.zh}{s.periods}课时"


def _code(a: Attendance | None) -> str:
    if a is None:
        return ""
    code = CODES[AttendanceStatus(a.status)]
    if a.status == AttendanceStatus.LEAVE and a.leave_reason:
        code += f"（{a.leave_reason}）"
    return code


def _rates(session: Session, cls: TrainingClass) -> dict[int, Any]:
    try:
        from zunyi_trainer.attendance import class_rates
        from zunyi_trainer.settings import load_settings
    except ImportError:
        return {}
    return class_rates(session, cls, load_settings(session))


def export_attendance(session: Session, cls: TrainingClass, path: Path | str, *, progress: Progress | None = None) -> Path:
    sessions = list(cls.sessions)
    enrollments = session.scalars(
        sa.select(Enrollment)
        .where(Enrollment.class_id == cls.id)
        .options(selectinload(Enrollment.trainee))
        .order_by(Enrollment.id)
    ).all()
    marks: dict[tuple[int, int], Attendance] = {
        (a.session_id, a.enrollment_id): a
        for a in session.scalars(
            sa.select(Attendance)
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .where(ClassSession.class_id == cls.id)
        )
    }
    rates = _rates(session, cls)
    columns = [Column("序号", INT, 6), Column("姓名", TEXT, 10), Column("公民身份号码", ID, 21), Column(KEY_HEADER, TEXT, 10)]
    columns += [Column(session_header(s), TEXT, 11) for s in sessions]
    columns += [Column("出勤课时", DECIMAL, 10), Column("应出勤课时", INT, 10), Column("出勤率", PERCENT, 9)]
    rows = []
    for seq, e in enumerate(enrollments, start=1):
        rate = rates.get(e.id)
        rows.append(
            [seq, e.trainee.name, idcard.mask(e.trainee.id_number), str(e.uuid)]
            + [_code(marks.get((s.id, e.id))) for s in sessions]
            + ([round(rate.attended_periods, 2), rate.counted_periods, rate.rate] if rate is not None else [None, None, None])
        )
    keys = [None, None, None, None] + [str(s.uuid) for s in sessions]
    spec = SheetSpec(
        "考勤表",
        columns,
        rows,
        title=f"{cls.name}（{cls.code}）考勤表　{LEGEND}",
        notes=[LEGEND, "隐藏的第 3 行和 D 列是课次和学员的编号，导入时用来对应，请不要删除。"],
        hidden_rows_after_header=[keys],
        hidden_columns=[3],
        row_count=len(rows),
    )
    return write_workbook(path, [spec], progress=progress)


# --- import -------------------------------------------------------------------------------------


@dataclasses.dataclass
class AttendancePlan:
    class_id: int
    marks: list[Any]  # attendance.Mark
    report: ImportReport
    changes: int  # marks that change an existing one (补录)


def parse_code(value: Any) -> tuple[AttendanceStatus | None, str]:
    """(status, leave reason) of a cell; (None, "") when blank. ValueError when unknown."""
    raw = cleaning.clean_text(value)
    if not raw:
        return None, ""
    word, reason = raw, ""
    m = _LEAVE_REASON.match(raw)
    if m and m.group(1).strip().lower() in _WORDS:
        word, reason = m.group(1).strip(), m.group(2).strip()
    status = _WORDS.get(word.lower())
    if status is None:
        raise ValueError(raw)
    return status, reason


def _find_header(table: TableFile) -> tuple[int, int]:
    for sheet_index, sheet in enumerate(table.sheets):
        for number, values in sheet.rows[:20]:
            cells = [cleaning.clean_text(v) for v in values]
            if "姓名" in cells and any(_SESSION_HEADER.search(c) for c in cells):
                return sheet_index, number
    raise ValidationError(
        "在“{name}”中没有找到考勤表的表头（含“姓名”和课次日期的一行）。请使用 zunyi-trainer attendance export 导出的考勤表。",
        "No attendance header (a row with 姓名 and the sessions' dates) was found in “{name}”. Use a sheet made by attendance export.",
        code="attendance.no_header",
        name=table.path.name,
    )


def validate_attendance(
    session: Session, cls: TrainingClass, table: TableFile, *, correction_reason: str = "", progress: Progress | None = None
) -> AttendancePlan:
    from zunyi_trainer.attendance import Mark

    sheet_index, header_row = _find_header(table)
    sheet = table.sheets[sheet_index]
    report = ImportReport(kind="attendance", file=table.path.name, sheet=sheet.name, header_row=header_row)
    rows = {n: v for n, v in sheet.rows}
    header = [cleaning.clean_text(v) for v in rows[header_row]]
    key_row = rows.get(header_row + 1, [])
    sessions = list(cls.sessions)
    by_uuid = {str(s.uuid): s for s in sessions}
    by_start = {(s.date, s.start_time.replace(second=0, microsecond=0)): s for s in sessions}
    session_cols: dict[int, ClassSession] = {}
    for index, head in enumerate(header):
        key = cleaning.clean_text(key_row[index]) if index < len(key_row) else ""
        if key in by_uuid:
            session_cols[index] = by_uuid[key]
            continue
        m = _SESSION_HEADER.search(head)
        if not m:
            continue
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            start = dt.time(int(m.group(4)), int(m.group(5)))
        except ValueError:
            day, start = None, None
        found = by_start.get((day, start)) if day else None
        if found is None:
            report.add(
                Issue(
                    header_row,
                    head.replace("\n", " "),
                    "attendance.unknown_session",
                    text(
                        "“{h}”列对应不到本班的任何课次（按日期和开始时间）。请核对课次表，或删去这一列。",
                        "Column “{h}” matches no session of this class (by date and start time); check the timetable or remove the column.",
                        h=head.replace("\n", " "),
                    ),
                )
            )
        else:
            session_cols[index] = found
    has_key_row = any(cleaning.clean_text(v) in by_uuid for v in key_row)
    first_data = header_row + (2 if has_key_row else 1)
    col = {name: header.index(name) for name in _FIXED_HEADERS if name in header}
    enrollments = session.scalars(
        sa.select(Enrollment).where(Enrollment.class_id == cls.id).options(selectinload(Enrollment.trainee))
    ).all()
    by_enrollment_uuid = {str(e.uuid): e for e in enrollments}
    by_id_number = {e.trainee.id_number: e for e in enrollments}
    by_name: dict[str, list[Enrollment]] = {}
    for e in enrollments:
        by_name.setdefault(e.trainee.name, []).append(e)
    existing = {
        (a.session_id, a.enrollment_id): a
        for a in session.scalars(
            sa.select(Attendance)
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .where(ClassSession.class_id == cls.id)
        )
    }
    marks = []
    changes = unchanged = 0
    seen: dict[int, int] = {}
    data = [(n, v) for n, v in sheet.rows if n >= first_data]
    for number, values in data:

        def get(name: str, values: list[Any] = values) -> str:
            index = col.get(name)
            return cleaning.clean_text(values[index]) if index is not None and index < len(values) else ""

        name = cleaning.clean_name(get("姓名"))
        key = get(KEY_HEADER)
        if not name and not key:
            report.skipped_blank += 1
            continue
        if cleaning.looks_like_footer(name) or name.startswith("符号") or name.startswith("隐藏"):
            report.skipped_blank += 1
            continue
        report.rows_read += 1
        enrollment = by_enrollment_uuid.get(key)
        if enrollment is None:
            number_text = idcard.clean(get("公民身份号码"))
            enrollment = by_id_number.get(number_text)
        if enrollment is None:
            candidates = by_name.get(name, [])
            if len(candidates) == 1:
                enrollment = candidates[0]
            else:
                report.add(
                    Issue(
                        number,
                        "姓名",
                        "attendance.unknown_trainee" if not candidates else "attendance.ambiguous_trainee",
                        text(
                            "“{name}”不在本班花名册中。请核对姓名，或先把该学员导入花名册。"
                            if not candidates
                            else "本班有 {n} 名学员叫“{name}”，请在“公民身份号码”列填写完整的身份证号以区分。",
                            "“{name}” is not in this class's roster; check the name or import the trainee first."
                            if not candidates
                            else "{n} trainees of this class are called “{name}”; enter the full ID number to tell them apart.",
                            name=name,
                            n=len(candidates),
                        ),
                        value=name,
                    )
                )
                continue
        if enrollment.id in seen:
            report.add(
                Issue(
                    number,
                    "姓名",
                    "attendance.duplicate_row",
                    text(
                        "“{name}”在第 {first} 行已经出现过，请删去重复的一行。",
                        "“{name}” already appears on row {first}; remove the duplicate.",
                        name=enrollment.trainee.name,
                        first=seen[enrollment.id],
                    ),
                )
            )
            continue
        seen[enrollment.id] = number
        row_ok = True
        row_marks = []
        for index, cs in session_cols.items():
            value = values[index] if index < len(values) else None
            head = header[index].replace("\n", " ")
            try:
                status, reason = parse_code(value)
            except ValueError:
                report.add(
                    Issue(
                        number,
                        head,
                        "attendance.bad_code",
                        text(
                            "“{v}”不是考勤符号。请填写 √（出勤）、迟、退、假（事由）或 ×（旷课），未记录的留空。",
                            "“{v}” is not an attendance code: use √, 迟, 退, 假（reason） or ×; leave unrecorded cells empty.",
                            v=cleaning.clean_text(value),
                        ),
                        value=cleaning.clean_text(value),
                    )
                )
                row_ok = False
                continue
            if status is None:
                continue
            old = existing.get((cs.id, enrollment.id))
            if status == AttendanceStatus.LEAVE and not reason:
                reason = old.leave_reason if old is not None and old.status == AttendanceStatus.LEAVE else ""
                if not reason:
                    report.add(
                        Issue(
                            number,
                            head,
                            "attendance.leave_reason",
                            text(
                                "请假需要写明事由，如“假（病假）”。",
                                "A leave needs its reason, e.g. 假（病假）.",
                            ),
                            value=cleaning.clean_text(value),
                        )
                    )
                    row_ok = False
                    continue
            if old is not None:
                same = AttendanceStatus(old.status) == status and (status != AttendanceStatus.LEAVE or old.leave_reason == reason)
                if same:
                    unchanged += 1  # re-importing an unchanged cell changes nothing
                    continue
                if not correction_reason.strip():
                    report.add(
                        Issue(
                            number,
                            head,
                            "attendance.correction_reason",
                            text(
                                "已记录为“{old}”，改为“{new}”属于补录，需要说明补录原因。",
                                "Recorded as {old}; changing it to {new} is a correction and needs a reason.",
                                old=AttendanceStatus(old.status).zh,
                                new=status.zh,
                            ),
                            value=cleaning.clean_text(value),
                        )
                    )
                    row_ok = False
                    continue
                changes += 1
            row_marks.append(Mark(cs.id, enrollment.id, status, leave_reason=reason if status == AttendanceStatus.LEAVE else ""))
        if row_ok:
            report.valid += 1
            marks.extend(row_marks)
    missing = [e for e in enrollments if e.id not in seen and e.withdrawn_on is None]
    for e in missing:
        report.add(
            Issue(
                None,
                "姓名",
                "attendance.trainee_missing",
                text(
                    "花名册中的“{name}”不在考勤表中，其考勤保持不变。",
                    "“{name}” of the roster is not in the sheet; their attendance is unchanged.",
                    name=e.trainee.name,
                ),
                WARNING,
            )
        )
    report.imported = len(marks)
    report.extra = {"marks": len(marks), "corrections": changes, "unchanged": unchanged}
    return AttendancePlan(cls.id, marks, report, changes)


def import_attendance(
    register: Register,
    path: Path | str,
    class_ref: str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    correction_reason: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    from zunyi_trainer.attendance import record_marks
    from zunyi_trainer.roster.importer import resolve_class

    table = read_table(path)
    with register.session() as s:
        cls = resolve_class(s, class_ref)
        plan = validate_attendance(s, cls, table, correction_reason=correction_reason)
    report = plan.report
    report.dry_run = dry_run
    if report.errors and not skip_invalid:
        raise ImportRefused(report)
    if dry_run or not plan.marks:
        report.written = not dry_run
        return report
    report.backup = str(register.backup("pre-import").path) if register.engine.dialect.name == "sqlite" else None
    with register.transaction() as s:
        written = record_marks(
            s,
            plan.marks,
            method=AttendanceMethod.WORKBOOK,
            recorded_by=register.actor,
            correction_reason=correction_reason or None,
            progress=progress,
        )
    report.extra["written"] = written
    report.written = True
    return report
