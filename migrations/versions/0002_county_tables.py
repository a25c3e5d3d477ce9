"""county tables: registered school keys, received batches, record owners, county decisions

Revisions use plain SQLAlchemy types, never the app's own classes: a revision must run the
same way years later, whatever the models have become.

Before this revision the county commands created these four tables themselves, on first use,
with ``MetaData.create_all`` from the same definitions. A county database made that way is
adopted as it is: a table that exists keeps its rows, and only a column or index it lacks (a
database from before ``county_decision.returned_at``) is added. A school's register gets the
tables empty.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tables() -> list[sa.Table]:
    """The four tables as this revision makes them (names of keys and indexes as the register's
    naming convention gives them, which is also what ``create_all`` gave them)."""
    md = sa.MetaData()
    return [
        sa.Table(
            "county_school",
            md,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("uscc", sa.String(length=18), nullable=False),
            sa.Column("name", sa.String(length=128), server_default="", nullable=False),
            sa.Column("fingerprint", sa.String(length=64), nullable=False),
            sa.Column("public_pem", sa.Text(), server_default="", nullable=False),
            sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("registered_by", sa.String(length=64), server_default="", nullable=False),
            sa.PrimaryKeyConstraint("id", name="pk_county_school"),
            sa.UniqueConstraint("uscc", name="uq_county_school_uscc"),
        ),
        sa.Table(
            "county_batch",
            md,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("uscc", sa.String(length=18), nullable=False),
            sa.Column("seq", sa.Integer(), nullable=False),
            sa.Column("kind", sa.String(length=16), nullable=False),
            sa.Column("sha256", sa.String(length=64), nullable=False),
            sa.Column("prev_sha256", sa.String(length=64), server_default="", nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("filename", sa.String(length=256), server_default="", nullable=False),
            sa.Column("record_counts", sa.Text(), server_default="{}", nullable=False),
            sa.Column("applied", sa.Text(), server_default="{}", nullable=False),
            sa.PrimaryKeyConstraint("id", name="pk_county_batch"),
            sa.UniqueConstraint("uscc", "seq", name="uq_county_batch_uscc_seq"),
            sa.Index("ix_county_batch_uscc", "uscc"),
        ),
        sa.Table(
            "county_record",
            md,
            sa.Column("table_name", sa.String(length=64), nullable=False),
            sa.Column("record_uuid", sa.Uuid(), nullable=False),
            sa.Column("uscc", sa.String(length=18), nullable=False),
            sa.PrimaryKeyConstraint("table_name", "record_uuid", name="pk_county_record"),
            sa.Index("ix_county_record_uscc", "uscc"),
        ),
        sa.Table(
            "county_decision",
            md,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("uscc", sa.String(length=18), nullable=False),
            sa.Column("class_uuid", sa.Uuid(), nullable=False),
            sa.Column("class_code", sa.String(length=32), nullable=False),
            sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("decision", sa.String(length=16), nullable=False),
            sa.Column("approval_no", sa.String(length=64), server_default="", nullable=False),
            sa.Column("decided_on", sa.Date(), nullable=False),
            sa.Column("approver", sa.String(length=128), nullable=False),
            sa.Column("reason", sa.Text(), server_default="", nullable=False),
            sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("entered_by", sa.String(length=64), server_default="", nullable=False),
            sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id", name="pk_county_decision"),
            sa.Index("ix_county_decision_uscc", "uscc"),
            sa.Index("ix_county_decision_class_uuid", "class_uuid"),
        ),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in _tables():
        if table.name not in existing:
            table.create(bind)  # with its indexes
            continue
        # Made earlier by the county's create_all: keep it and its rows, add what it lacks.
        have_columns = {c["name"] for c in inspector.get_columns(table.name)}
        have_indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        missing = [c for c in table.columns if c.name not in have_columns]
        if missing:
            with op.batch_alter_table(table.name) as batch_op:
                for column in missing:
                    default = column.server_default.arg if column.server_default is not None else None
                    batch_op.add_column(sa.Column(column.name, column.type, nullable=column.nullable, server_default=default))
        for index in table.indexes:
            if index.name not in have_indexes:
                op.create_index(index.name, table.name, [c.name for c in index.columns])


def downgrade() -> None:
    for name in ("county_decision", "county_record", "county_batch", "county_school"):
        op.drop_table(name)
