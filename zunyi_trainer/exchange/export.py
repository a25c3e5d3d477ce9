"""Export a batch for the county: one zip holding a signed BagIt bag (RFC 8493).

Layout of ``zunyi-batch-<USCC>-<SEQ>.zip`` (every name ASCII)::

    zunyi-batch-<USCC>-<SEQ>/
        bagit.txt, bag-info.txt              BagIt declaration; bag-info carries Payload-Oxum
        manifest-sha256.txt                  SHA-256 of every payload file
        tagmanifest-sha256.txt               SHA-256 of the four tag files above and the key
        school-key.pub                       the school's Ed25519 public key (PEM)
        tagmanifest-sha256.txt.sig           signature of the tag manifest (base64)
        data/batch.json                      the header (see docs/exchange.md)
        data/records/<table>.jsonl           one JSON object a line, keyed by UUID
        data/workbook.xlsx                   the same rows for people
        data/documents/<class code>/<name>   class documents, when the documents part is installed
        data/attachments/<sha256>            attachment content, named by its hash

The sequence number is only used when the zip is completely written and flushed: the zip is
written under a temporary name and fsynced, the batch row is added (in the transaction that read
the rows), the file is renamed, and the transaction commits. Any failure before the commit removes
the file again, so a failed or interrupted export leaves no batch and no gap; the partial files
of a killed export are removed by the next one. A copy is kept in the data dir's ``batches/``,
because the county's chain of hashes means a lost batch can only be replaced by the same bytes
(``batch export --again SEQ``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import __version__, audit
from zunyi_trainer.attachments import blob_path
from zunyi_trainer.db import Register, current_revision
from zunyi_trainer.errors import NotFound, ZunyiError
from zunyi_trainer.exchange import signing
from zunyi_trainer.exchange.labels import column_label
from zunyi_trainer.exchange.tables import (
    DELETE,
    OP_KEY,
    TABLES,
    Lookups,
    TableSpec,
    columns,
    is_record_key,
    row_converter,
    select_rows,
)
from zunyi_trainer.exchange.workbook import WorkbookWriter
from zunyi_trainer.i18n import text
from zunyi_trainer.models import AuditEvent, BatchKind, BatchState, ClassStatus, ExportBatch, Institution, TrainingClass
from zunyi_trainer.timeutil import LOCAL_TZ, now_utc

FORMAT = "zunyi-trainer/batch"
FORMAT_VERSION = 1
BAGIT_VERSION = "1.0"

BAGIT_TXT = "bagit.txt"
BAG_INFO = "bag-info.txt"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
SIGNATURE = "tagmanifest-sha256.txt.sig"
PUBLIC_KEY = "school-key.pub"
HEADER = "data/batch.json"
WORKBOOK = "data/workbook.xlsx"
RECORDS_DIR = "data/records/"
DOCUMENTS_DIR = "data/documents/"
ATTACHMENTS_DIR = "data/attachments/"
TAG_FILES = (BAGIT_TXT, BAG_INFO, MANIFEST, PUBLIC_KEY)  # what the tag manifest, and so the signature, covers

STORE_DIRNAME = "batches"
# Content that is already compressed is stored as it is: deflating it again costs time for nothing.
_STORED_TYPES = ("image/", "video/", "audio/", "application/pdf", "application/zip")

Progress = Callable[[int, int], None]


class ExportError(ZunyiError):
    code = "exchange.export"


def bag_name(uscc: str, seq: int) -> str:
    return f"zunyi-batch-{uscc}-{seq:06d}"


def store_dir(data_dir: Path) -> Path:
    return data_dir / STORE_DIRNAME


@dataclasses.dataclass
class BatchPlan:
    institution: Institution
    seq: int
    kind: BatchKind
    after_change: int
    through_change: int
    prev_sha256: str
    created_at: dt.datetime
    previous_created_at: dt.datetime | None
    documents: bool = True  # the class documents (PDFs) of the batch's classes

    @property
    def name(self) -> str:
        return bag_name(self.institution.uscc, self.seq)

    @property
    def filename(self) -> str:
        return self.name + ".zip"


@dataclasses.dataclass
class BuildInfo:
    record_counts: dict[str, dict[str, int]]
    attachments: int
    attachment_bytes: int
    documents: int
    notes: list[str]
    fingerprint: str


@dataclasses.dataclass
class ExportResult:
    seq: int
    kind: BatchKind
    path: Path
    sha256: str
    size: int
    info: BuildInfo


# --- writing members ---------------------------------------------------------------------------


class _HashingWriter:
    """Counts and hashes what goes into one zip member."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.hash.update(data)
        self.size += len(data)
        self.fh.write(data)


