"""The school itself, its approved trades, its finances and its venues and equipment."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zunyi_trainer.models.base import Base, HasUuid, IdPk, Timestamps
from zunyi_trainer.models.enums import (
    EquipmentStatus,
    Industry,
    Level,
    SpendKind,
    TradeKind,
    VenueKind,
)

if TYPE_CHECKING:
    from zunyi_trainer.models.records import Attachment


class Trade(IdPk, HasUuid, Base):
    """职业（工种）: an occupation or special ability a class trains for."""

    __tablename__ = "trade"

    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    industry: Mapped[Industry]
    kind: Mapped[TradeKind]
    # Space-separated Level values, e.g. "L5 L4 L3"; see ``levels``.
    level_codes: Mapped[str] = mapped_column(sa.String(64), default="")
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def levels(self) -> list[Level]:
        return [Level(code) for code in self.level_codes.split()]

    @levels.setter
    def levels(self, levels: list[Level]) -> None:
        self.level_codes = " ".join(Level(level).value for level in levels)

    def __repr__(self) -> str:
        return f"<Trade {self.code} {self.name}>"


institution_trade = sa.Table(
    "institution_trade",
    Base.metadata,
    sa.Column("institution_id", sa.ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("trade_id", sa.ForeignKey("trade.id", ondelete="RESTRICT"), primary_key=True),
)


class Institution(IdPk, HasUuid, Timestamps, Base):
    """A private vocational training school (民办职业培训学校).

    A school's register holds one; the county's database (PostgreSQL) holds many.
    """

    __tablename__ = "institution"

    name: Mapped[str] = mapped_column(sa.String(128))
    uscc: Mapped[str] = mapped_column(sa.String(18), unique=True)  # 统一社会信用代码
    license_no: Mapped[str] = mapped_column(sa.String(64), default="")  # 办学许可证号
    county: Mapped[str] = mapped_column(sa.String(32))  # a key of reference.COUNTIES
    address: Mapped[str] = mapped_column(sa.String(256), default="")
    legal_representative: Mapped[str] = mapped_column(sa.String(64), default="")
    contact_person: Mapped[str] = mapped_column(sa.String(64), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(32), default="")
    # 定点培训机构 contract with the county (item 13): the period it is designated for.
    designated_from: Mapped[dt.date | None]
    designated_to: Mapped[dt.date | None]
    # Share of the year's surplus to reinvest in training equipment (item 4), in percent.
    equipment_target_pct: Mapped[int] = mapped_column(default=10)

    trades: Mapped[list[Trade]] = relationship(secondary=institution_trade, order_by=Trade.code)
    finances: Mapped[list[FinanceYear]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", order_by="FinanceYear.year"
    )


class FinanceYear(IdPk, HasUuid, Timestamps, Base):
    """One year's income, expenses and surplus (收支结余), in fen."""

    __tablename__ = "finance_year"
    __table_args__ = (sa.UniqueConstraint("institution_id", "year"),)

    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    income_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    expenses_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    institution: Mapped[Institution] = relationship(back_populates="finances")

    @property
    def surplus_fen(self) -> int:
        return self.income_fen - self.expenses_fen


class Venue(IdPk, HasUuid, Timestamps, Base):
    """培训场地: a theory room, a practical room or both."""

    __tablename__ = "venue"

    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    kind: Mapped[VenueKind]
    address: Mapped[str] = mapped_column(sa.String(256), default="")
    area_m2: Mapped[decimal.Decimal | None]
    seats: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    equipment: Mapped[list[Equipment]] = relationship(back_populates="venue", order_by="Equipment.id")


class Equipment(IdPk, HasUuid, Timestamps, Base):
    """实训设备: one line of the equipment register."""

    __tablename__ = "equipment"

    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venue.id", ondelete="SET NULL"), index=True)
    asset_no: Mapped[str] = mapped_column(sa.String(64), default="")
    name: Mapped[str] = mapped_column(sa.String(128))
    model: Mapped[str] = mapped_column(sa.String(128), default="")
    quantity: Mapped[int] = mapped_column(default=1)
    unit: Mapped[str] = mapped_column(sa.String(16), default="台")
    status: Mapped[EquipmentStatus] = mapped_column(default=EquipmentStatus.IN_USE)
    acquired_on: Mapped[dt.date | None]
    value_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    venue: Mapped[Venue | None] = relationship(back_populates="equipment")
    spends: Mapped[list[EquipmentSpend]] = relationship(back_populates="equipment", order_by="EquipmentSpend.id")


class EquipmentSpend(IdPk, HasUuid, Timestamps, Base):
    """设备投入: a purchase, renewal or repair of training equipment, with its invoice."""

    __tablename__ = "equipment_spend"

    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    equipment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("equipment.id", ondelete="SET NULL"), index=True)
    kind: Mapped[SpendKind]
    spent_on: Mapped[dt.date]
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    description: Mapped[str] = mapped_column(sa.String(256), default="")
    supplier: Mapped[str] = mapped_column(sa.String(128), default="")
    invoice_no: Mapped[str] = mapped_column(sa.String(64), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    equipment: Mapped[Equipment | None] = relationship(back_populates="spends")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="spend", order_by="Attachment.id")
