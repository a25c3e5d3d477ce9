"""The county's own tables, in every register's schema since revision 0002.

A school register has no use for them and leaves them empty; the county database (a register
the county commands open, usually on PostgreSQL) keeps in them the schools' registered keys, the
batches received from each school, which school owns which record, and the decisions the county
enters. They are plain tables, written through ``zunyi_trainer.county`` with SQL expressions and
audited there by hand (``zunyi_trainer.county.state.audit_event``) in the register's one chain.

Until revision 0002 the county created them itself on first use (``create_all``); the revision
adopts tables made that way as they are.
"""

from __future__ import annotations

import sqlalchemy as sa

from zunyi_trainer.models.base import Base, UTCDateTime

# A school known to the county: its 统一社会信用代码 and the fingerprint of the key it registered.
county_school = sa.Table(
    "county_school",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uscc", sa.String(18), nullable=False, unique=True),
    sa.Column("name", sa.String(128), nullable=False, server_default=""),
    sa.Column("fingerprint", sa.String(64), nullable=False),  # 64 hex digits
    sa.Column("public_pem", sa.Text, nullable=False, server_default=""),  # when a key file was given
    sa.Column("registered_at", UTCDateTime(), nullable=False),
    sa.Column("registered_by", sa.String(64), nullable=False, server_default=""),
)

# A batch accepted from a school: the school's chain as the county holds it.
county_batch = sa.Table(
    "county_batch",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uscc", sa.String(18), nullable=False, index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("prev_sha256", sa.String(64), nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime(), nullable=True),  # when the school exported it
    sa.Column("ingested_at", UTCDateTime(), nullable=False),
    sa.Column("filename", sa.String(256), nullable=False, server_default=""),
    sa.Column("record_counts", sa.Text, nullable=False, server_default="{}"),  # JSON, from the header
    sa.Column("applied", sa.Text, nullable=False, server_default="{}"),  # JSON: inserted/updated/deleted
    sa.UniqueConstraint("uscc", "seq"),
)

# Which school a record (table, uuid) came from: a batch may only touch its own school's rows.
county_record = sa.Table(
    "county_record",
    Base.metadata,
    sa.Column("table_name", sa.String(64), primary_key=True),
    sa.Column("record_uuid", sa.Uuid(), primary_key=True),
    sa.Column("uscc", sa.String(18), nullable=False, index=True),
)

# A decision entered at the county on a class the school submitted (it travels in the return file).
county_decision = sa.Table(
    "county_decision",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uscc", sa.String(18), nullable=False, index=True),
    sa.Column("class_uuid", sa.Uuid(), nullable=False, index=True),
    sa.Column("class_code", sa.String(32), nullable=False),
    # The submission decided: a class submitted again after a rejection needs a new decision.
    sa.Column("submitted_at", UTCDateTime(), nullable=True),
    sa.Column("decision", sa.String(16), nullable=False),  # approved | rejected
    sa.Column("approval_no", sa.String(64), nullable=False, server_default=""),
    sa.Column("decided_on", sa.Date, nullable=False),
    sa.Column("approver", sa.String(128), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("entered_at", UTCDateTime(), nullable=False),
    sa.Column("entered_by", sa.String(64), nullable=False, server_default=""),
    # When it first went out in a return file (a decision travels once unless sent again on purpose).
    sa.Column("returned_at", UTCDateTime(), nullable=True),
)

COUNTY_TABLES = (county_school, county_batch, county_record, county_decision)
