"""What the rules read, loaded once per check: a class with its timetable, people and places."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from zunyi_trainer.models import (
    ClassSession,
    Enrollment,
    Institution,
    Teacher,
    TrainingClass,
)
from zunyi_trainer.settings import RuleSettings
from zunyi_trainer.timeutil import today_local


@dataclasses.dataclass
class ClassContext:
    session: Session
    cls: TrainingClass
    settings: RuleSettings
    today: dt.date

    @property
    def sessions(self) -> list[ClassSession]:
        return self.cls.sessions

    @property
    def active_enrollments(self) -> list[Enrollment]:
        """Enrolments not withdrawn."""
        return [e for e in self.cls.enrollments if e.withdrawn_on is None]

    @property
    def timetable_teachers(self) -> list[Teacher]:
        seen: dict[int, Teacher] = {}
        for s in self.cls.sessions:
            if s.teacher is not None and s.teacher.id not in seen:
                seen[s.teacher.id] = s.teacher
        return list(seen.values())


def load_class(session: Session, training_class: TrainingClass, settings: RuleSettings, today: dt.date | None) -> ClassContext:
    """Load the class's sessions (teacher, venue), enrolments (trainee) and the teachers'
    qualifications in a handful of queries, so a 60-trainee, 120-session class checks fast."""
    cls = session.scalars(
        sa.select(TrainingClass)
        .where(TrainingClass.id == training_class.id)
        .options(
            selectinload(TrainingClass.sessions).selectinload(ClassSession.teacher).selectinload(Teacher.qualifications),
            selectinload(TrainingClass.sessions).selectinload(ClassSession.teacher).selectinload(Teacher.affiliations),
            selectinload(TrainingClass.sessions).selectinload(ClassSession.teacher).selectinload(Teacher.trainings),
            selectinload(TrainingClass.sessions).selectinload(ClassSession.venue),
            selectinload(TrainingClass.enrollments).selectinload(Enrollment.trainee),
            selectinload(TrainingClass.trade),
            selectinload(TrainingClass.venue),
            selectinload(TrainingClass.institution).selectinload(Institution.trades),
        )
    ).one()
    return ClassContext(session, cls, settings, today or today_local())


@dataclasses.dataclass
class SchoolContext:
    session: Session
    institution: Institution
    settings: RuleSettings
    today: dt.date
