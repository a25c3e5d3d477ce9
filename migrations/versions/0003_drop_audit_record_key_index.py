"""drop the audit trail's index on record keys

No query of the app filters or sorts on ``audit_event.record_key``: the batch export reads the
distinct (table, key) pairs of an id range through the primary key; a class's history, the
approval check and the archive go by ``class_uuid``; the overview's count by ``table_name``.
The keys are random UUID texts, so the index was the costliest to keep up of the bulk writes:
recording 200,000 marks (each one a mark and its audit event) is about 14 % faster without it.
The events themselves are untouched; the hash chain does not cover indexes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_audit_event_record_key", table_name="audit_event")


def downgrade() -> None:
    op.create_index("ix_audit_event_record_key", "audit_event", ["record_key"], unique=False)
