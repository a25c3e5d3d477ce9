"""Declarative base, column types and mixins shared by every model."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column
from sqlalchemy.types import TypeDecorator

from zunyi_trainer.timeutil import now_utc

# Stable constraint names, so that Alembic's batch mode can find and alter them on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An instant: aware in Python, stored in UTC.

    SQLite has no time zones, so the value is stored as naive UTC text and given back as an aware
    UTC datetime; PostgreSQL stores ``timestamptz``. A naive datetime is refused on the way in,
    because nobody could tell later which clock it was read from.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware instants (see timeutil)")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class ExactDecimal(TypeDecorator[decimal.Decimal]):
    """A decimal kept exact: ``NUMERIC`` where the database has it, canonical text on SQLite."""

    impl = sa.String(32)
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(32))
        return dialect.type_descriptor(sa.Numeric(14, 2))

    def process_bind_param(self, value: decimal.Decimal | int | str | None, dialect: sa.Dialect):
        if value is None:
            return None
        value = decimal.Decimal(str(value))
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect: sa.Dialect) -> decimal.Decimal | None:
        return None if value is None else decimal.Decimal(str(value))


class Base(DeclarativeBase):
    # Enums are stored by value (not name), as plain text without a CHECK constraint, so that a
    # later release can add a member without rebuilding the table.
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict] = {
        dt.datetime: UTCDateTime(),
        decimal.Decimal: ExactDecimal(),
        uuid.UUID: sa.Uuid(),
        str: sa.String(),
        enum.Enum: sa.Enum(
            enum.Enum,
            native_enum=False,
            create_constraint=False,
            length=32,
            values_callable=lambda cls: [m.value for m in cls],
            validate_strings=True,
        ),
    }

    # Tables whose rows are audited; the audit table itself and caches opt out.
    __audited__ = True

    def audit_key(self) -> str:
        """The identity of this row in the audit trail and in export batches."""
        return str(getattr(self, "uuid", None) or getattr(self, "id", ""))

    def audit_class(self) -> Base | None:
        """The training class this row belongs to, for the class's own change log."""
        return None


class IdPk:
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-100)


class HasUuid:
    """Records that leave the machine carry a stable UUID."""

    uuid: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4, sort_order=-90)


class Timestamps:
    created_at: Mapped[dt.datetime] = mapped_column(default=now_utc, sort_order=100)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now_utc, onupdate=now_utc, sort_order=101)


@sa.event.listens_for(Mapper, "before_configured")
def _load_every_model() -> None:
    """Relationships name classes of other modules by string: before SQLAlchemy resolves them,
    make sure every model module is imported, whichever of them was imported first (a script or
    a test importing one module alone; the app's code goes through the package, see its
    ``load_all``)."""
    from zunyi_trainer import models

    models.load_all_before_configure()
