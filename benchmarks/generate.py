"""A register of a large school after five years: about 25,000 trainees, 1,000 classes and
1,000,000 attendance marks (``quick``: a tenth). Written with bulk Core inserts and a real audit
chain (one event per row, as the app writes), so the file is what such a school would have.

    uv run python -m benchmarks.generate DIR [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from zunyi_trainer import audit, idcard
from zunyi_trainer.db import Register, open_register
from zunyi_trainer.demo import AREAS_BEFORE_1997, AREAS_FROM_1997, GIVEN, SURNAMES
from zunyi_trainer.models import (
    Attendance,
    ClassSession,
    Enrollment,
    Institution,
    Teacher,
    Trade,
    Trainee,
    TrainingClass,
    Venue,
)
from zunyi_trainer.timeutil import local_instant, now_utc

TRAINEES_PER_CLASS = 25
SESSIONS_PER_CLASS = 40


def _insert(conn: sa.Connection, model, rows: list[dict], *, audited: bool = True, chunk: int = 20_000) -> None:
    table = model.__table__
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        conn.execute(table.insert(), part)
        if audited:
            audit.append_events(
                conn,
                (
                    {
                        "actor": "benchmark",
                        "action": "insert",
                        "table_name": table.name,
                        "record_key": str(r["uuid"]),
                        "class_uuid": None,
                        "changes": {k: audit.jsonable(v) for k, v in r.items()},
                    }
                    for r in part
                ),
            )


def trainee_rows(rng: random.Random, institution_id: int, count: int, now: dt.datetime) -> list[dict]:
    """``count`` trainees with valid, distinct ID numbers whose area codes fit their birth years."""
    used: set[str] = set()
    rows: list[dict] = []
    today = dt.date.today()
    while len(rows) < count:
        birth = today - dt.timedelta(days=rng.randrange(18 * 365 + 30, 58 * 365))
        areas = AREAS_BEFORE_1997 if birth.year < 1997 else AREAS_FROM_1997
        number = idcard.make_number(rng.choice(areas), birth, rng.randrange(1, 999))
        if number in used:
            continue
        used.add(number)
        rows.append(
            {
                "uuid": uuid.uuid4(),
                "institution_id": institution_id,
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "id_number": number,
                "sex": "M" if int(number[16]) % 2 else "F",
                "birth_date": birth,
                "phone": "1" + str(rng.randrange(3, 10)) + "".join(str(rng.randrange(10)) for _ in range(9)),
                "category": "other",
                "household_address": "贵州省遵义市",
                "current_address": "",
                "employer": "",
                "notes": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def generate(data_dir: Path, *, classes: int = 1000, trainees: int = 25_000, seed: int = 5, log=print) -> Path:
    rng = random.Random(seed)
    reg: Register = open_register(data_dir)
    t0 = time.perf_counter()
    try:
        with reg.engine.begin() as conn:
            trades = conn.execute(sa.select(Trade.id, Trade.name)).all()
            now = now_utc()
            inst_uuid = uuid.uuid4()
            _insert(
                conn,
                Institution,
                [
                    {
                        "uuid": inst_uuid,
                        "name": "遵义市大型演示职业培训学校",
                        "uscc": "91110000600037341L",
                        "county": "huichuan",
                        "license_no": "",
                        "address": "",
                        "legal_representative": "",
                        "contact_person": "",
                        "contact_phone": "",
                        "equipment_target_pct": 10,
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            inst_id = conn.execute(sa.select(Institution.id)).scalar_one()
            teachers = [
                {
                    "uuid": uuid.uuid4(),
                    "institution_id": inst_id,
                    "name": f"教师{i}",
                    "id_number": idcard.make_number("520302", dt.date(1980, 1, 1) + dt.timedelta(days=i), 11),
                    "employment": "full_time" if i % 2 else "part_time",
                    "phone": "",
                    "title": "",
                    "specialty": "",
                    "active": True,
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(40)
            ]
            _insert(conn, Teacher, teachers)
            teacher_ids = conn.execute(sa.select(Teacher.id)).scalars().all()
            venues = [
                {
                    "uuid": uuid.uuid4(),
                    "institution_id": inst_id,
                    "name": f"教室{i}",
                    "kind": "theory",
                    "seats": 60,
                    "address": "",
                    "active": True,
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(12)
            ]
            _insert(conn, Venue, venues)
            venue_ids = conn.execute(sa.select(Venue.id)).scalars().all()
            rows = trainee_rows(rng, inst_id, trainees, now)
            _insert(conn, Trainee, rows)
            trainee_ids = conn.execute(sa.select(Trainee.id)).scalars().all()
            log(f"  people: {time.perf_counter() - t0:.1f}s")
            start0 = dt.date.today() - dt.timedelta(days=5 * 365)
            class_rows = []
            for k in range(classes):
                start = start0 + dt.timedelta(days=k * 5 * 365 // classes)
                class_rows.append(
                    {
                        "uuid": uuid.uuid4(),
                        "institution_id": inst_id,
                        "code": f"BM{start.year}{k:04d}",
                        "name": f"大型班{k}",
                        "trade_id": rng.choice(trades).id,
                        "level": "L5",
                        "training_type": "employment",
                        "mode": "offline",
                        "funding": "subsidised",
                        "start_date": start,
                        "end_date": start + dt.timedelta(days=27),
                        "venue_id": rng.choice(venue_ids),
                        "planned_size": TRAINEES_PER_CLASS,
                        "fee_fen": 0,
                        "subsidy_standard_fen": 1_200_00,
                        "assessment_plan": "",
                        "status": "completed",
                        "approval_no": f"批{k}",
                        "approver": "",
                        "decision_remarks": "",
                        "rejection_reason": "",
                        "archive_no": "",
                        "notes": "",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            _insert(conn, TrainingClass, class_rows)
            class_ids = conn.execute(sa.select(TrainingClass.id, TrainingClass.start_date).order_by(TrainingClass.id)).all()
            sess_rows, enr_rows = [], []
            for cid, start in class_ids:
                for s in range(SESSIONS_PER_CLASS):
                    day = start + dt.timedelta(days=s // 2)
                    morning = s % 2 == 0
                    sess_rows.append(
                        {
                            "uuid": uuid.uuid4(),
                            "class_id": cid,
                            "date": day,
                            "start_time": dt.time(8, 30) if morning else dt.time(14, 0),
                            "end_time": dt.time(11, 30) if morning else dt.time(17, 0),
                            "periods": 4,
                            "kind": "theory" if s < 14 else "practice",
                            "topic": "",
                            "teacher_id": rng.choice(teacher_ids),
                            "venue_id": rng.choice(venue_ids),
                            "notes": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                for tid in rng.sample(trainee_ids, TRAINEES_PER_CLASS):
                    enr_rows.append(
                        {
                            "uuid": uuid.uuid4(),
                            "class_id": cid,
                            "trainee_id": tid,
                            "enrolled_on": start,
                            "withdraw_reason": "",
                            "subsidised": True,
                            "result": "passed",
                            "certificate_no": "",
                            "subsidy_fen": 0,
                            "notes": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
            _insert(conn, ClassSession, sess_rows)
            _insert(conn, Enrollment, enr_rows)
            log(f"  classes: {time.perf_counter() - t0:.1f}s")
            sessions_by_class: dict[int, list[tuple[int, dt.date, dt.time]]] = {}
            for sid, cid, day, st in conn.execute(
                sa.select(ClassSession.id, ClassSession.class_id, ClassSession.date, ClassSession.start_time)
            ):
                sessions_by_class.setdefault(cid, []).append((sid, day, st))
            batch = []
            for eid, cid in conn.execute(sa.select(Enrollment.id, Enrollment.class_id)).all():
                for sid, day, st in sessions_by_class[cid]:
                    r = rng.random()
                    status = "present" if r < 0.92 else "late" if r < 0.95 else "leave" if r < 0.97 else "absent"
                    signed = local_instant(day, st) if status in ("present", "late") else None
                    batch.append(
                        {
                            "uuid": uuid.uuid4(),
                            "session_id": sid,
                            "enrollment_id": eid,
                            "status": status,
                            "sign_in_at": signed,
                            "method": "terminal",
                            "recorded_by": "benchmark",
                            "recorded_at": now,
                            "is_correction": False,
                            "correction_reason": "",
                            "leave_reason": "事假" if status == "leave" else "",
                            "notes": "",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                if len(batch) >= 100_000:
                    _insert(conn, Attendance, batch)
                    batch = []
            _insert(conn, Attendance, batch)
            log(f"  attendance: {time.perf_counter() - t0:.1f}s")
    finally:
        reg.close()
    return data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    generate(args.dir, classes=1000 // scale, trainees=25_000 // scale)


if __name__ == "__main__":
    main()