class FileSink:
    """Where a batch is written: one or more files at once, hashed on the way.

    It cannot seek, so zipfile writes each member once, in order, with a data descriptor after
    it; the bytes are then the same whatever the target, and the file's SHA-256 and the kept copy
    come out of the one pass instead of reading the file back.
    """

    def __init__(self, *targets: IO[bytes]) -> None:
        self.targets = targets
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        self.size += len(data)
        for target in self.targets:
            target.write(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        for target in self.targets:
            target.flush()


class _BagZip:
    def __init__(self, sink: FileSink, root: str, created_at: dt.datetime) -> None:
        self.zip = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)  # type: ignore[arg-type]
        self.root = root
        self.stamp = created_at.astimezone(LOCAL_TZ).timetuple()[:6]
        self.payload: dict[str, tuple[str, int]] = {}  # bag-relative path -> (sha256, size)
        self.tags: dict[str, str] = {}
        self.on_abandon: list[Callable[[], None]] = []

    def info(self, rel: str, compress: bool = True) -> zipfile.ZipInfo:
        zi = zipfile.ZipInfo(f"{self.root}/{rel}", date_time=self.stamp)
        zi.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        zi.external_attr = 0o644 << 16
        zi.create_system = 3  # the same bytes on Windows as on Linux (ZipInfo would say 0 there)
        return zi

    def open(self, rel: str, compress: bool = True) -> IO[bytes]:
        return self.zip.open(self.info(rel, compress), "w", force_zip64=True)

    def add_payload_bytes(self, rel: str, data: bytes, compress: bool = True) -> None:
        self.zip.writestr(self.info(rel, compress), data)
        self.payload[rel] = (hashlib.sha256(data).hexdigest(), len(data))

    def add_payload_file(self, rel: str, source: Path, compress: bool) -> str:
        with open(source, "rb") as src:
            return self.add_payload_stream(rel, src, compress)

    def add_payload_stream(self, rel: str, src: IO[bytes], compress: bool) -> str:
        with self.open(rel, compress) as raw:
            out = _HashingWriter(raw)
            while chunk := src.read(1 << 20):
                out.write(chunk)
        digest = out.hash.hexdigest()
        self.payload[rel] = (digest, out.size)
        return digest

    def add_tag(self, rel: str, data: bytes) -> None:
        self.zip.writestr(self.info(rel), data)
        self.tags[rel] = hashlib.sha256(data).hexdigest()

    def close(self) -> None:
        self.zip.close()

    def abandon(self) -> None:
        """Close after a failure; the caller removes the file."""
        for callback in self.on_abandon:
            callback()
        with contextlib.suppress(Exception):
            self.zip.close()


# --- what goes in ------------------------------------------------------------------------------


def _changed_keys(session: Session, after: int, through: int) -> dict[str, set[str]]:
    """Per table, the record keys named by audit events after ``after`` up to ``through``."""
    changed: dict[str, set[str]] = {}
    q = sa.select(AuditEvent.table_name, AuditEvent.record_key).where(AuditEvent.id > after, AuditEvent.id <= through).distinct()
    for table_name, key in session.execute(q):
        if is_record_key(key):
            changed.setdefault(table_name, set()).add(key)
    return changed


def _changed_classes(session: Session, after: int, through: int) -> set[str]:
    """The classes (UUIDs) any change in the period belongs to (audit events name their class)."""
    q = (
        sa.select(AuditEvent.class_uuid)
        .where(AuditEvent.id > after, AuditEvent.id <= through, AuditEvent.class_uuid.is_not(None))
        .distinct()
    )
    return {str(u) for u in session.scalars(q)}


