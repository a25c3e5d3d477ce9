"""Bulk writes with their audit events, for imports of tens of thousands of rows.

SQLAlchemy Core's ``executemany`` builds a parameter dict per row and runs every value through
its type's bind processor; the audit hook would build a snapshot dict per row and ``json.dumps``
it. For a 20,000-row roster that is most of the write. Here each column's bind processor (the
very function SQLAlchemy would call, so the stored values are the same) is applied column by
column, with repeated values (the instant, the enums, the dates) processed once, and each
snapshot's canonical JSON (sorted keys, no spaces, as :func:`zunyi_trainer.audit.canonical_json`
writes it) is assembled from per-column pieces. The events still go through
:func:`zunyi_trainer.audit.append_events`, the one writer of the hash chain.

:func:`roomy_cache` gives SQLite a larger page cache for the length of a large write: an import
touches the pages of several indexes at random (UUIDs, the audit's record keys), and with the
default 2 MB cache SQLite spills and re-reads them. It changes no setting of durability.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any

import sqlalchemy as sa

from zunyi_trainer import audit

ROOMY_CACHE_KIB = 64 * 1024  # the page cache during a large write, in KiB (allocated as used)
_MEMO_LIMIT = 4096  # distinct values of a column worth processing once each
_SAMPLE = 256


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk job.

    Tens of thousands of short-lived, acyclic rows and events: reference counting frees them, and
    the collector's repeated scans of a large heap cost time — and, run on a worker thread, hold
    Python's lock for 100–200 ms at a time, which freezes the window (benchmarks/bench_ui_stall.py).
    Nested uses are fine: only the outermost one turns the collector back on."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@contextlib.contextmanager
def roomy_cache(conn: sa.Connection, kib: int = ROOMY_CACHE_KIB) -> Iterator[None]:
    """A page cache of at least ``kib`` KiB on this SQLite connection while the block runs; the
    connection's own size afterwards. Elsewhere (PostgreSQL) nothing."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar())
    # A negative size is in KiB, a positive one in pages: compare in KiB.
    page_kib = int(conn.exec_driver_sql("PRAGMA page_size").scalar()) / 1024
    before_kib = -before if before < 0 else before * page_kib
    if before_kib >= kib:
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size={-int(kib)}")
    try:
        yield
    finally:
        # On a connection already broken, the error that broke it is the one to see.
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


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
    plain = audit.jsonable(value)
    if type(plain) is str:  # dates, instants, UUIDs, enums
        return encode_basestring(plain)
    return audit.canonical_json(plain)


def _map_column(fn: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """``[fn(v) for v in values]``, calling ``fn`` once per distinct value when the values are
    few, hashable and of one type (True == 1 == 1.0, but they are not stored alike)."""
    types = {type(v) for v in values}
    types.discard(type(None))
    if len(types) <= 1:
        try:  # worth it when repeats show early (not for UUIDs)
            distinct = set(values) if len(set(values[:_SAMPLE])) <= _SAMPLE // 2 else None
        except TypeError:
            distinct = None
        if distinct is not None and len(distinct) <= _MEMO_LIMIT:
            done = {v: fn(v) for v in distinct}
            return [done[v] for v in values]
    return [fn(v) for v in values]


def _json_column(prefix: str, values: list[Any]) -> list[str]:
    kinds = {type(v) for v in values}
    if kinds <= {str}:
        return [prefix + encode_basestring(v) for v in values]
    if kinds <= {int}:
        return [prefix + int.__repr__(v) for v in values]
    if kinds <= {str, type(None)}:
        return [prefix + ("null" if v is None else encode_basestring(v)) for v in values]
    return [prefix + text for text in _map_column(_json_value, values)]


def snapshot_json(columns: Sequence[str], rows: Sequence[Sequence[Any]], extra: dict[str, Sequence[Any]]) -> list[str]:
    """The canonical JSON of each row's snapshot (``canonical_json({k: jsonable(v)})``):
    ``columns`` name the values of each row in ``rows``; ``extra`` adds columns given as
    separate sequences (e.g. the new ids)."""
    keys = list(columns) + list(extra)
    n = len(columns)
    pieces: list[list[str]] = []
    for i in sorted(range(len(keys)), key=lambda i: keys[i]):
        values = [r[i] for r in rows] if i < n else list(extra[keys[i]])
        pieces.append(_json_column(encode_basestring(keys[i]) + ":", values))
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
    converted: list[list[Any]] = []
    for i, key in enumerate(columns):
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        values = [r[i] for r in rows]
        converted.append(values if process is None else _map_column(process, values))
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(table.c[k].name) for k in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    conn.exec_driver_sql(sql, list(zip(*converted, strict=True)))
