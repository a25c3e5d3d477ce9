"""County-only state, kept beside the register's own tables in the county database.

The schools' registered keys, the batches received from each school, which school owns which
record, and the decisions the county enters live in four tables of the register's schema
(:mod:`zunyi_trainer.models.county`, revision 0002: empty in a school's register). Before that
revision the county created them on first use; the revision adopts such tables with their rows.

Writes to them are audited by hand (:func:`audit_event`) in the register's one hash chain, as
the ORM hook only sees mapped models.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import audit
from zunyi_trainer.models import Base
from zunyi_trainer.models.county import COUNTY_TABLES, county_batch, county_decision, county_record, county_school

__all__ = [
    "COUNTY_TABLES",
    "audit_event",
    "county_batch",
    "county_decision",
    "county_record",
    "county_school",
    "metadata",
    "refuse_school_register",
]

metadata = Base.metadata  # the county tables are part of the register's schema


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
