"""Attendance: deriving a status from sign-in times, recording marks in bulk, rates by hours.

Rates are by 课时 (hours), not by sessions: 出勤 and 迟到 count the session's 课时, 早退 counts
the part that was attended, 请假 and 旷课 count nothing. Sessions before a trainee enrolled or
after they withdrew do not count against them, nor do sessions not yet held (unless marked).

:func:`record_marks` is the hot path of a terminal import (tens of thousands of marks): it writes
with SQLAlchemy Core bulk statements and one audit event per changed row through
:func:`zunyi_trainer.audit.append_events`, not one ORM object per mark.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import json
import os
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import audit, bulk
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    ClassSession,
    Enrollment,
    TrainingClass,
)
from zunyi_trainer.settings import RuleSettings
from zunyi_trainer.timeutil import local_instant, now_utc, today_local

Progress = Callable[[int, int], None]

# Statuses that mean the trainee was there (for all or part of the session).
ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EARLY_LEAVE})
# When a 早退 was entered by hand without times, this share of the session is counted.
UNTIMED_EARLY_LEAVE_SHARE = 0.5
_CHUNK = 500  # ids per IN (...) list: well under SQLite's variable limit
_WRITE_CHUNK = 5000  # rows per executemany, so the progress callback moves


def _minutes(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 60


def session_bounds(class_session: ClassSession) -> tuple[dt.datetime, dt.datetime]:
    """The session's start and end as aware instants."""
    return (
        local_instant(class_session.date, class_session.start_time),
        local_instant(class_session.date, class_session.end_time),
    )


def derive_status(
    class_session: ClassSession,
    sign_in_at: dt.datetime | None,
    sign_out_at: dt.datetime | None,
    settings: RuleSettings,
) -> AttendanceStatus:
    """The status that sign-in and sign-out times give, with the school's tolerances.

    No sign-in and no sign-out: 旷课. A missing sign-out (paper sheets often have none) does not
    make an early leave; a missing sign-in with a sign-out is read as arrival on time. Missing
    more than ``absent_after_minutes`` in all is 旷课; leaving more than ``early_leave_minutes``
    early is 早退 (which counts only the attended part, so it wins over 迟到); arriving more than
    ``late_after_minutes`` late is 迟到.
    """
    for value in (sign_in_at, sign_out_at):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: sign-in and sign-out are aware instants")
    if sign_in_at is None and sign_out_at is None:
        return AttendanceStatus.ABSENT
    start, end = session_bounds(class_session)
    if sign_in_at is not None and sign_out_at is not None and sign_out_at <= sign_in_at:
        return AttendanceStatus.ABSENT
    if (sign_in_at is not None and sign_in_at >= end) or (sign_out_at is not None and sign_out_at <= start):
        return AttendanceStatus.ABSENT
    late = max(0.0, _minutes(sign_in_at - start)) if sign_in_at is not None else 0.0
    early = max(0.0, _minutes(end - sign_out_at)) if sign_out_at is not None else 0.0
    if late + early > settings.absent_after_minutes:
        return AttendanceStatus.ABSENT
    if early > settings.early_leave_minutes:
        return AttendanceStatus.EARLY_LEAVE
    if late > settings.late_after_minutes:
        return AttendanceStatus.LATE
    return AttendanceStatus.PRESENT


_FULL_SHARE = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


def attended_share(
    status: AttendanceStatus,
    session_start: dt.datetime,
    session_end: dt.datetime,
    sign_in_at: dt.datetime | None,
    sign_out_at: dt.datetime | None,
) -> float:
    """The share (0..1) of a session's 课时 a mark counts. ``status`` is an AttendanceStatus or
    its stored value (the enum is a str, so both compare alike)."""
    if status in _FULL_SHARE:
        return 1.0
    if status != AttendanceStatus.EARLY_LEAVE:
        return 0.0
    length = (session_end - session_start).total_seconds()
    if sign_out_at is None or length <= 0:
        return UNTIMED_EARLY_LEAVE_SHARE
    begin = max(session_start, sign_in_at) if sign_in_at is not None else session_start
    stayed = (min(session_end, sign_out_at) - begin).total_seconds()
    return min(1.0, max(0.0, stayed / length))