def _formatters(spec: TableSpec) -> list[tuple[str, Callable[[Any], Any] | None]]:
    """How each JSON value is shown in the workbook: Chinese labels, yuan, as it is (None)."""
    out: list[tuple[str, Callable[[Any], Any] | None]] = []
    for col in columns(spec):
        source = spec.table.c[col.source]
        enum_class = getattr(source.type, "enum_class", None)
        if enum_class is not None:
            labels = {m.value: m.zh for m in enum_class}
            out.append((col.key, lambda v, labels=labels: labels.get(v, v)))
        elif col.key.endswith("_fen"):
            out.append((col.key, lambda v: None if v is None else v / 100))
        else:
            out.append((col.key, None))
    if spec.name == "institution":
        out.append(("trade_codes", lambda v: " ".join(v or [])))
    if spec.name == "attachments":
        out.append(("file", None))
    return out


def _blob_compressible(media_type: str) -> bool:
    return not media_type.startswith(_STORED_TYPES)


_APPLICATION_STATES = {
    ClassStatus.SUBMITTED,
    ClassStatus.APPROVED,
    ClassStatus.REJECTED,
    ClassStatus.IN_PROGRESS,
    ClassStatus.COMPLETED,
    ClassStatus.ARCHIVED,
}
_ARCHIVE_STATES = {ClassStatus.COMPLETED, ClassStatus.ARCHIVED}


def _document_builders(data_dir: Path) -> list[tuple[str, set[ClassStatus], Callable[..., Any]]] | None:
    """(file name, the class states it exists in, builder) of each class document, or None when
    the documents part is not installed: it is optional, and looked up only when wanted."""
    try:
        from zunyi_trainer import documents
    except ImportError:
        return None
    store = data_dir / "attachments"
    return [
        ("application.pdf", _APPLICATION_STATES, lambda s, c, fh, fonts: documents.build_application(s, c, fh, fonts=fonts)),
        ("archive.pdf", _ARCHIVE_STATES, lambda s, c, fh, fonts: documents.build_archive(s, c, fh, store=store, fonts=fonts)),
    ]


def _add_documents(
    bag: _BagZip,
    session: Session,
    class_uuids: list[str],
    data_dir: Path,
    wanted: bool,
    notes: list[str],
    ticker: _Ticker,
) -> tuple[int, str, bool]:
    """Add the documents of the batch's classes; returns (files, note for the header, included)."""
    if not wanted:
        return (
            0,
            text(
                "导出时选择了不带培训班文书（--no-documents）。",
                "The batch was exported without class documents (--no-documents).",
            ),
            False,
        )
    builders = _document_builders(data_dir)
    if builders is None:
        return (
            0,
            text(
                "本程序未安装文书模块，批次不含培训班文书。",
                "The documents part is not installed; the batch holds no class documents.",
            ),
            False,
        )
    if not class_uuids:
        return 0, "", True
    from zunyi_trainer.documents import fonts_for

    fonts = fonts_for(session)
    classes = session.scalars(
        sa.select(TrainingClass).where(TrainingClass.uuid.in_([uuid.UUID(u) for u in class_uuids])).order_by(TrainingClass.code)
    ).all()
    jobs = [(cls, name, build) for cls in classes for name, states, build in builders if cls.status in states]
    ticker.extend(len(jobs))  # a PDF takes as long as thousands of records: each one is a step
    n = 0
    for cls, name, build in jobs:
        buf = io.BytesIO()
        try:
            build(session, cls, buf, fonts)
        except ZunyiError as exc:  # one document that cannot be made does not hold back the batch
            notes.append(
                text(
                    "培训班 {code} 的 {name} 未能生成：{why}",
                    "The {name} of class {code} could not be made: {why}",
                    code=cls.code,
                    name=name,
                    why=exc.message(),
                )
            )
        else:
            bag.add_payload_bytes(f"{DOCUMENTS_DIR}{_ascii_name(cls.code)}/{name}", buf.getvalue(), compress=False)
            n += 1
        ticker.tick(every=1)
    return n, "", True


def build_batch(
    session: Session,
    sink: FileSink,
    plan: BatchPlan,
    key: Any,
    data_dir: Path,
    *,
    progress: Progress | None = None,
) -> BuildInfo:
    """Write the whole bag of ``plan`` into ``sink`` (a zip). Deterministic for the same rows."""
    bag = _BagZip(sink, plan.name, plan.created_at)
    try:
        return _fill_bag(bag, session, plan, key, data_dir, progress)
    except BaseException:
        bag.abandon()
        raise


