"""County-only state, kept beside the register's own tables in the county database.

A school register has no place for the schools' registered keys, the batches received from
each school, which school owns which record, or the decisions the county enters, and the shared
models and migrations are not the county's to change. So these four tables have a
:class:`~sqlalchemy.MetaData` of their own and are created by :func:`ensure_tables` (idempotent,
``CREATE TABLE IF NOT EXISTS`` in effect) when a county command first opens the database. They
should become an Alembic revision of their own once the county part settles; until then nothing
in a school register refers to them and a school register never holds them.

Writes to them are audited by hand (:func:`audit_event`) in the register's one hash chain, as
the ORM hook only sees mapped models.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import audit
from zunyi_trainer.models.base import NAMING_CONVENTION, UTCDateTime

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

# A school known to the county: its 统一社会信用代码 and the fingerprint of the key it registered.
county_school = sa.Table(
    "county_school",
    metadata,
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
    metadata,
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
    metadata,
    sa.Column("table_name", sa.String(64), primary_key=True),
    sa.Column("record_uuid", sa.Uuid(), primary_key=True),
    sa.Column("uscc", sa.String(18), nullable=False, index=True),
)

# A decision entered at the county on a class the school submitted (it travels in the return file).
county_decision = sa.Table(
    "county_decision",
    metadata,
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


def ensure_tables(connectable: sa.Engine | sa.Connection) -> None:
    """Create the county tables that do not exist yet (a no-op once they do)."""
    if isinstance(connectable, sa.Engine):
        with connectable.begin() as conn:
            metadata.create_all(conn, checkfirst=True)
    else:
        metadata.create_all(connectable, checkfirst=True)


def audit_event(session: Session, action: str, table_name: str, record_key: str, details: dict[str, Any]) -> None:
    """A named operation on a county table, in the register's audit chain."""
    session.flush()
    audit.append_events(
        session.connection(),
        [
            {
                "actor": session.info.get("actor") or audit.default_actor(),
                "action": action,
                "table_name": table_name,
                "record_key": record_key,
                "class_uuid": None,
                "changes": {k: audit.jsonable(v) for k, v in details.items()},
            }
        ],
    )


def refuse_school_register(register: Any) -> None:
    """Refuse to use a school's own register as the county database.

    The county merges many schools into its database; pointed at a school's register by mistake
    (the same data dir), it would mix other schools into that school's data. A school's register
    is recognised by the school's signing key in its data dir, or by batches exported from it.
    """
    from zunyi_trainer.errors import ZunyiError
    from zunyi_trainer.exchange.signing import key_path
    from zunyi_trainer.models import CountyReturn, ExportBatch

    with register.session() as s:
        exported = s.scalar(sa.select(ExportBatch.id).limit(1)) is not None
        returns = s.scalar(sa.select(CountyReturn.id).limit(1)) is not None
    if exported or returns or key_path(register.data_dir).exists():
        raise ZunyiError(
            "{where} 是一所学校自己的登记册（它导出过批次或有学校签名密钥），不能用作县局数据库。"
            "请为县局另设数据目录（--data-dir）或使用 PostgreSQL 数据库（--database-url）。",
            "{where} is a school's own register (it has exported batches or holds a school's signing key); it cannot "
            "be the county's database. Give the county a data dir of its own (--data-dir) or a PostgreSQL database "
            "(--database-url).",
            code="county.school_register",
            where=register.location,
        )
