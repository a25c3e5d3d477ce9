"""``county ingest``: take schools' batches into the county database.

For each batch, in order of school and sequence number:

1. **Verify** it exactly as ``batch verify`` does (:func:`zunyi_trainer.exchange.verify.verify_batch`),
   with the school's registered key pinned and the school's chain as the county holds it, so a
   tampered batch, a wrong key, a replay, a gap or a fork is refused with the verifier's own
   sentence. A school the county has nothing from yet starts with batch 1, or with a full batch.
2. **Merge** it in one transaction: upserts table by table, parents first; then deletions,
   children first; for a full batch, also the school's records the batch no longer holds (a full
   batch is a snapshot). Records are keyed by UUID and mapped to the county's own integer ids;
   foreign keys travel as UUIDs (trades by code). A batch may only touch records of its own
   school (:data:`~zunyi_trainer.county.state.county_record`). Every change goes through the ORM,
   so the county database's audit trail records it like any other.
3. **Record** the batch in the school's chain, in that same transaction. The chain is checked
   again under a lock on the school's row, so two ingests at once cannot both take the same
   place.

Any failure leaves the database as it was: nothing of a refused batch is half merged. Ingesting a
batch that was already taken in changes nothing (it is reported as a replay).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer.attachments import blob_path
from zunyi_trainer.county.keys import registered_fingerprint
from zunyi_trainer.county.state import audit_event, county_batch, county_record, county_school
from zunyi_trainer.db import Register
from zunyi_trainer.errors import ValidationError, ZunyiError
from zunyi_trainer.exchange.export import RECORDS_DIR
from zunyi_trainer.exchange.tables import DELETE, OP_KEY, TABLES, UPSERT, TableSpec, columns
from zunyi_trainer.exchange.verify import MAX_BATCH_BYTES, BatchRefused, VerifyReport, check_chain, verify_batch
from zunyi_trainer.i18n import text
from zunyi_trainer.models import Industry, Institution, Trade, TradeKind
from zunyi_trainer.models.base import ExactDecimal, UTCDateTime
from zunyi_trainer.timeutil import now_utc

Progress = Callable[[int, int], None]

_ROOT = re.compile(r"^zunyi-batch-([0-9A-Z]{18})-([0-9]{6})/")
_CHUNK = 500

ACCEPTED, REPLAY, REFUSED = "accepted", "replay", "refused"


class IngestRefused(ValidationError):
    """A batch that cannot be merged; ``code`` says why (``county.<reason>``)."""

    code = "county.refused"


def _refuse(reason: str, zh: str, en: str, **data: Any) -> IngestRefused:
    return IngestRefused(zh, en, code=f"county.{reason}", **data)


@dataclasses.dataclass
class Applied:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class IngestResult:
    path: Path
    status: str  # accepted | replay | refused
    uscc: str = ""
    seq: int | None = None
    sha256: str = ""
    code: str = ""  # the refusal's code (batch.gap, batch.fork, county.unregistered …)
    message: str = ""  # the sentence for people
    applied: Applied = dataclasses.field(default_factory=Applied)
    tables: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != REFUSED

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "status": self.status,
            "uscc": self.uscc,
            "seq": self.seq,
            "sha256": self.sha256,
            "code": self.code,
            "message": self.message,
            "applied": self.applied.to_dict(),
        }


# --- reading the batch ----------------------------------------------------------------------


def peek_identity(path: Path) -> tuple[str, int] | None:
    """The (USCC, seq) a batch's folder name claims, read from the zip's directory only (nothing
    in it is trusted: verification checks the claim against the signed header)."""
    try:
        with zipfile.ZipFile(path) as zf:
            first = zf.namelist()[:1]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    m = _ROOT.match(first[0]) if first else None
    return (m.group(1), int(m.group(2))) if m else None


def _read_records(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every record line of a verified batch, per table file."""
    out: dict[str, list[dict[str, Any]]] = {}
    with zipfile.ZipFile(path) as zf:
        root = zf.namelist()[0].split("/")[0]
        names = set(zf.namelist())
        for spec in TABLES:
            member = f"{root}/{RECORDS_DIR}{spec.name}.jsonl"
            if member not in names:
                continue
            with zf.open(member) as fh:
                out[spec.name] = [json.loads(line) for line in fh if line.strip()]
    return out


