"""Equipment (plan item 4): a share of the year's surplus (收支结余) goes into training
equipment, against the target the school sets (``Institution.equipment_target_pct``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer.i18n import text
from zunyi_trainer.models import EquipmentSpend, FinanceYear, Institution
from zunyi_trainer.rules.context import SchoolContext
from zunyi_trainer.rules.findings import WARNS, Finding, record_of


@dataclasses.dataclass(frozen=True)
class EquipmentShare:
    year: int
    surplus_fen: int
    spent_fen: int
    target_pct: int

    @property
    def share(self) -> float | None:
        """Spend over surplus; None when there was no surplus to share."""
        return self.spent_fen / self.surplus_fen if self.surplus_fen > 0 else None

    @property
    def target_fen(self) -> int:
        return max(0, self.surplus_fen) * self.target_pct // 100

    @property
    def met(self) -> bool:
        return self.surplus_fen <= 0 or self.spent_fen >= self.target_fen


def equipment_share(session: Session, institution: Institution, year: int) -> EquipmentShare | None:
    """The year's surplus and equipment spend (purchase, renewal, repair); None without finances."""
    fy = session.scalars(
        sa.select(FinanceYear).where(FinanceYear.institution_id == institution.id, FinanceYear.year == year)
    ).first()
    if fy is None:
        return None
    spent = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(EquipmentSpend.amount_fen), 0)).where(
            EquipmentSpend.institution_id == institution.id,
            EquipmentSpend.spent_on >= dt.date(year, 1, 1),
            EquipmentSpend.spent_on <= dt.date(year, 12, 31),
        )
    )
    return EquipmentShare(year, fy.surplus_fen, int(spent or 0), institution.equipment_target_pct)


def equipment_share_rule(ctx: SchoolContext) -> list[Finding]:
    """Each recorded year with a surplus: spend at least the target share of it. The current year
    is still open, so it is judged only once it is over (a past year) — until then it is shown
    as progress in the GUI, not flagged."""
    out = []
    years = ctx.session.scalars(
        sa.select(FinanceYear.year).where(FinanceYear.institution_id == ctx.institution.id).order_by(FinanceYear.year)
    ).all()
    for year in years:
        if year >= ctx.today.year:
            continue
        share = equipment_share(ctx.session, ctx.institution, year)
        if share is None or share.met:
            continue
        out.append(
            Finding(
                "school.equipment_share_low",
                WARNS,
                text(
                    "{year} 年收支结余 {surplus:,.2f} 元，用于实训设备的投入 {spent:,.2f} 元（{share:.1%}），"
                    "低于本校设定的 {target}%（{target_amount:,.2f} 元）。",
                    "In {year} the surplus was {surplus:,.2f} yuan and {spent:,.2f} yuan ({share:.1%}) went into training "
                    "equipment, below the school's target of {target}% ({target_amount:,.2f} yuan).",
                    year=year,
                    surplus=share.surplus_fen / 100,
                    spent=share.spent_fen / 100,
                    share=share.share or 0.0,
                    target=share.target_pct,
                    target_amount=share.target_fen / 100,
                ),
                {
                    "year": year,
                    "surplus_fen": share.surplus_fen,
                    "spent_fen": share.spent_fen,
                    "target_pct": share.target_pct,
                    "target_fen": share.target_fen,
                },
                record_of(ctx.institution),
            )
        )
    return out


SCHOOL_RULES = (equipment_share_rule,)
