"""Small builders of register records for tests: each returns a saved (flushed) object with
sensible defaults, overridable by keyword."""

from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import idcard
from zunyi_trainer.models import (
    ClassSession,
    Employment,
    Enrollment,
    Institution,
    Level,
    Qualification,
    QualificationKind,
    SessionKind,
    Teacher,
    Trade,
    Trainee,
    TrainingClass,
    TrainingMode,
    TrainingType,
    Venue,
    VenueKind,
)

VALID_USCC = "91110000600037341L"
_counter = itertools.count(1)


def trade(s: Session, name: str = "茶艺师") -> Trade:
    return s.scalars(sa.select(Trade).where(Trade.name == name)).one()


def institution(s: Session, **kw) -> Institution:
    existing = s.scalars(sa.select(Institution)).first()
    if existing is not None and not kw:
        return existing
    inst = Institution(
        name=kw.pop("name", "湄潭县测试职业培训学校"),
        uscc=kw.pop("uscc", VALID_USCC),
        county=kw.pop("county", "meitan"),
        **kw,
    )
    inst.trades = [trade(s, "茶艺师"), trade(s, "评茶员"), trade(s, "白酒酿造工")]
    s.add(inst)
    s.flush()
    return inst


def id_number(birth: dt.date | None = None, area: str = "520328") -> str:
    n = next(_counter)
    birth = birth or dt.date(1985, 1, 1) + dt.timedelta(days=n * 37 % 7000)
    if birth.year < 1997:
        area = "522128"
    return idcard.make_number(area, birth, n % 999 or 1)


def trainee(s: Session, **kw) -> Trainee:
    inst = kw.pop("institution", None) or institution(s)
    number = kw.pop("id_number", None) or id_number()
    parsed = idcard.parse(number)
    t = Trainee(
        institution_id=inst.id,
        name=kw.pop("name", f"学员{next(_counter)}"),
        id_number=parsed.number,
        sex=parsed.sex,
        birth_date=parsed.birth_date,
        phone=kw.pop("phone", f"139{next(_counter):08d}"),
        **kw,
    )
    s.add(t)
    s.flush()
    return t


def teacher(s: Session, **kw) -> Teacher:
    inst = kw.pop("institution", None) or institution(s)
    qualified_for = kw.pop("trade", None)
    t = Teacher(
        institution_id=inst.id,
        name=kw.pop("name", f"教师{next(_counter)}"),
        id_number=kw.pop("id_number", None) or id_number(dt.date(1980, 5, 5)),
        employment=kw.pop("employment", Employment.FULL_TIME),
        **kw,
    )
    if qualified_for is not None:
        t.qualifications.append(
            Qualification(
                kind=QualificationKind.SKILL_LEVEL,
                number=f"Q{next(_counter):06d}",
                trade=qualified_for,
                level=Level.L3,
                issued_on=dt.date(2020, 1, 1),
                expires_on=dt.date(2030, 12, 31),
            )
        )
    s.add(t)
    s.flush()
    return t


def venue(s: Session, **kw) -> Venue:
    inst = kw.pop("institution", None) or institution(s)
    v = Venue(
        institution_id=inst.id,
        name=kw.pop("name", f"教室{next(_counter)}"),
        kind=kw.pop("kind", VenueKind.THEORY),
        seats=kw.pop("seats", 40),
        **kw,
    )
    s.add(v)
    s.flush()
    return v


def training_class(s: Session, *, trainees: int = 0, sessions: int = 0, **kw) -> TrainingClass:
    """A class; ``trainees`` and ``sessions`` add that many enrolments and 4-period sessions."""
    inst = kw.pop("institution", None) or institution(s)
    tr = kw.pop("trade", None) or trade(s)
    start = kw.pop("start_date", dt.date(2026, 3, 2))
    c = TrainingClass(
        institution_id=inst.id,
        code=kw.pop("code", f"T{next(_counter):05d}"),
        name=kw.pop("name", f"{tr.name}培训班"),
        trade=tr,
        level=kw.pop("level", Level.L5),
        training_type=kw.pop("training_type", TrainingType.EMPLOYMENT),
        mode=kw.pop("mode", TrainingMode.OFFLINE),
        start_date=start,
        end_date=kw.pop("end_date", start + dt.timedelta(days=13)),
        planned_size=kw.pop("planned_size", trainees),
        subsidy_standard_fen=kw.pop("subsidy_standard_fen", 1_000_00),
        **kw,
    )
    s.add(c)
    if sessions:
        t = teacher(s, institution=inst, trade=tr)
        v = c.venue or venue(s, institution=inst)
        c.venue = v
        for k in range(sessions):
            day = start + dt.timedelta(days=k // 2)
            morning = k % 2 == 0
            c.sessions.append(
                ClassSession(
                    date=day,
                    start_time=dt.time(8, 30) if morning else dt.time(14, 0),
                    end_time=dt.time(11, 30) if morning else dt.time(17, 0),
                    periods=4,
                    kind=SessionKind.THEORY if k < sessions * 0.4 else SessionKind.PRACTICE,
                    teacher=t,
                    venue=v,
                )
            )
    for _ in range(trainees):
        c.enrollments.append(Enrollment(trainee=trainee(s, institution=inst), enrolled_on=start - dt.timedelta(days=3)))
    s.flush()
    return c