def _copy_attachments(path: Path, store: Path, digests: Iterable[str]) -> int:
    """Put the batch's attachment contents in the county's store (by hash, so idempotent)."""
    wanted = set(digests)
    if not wanted:
        return 0
    n = 0
    with zipfile.ZipFile(path) as zf:
        root = zf.namelist()[0].split("/")[0]
        names = set(zf.namelist())
        for digest in sorted(wanted):
            member = f"{root}/data/attachments/{digest}"
            target = blob_path(store, digest)
            if member not in names or target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            h = hashlib.sha256()
            try:
                with zf.open(member) as src, os.fdopen(fd, "wb") as dst:
                    while chunk := src.read(1 << 20):
                        h.update(chunk)
                        dst.write(chunk)
                    dst.flush()
                    os.fsync(dst.fileno())
                if h.hexdigest() != digest:  # verified already; a second look costs nothing
                    os.unlink(tmp)
                    continue
                os.replace(tmp, target)
                n += 1
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
    return n


# --- values ------------------------------------------------------------------------------------


def _column_reader(col: sa.Column) -> Callable[[Any], Any]:
    """How a JSON value of ``col`` becomes the Python value the model holds."""
    t = col.type
    if isinstance(t, UTCDateTime):
        return lambda v: dt.datetime.fromisoformat(v).astimezone(dt.UTC)
    if isinstance(t, ExactDecimal):
        return lambda v: decimal.Decimal(str(v))
    enum_class = getattr(t, "enum_class", None)
    if enum_class is not None:
        return enum_class
    try:
        python_type = t.python_type
    except NotImplementedError:
        return lambda v: v
    if python_type is bool:
        return lambda v: _typed(v, bool)
    if python_type is int:
        return lambda v: _typed(v, int)
    if python_type is str:
        return lambda v: _typed(v, str)
    if python_type is dt.date:
        return dt.date.fromisoformat
    if python_type is dt.time:
        return dt.time.fromisoformat
    if python_type is uuid.UUID:
        return uuid.UUID
    if issubclass(python_type, enum.Enum):
        return python_type
    return lambda v: v


def _typed(value: Any, kind: type) -> Any:
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise ValueError(f"expected {kind.__name__}")
    return value


@dataclasses.dataclass
class _Field:
    key: str  # in the JSON line
    attr: str  # on the model
    read: Callable[[Any], Any] | None  # None: a reference, resolved through ``target``
    target: str | None  # referenced table name


def _fields(spec: TableSpec) -> list[_Field]:
    out = []
    for c in columns(spec):
        if c.lookup:
            out.append(_Field(c.key, c.source, None, c.lookup))
        else:
            out.append(_Field(c.key, c.source, _column_reader(spec.table.c[c.source]), None))
    return out


# --- merging -----------------------------------------------------------------------------------


def _model_of(table_name: str) -> Any:
    from zunyi_trainer.exchange.tables import BY_TABLE_NAME

    return BY_TABLE_NAME[table_name].model