class _Ticker:
    """Progress in records written, reported at most every thousand."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.report = progress or (lambda done, total: None)
        self.total = total + 1  # the last step is sealing the bag
        self.done = 0
        self.report(0, self.total)

    def tick(self, n: int = 1, *, every: int = 1000) -> None:
        before = self.done // every
        self.done += n
        if self.done // every != before:
            self.report(min(self.done, self.total - 1), self.total)

    def extend(self, steps: int) -> None:
        """More work became known (the documents, once the classes are known)."""
        self.total += steps

    def finish(self) -> None:
        self.report(self.total, self.total)


@dataclasses.dataclass
class _Written:
    """What the record files held, for the parts of the bag written after them."""

    counts: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    attachments: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    class_uuids: list[str] = dataclasses.field(default_factory=list)
    tombstones: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def _fill_bag(bag: _BagZip, session: Session, plan: BatchPlan, key: Any, data_dir: Path, progress: Progress | None) -> BuildInfo:
    full = plan.kind == BatchKind.FULL
    changed = {} if full else _changed_keys(session, plan.after_change, plan.through_change)
    if full:
        total = sum(session.scalar(sa.select(sa.func.count()).select_from(spec.table)) or 0 for spec in TABLES)
    else:
        total = sum(len(changed.get(spec.table_name, ())) for spec in TABLES)
    ticker = _Ticker(progress, total)
    store = data_dir / "attachments"
    notes: list[str] = []

    with tempfile.TemporaryFile() as book_file:
        book = WorkbookWriter(book_file, created=plan.created_at)
        bag.on_abandon.append(book.abandon)
        lookups = Lookups(session)
        written = _Written()
        for spec in TABLES:
            keys = None if full else sorted(changed.get(spec.table_name, ()))
            _write_table(bag, book, session, spec, keys, lookups, store, written, notes, ticker)
        if written.tombstones:
            sheet = book.sheet("已删除记录", [text("表", "table"), column_label("uuid")])
            for row in written.tombstones:
                sheet.add_row(row)
            sheet.close()
        n_files, n_bytes = _add_attachments(bag, written.attachments, store)
        documented = set(written.class_uuids)
        if not full:  # a class whose attendance, roster or timetable changed has new documents too
            documented |= _changed_classes(session, plan.after_change, plan.through_change)
        n_docs, doc_note, docs_included = _add_documents(
            bag, session, sorted(documented), data_dir, plan.documents, notes, ticker
        )
        sheet = book.sheet("说明", [text("项目", "item"), text("内容", "value")])
        for row in _readme_rows(plan, written.counts, n_files, n_docs):
            sheet.add_row(row)
        sheet.close()
        book.finish(first=("说明",))
        book_file.seek(0)
        bag.add_payload_stream(WORKBOOK, book_file, compress=False)  # its parts are deflated already

    fingerprint = signing.fingerprint(key.public_key())
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "institution": {"uscc": plan.institution.uscc, "name": plan.institution.name, "uuid": str(plan.institution.uuid)},
        "seq": plan.seq,
        "kind": plan.kind.value,
        "created_at": plan.created_at.astimezone(dt.UTC).isoformat(),
        "app_version": __version__,
        "schema_version": current_revision(session.connection()) or "",
        "period": {
            "after_change": plan.after_change,
            "through_change": plan.through_change,
            "from": plan.previous_created_at.astimezone(dt.UTC).isoformat() if plan.previous_created_at else None,
            "to": plan.created_at.astimezone(dt.UTC).isoformat(),
        },
        "record_counts": written.counts,
        "tables": [spec.name for spec in TABLES],
        "prev_sha256": plan.prev_sha256,
        "key_fingerprint": fingerprint,
        "attachments": {"files": n_files, "bytes": n_bytes},
        "documents": {"included": docs_included, "files": n_docs, "note": doc_note},
        "workbook": WORKBOOK.removeprefix("data/"),
    }
    bag.add_payload_bytes(HEADER, (json.dumps(header, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
    _seal(bag, plan, key, fingerprint)
    ticker.finish()
    return BuildInfo(written.counts, n_files, n_bytes, n_docs, notes, fingerprint)


def _write_table(
    bag: _BagZip,
    book: WorkbookWriter,
    session: Session,
    spec: TableSpec,
    keys: list[str] | None,
    lookups: Lookups,
    store: Path,
    written: _Written,
    notes: list[str],
    ticker: _Ticker,
) -> None:
    """One table's JSON lines and workbook sheet: every row (``keys`` None) or the rows named by
    ``keys``, with a tombstone for each key whose row is gone."""
    convert = row_converter(spec, lookups)
    fmts = _formatters(spec)
    sheet = book.sheet(spec.zh, [column_label(k) for k, _ in fmts])
    seen: set[str] = set()
    n = 0
    with bag.open(f"{RECORDS_DIR}{spec.name}.jsonl") as raw:
        out = _HashingWriter(raw)
        buf: list[str] = []
        for row in select_rows(session, spec, keys):
            rec = convert(row)
            if spec.name == "attachments":
                rec["file"] = f"attachments/{rec['sha256']}" if blob_path(store, rec["sha256"]).is_file() else None
                if rec["file"] is None:
                    notes.append(
                        text(
                            "附件 {f} 的文件不在附件库中，批次只带了它的索引。",
                            "The file of attachment {f} is missing from the store; the batch carries its index only.",
                            f=rec["filename"],
                        )
                    )
                written.attachments.append(rec)
            elif spec.name == "classes":
                written.class_uuids.append(rec["uuid"])
            buf.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
            sheet.add_row([rec.get(k) if fmt is None else fmt(rec.get(k)) for k, fmt in fmts])
            if keys is not None:
                seen.add(rec["uuid"])
            n += 1
            ticker.tick()
            if len(buf) >= 1000:
                out.write(("\n".join(buf) + "\n").encode())
                buf.clear()
        deleted = sorted(set(keys or ()) - seen)
        for key in deleted:
            buf.append(json.dumps({OP_KEY: DELETE, "uuid": key}, sort_keys=True, separators=(",", ":")))
            written.tombstones.append((spec.zh, key))
            ticker.tick()
        if buf:
            out.write(("\n".join(buf) + "\n").encode())
    bag.payload[f"{RECORDS_DIR}{spec.name}.jsonl"] = (out.hash.hexdigest(), out.size)
    sheet.close()
    written.counts[spec.name] = {"records": n, "deleted": len(deleted)}


def _add_attachments(bag: _BagZip, rows: list[dict[str, Any]], store: Path) -> tuple[int, int]:
    """Each attachment's content once, named by its hash and checked against the register's hash."""
    sent: set[str] = set()
    n_bytes = 0
    for rec in rows:
        digest = rec["sha256"]
        if rec["file"] is None or digest in sent:
            continue
        got = bag.add_payload_file(f"{ATTACHMENTS_DIR}{digest}", blob_path(store, digest), _blob_compressible(rec["media_type"]))
        if got != digest:
            raise ExportError(
                "附件库中的文件 {f} 已损坏（内容与登记的 SHA-256 不符），导出已取消。请从备份恢复附件库后再导出。",
                "The stored file of attachment {f} is damaged (its content does not match its SHA-256); the export "
                "was cancelled. Restore the attachment store from a backup and export again.",
                f=rec["filename"],
            )
        sent.add(digest)
        n_bytes += rec["size"]
    return len(sent), n_bytes


def _seal(bag: _BagZip, plan: BatchPlan, key: Any, fingerprint: str) -> None:
    """The BagIt tag files, the tag manifest and its signature; closes the zip."""
    manifest = "".join(f"{digest}  {rel}\n" for rel, (digest, _size) in sorted(bag.payload.items()))
    bag_info = {
        "Bag-Software-Agent": f"zunyi-trainer {__version__}",
        "Bagging-Date": plan.created_at.astimezone(LOCAL_TZ).date().isoformat(),
        "External-Identifier": plan.name,
        "Payload-Oxum": f"{sum(size for _d, size in bag.payload.values())}.{len(bag.payload)}",
        "Source-Organization": plan.institution.name,
        "Zunyi-Batch-Kind": plan.kind.value,
        "Zunyi-Batch-Sequence": str(plan.seq),
        "Zunyi-Institution-USCC": plan.institution.uscc,
        "Zunyi-Key-Fingerprint": fingerprint,
        "Zunyi-Previous-SHA256": plan.prev_sha256 or "none",
    }
    bag.add_tag(BAGIT_TXT, f"BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n".encode())
    bag.add_tag(BAG_INFO, "".join(f"{k}: {v}\n" for k, v in sorted(bag_info.items())).encode())
    bag.add_tag(MANIFEST, manifest.encode())
    bag.add_tag(PUBLIC_KEY, signing.public_pem(key.public_key()))
    tagmanifest = "".join(f"{bag.tags[rel]}  {rel}\n" for rel in sorted(TAG_FILES)).encode()
    bag.zip.writestr(bag.info(TAGMANIFEST), tagmanifest)
    bag.zip.writestr(bag.info(SIGNATURE), signing.sign(key, tagmanifest))
    bag.close()


def _ascii_name(name: str) -> str:
    """A member name part of ASCII letters, digits, dot, dash and underscore only. A name that had
    to be changed gets a short hash of the original, so that 茶01 and 酒01 stay apart."""
    cleaned = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in name)
    cleaned = cleaned.strip(".")[:100]
    if cleaned != name or not cleaned:
        cleaned = f"{cleaned or 'class'}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    return cleaned


def _readme_rows(plan: BatchPlan, counts: dict[str, dict[str, int]], attachments: int, docs: int) -> Iterable[tuple]:
    from zunyi_trainer.exchange.tables import BY_NAME

    yield ("学校", plan.institution.name)
    yield ("统一社会信用代码", plan.institution.uscc)
    yield ("批次序号", plan.seq)
    yield ("批次类型", plan.kind.zh)
    yield ("导出时间", plan.created_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"))
    yield ("变更序号范围", f"{plan.after_change + 1} ~ {plan.through_change}")
    yield ("上一批次 SHA-256", plan.prev_sha256 or "（首个批次）")
    for name, c in counts.items():
        yield (f"{BY_NAME[name].zh} 记录数", c["records"])
        if c["deleted"]:
            yield (f"{BY_NAME[name].zh} 删除数", c["deleted"])
    yield ("附件文件数", attachments)
    yield ("文书文件数", docs)


# --- the export as a whole --------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def the_institution(session: Session) -> Institution:
    found = session.scalars(sa.select(Institution).order_by(Institution.id).limit(2)).all()
    if not found:
        raise NotFound(
            "登记册中还没有学校信息，无法导出批次。请先填写本校信息。",
            "The register has no school profile yet, so no batch can be exported. Fill in the school's profile first.",
        )
    if len(found) > 1:
        raise ExportError(
            "登记册中有多所学校，批次只能由一所学校的登记册导出。",
            "The register holds several schools; a batch is exported from one school's register only.",
        )
    return found[0]


def _copy_synced(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())


def export_batch(
    register: Register,
    out_dir: Path,
    *,
    full: bool = False,
    documents: bool = True,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> ExportResult:
    """Export the next batch into ``out_dir``; incremental unless ``full`` (the first batch is always full)."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            "无法使用目录 {d}（{why}）。请检查 U 盘是否插好、是否写保护。",
            "The folder {d} cannot be used ({why}). Check that the USB stick is in and not write-protected.",
            d=str(out_dir),
            why=exc.strerror or type(exc).__name__,
        ) from exc
    store = store_dir(register.data_dir)
    store.mkdir(parents=True, exist_ok=True)
    if out_dir.resolve() == store.resolve():
        raise ExportError(
            "{d} 是程序留存批次副本的目录，请把批次导出到别处（如 U 盘）。",
            "{d} is where the program keeps its copies of batches; export to another folder (a USB stick).",
            d=str(out_dir),
        )
    key = signing.load_or_create_key(register.data_dir)
    for folder in (out_dir, store):  # what an export killed half-way (power cut, kill -9) left behind
        for stale in folder.glob(".zunyi-batch-*.zip.partial"):
            with contextlib.suppress(OSError):
                stale.unlink()
    written: list[Path] = []
    try:
        with register.transaction() as s:
            inst = the_institution(s)
            last = s.scalars(
                sa.select(ExportBatch).where(ExportBatch.institution_id == inst.id).order_by(ExportBatch.seq.desc()).limit(1)
            ).first()
            through = s.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
            kind = BatchKind.FULL if (full or last is None) else BatchKind.INCREMENTAL
            plan = BatchPlan(
                institution=inst,
                seq=(last.seq + 1) if last else 1,
                kind=kind,
                after_change=0 if kind == BatchKind.FULL else last.through_change,  # type: ignore[union-attr]
                through_change=through,
                prev_sha256=last.sha256 if last else "",
                created_at=(now or now_utc()).replace(microsecond=0),
                previous_created_at=last.created_at if last else None,
                documents=documents,
            )
            final = out_dir / plan.filename
            partial = out_dir / f".{plan.filename}.partial"
            kept = store / plan.filename
            kept_partial = store / f".{plan.filename}.partial"
            written += [partial, kept_partial]
            with open(partial, "wb") as fh, open(kept_partial, "wb") as copy:
                sink = FileSink(fh, copy)
                info = build_batch(s, sink, plan, key, register.data_dir, progress=progress)
                sink.flush()
                os.fsync(fh.fileno())
                os.fsync(copy.fileno())
            digest, size = sink.hash.hexdigest(), sink.size
            batch = ExportBatch(
                institution_id=inst.id,
                seq=plan.seq,
                kind=kind,
                created_at=plan.created_at,
                after_change=plan.after_change,
                through_change=plan.through_change,
                sha256=digest,
                prev_sha256=plan.prev_sha256,
                filename=plan.filename,
                size=size,
                record_counts=json.dumps(info.record_counts, sort_keys=True),
                state=BatchState.EXPORTED,
            )
            s.add(batch)
            audit.record_operation(
                s,
                "batch_exported",
                batch,
                {"seq": plan.seq, "kind": kind.value, "sha256": digest, "through_change": through, "out": str(final)},
            )
            # The row is written but not committed; the renames come last, so that only the
            # commit itself lies between a complete file under its name and its recorded number.
            written += [final, kept]
            os.replace(kept_partial, kept)
            os.replace(partial, final)
    except BaseException as exc:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(
                "写入批次时出错（{why}）：U 盘是否已拔出、已满或写保护？批次没有导出，序号也没有占用，可以重新导出。",
                "Writing the batch failed ({why}): was the USB stick pulled out, full or write-protected? No batch "
                "was exported and no number was used; export again.",
                why=exc.strerror or str(exc),
            ) from exc
        raise
    _fsync_dir(store)  # the renames themselves reach the disk
    _fsync_dir(out_dir)
    return ExportResult(plan.seq, kind, final, digest, size, info)


