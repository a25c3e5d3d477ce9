"""The class register (培训班): the page a school works in most, often the one remembered from the
last session and so the first painted. It reads its rows with plain SQL tables and imports no
mapped model until a record is opened (the models are mapped after the first paint; see
``zunyi_trainer.models``)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from zunyi_trainer.gui.messages import tr
from zunyi_trainer.gui.register_page import RegisterPage
from zunyi_trainer.gui.table_models import Column, Row
from zunyi_trainer.models import ClassStatus, Funding, Industry, Level, TrainingMode, TrainingType


class ClassesPage(RegisterPage):
    page_key = "classes"
    tables = ("training_class", "enrollment", "class_session", "institution")
    record_dialog, record_model = "ClassDialog", "TrainingClass"
    filter_keys = ("status", "trade", "year", "funding")

    def columns(self) -> Sequence[Column]:
        return (
            Column("code", tr("Code")),
            Column("name", tr("Name")),
            Column("trade", tr("Trade")),
            Column("industry", tr("Industry")),
            Column("level", tr("Level")),
            Column("training_type", tr("Training type")),
            Column("mode", tr("Mode"), hidden=True),
            Column("funding", tr("Funding")),
            Column("status", tr("Status")),
            Column("start", tr("Starts")),
            Column("end", tr("Ends")),
            Column("year", tr("Year"), hidden=True),
            Column("enrolled", tr("Trainees"), numeric=True),
            Column("periods", tr("Periods"), numeric=True),
            Column("venue", tr("Venue"), hidden=True),
            Column("approval_no", tr("Approval no.")),
        )

    def load_rows(self, s) -> list[Row]:
        """One Core query (the class, its trade and venue, trainees and periods) on plain tables: no
        ORM objects for a thousand classes, and no mapped models, before the window can paint."""
        c = sa.table(
            "training_class",
            *(sa.column(n) for n in ("id", "code", "name", "trade_id", "venue_id", "level", "training_type")),
            *(sa.column(n) for n in ("mode", "funding", "status", "approval_no")),
            sa.column("start_date"),
            sa.column("end_date"),
        )
        trade = sa.table("trade", sa.column("id"), sa.column("name"), sa.column("industry"))
        venue = sa.table("venue", sa.column("id"), sa.column("name"))
        enrollment = sa.table("enrollment", sa.column("class_id"), sa.column("withdrawn_on"))
        session = sa.table("class_session", sa.column("class_id"), sa.column("periods"))
        enrolled = (
            sa.select(enrollment.c.class_id, sa.func.count().label("n"))
            .where(enrollment.c.withdrawn_on.is_(None))
            .group_by(enrollment.c.class_id)
            .subquery()
        )
        periods = sa.select(session.c.class_id, sa.func.sum(session.c.periods).label("n")).group_by(session.c.class_id).subquery()
        q = (
            sa.select(
                c.c.id,
                c.c.code,
                c.c.name,
                trade.c.name.label("trade"),
                trade.c.industry,
                c.c.level,
                c.c.training_type,
                c.c.mode,
                c.c.funding,
                c.c.status,
                c.c.start_date,
                c.c.end_date,
                c.c.approval_no,
                venue.c.name.label("venue"),
                sa.func.coalesce(enrolled.c.n, 0).label("enrolled"),
                sa.func.coalesce(periods.c.n, 0).label("periods"),
            )
            .join(trade, trade.c.id == c.c.trade_id)
            .outerjoin(venue, venue.c.id == c.c.venue_id)
            .outerjoin(enrolled, enrolled.c.class_id == c.c.id)
            .outerjoin(periods, periods.c.class_id == c.c.id)
        )

        # Labels by stored value, looked up once per value rather than an enum made per cell; dates
        # as stored (ISO text on SQLite, a date on PostgreSQL: str() gives the same).
        def by_value(kind) -> dict:
            return {m.value: m.label for m in kind}

        industry, level, training_type, mode, funding, status_label = map(
            by_value, (Industry, Level, TrainingType, TrainingMode, Funding, ClassStatus)
        )
        order = {m.value: i for i, m in enumerate(ClassStatus)}
        rows = []
        for (
            class_id, code, name, trade_name, industry_v, level_v, type_v, mode_v, funding_v, status_v,
            start, end, approval_no, venue_name, enrolled_n, periods_n,
        ) in s.connection().execute(q):  # fmt: skip
            start, end = str(start), str(end)
            rows.append(
                Row(
                    class_id,
                    {
                        "code": code,
                        "name": name,
                        "trade": trade_name,
                        "industry": industry[industry_v],
                        "level": level[level_v],
                        "training_type": training_type[type_v],
                        "mode": mode[mode_v] if mode_v else "",
                        "funding": funding[funding_v],
                        "status": status_label[status_v],
                        "start": start,
                        "end": end,
                        "year": start[:4],
                        "enrolled": str(enrolled_n),
                        "periods": str(periods_n),
                        "venue": venue_name or "",
                        "approval_no": approval_no,
                    },
                    sort={"enrolled": enrolled_n, "periods": periods_n, "status": order[status_v]},
                )
            )
        return rows

    def open_record(self, record_id: int) -> None:
        from zunyi_trainer.gui.class_detail import ClassDetailWindow

        ClassDetailWindow.open_for(self.ctx, record_id, self.window())

    def record_label(self, record) -> str:
        return f"{record.code} {record.name}"