class _Merge:
    """One batch merged into the county database, inside the caller's transaction."""

    def __init__(
        self,
        session: Session,
        report: VerifyReport,
        records: dict[str, list[dict[str, Any]]],
        progress: Progress | None = None,
    ) -> None:
        self.s = session
        self.progress = progress or (lambda done, total: None)
        self.total = sum(len(lines) for lines in records.values()) or 1
        self.done = 0
        self.report = report
        self.uscc = report.uscc
        self.records = records
        self.applied = Applied()
        self.tables: dict[str, dict[str, int]] = {}
        self._ids: dict[str, dict[str, int]] = {}  # table -> uuid text -> county id (own rows)
        self._trades: dict[str, int] | None = None
        self.attachment_digests: list[str] = []

    # ownership --------------------------------------------------------------------------------

    def _owners(self, table_name: str, uuids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(uuids), _CHUNK):
            part = [uuid.UUID(u) for u in uuids[start : start + _CHUNK]]
            q = sa.select(county_record.c.record_uuid, county_record.c.uscc).where(
                county_record.c.table_name == table_name, county_record.c.record_uuid.in_(part)
            )
            found.update({str(u): owner for u, owner in self.s.execute(q)})
        return found

    def _check_owner(self, spec: TableSpec, uuids: Sequence[str]) -> None:
        for key, owner in self._owners(spec.table_name, uuids).items():
            if owner != self.uscc:
                raise _refuse(
                    "foreign_record",
                    "批次中的{table}记录 {uuid} 属于另一所学校（{owner}），一个学校的批次不能改动别的学校的数据。",
                    "The {table_en} record {uuid} in the batch belongs to another school ({owner}); a school's batch "
                    "cannot change another school's data.",
                    table=spec.zh,
                    table_en=spec.name,
                    uuid=key,
                    owner=owner,
                )

    # references -------------------------------------------------------------------------------

    def _trade_id(self, code: str) -> int:
        if self._trades is None:
            self._trades = {c: i for i, c in self.s.execute(sa.select(Trade.id, Trade.code))}
        found = self._trades.get(code)
        if found is None:
            # A trade the school added itself: the batch carries only its code, so the county
            # keeps a placeholder under that code, to be named by hand.
            trade = Trade(code=code, name=code, industry=Industry.OTHER, kind=TradeKind.GRADED, level_codes="")
            self.s.add(trade)
            self.s.flush()
            found = self._trades[code] = trade.id
        return found

    def _resolve(self, table_name: str, wanted: set[str]) -> dict[str, int]:
        """County ids of the school's own rows of ``table_name`` with these UUIDs."""
        known = self._ids.setdefault(table_name, {})
        missing = sorted(wanted - known.keys())
        if missing:
            model = _model_of(table_name) if table_name != Institution.__tablename__ else Institution
            owners = self._owners(table_name, missing)
            for start in range(0, len(missing), _CHUNK):
                part = [uuid.UUID(u) for u in missing[start : start + _CHUNK]]
                for rid, ruuid in self.s.execute(sa.select(model.id, model.uuid).where(model.uuid.in_(part))):
                    if owners.get(str(ruuid)) == self.uscc:
                        known[str(ruuid)] = rid
        return known

    def _value(self, spec: TableSpec, f: _Field, rec: dict[str, Any]) -> Any:
        raw = rec[f.key]
        if raw is None:
            return None
        try:
            if f.target == Trade.__tablename__:
                return self._trade_id(str(raw))
            if f.target is not None:
                rid = self._resolve(f.target, {str(raw)}).get(str(raw))
                if rid is None:
                    raise _refuse(
                        "dangling",
                        "批次中的{table}记录 {uuid} 引用了 {target} 中的记录 {ref}，但县局数据库里没有这所学校的这条记录"
                        "（可能缺少更早的批次）。",
                        "The {table_en} record {uuid} in the batch refers to {ref} in {target}, which the county does not "
                        "hold for this school (an earlier batch may be missing).",
                        table=spec.zh,
                        table_en=spec.name,
                        uuid=rec.get("uuid"),
                        target=f.target,
                        ref=raw,
                    )
                return rid
            assert f.read is not None
            return f.read(raw)
        except (ValueError, TypeError, KeyError) as exc:
            raise _refuse(
                "bad_value",
                "批次中的{table}记录 {uuid} 的字段 {field} 的值 {value} 无法读取。",
                "The field {field} of the {table_en} record {uuid} holds a value that cannot be read: {value}.",
                table=spec.zh,
                table_en=spec.name,
                uuid=rec.get("uuid"),
                field=f.key,
                value=str(raw)[:60],
            ) from exc

    # applying ---------------------------------------------------------------------------------

    def _institution_check(self, lines: list[dict[str, Any]]) -> None:
        header_inst = self.report.header["institution"]
        for rec in lines:
            if rec.get(OP_KEY) == DELETE or rec.get("uuid") != header_inst["uuid"] or rec.get("uscc") != self.uscc:
                raise _refuse(
                    "institution",
                    "批次的学校记录与批次头不一致（批次头：{uscc}）：一个批次只能携带本校自己的学校信息。",
                    "The batch's school record disagrees with its header ({uscc}): a batch carries its own school only.",
                    uscc=self.uscc,
                )
        existing = self.s.execute(sa.select(Institution.uuid).where(Institution.uscc == self.uscc)).first()
        if existing is not None and str(existing[0]) != header_inst["uuid"]:
            raise _refuse(
                "institution_uuid",
                "县局数据库中学校 {uscc} 的记录来自另一份登记册（标识不同）。学校可能重建了登记册；请与学校核实后由管理员处理。",
                "The county holds school {uscc} from another register (a different identity). The school may have "
                "rebuilt its register; check with the school before anything else.",
                uscc=self.uscc,
            )

    def upsert(self, spec: TableSpec, lines: list[dict[str, Any]]) -> None:
        fields = _fields(spec)
        model = spec.model
        counts = self.tables.setdefault(spec.name, {"inserted": 0, "updated": 0, "unchanged": 0, "deleted": 0})
        new_keys: list[str] = []
        refs = [f for f in fields if f.target is not None and f.target != Trade.__tablename__]
        for start in range(0, len(lines), _CHUNK):
            part = lines[start : start + _CHUNK]
            existing = {
                str(o.uuid): o
                for o in self.s.scalars(sa.select(model).where(model.uuid.in_([uuid.UUID(r["uuid"]) for r in part])))
            }
            for f in refs:  # one look-up per referenced table and chunk, not one per line
                wanted = {str(r[f.key]) for r in part if r.get(f.key) is not None}
                if wanted:
                    self._resolve(f.target, wanted)  # type: ignore[arg-type]
            with self.s.no_autoflush:
                self._upsert_lines(spec, fields, part, existing, counts, new_keys)
            self.s.flush()
            self.done += len(part)
            self.progress(min(self.done, self.total - 1), self.total)
        if new_keys:
            self.s.execute(
                county_record.insert(),
                [{"table_name": spec.table_name, "record_uuid": uuid.UUID(k), "uscc": self.uscc} for k in new_keys],
            )

    def _upsert_lines(
        self,
        spec: TableSpec,
        fields: list[_Field],
        part: list[dict[str, Any]],
        existing: dict[str, Any],
        counts: dict[str, int],
        new_keys: list[str],
    ) -> None:
        model = spec.model
        for rec in part:
            missing = [f.key for f in fields if f.key not in rec]
            if missing:
                raise _refuse(
                    "bad_value",
                    "批次中的{table}记录 {uuid} 缺少字段 {field}。",
                    "The {table_en} record {uuid} in the batch lacks the field {field}.",
                    table=spec.zh,
                    table_en=spec.name,
                    uuid=rec["uuid"],
                    field=missing[0],
                )
            values = {f.attr: self._value(spec, f, rec) for f in fields}
            obj = existing.get(rec["uuid"])
            is_new = obj is None
            if obj is None:
                obj = model(**values)
                self.s.add(obj)
                new_keys.append(rec["uuid"])
                counts["inserted"] += 1
                changed = True
            else:
                changed = False
                for attr, value in values.items():
                    if getattr(obj, attr) != value:
                        setattr(obj, attr, value)
                        changed = True
            if model is Institution:
                codes = sorted(str(c) for c in rec.get("trade_codes") or [])
                if sorted(t.code for t in obj.trades) != codes:
                    obj.trades = [self.s.get(Trade, self._trade_id(c)) for c in codes]
                    changed = True
            if spec.name == "attachments" and rec.get("file"):
                self.attachment_digests.append(str(rec["sha256"]))
            if not is_new:
                counts["updated" if changed else "unchanged"] += 1

    def delete(self, spec: TableSpec, keys: list[str]) -> None:
        model = spec.model
        counts = self.tables.setdefault(spec.name, {"inserted": 0, "updated": 0, "unchanged": 0, "deleted": 0})
        for start in range(0, len(keys), _CHUNK):
            part = [uuid.UUID(k) for k in keys[start : start + _CHUNK]]
            for obj in self.s.scalars(sa.select(model).where(model.uuid.in_(part))):
                self.s.delete(obj)
                counts["deleted"] += 1
            try:
                self.s.flush()
            except sa.exc.IntegrityError as exc:
                raise _refuse(
                    "delete_refused",
                    "批次要删除的{table}记录仍被其他记录引用，无法删除（{why}）。",
                    "The batch deletes {table_en} records that other records still refer to ({why}).",
                    table=spec.zh,
                    table_en=spec.name,
                    why=str(exc.orig).splitlines()[0][:120],
                ) from exc
        self._ids.pop(spec.table_name, None)

    def _owned_keys(self, spec: TableSpec) -> set[str]:
        q = sa.select(county_record.c.record_uuid).where(
            county_record.c.uscc == self.uscc, county_record.c.table_name == spec.table_name
        )
        return {str(u) for (u,) in self.s.execute(q)}

    def run(self) -> None:
        full = self.report.kind == "full"
        upserts: dict[str, list[dict[str, Any]]] = {}
        deletes: dict[str, list[str]] = {}
        for spec in TABLES:
            lines = self.records.get(spec.name, [])
            upserts[spec.name] = [r for r in lines if r[OP_KEY] == UPSERT]
            deletes[spec.name] = sorted({str(r["uuid"]) for r in lines if r[OP_KEY] == DELETE})
            self._check_owner(spec, [r["uuid"] for r in upserts[spec.name]] + deletes[spec.name])
        self._institution_check(self.records.get("institution", []))
        for spec in TABLES:  # parents first
            if upserts[spec.name]:
                try:
                    self.upsert(spec, upserts[spec.name])
                except sa.exc.IntegrityError as exc:
                    raise _refuse(
                        "conflict",
                        "批次中的{table}记录与县局数据库中已有的记录冲突（{why}）。",
                        "The {table_en} records of the batch conflict with records the county holds ({why}).",
                        table=spec.zh,
                        table_en=spec.name,
                        why=str(exc.orig).splitlines()[0][:120],
                    ) from exc
        if self.s.execute(sa.select(Institution.id).where(Institution.uscc == self.uscc)).first() is None:
            raise _refuse(
                "no_institution",
                "县局数据库中还没有学校 {uscc} 的基本信息，而这个批次也没有携带。请让学校导出全量批次（batch export --full）。",
                "The county holds no profile of school {uscc} and this batch carries none. Have the school export a "
                "full batch (batch export --full).",
                uscc=self.uscc,
            )
        for spec in reversed(TABLES):  # children first
            gone = list(deletes[spec.name])
            if full:
                present = {r["uuid"] for r in upserts[spec.name]}
                gone += sorted(self._owned_keys(spec) - present - set(gone))
            if gone:
                self.delete(spec, gone)
        if any(c["deleted"] for c in self.tables.values()):
            self._forget_vanished()
        for c in self.tables.values():
            self.applied.inserted += c["inserted"]
            self.applied.updated += c["updated"]
            self.applied.unchanged += c["unchanged"]
            self.applied.deleted += c["deleted"]

    def _forget_vanished(self) -> None:
        """Ownership rows of records that are gone (deleted, or removed by a cascade)."""
        for spec in TABLES:
            table = spec.table
            self.s.execute(
                county_record.delete().where(
                    county_record.c.uscc == self.uscc,
                    county_record.c.table_name == spec.table_name,
                    ~sa.exists().where(table.c.uuid == county_record.c.record_uuid),
                )
            )


