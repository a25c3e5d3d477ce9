"""The audit trail: every insert, update and delete of a register record, hash-chained.

An ORM hook (:func:`install`) writes one :class:`AuditEvent` per changed row in the same
transaction as the change. Each event's hash covers its content and the previous event's hash,
so editing, removing or reordering any event breaks the chain from there on;
:func:`verify_chain` names the first event that no longer matches. Triggers installed by the
migrations refuse UPDATE and DELETE on the table.

Bulk writers (attendance, imports) that bypass the ORM call :func:`append_events` with the same
event dicts, so the chain has one writer function.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import functools
import getpass
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from zunyi_trainer.models.base import Base
from zunyi_trainer.timeutil import now_utc

GENESIS_HASH = "0" * 64
_IGNORED_COLUMNS = {"updated_at"}


@functools.cache
def _events() -> sa.Table:
    """The audit table; the models are mapped on first use (opening a register needs none of them)."""
    from zunyi_trainer.models import AuditEvent

    return AuditEvent.__table__


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some service accounts
        return "unknown"


def jsonable(value: Any) -> Any:
    """A value as it is written into an audit event or an export batch."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return str(value)


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _chain_hash(*fields: str) -> str:
    """SHA-256 over the fields, each length-prefixed (so no field can pose as another); the last
    field is the previous event's hash, so editing, removing or reordering breaks the chain."""
    return hashlib.sha256("".join([_field(f) for f in fields]).encode("utf-8")).hexdigest()


def event_hash(ev: dict[str, Any], at_iso: str | None = None) -> str:
    class_uuid = ev["class_uuid"]
    return _chain_hash(
        str(ev["id"]),
        at_iso if at_iso is not None else jsonable(ev["at"]),
        ev["actor"],
        ev["action"],
        ev["table_name"],
        ev["record_key"],
        "" if class_uuid is None else str(class_uuid),
        ev["changes"],
        ev["prev_hash"],
    )


