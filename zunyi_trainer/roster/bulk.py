"""Bulk inserts with their audit events, for imports of tens of thousands of rows.

SQLAlchemy Core's ``executemany`` builds a parameter dict per row and runs every value through
its type's bind processor; the audit hook would build a snapshot dict per row and ``json.dumps``
it. For a 20,000-row roster that is most of the write. Here each column's bind processor (the
very function SQLAlchemy would call, so the stored values are the same) is applied column by
column, with repeated values (the instant, the enums, the dates) processed once, and each
snapshot's canonical JSON (sorted keys, no spaces, as :func:`zunyi_trainer.audit.canonical_json`
writes it) is assembled from per-column pieces. The events still go through
:func:`zunyi_trainer.audit.append_events`, the one writer of the hash chain.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from typing import Any

import sqlalchemy as sa

from zunyi_trainer import audit

_MEMO_LIMIT = 4096  # distinct values per column worth remembering (not the UUIDs)


def _json_value(value: Any) -> str:
    """``canonical_json(jsonable(value))`` for one value."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)  # what json.dumps(ensure_ascii=False) writes
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return audit.canonical_json(audit.jsonable(value))


def _memoised(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    memo: dict[Any, Any] = {}

    def call(value: Any) -> Any:
        key = (type(value), value)  # True == 1 == 1.0, but they are not stored alike
        try:
            return memo[key]
        except KeyError:
            result = fn(value)
            if len(memo) < _MEMO_LIMIT:
                memo[key] = result
            return result
        except TypeError:  # not hashable
            return fn(value)

    return call


def snapshot_json(columns: Sequence[str], rows: Sequence[Sequence[Any]], extra: dict[str, Sequence[Any]]) -> list[str]:
    """The canonical JSON of each row's snapshot: ``columns`` name the values of each row in
    ``rows``; ``extra`` adds columns given as separate sequences (e.g. the new ids)."""
    keys = list(columns) + list(extra)
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    n = len(columns)
    # One list of JSON texts per column, each prefixed with its key.
    pieces: list[list[str]] = []
    for i in order:
        prefix = encode_basestring(keys[i]) + ":"
        values = [r[i] for r in rows] if i < n else extra[keys[i]]
        encode = _memoised(_json_value) if i < n else _json_value
        pieces.append([prefix + encode(v) for v in values])
    return ["{" + ",".join(parts) + "}" for parts in zip(*pieces, strict=True)]


def insert_rows(conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``conn.execute(table.insert(), [dict(zip(columns, r)) for r in rows])``, faster on SQLite:
    the values pass through the same bind processors, column by column."""
    if not rows:
        return
    dialect = conn.dialect
    if dialect.name != "sqlite":
        conn.execute(table.insert(), [dict(zip(columns, r, strict=True)) for r in rows])
        return
    converted: list[Sequence[Any]] = []
    for i, key in enumerate(columns):
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        values = [r[i] for r in rows]
        if process is not None:
            process = _memoised(process) if not _is_uuid(values) else process
            values = [process(v) for v in values]
        converted.append(values)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(table.c[k].name) for k in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    conn.exec_driver_sql(sql, list(zip(*converted, strict=True)))


def _is_uuid(values: Sequence[Any]) -> bool:
    return bool(values) and isinstance(values[0], uuid.UUID)