def redeliver(register: Register, seq: int, out_dir: Path) -> Path:
    """Write the kept copy of batch ``seq`` into ``out_dir`` again, byte for byte."""
    with register.session() as s:
        inst = the_institution(s)
        batch = s.scalars(sa.select(ExportBatch).where(ExportBatch.institution_id == inst.id, ExportBatch.seq == seq)).first()
        if batch is None:
            raise NotFound("没有序号为 {seq} 的批次。", "There is no batch number {seq}.", seq=seq)
        filename, expected = batch.filename, batch.sha256
    kept = store_dir(register.data_dir) / filename
    if not kept.is_file() or file_sha256(kept) != expected:
        raise ExportError(
            "批次 {seq} 的留存副本 {p} 缺失或已损坏，无法原样重新导出。",
            "The kept copy {p} of batch {seq} is missing or damaged; it cannot be delivered again as it was.",
            seq=seq,
            p=str(kept),
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir / f".{filename}.partial"
    try:
        _copy_synced(kept, partial)
        os.replace(partial, out_dir / filename)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return out_dir / filename


def build_to_bytes(session: Session, plan: BatchPlan, key: Any, data_dir: Path) -> bytes:
    """The batch of ``plan`` as bytes (for tests; nothing is recorded)."""
    buf = io.BytesIO()
    build_batch(session, FileSink(buf), plan, key, data_dir)
    return buf.getvalue()