# --- the chain ---------------------------------------------------------------------------------


def _known(session: Session, uscc: str) -> dict[int, str]:
    q = sa.select(county_batch.c.seq, county_batch.c.sha256).where(county_batch.c.uscc == uscc)
    return {seq: digest for seq, digest in session.execute(q)}


def _first_batch_rule(report: VerifyReport, known: dict[int, str]) -> None:
    """With nothing from a school yet, the county starts its chain at batch 1 or at a full batch."""
    if known or report.seq == 1 or report.kind == "full":
        return
    raise BatchRefused(
        "缺少批次 {missing}：县局还没有收到学校 {uscc} 的任何批次，这个是增量批次 {seq}。请先提交更早的批次，"
        "或让学校导出一个全量批次（batch export --full）。",
        "Batch {missing} is missing: the county has nothing from school {uscc} yet and this is incremental "
        "batch {seq}. Deliver the earlier batches first, or have the school export a full batch (batch export --full).",
        code="batch.gap",
        uscc=report.uscc,
        seq=report.seq,
        missing="1" if report.seq == 2 else f"1–{report.seq - 1}",
    )


def _check_place(session: Session, report: VerifyReport) -> None:
    known = _known(session, report.uscc)
    _first_batch_rule(report, known)
    check_chain(report.seq, report.prev_sha256, report.sha256, known or None)