# --- recording ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Mark:
    """One trainee's attendance at one session, as entered or imported."""

    session_id: int
    enrollment_id: int
    status: AttendanceStatus
    sign_in_at: dt.datetime | None = None
    sign_out_at: dt.datetime | None = None
    leave_reason: str = ""


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _same_instant(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.astimezone(dt.UTC).replace(microsecond=0) == b.astimezone(dt.UTC).replace(microsecond=0)


def _check_mark(m: Mark) -> AttendanceStatus:
    status = _STATUS_BY_VALUE.get(m.status)  # a member or its value; no enum lookup per mark
    if status is None:
        raise ValidationError(
            "考勤状态“{s}”无效，应为出勤、迟到、早退、请假或旷课。",
            "The attendance status “{s}” is not one of present, late, early leave, leave or absent.",
            field="status",
            code="attendance.status",
            s=m.status,
        )
    for value in (m.sign_in_at, m.sign_out_at):
        if value is not None and (not isinstance(value, dt.datetime) or value.tzinfo is None):
            raise ValidationError(
                "签到/签退时间必须带时区（程序内部错误，请联系技术人员）。",
                "Sign-in and sign-out times must carry a time zone (an internal error; report it).",
                code="attendance.naive_time",
            )
    if m.sign_in_at is not None and m.sign_out_at is not None and m.sign_out_at < m.sign_in_at:
        raise ValidationError(
            "签退时间早于签到时间，请核对。",
            "The sign-out time is earlier than the sign-in time; check them.",
            field="sign_out_at",
            code="attendance.out_before_in",
        )
    if status is AttendanceStatus.LEAVE and not (m.leave_reason or "").strip():
        raise ValidationError(
            "请假需要填写请假事由。",
            "A leave of absence needs its reason.",
            field="leave_reason",
            code="attendance.leave_reason",
        )
    return status


_COLUMNS = (
    "uuid",
    "session_id",
    "enrollment_id",
    "status",
    "sign_in_at",
    "sign_out_at",
    "method",
    "recorded_by",
    "recorded_at",
    "is_correction",
    "correction_reason",
    "leave_reason",
    "notes",
    "created_at",
    "updated_at",
)
_SQLITE_INSERT = f"INSERT INTO attendance ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


def _sqlite_instant(value: dt.datetime) -> str:
    """An instant as the register's SQLite columns store it: naive UTC text, microseconds."""
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


class _RowBuilder:
    """Builds, for one new mark, the row as SQLite stores it and its audit snapshot as canonical
    JSON (sorted keys, no spaces, like every audit event), without a per-row
    ``json.dumps``, ``uuid4`` or SQLAlchemy type processing: this is the hot path of a terminal
    import (200,000 marks must stay within 3× a bare executemany)."""

    def __init__(self, method: AttendanceMethod, recorded_by: str, now: dt.datetime, count: int) -> None:
        self.method = method.value
        self.recorded_by = recorded_by
        self.now_stored = _sqlite_instant(now)
        # The snapshot leaves out what the event itself says (created_at and recorded_at are
        # the event's instant) and the columns at their defaults (no correction, no notes). One
        # %-template per import: enrollment_id, leave_reason, session_id, sign_in_at,
        # sign_out_at, status, uuid (keys sorted, as canonical JSON has them).
        middle = f',"method":{_json_str(self.method)},"recorded_by":{_json_str(recorded_by)},"session_id":'
        self.template = (
            '{"enrollment_id":%s,"leave_reason":%s'
            + middle.replace("%", "%%")
            + '%s,"sign_in_at":%s,"sign_out_at":%s,"status":"%s","uuid":"%s"}'
        )

        # Every row's UUID (random, version 4) at once: the version and variant bits set on
        # the bytes, then one hex string cut into rows.
        raw = bytearray(os.urandom(16 * max(count, 1)))
        raw[6::16] = bytes([(b & 0x0F) | 0x40 for b in raw[6::16]])
        raw[8::16] = bytes([(b & 0x3F) | 0x80 for b in raw[8::16]])
        hexed = raw.hex()
        self.hexes = [hexed[i : i + 32] for i in range(0, len(hexed), 32)]
        self.next = 0
        self.instants: dict[dt.datetime, tuple[str, str]] = {}

    def _instant(self, value: dt.datetime) -> tuple[str, str]:
        """(as stored, as the audit's JSON writes it) of an instant; marks often share one."""
        known = self.instants.get(value)
        if known is None:
            utc = value.astimezone(dt.UTC)
            iso = utc.isoformat()  # 2026-03-02T00:30:00[.123456]+00:00
            stored = iso[:10] + " " + iso[11:19] + (iso[19:26] if utc.microsecond else ".000000")
            known = self.instants[value] = (stored, f'"{iso}"')
        return known

    def __call__(
        self,
        session_id: int,
        enrollment_id: int,
        status: AttendanceStatus,
        sign_in_at: dt.datetime | None,
        sign_out_at: dt.datetime | None,
        leave_reason: str,
    ) -> tuple[str, tuple, str]:
        hex_ = self.hexes[self.next]  # the stored form; the canonical text for the snapshot
        self.next += 1
        key = f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"
        in_stored, in_json = (None, "null") if sign_in_at is None else self._instant(sign_in_at)
        out_stored, out_json = (None, "null") if sign_out_at is None else self._instant(sign_out_at)
        value = _STATUS_VALUES[status]
        now = self.now_stored
        stored = (
            hex_,
            session_id,
            enrollment_id,
            value,
            in_stored,
            out_stored,
            self.method,
            self.recorded_by,
            now,
            0,
            "",
            leave_reason,
            "",
            now,
            now,
        )
        snapshot = self.template % (
            enrollment_id,
            _json_str(leave_reason) if leave_reason else '""',
            session_id,
            in_json,
            out_json,
            value,
            key,
        )
        return key, stored, snapshot


_STATUS_VALUES = {s: s.value for s in AttendanceStatus}
_STATUS_BY_VALUE: dict[object, AttendanceStatus] = {s.value: s for s in AttendanceStatus}


def _json_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _insert_rows(conn: sa.Connection, rows: Sequence[tuple]) -> None:
    if conn.dialect.name == "sqlite":
        # Values are already in the column types' stored form (see _RowBuilder).
        conn.exec_driver_sql(_SQLITE_INSERT, list(rows))
        return
    att_t = Attendance.__table__
    conn.execute(
        att_t.insert(),
        [
            {
                **dict(zip(_COLUMNS, r, strict=True)),
                "uuid": uuid.UUID(r[0]),
                "sign_in_at": None if r[4] is None else dt.datetime.fromisoformat(r[4]).replace(tzinfo=dt.UTC),
                "sign_out_at": None if r[5] is None else dt.datetime.fromisoformat(r[5]).replace(tzinfo=dt.UTC),
                "recorded_at": dt.datetime.fromisoformat(r[8]).replace(tzinfo=dt.UTC),
                "is_correction": False,
                "created_at": dt.datetime.fromisoformat(r[13]).replace(tzinfo=dt.UTC),
                "updated_at": dt.datetime.fromisoformat(r[14]).replace(tzinfo=dt.UTC),
            }
            for r in rows
        ],
    )


def record_marks(
    session: Session,
    marks: Iterable[Mark],
    *,
    method: AttendanceMethod | str,
    recorded_by: str,
    correction_reason: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Record marks, all or nothing; returns how many rows were written (new or corrected).

    A mark equal to the one already recorded is left alone (importing the same sheet twice
    changes nothing). A mark that changes an existing one is a 补录 (correction): it needs a
    ``correction_reason``, is flagged ``is_correction`` and its audit event keeps the earlier
    value. Every written row gets an audit event like an ORM change would.
    """
    from zunyi_trainer.bulk import collector_paused

    with collector_paused():
        return _record_marks(session, marks, method, recorded_by, correction_reason, progress)


def _record_marks(
    session: Session,
    marks: Iterable[Mark],
    method: AttendanceMethod | str,
    recorded_by: str,
    correction_reason: str | None,
    progress: Progress | None,
) -> int:
    try:
        method = AttendanceMethod(method)
    except ValueError:
        raise ValidationError(
            "考勤方式“{m}”无效，应为手工录入、纸质签到表、考勤机导入或考勤表导入。",
            "The attendance method “{m}” is not one of manual, paper, terminal or workbook.",
            field="method",
            code="attendance.method",
            m=method,
        ) from None
    # Who recorded it: as given, else the register's user (never left blank in the archive).
    recorded_by = (recorded_by or "").strip() or session.info.get("actor") or audit.default_actor()
    pending = list(marks)
    total = len(pending)
    if progress:
        progress(0, total)
    if not pending:
        return 0
    statuses: list[AttendanceStatus] = []
    seen: set[tuple[int, int]] = set()
    for m in pending:
        statuses.append(_check_mark(m))
        pair = (m.session_id, m.enrollment_id)
        if pair in seen:
            raise ValidationError(
                "同一学员在同一课次有两条考勤记录（课次 {s}，报名 {e}），请只保留一条。",
                "One trainee has two marks for one session (session {s}, enrolment {e}); keep one.",
                code="attendance.duplicate",
                s=m.session_id,
                e=m.enrollment_id,
            )
        seen.add(pair)

    session.flush()  # sessions or enrolments added in this transaction must be visible to Core
    conn = session.connection()
    sess_t, enr_t, cls_t, att_t = (
        ClassSession.__table__,
        Enrollment.__table__,
        TrainingClass.__table__,
        Attendance.__table__,
    )
    session_ids = sorted({m.session_id for m in pending})
    enrollment_ids = sorted({m.enrollment_id for m in pending})
    session_class: dict[int, tuple[int, uuid.UUID]] = {}
    for chunk in _chunks(session_ids):
        for sid, cid, cuuid in conn.execute(
            sa.select(sess_t.c.id, sess_t.c.class_id, cls_t.c.uuid)
            .join(cls_t, cls_t.c.id == sess_t.c.class_id)
            .where(sess_t.c.id.in_(chunk))
        ):
            session_class[sid] = (cid, cuuid)
    enrollment_class: dict[int, int] = {}
    for chunk in _chunks(enrollment_ids):
        for eid, cid in conn.execute(sa.select(enr_t.c.id, enr_t.c.class_id).where(enr_t.c.id.in_(chunk))):
            enrollment_class[eid] = cid
    for m in pending:
        if m.session_id not in session_class:
            raise ValidationError(
                "课次 {s} 不存在。", "Session {s} does not exist.", code="attendance.no_session", s=m.session_id
            )
        if m.enrollment_id not in enrollment_class:
            raise ValidationError(
                "报名记录 {e} 不存在。", "Enrolment {e} does not exist.", code="attendance.no_enrollment", e=m.enrollment_id
            )
        if enrollment_class[m.enrollment_id] != session_class[m.session_id][0]:
            raise ValidationError(
                "报名记录 {e} 不属于课次 {s} 所在的培训班。",
                "Enrolment {e} does not belong to the class of session {s}.",
                code="attendance.wrong_class",
                e=m.enrollment_id,
                s=m.session_id,
            )

    existing: dict[tuple[int, int], Any] = {}
    for chunk in _chunks(session_ids):
        for row in conn.execute(
            sa.select(
                att_t.c.id,
                att_t.c.uuid,
                att_t.c.session_id,
                att_t.c.enrollment_id,
                att_t.c.status,
                att_t.c.sign_in_at,
                att_t.c.sign_out_at,
                att_t.c.leave_reason,
                att_t.c.method,
                att_t.c.recorded_by,
            ).where(att_t.c.session_id.in_(chunk))
        ):
            existing[(row.session_id, row.enrollment_id)] = row

    now = now_utc()
    actor = session.info.get("actor") or audit.default_actor()
    reason = (correction_reason or "").strip()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    new_row = _RowBuilder(method, recorded_by, now, len(pending))
    for m, status in zip(pending, statuses, strict=True):
        class_uuid = session_class[m.session_id][1]
        old = existing.get((m.session_id, m.enrollment_id)) if existing else None
        leave_reason = m.leave_reason.strip() if m.leave_reason else ""
        if old is not None:
            if (
                AttendanceStatus(old.status) is status
                and _same_instant(old.sign_in_at, m.sign_in_at)
                and _same_instant(old.sign_out_at, m.sign_out_at)
                and (old.leave_reason or "") == leave_reason
            ):
                continue
            updates.append(
                {
                    "b_id": old.id,
                    "status": status,
                    "sign_in_at": m.sign_in_at,
                    "sign_out_at": m.sign_out_at,
                    "leave_reason": leave_reason,
                    "method": method,
                    "recorded_by": recorded_by,
                    "recorded_at": now,
                    "is_correction": True,
                    "correction_reason": reason,
                    "updated_at": now,
                }
            )
            changes = {
                "status": [AttendanceStatus(old.status).value, status.value],
                "sign_in_at": [_iso(old.sign_in_at), _iso(m.sign_in_at)],
                "sign_out_at": [_iso(old.sign_out_at), _iso(m.sign_out_at)],
                "leave_reason": [old.leave_reason, leave_reason],
                "method": [AttendanceMethod(old.method).value, method.value],
                "recorded_by": [old.recorded_by, recorded_by],
                "is_correction": [None, True],
                "correction_reason": [None, reason],
            }
            events.append(
                {
                    "actor": actor,
                    "action": "update",
                    "table_name": "attendance",
                    "record_key": str(old.uuid),
                    "class_uuid": class_uuid,
                    "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                }
            )
            continue
        key, stored, snapshot = new_row(m.session_id, m.enrollment_id, status, m.sign_in_at, m.sign_out_at, leave_reason)
        inserts.append(stored)
        events.append(
            {
                "actor": actor,
                "action": "insert",
                "table_name": "attendance",
                "record_key": key,
                "class_uuid": class_uuid,
                "changes": snapshot,
            }
        )

    if updates and not reason:
        raise ValidationError(
            "有 {n} 条考勤与已记录的不同，属于补录，需要填写补录原因。没有写入任何记录。",
            "{n} marks differ from what is recorded: that is a correction (补录) and needs a reason. Nothing was written.",
            field="correction_reason",
            code="attendance.correction_reason",
            n=len(updates),
        )

    written = len(inserts) + len(updates)
    done = total - written  # unchanged marks are done already
    with session.begin_nested(), bulk.roomy_cache(conn):
        for chunk in _chunks(inserts, _WRITE_CHUNK):
            _insert_rows(conn, chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        if updates:
            stmt = (
                att_t.update()
                .where(att_t.c.id == sa.bindparam("b_id"))
                .values(
                    {
                        k: sa.bindparam(k)
                        for k in (
                            "status",
                            "sign_in_at",
                            "sign_out_at",
                            "leave_reason",
                            "method",
                            "recorded_by",
                            "recorded_at",
                            "is_correction",
                            "correction_reason",
                            "updated_at",
                        )
                    }
                )
            )
            for chunk in _chunks(updates, _WRITE_CHUNK):
                conn.execute(stmt, list(chunk))
                done += len(chunk)
                if progress:
                    progress(done, total)
        audit.append_events(conn, events)
    if progress:
        progress(total, total)
    # ORM objects loaded earlier in this session no longer match the rows: reload them on use.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Attendance | Enrollment | ClassSession):
            session.expire(obj)
    return written


# --- rates --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TraineeRate:
    enrollment_id: int
    attended_periods: float  # 课时 attended (early leaves count the attended part)
    counted_periods: int  # 课时 that count for this trainee
    rate: float  # attended / counted, 0..1; 0 when nothing counts yet
    eligible: bool  # rate at or above the subsidy threshold (and something counted)


def _eligible(attended: float, counted: int, threshold: float) -> bool:
    # A small tolerance, so that exactly 80 % by hours is not lost to floating point.
    return counted > 0 and attended + 1e-9 >= threshold * counted


@dataclasses.dataclass(frozen=True)
class SessionSlot:
    """What a rate needs of a session."""

    id: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    periods: int


class RecordedMark(NamedTuple):
    """What a rate needs of a recorded mark (a tuple: a class's rates read thousands)."""

    status: str  # an AttendanceStatus or its value
    sign_in_at: dt.datetime | None = None
    sign_out_at: dt.datetime | None = None


def trainee_rate(
    enrollment_id: int,
    enrolled_on: dt.date | None,
    withdrawn_on: dt.date | None,
    sessions: Iterable[SessionSlot],
    marks: dict[int, RecordedMark],
    *,
    as_of: dt.date,
    threshold: float,
) -> TraineeRate:
    """One trainee's rate by hours, from their sessions and their marks (by session id).

    A session counts when it lies within the enrolment (``enrolled_on`` through
    ``withdrawn_on``) and has been held (on or before ``as_of``) or is already marked. Unmarked
    held sessions count as not attended.
    """
    attended = 0.0
    counted = 0
    for s in sessions:
        if enrolled_on is not None and s.date < enrolled_on:
            continue
        if withdrawn_on is not None and s.date > withdrawn_on:
            continue
        mark = marks.get(s.id)
        if mark is None:
            if s.date <= as_of:
                counted += s.periods
            continue
        counted += s.periods
        attended += s.periods * attended_share(mark.status, s.start, s.end, mark.sign_in_at, mark.sign_out_at)
    rate = min(1.0, attended / counted) if counted else 0.0
    return TraineeRate(enrollment_id, attended, counted, rate, _eligible(attended, counted, threshold))


def class_rates(
    session: Session,
    training_class: TrainingClass,
    settings: RuleSettings,
    *,
    as_of: dt.date | None = None,
) -> dict[int, TraineeRate]:
    """Each enrolment's attendance rate by hours (see :func:`trainee_rate`); ``as_of``
    defaults to today."""
    as_of = as_of or today_local()
    sess_t, enr_t, att_t = ClassSession.__table__, Enrollment.__table__, Attendance.__table__
    slots = [
        SessionSlot(r.id, r.date, local_instant(r.date, r.start_time), local_instant(r.date, r.end_time), r.periods)
        for r in session.execute(
            sa.select(sess_t.c.id, sess_t.c.date, sess_t.c.start_time, sess_t.c.end_time, sess_t.c.periods).where(
                sess_t.c.class_id == training_class.id
            )
        )
    ]
    enrollments = session.execute(
        sa.select(enr_t.c.id, enr_t.c.enrolled_on, enr_t.c.withdrawn_on).where(enr_t.c.class_id == training_class.id)
    ).all()
    marks: dict[int, dict[int, RecordedMark]] = {e.id: {} for e in enrollments}
    in_class = sa.select(sess_t.c.id).where(sess_t.c.class_id == training_class.id).scalar_subquery()
    # Statuses as their stored text (no enum processing per row); times only where they matter.
    for session_id, enrollment_id, status in session.execute(
        sa.select(att_t.c.session_id, att_t.c.enrollment_id, sa.type_coerce(att_t.c.status, sa.String)).where(
            att_t.c.session_id.in_(in_class)
        )
    ).all():
        marks.setdefault(enrollment_id, {})[session_id] = RecordedMark(status)
    for row in session.execute(
        sa.select(att_t.c.session_id, att_t.c.enrollment_id, att_t.c.sign_in_at, att_t.c.sign_out_at).where(
            att_t.c.session_id.in_(in_class), att_t.c.status == AttendanceStatus.EARLY_LEAVE
        )
    ).all():
        marks[row.enrollment_id][row.session_id] = RecordedMark(AttendanceStatus.EARLY_LEAVE, row.sign_in_at, row.sign_out_at)
    return {
        e.id: trainee_rate(
            e.id,
            e.enrolled_on,
            e.withdrawn_on,
            slots,
            marks[e.id],
            as_of=as_of,
            threshold=settings.attendance_threshold,
        )
        for e in enrollments
    }


def overall_rate(rates: Iterable[TraineeRate]) -> float:
    """The class's rate by hours: all attended 课时 over all counted 课时 (0 when none count)."""
    attended = counted = 0.0
    for r in rates:
        attended += r.attended_periods
        counted += r.counted_periods
    return min(1.0, attended / counted) if counted else 0.0


# --- rates summed in SQL, for many classes at once ------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PeriodTotals:
    """Attended and counted 课时, summed by the rule of :func:`trainee_rate`."""

    attended: float = 0.0
    counted: int = 0

    def eligible(self, threshold: float) -> bool:
        return _eligible(self.attended, self.counted, threshold)


_FULL_SHARE_VALUES = tuple(s.value for s in _FULL_SHARE)


def _in_window(session_table: sa.Table, enrollment_table: sa.Table, class_id: Any = None) -> sa.ColumnElement[bool]:
    """The session lies within the enrolment (its class, from enrolled_on through withdrawn_on)."""
    s, e = session_table.c, enrollment_table.c
    return sa.and_(
        (s.class_id if class_id is None else class_id) == e.class_id,
        sa.or_(e.enrolled_on.is_(None), s.date >= e.enrolled_on),
        sa.or_(e.withdrawn_on.is_(None), s.date <= e.withdrawn_on),
    )


def _early_leave_shares(session: Session, query: sa.Select) -> Iterable[tuple[Any, float]]:
    """(group, attended 课时) of each early leave ``query`` selects as (group, date, start_time,
    end_time, periods, sign_in_at, sign_out_at): the share needs the times, so Python works it out."""
    for group, day, start, end, periods, sign_in, sign_out in session.execute(query):
        share = attended_share(
            AttendanceStatus.EARLY_LEAVE, local_instant(day, start), local_instant(day, end), sign_in, sign_out
        )
        yield group, periods * share


def enrolment_totals(session: Session, class_ids: Iterable[int], *, as_of: dt.date) -> dict[int, PeriodTotals]:
    """Each enrolment's attended and counted 课时 in the classes ``class_ids`` (enrolment id →
    totals), each class as of the earlier of ``as_of`` and its last day: what :func:`trainee_rate`
    gives, without a Python object per mark (a year of a large school is hundreds of thousands):
    the database sums the marks, the held sessions are summed from each class's timetable."""
    sess_t, enr_t, att_t, cls_t = ClassSession.__table__, Enrollment.__table__, Attendance.__table__, TrainingClass.__table__
    s, e, a, c = sess_t.c, enr_t.c, att_t.c, cls_t.c
    day = sa.literal(as_of, sa.Date)
    class_day = sa.case((c.end_date < day, c.end_date), else_=day)
    attended: dict[int, float] = defaultdict(float)
    counted: dict[int, int] = defaultdict(int)
    for ids in _chunks(sorted(set(class_ids))):
        # Held sessions (on or before the class's day) count, marked or not: prefix sums of each
        # class's timetable by date, read once, instead of a row per trainee and session.
        days: dict[int, list[dt.date]] = defaultdict(list)
        sums: dict[int, list[int]] = defaultdict(lambda: [0])
        ends: dict[int, dt.date] = {}
        for class_id, end_date in session.execute(sa.select(c.id, c.end_date).where(c.id.in_(ids))):
            ends[class_id] = min(as_of, end_date)
        for class_id, date, periods in session.execute(
            sa.select(s.class_id, s.date, s.periods).where(s.class_id.in_(ids)).order_by(s.class_id, s.date)
        ).all():
            days[class_id].append(date)
            sums[class_id].append(sums[class_id][-1] + periods)
        for enrollment_id, class_id, enrolled_on, withdrawn_on in session.execute(
            sa.select(e.id, e.class_id, e.enrolled_on, e.withdrawn_on).where(e.class_id.in_(ids))
        ).all():
            last = ends[class_id] if withdrawn_on is None else min(ends[class_id], withdrawn_on)
            first = bisect.bisect_left(days[class_id], enrolled_on) if enrolled_on is not None else 0
            held = sums[class_id][bisect.bisect_right(days[class_id], last)] - sums[class_id][first]
            if held > 0:
                counted[enrollment_id] += held
        # Marks, read through each enrolment's marks (``+ 0`` keeps SQLite from starting at the
        # sessions and probing every trainee × session pair): sessions after the day count once
        # marked; present and late count in full; early leaves need their times (below).
        marked = (
            sa.select()
            .select_from(enr_t)
            .join(att_t, a.enrollment_id == e.id)
            .join(sess_t, sa.and_(s.id == a.session_id, _in_window(sess_t, enr_t, s.class_id + 0)))
            .join(cls_t, c.id == e.class_id)
            .where(e.class_id.in_(ids))
        )
        status = sa.type_coerce(a.status, sa.String)
        early_leavers: list[int] = []
        for enrollment_id, future, full, early in session.execute(
            marked.add_columns(
                e.id,
                sa.func.sum(sa.case((s.date > class_day, s.periods), else_=0)),
                sa.func.sum(sa.case((status.in_(_FULL_SHARE_VALUES), s.periods), else_=0)),
                sa.func.sum(sa.case((status == AttendanceStatus.EARLY_LEAVE.value, 1), else_=0)),
            ).group_by(e.id)
        ).all():
            counted[enrollment_id] += future or 0
            attended[enrollment_id] += full or 0
            if early:
                early_leavers.append(enrollment_id)
        for some in _chunks(early_leavers):
            for enrollment_id, share in _early_leave_shares(
                session,
                marked.add_columns(e.id, s.date, s.start_time, s.end_time, s.periods, a.sign_in_at, a.sign_out_at).where(
                    e.id.in_(some), status == AttendanceStatus.EARLY_LEAVE.value
                ),
            ):
                attended[enrollment_id] += share
    return {k: PeriodTotals(attended[k], counted[k]) for k in counted}


def daily_totals(session: Session, first: dt.date, last: dt.date) -> dict[dt.date, PeriodTotals]:
    """Attended and counted 课时 of every enrolment in the sessions held each day from ``first``
    through ``last`` (at most today: every such session counts, marked or not), summed over the
    school by the rule of :func:`trainee_rate`. Days without sessions are left out."""
    sess_t, enr_t, att_t = ClassSession.__table__, Enrollment.__table__, Attendance.__table__
    s, a = sess_t.c, att_t.c
    pairs = sa.select().select_from(sess_t).join(enr_t, _in_window(sess_t, enr_t)).where(s.date >= first, s.date <= last)
    attended: dict[dt.date, float] = defaultdict(float)
    counted: dict[dt.date, int] = defaultdict(int)
    for day, periods in session.execute(pairs.add_columns(s.date, sa.func.sum(s.periods)).group_by(s.date)):
        counted[day] += periods
    marked = pairs.join(att_t, sa.and_(a.session_id == s.id, a.enrollment_id == enr_t.c.id))
    for day, full in session.execute(
        marked.add_columns(s.date, sa.func.sum(s.periods))
        .where(sa.type_coerce(a.status, sa.String).in_(_FULL_SHARE_VALUES))
        .group_by(s.date)
    ):
        attended[day] += full
    for day, share in _early_leave_shares(
        session,
        marked.add_columns(s.date, s.date, s.start_time, s.end_time, s.periods, a.sign_in_at, a.sign_out_at).where(
            a.status == AttendanceStatus.EARLY_LEAVE
        ),
    ):
        attended[day] += share
    return {day: PeriodTotals(attended[day], counted[day]) for day in counted}