def last_event(connection: sa.Connection) -> tuple[int, str]:
    table = _events()
    row = connection.execute(sa.select(table.c.id, table.c.hash).order_by(table.c.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def _serialise_lock(connection: sa.Connection) -> None:
    """Writers must not fork the chain. SQLite serialises writers by itself (the transaction
    holds the write lock once it has written); PostgreSQL needs an explicit lock."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(7201508)"))


_SQLITE_INSERT = (
    "INSERT INTO audit_event (id, at, actor, action, table_name, record_key, class_uuid, changes, prev_hash, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


_UNSET = object()


def _field(value: str) -> str:
    return f"{len(value)}:{value};"


def append_events(connection: sa.Connection, events: Iterable[dict[str, Any]]) -> int:
    """Chain and insert events. Each dict has actor, action, table_name, record_key,
    class_uuid and changes (a JSON-able dict, or its canonical JSON); ``at`` defaults to now.
    Returns the count. This is the one writer of the chain: the ORM hook and the bulk writers
    (attendance, imports) all come through here, so it is written for bulk: values repeated
    across events (the instant, the actor, the class) are formatted once."""
    pending = list(events)
    if not pending:
        return 0
    _serialise_lock(connection)
    last_id, prev = last_event(connection)
    now = now_utc()
    default = default_actor()
    sqlite = connection.dialect.name == "sqlite"
    # instant -> (aware UTC value, its hashed form, its stored SQLite text)
    instants: dict[dt.datetime, tuple[dt.datetime, str, str]] = {}
    # class uuid (as given) -> (uuid, hashed form, stored SQLite form, hashed field)
    classes: dict[Any, tuple[uuid.UUID | None, str, str | None, str]] = {None: (None, "", None, _field(""))}
    rows: list[Any] = []
    # Bulk writers hand over runs of events with the same instant, actor, action, table and
    # class: those are compared by identity and their hashed fields (_field, as _chain_hash
    # writes each field) encoded once per run; verify_chain recomputes every hash with
    # _chain_hash itself.
    last_at: Any = _UNSET
    last_given: Any = _UNSET
    last_actor = last_action = last_table = inst = cls = middle = None
    sha256 = hashlib.sha256
    for ev in pending:
        last_id += 1
        at = ev.get("at") or now
        if at is not last_at:
            inst = instants.get(at)
            if inst is None:
                utc = at.astimezone(dt.UTC)  # stored at microsecond precision in UTC: hashed as such
                inst = instants[at] = (utc, utc.isoformat(), utc.strftime("%Y-%m-%d %H:%M:%S.%f"))
            last_at, middle = at, None  # the instant is in the shared fields
        given = ev.get("class_uuid")
        if given is not last_given:
            cls = classes.get(given)
            if cls is None:
                u = given if isinstance(given, uuid.UUID) else uuid.UUID(str(given))
                cls = classes[given] = (u, str(u), u.hex, _field(str(u)))
            last_given = given
        actor = ev.get("actor") or default
        action = ev["action"]
        table_name = ev["table_name"]
        if middle is None or actor is not last_actor or action is not last_action or table_name is not last_table:
            middle = _field(inst[1]) + _field(actor) + _field(action) + _field(table_name)
            last_actor, last_action, last_table = actor, action, table_name
        record_key = ev["record_key"]
        if type(record_key) is not str:
            record_key = str(record_key)
        changes = ev["changes"]
        if not isinstance(changes, str):
            changes = canonical_json(changes)
        id_text = str(last_id)
        # _chain_hash(id, at, actor, action, table_name, record_key, class, changes, prev):
        digest = sha256(
            f"{len(id_text)}:{id_text};{middle}{len(record_key)}:{record_key};{cls[3]}"
            f"{len(changes)}:{changes};{len(prev)}:{prev};".encode()
        ).hexdigest()
        if sqlite:
            rows.append((last_id, inst[2], actor, action, table_name, record_key, cls[2], changes, prev, digest))
        else:
            rows.append(
                {
                    "id": last_id,
                    "at": inst[0],
                    "actor": actor,
                    "action": action,
                    "table_name": table_name,
                    "record_key": record_key,
                    "class_uuid": cls[0],
                    "changes": changes,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
        prev = digest
    if sqlite:
        # The hot path of bulk writes: the values are already plain, so skip SQLAlchemy's
        # per-value type processing and store exactly what the column types would store.
        connection.exec_driver_sql(_SQLITE_INSERT, rows)
    else:
        connection.execute(_events().insert(), rows)
    return len(rows)


# --- the ORM hook -----------------------------------------------------------------------------


def _is_audited(obj: object) -> bool:
    return isinstance(obj, Base) and getattr(type(obj), "__audited__", True)


def _class_uuid(obj: Base) -> uuid.UUID | None:
    try:
        owner = obj.audit_class()
    except Exception:  # a parent already gone in the same flush: the event still stands
        return None
    return getattr(owner, "uuid", None) if owner is not None else None


def _class_uuid_by_key(session: Session, obj: Base) -> uuid.UUID | None:
    """The class of a row whose relationship was already cut (an orphan), read by foreign key."""
    from zunyi_trainer.models import ClassSession, TrainingClass

    state = inspect(obj)
    class_id = state.attrs.class_id.loaded_value if "class_id" in state.attrs else None
    if isinstance(class_id, int):
        return session.connection().scalar(sa.select(TrainingClass.uuid).where(TrainingClass.id == class_id))
    session_id = state.attrs.session_id.loaded_value if "session_id" in state.attrs else None
    if isinstance(session_id, int):
        return session.connection().scalar(
            sa.select(TrainingClass.uuid)
            .join(ClassSession, ClassSession.class_id == TrainingClass.id)
            .where(ClassSession.id == session_id)
        )
    return None


def _snapshot(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    return {
        attr.key: jsonable(state.attrs[attr.key].loaded_value)
        for attr in state.mapper.column_attrs
        if attr.key not in _IGNORED_COLUMNS
    }


def _related_key(obj: object) -> str:
    return obj.audit_key() if isinstance(obj, Base) else str(obj)


def _changes(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _IGNORED_COLUMNS:
            continue
        hist = state.attrs[attr.key].history
        if hist.added or hist.deleted:
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                changes[attr.key] = [jsonable(old), jsonable(new)]
    # Many-to-many collections (e.g. an institution's approved trades) are changes of the row.
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        hist = state.attrs[rel.key].history
        if hist.added or hist.deleted:
            changes[rel.key] = {
                "added": sorted(_related_key(o) for o in hist.added),
                "removed": sorted(_related_key(o) for o in hist.deleted),
            }
    return changes


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    # Deleted rows and their class are read while everything is still loaded.
    pending = session.info.setdefault("_audit_deleted", [])
    for obj in list(session.deleted):
        if _is_audited(obj):
            pending.append((type(obj).__tablename__, obj.audit_key(), _class_uuid(obj), _snapshot(obj)))


def _after_flush(session: Session, flush_context: Any) -> None:
    actor = session.info.get("actor") or default_actor()
    events: list[dict[str, Any]] = []
    for obj in session.new:
        if _is_audited(obj):
            events.append(
                {
                    "action": "insert",
                    "table_name": type(obj).__tablename__,
                    "record_key": obj.audit_key(),
                    "class_uuid": _class_uuid(obj),
                    "changes": _snapshot(obj),
                }
            )
    for obj in session.dirty:
        if _is_audited(obj) and obj not in session.deleted:
            changes = _changes(obj)
            if changes:
                events.append(
                    {
                        "action": "update",
                        "table_name": type(obj).__tablename__,
                        "record_key": obj.audit_key(),
                        "class_uuid": _class_uuid(obj),
                        "changes": changes,
                    }
                )
    deleted_keys = set()
    for table_name, key, class_uuid, snapshot in session.info.pop("_audit_deleted", []):
        if (table_name, key) in deleted_keys:
            continue
        deleted_keys.add((table_name, key))
        events.append(
            {"action": "delete", "table_name": table_name, "record_key": key, "class_uuid": class_uuid, "changes": snapshot}
        )
    # Rows deleted during the flush itself (cascades, and orphans removed from a collection such
    # as ``cls.enrollments.remove(e)``) were not in session.deleted before it: the unit of work
    # knows every row it deleted.
    for state, (isdelete, listonly) in list(flush_context.states.items()):
        obj = state.obj()
        if not isdelete or listonly or obj is None or not _is_audited(obj):
            continue
        if (type(obj).__tablename__, obj.audit_key()) in deleted_keys:
            continue
        deleted_keys.add((type(obj).__tablename__, obj.audit_key()))
        events.append(
            {
                "action": "delete",
                "table_name": type(obj).__tablename__,
                "record_key": obj.audit_key(),
                "class_uuid": _class_uuid(obj) or _class_uuid_by_key(session, obj),
                "changes": _snapshot(obj),
            }
        )
    for ev in events:
        ev["actor"] = actor
    append_events(session.connection(), events)


def _after_rollback(session: Session) -> None:
    session.info.pop("_audit_deleted", None)


def install(session_class: Any) -> None:
    """Audit every flush of sessions made by ``session_class`` (a sessionmaker or Session), once.

    The mark is kept on the object itself: SQLAlchemy's ``event.contains`` goes by ``id()``, and a
    new sessionmaker made where a freed one lived (a register opened again in the same process)
    looked audited already and got no listeners — its writes went unaudited."""
    if getattr(session_class, "_zunyi_audited", False):
        return
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "after_flush", _after_flush)
    event.listen(session_class, "after_soft_rollback", lambda s, prev: _after_rollback(s))
    session_class._zunyi_audited = True


def record_operation(
    session: Session,
    action: str,
    obj: Base,
    details: dict[str, Any],
) -> None:
    """Record a named operation (a status transition, a decision, a correction) with its why."""
    session.flush()
    append_events(
        session.connection(),
        [
            {
                "actor": session.info.get("actor") or default_actor(),
                "action": action,
                "table_name": type(obj).__tablename__,
                "record_key": obj.audit_key(),
                "class_uuid": _class_uuid(obj),
                "changes": {k: jsonable(v) for k, v in details.items()},
            }
        ],
    )


# --- verification -----------------------------------------------------------------------------


@dataclasses.dataclass
class ChainReport:
    events: int
    first_bad_id: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def _rows(connection: sa.Connection, batch: int = 5000) -> Iterator[sa.Row]:
    after = 0
    table = _events()
    while True:
        rows = connection.execute(sa.select(table).where(table.c.id > after).order_by(table.c.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id


def verify_chain(connection: sa.Connection) -> ChainReport:
    prev = GENESIS_HASH
    count = 0
    for row in _rows(connection):
        count += 1
        ev = dict(row._mapping)
        if ev["prev_hash"] != prev:
            return ChainReport(count, row.id, "prev_hash")
        if event_hash(ev) != ev["hash"]:
            return ChainReport(count, row.id, "hash")
        prev = ev["hash"]
    return ChainReport(count, None, "")