# --- one batch, several batches -----------------------------------------------------------------


def ingest_batch(register: Register, path: Path | str, *, progress: Progress | None = None) -> IngestResult:
    """Verify and merge one batch; never raises for a refused batch (see ``IngestResult``).

    The batch is first copied to a private folder in the county's data dir and everything is
    read from that copy, so what was verified is what is merged, even if the file on the stick
    changed meanwhile.
    """
    path = Path(path)
    result = IngestResult(path, REFUSED)
    incoming = register.data_dir / "incoming"
    try:
        incoming.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=incoming, prefix="batch-") as private:
            local = Path(private) / path.name
            try:
                if path.stat().st_size > MAX_BATCH_BYTES:
                    raise OSError("too large to copy")
                shutil.copyfile(path, local)
            except OSError:
                local = path  # missing, unreadable or too large: the verifier names which
            try:
                _ingest_copy(register, local, result, progress)
            except ZunyiError as exc:
                # The verifier names the file it read: name the one the user gave instead.
                exc.zh, exc.en = exc.zh.replace(str(local), str(path)), exc.en.replace(str(local), str(path))
                raise
    except ZunyiError as exc:
        result.code = exc.code
        result.message = exc.message()
        if exc.code == "batch.replay":
            result.status = REPLAY
            result.message += text("没有任何改动。", " Nothing was changed.")
    return result


