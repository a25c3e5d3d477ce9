"""Attachments, export batches, county return files, settings and the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zunyi_trainer.models.base import Base, HasUuid, IdPk, Timestamps
from zunyi_trainer.models.enums import AttachmentKind, BatchKind, BatchState
from zunyi_trainer.timeutil import now_utc

if TYPE_CHECKING:
    from zunyi_trainer.models.institution import EquipmentSpend
    from zunyi_trainer.models.training import ClassSession, TrainingClass


class Attachment(IdPk, HasUuid, Timestamps, Base):
    """A photo, scan, recording, video or document kept in the archive (item 15).

    The content lives in the data dir's ``attachments/`` store under its SHA-256; the row holds
    what the user knows about it and what it belongs to.
    """

    __tablename__ = "attachment"

    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    filename: Mapped[str] = mapped_column(sa.String(256))  # the name it had when added
    media_type: Mapped[str] = mapped_column(sa.String(128), default="application/octet-stream")
    kind: Mapped[AttachmentKind]
    caption: Mapped[str] = mapped_column(sa.String(256), default="")
    taken_at: Mapped[dt.datetime | None]
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_class.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("class_session.id", ondelete="SET NULL"), index=True)
    spend_id: Mapped[int | None] = mapped_column(sa.ForeignKey("equipment_spend.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teacher.id", ondelete="CASCADE"), index=True)

    training_class: Mapped[TrainingClass | None] = relationship(back_populates="attachments")
    session: Mapped[ClassSession | None] = relationship()
    spend: Mapped[EquipmentSpend | None] = relationship(back_populates="attachments")

    def audit_class(self) -> TrainingClass | None:
        return self.training_class


class ExportBatch(IdPk, HasUuid, Base):
    """A batch carried to the county. ``seq`` counts per institution, without gaps.

    ``through_change`` is the id of the last audit event the batch covers: the audit trail is the
    register's change sequence, so the next incremental batch carries what changed after it.
    """

    __tablename__ = "export_batch"
    __table_args__ = (sa.UniqueConstraint("institution_id", "seq"),)

    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    kind: Mapped[BatchKind]
    created_at: Mapped[dt.datetime] = mapped_column(default=now_utc)
    after_change: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    through_change: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    prev_sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    filename: Mapped[str] = mapped_column(sa.String(256))
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    record_counts: Mapped[str] = mapped_column(sa.Text, default="{}")  # JSON object
    state: Mapped[BatchState] = mapped_column(default=BatchState.EXPORTED)
    acknowledged_at: Mapped[dt.datetime | None]


class CountyReturn(IdPk, HasUuid, Base):
    """A county return file that was imported; its hash makes a second import a no-op."""

    __tablename__ = "county_return"

    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    issued_at: Mapped[dt.datetime | None]
    imported_at: Mapped[dt.datetime] = mapped_column(default=now_utc)
    filename: Mapped[str] = mapped_column(sa.String(256), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="{}")  # JSON: what it changed


class Setting(Base):
    """A school setting (rule thresholds and the like), stored as JSON text under a key."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)  # JSON
    updated_at: Mapped[dt.datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    def audit_key(self) -> str:
        return self.key


class AuditEvent(Base):
    """Append-only, hash-chained record of every change (see ``zunyi_trainer.audit``).

    Its ``id`` is the register's change sequence. Triggers refuse UPDATE and DELETE.
    """

    __tablename__ = "audit_event"
    __audited__ = False

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(32))  # insert, update, delete, or a named operation
    table_name: Mapped[str] = mapped_column(sa.String(64), index=True)
    record_key: Mapped[str] = mapped_column(sa.String(64))  # no index: nothing looks events up by key (0003)
    class_uuid: Mapped[uuid.UUID | None] = mapped_column(index=True)  # the class a record belongs to
    changes: Mapped[str] = mapped_column(sa.Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