def _ingest_copy(register: Register, path: Path, result: IngestResult, progress: Progress | None) -> None:
    identity = peek_identity(path)
    if identity is None:
        verify_batch(path)  # names what is wrong with the file
        raise _refuse("not_batch", "{p} 不是学校的数据批次。", "{p} is not a school's batch.", p=str(path))
    result.uscc, result.seq = identity
    with register.session() as s:
        fingerprint = registered_fingerprint(s, result.uscc)
        known = _known(s, result.uscc)
    report = verify_batch(path, pubkey=fingerprint, known=known or None, known_uscc=result.uscc if known else None)
    result.sha256 = report.sha256
    _first_batch_rule(report, known)
    records = _read_records(path)
    with register.transaction() as s:
        # One ingest of a school at a time: the second waits here, then sees the first's batch.
        s.execute(sa.select(county_school.c.id).where(county_school.c.uscc == report.uscc).with_for_update())
        _check_place(s, report)
        merge = _Merge(s, report, records, progress)
        merge.run()
        s.execute(
            county_batch.insert().values(
                uscc=report.uscc,
                seq=report.seq,
                kind=report.kind,
                sha256=report.sha256,
                prev_sha256=report.prev_sha256,
                created_at=dt.datetime.fromisoformat(report.header["created_at"]).astimezone(dt.UTC),
                ingested_at=now_utc(),
                filename=path.name[:256],
                record_counts=json.dumps(report.record_counts, sort_keys=True),
                applied=json.dumps(merge.tables, sort_keys=True),
            )
        )
        audit_event(
            s,
            "county.batch_ingested",
            "county_batch",
            f"{report.uscc}-{report.seq}",
            {"uscc": report.uscc, "seq": report.seq, "sha256": report.sha256, **merge.applied.to_dict()},
        )
    result.status = ACCEPTED
    result.applied = merge.applied
    result.tables = merge.tables
    _copy_attachments(path, register.attachments_dir, merge.attachment_digests)
    result.message = text(
        "已接收学校 {uscc} 的批次 {seq}：新增 {i} 条，更新 {u} 条，删除 {d} 条，未变 {n} 条。",
        "Took in batch {seq} of school {uscc}: {i} added, {u} updated, {d} deleted, {n} unchanged.",
        uscc=report.uscc,
        seq=report.seq,
        i=merge.applied.inserted,
        u=merge.applied.updated,
        d=merge.applied.deleted,
        n=merge.applied.unchanged,
    )


def ingest_batches(register: Register, paths: Iterable[Path | str], *, progress: Progress | None = None) -> list[IngestResult]:
    """Ingest several batches (files, or folders holding them), each in its own transaction, in
    order of school and number (so that the order they are named in does not make a gap)."""
    items: list[Path] = []
    for p in map(Path, paths):
        # A folder (the stick itself) stands for the batches in it.
        items += sorted(p.glob("zunyi-batch-*.zip")) if p.is_dir() else [p]

    def order(p: Path) -> tuple[int, str, int, str]:
        ident = peek_identity(p)
        return (0, ident[0], ident[1], p.name) if ident else (1, "", 0, p.name)

    items.sort(key=order)
    results = []
    step = 1000  # each batch counts as this many steps, shared out by its records
    total = max(1, len(items)) * step
    report = progress or (lambda done, total: None)
    for n, p in enumerate(items):
        report(n * step, total)
        results.append(ingest_batch(register, p, progress=lambda d, t, n=n: report(n * step + d * step // max(t, 1), total)))
    report(total, total)
    return results


@dataclasses.dataclass(frozen=True)
class ReceivedBatch:
    uscc: str
    seq: int
    kind: str
    sha256: str
    created_at: dt.datetime | None
    ingested_at: dt.datetime
    filename: str
    applied: dict[str, dict[str, int]]


def received_batches(register: Register, uscc: str | None = None) -> list[ReceivedBatch]:
    """The batches taken in, by school and number (what ``county batches`` lists)."""
    q = sa.select(county_batch).order_by(county_batch.c.uscc, county_batch.c.seq)
    if uscc:
        q = q.where(county_batch.c.uscc == uscc.strip().upper())
    with register.session() as s:
        rows = s.execute(q).all()
    return [
        ReceivedBatch(r.uscc, r.seq, r.kind, r.sha256, r.created_at, r.ingested_at, r.filename, json.loads(r.applied or "{}"))
        for r in rows
    ]
