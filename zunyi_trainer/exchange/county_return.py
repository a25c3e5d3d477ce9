"""File the county's return file: its decisions on classes and its acknowledgements of batches.

The whole file is applied in one transaction or not at all. It is refused, with nothing changed,
when it does not match its schema (``schemas.COUNTY_RETURN_SCHEMA``), is for another school,
names an unknown class, decides a class that is not awaiting a decision, or acknowledges a batch
that was not exported or whose hash differs. The file's SHA-256 is kept, so importing the same
file again changes nothing and says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import audit
from zunyi_trainer.db import Register
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.exchange.export import the_institution
from zunyi_trainer.exchange.schemas import COUNTY_RETURN_SCHEMA, first_error
from zunyi_trainer.models import BatchState, ClassStatus, CountyReturn, ExportBatch, TrainingClass

FORMAT = "zunyi-trainer/county-return"
FORMAT_VERSION = 1
MAX_RETURN_BYTES = 10 * 1024**2


class ReturnRefused(ValidationError):
    code = "county_return.refused"


def _refuse(reason: str, zh: str, en: str, **data: Any) -> ReturnRefused:
    return ReturnRefused(zh, en, code=f"county_return.{reason}", **data)


@dataclasses.dataclass
class ReturnResult:
    sha256: str
    already_imported: bool
    decisions: list[tuple[str, str]]  # (class code, decision)
    acknowledged: list[int]  # batch numbers newly acknowledged


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _refuse(
                "schema",
                "回执文件中的字段 {k} 出现了两次，无法确定以哪个为准。",
                "The field {k} appears twice in the return file, so which one counts cannot be told.",
                k=key,
            )
        out[key] = value
    return out


def _too_large() -> ReturnRefused:
    return _refuse(
        "too_large",
        "回执文件过大（超过 10 MB），不是县局的回执文件。",
        "The return file is too large (over 10 MB); it is not a county return file.",
    )


def read_return(data: bytes) -> dict[str, Any]:
    """Parse and check a return file against its schema (nothing is applied)."""
    if len(data) > MAX_RETURN_BYTES:
        raise _too_large()
    try:
        doc = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_no_duplicate_keys)
    except UnicodeDecodeError as exc:
        raise _refuse("schema", "回执文件不是 UTF-8 编码的文本。", "The return file is not UTF-8 text.") from exc
    except json.JSONDecodeError as exc:
        raise _refuse(
            "schema",
            "回执文件不是有效的 JSON（第 {line} 行）。",
            "The return file is not valid JSON (line {line}).",
            line=exc.lineno,
        ) from exc
    problem = first_error(doc, COUNTY_RETURN_SCHEMA)
    if problem:
        raise _refuse(
            "schema",
            "回执文件不符合格式规范（版本 1）：{problem}",
            "The return file does not match its schema (version 1): {problem}",
            problem=problem,
        )
    codes = [d["class_code"] for d in doc["decisions"]]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise _refuse(
            "schema",
            "回执文件对培训班 {class_code} 作了不止一次批复。",
            "The return file decides class {class_code} more than once.",
            class_code=dupes[0],
        )
    return doc


def _record_decision(session: Session, cls: TrainingClass, decision: dict[str, Any]) -> None:
    """Record one decision through the class lifecycle (which checks it and audits it)."""
    from zunyi_trainer import lifecycle

    approved = decision["decision"] == "approved"
    lifecycle.record_decision(
        session,
        cls,
        decision["decision"],
        approval_no=decision.get("approval_no", ""),
        decided_on=dt.date.fromisoformat(decision["decided_on"]),
        approver=decision["approver"],
        remarks=decision.get("reason", "") if approved else "",
        reason="" if approved else decision.get("reason", ""),
    )


def _read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_RETURN_BYTES:
            raise _too_large()
        return path.read_bytes()
    except OSError as exc:
        raise _refuse(
            "missing",
            "无法读取回执文件 {p}（{why}）。",
            "The return file {p} cannot be read ({why}).",
            p=str(path),
            why=exc.strerror or type(exc).__name__,
        ) from exc


def _check(s: Session, doc: dict[str, Any]) -> tuple[dict[str, TrainingClass], list[ExportBatch]]:
    """The classes the file decides and the batches it acknowledges, or ReturnRefused."""
    inst = the_institution(s)
    if doc["institution_uscc"] != inst.uscc:
        raise _refuse(
            "other_school",
            "这份回执是给学校 {theirs} 的，本校的统一社会信用代码是 {ours}，没有导入。",
            "This return file is for school {theirs}; this school's USCC is {ours}. Nothing was imported.",
            theirs=doc["institution_uscc"],
            ours=inst.uscc,
        )
    classes = {}
    for d in doc["decisions"]:
        cls = s.scalars(
            sa.select(TrainingClass).where(TrainingClass.institution_id == inst.id, TrainingClass.code == d["class_code"])
        ).first()
        if cls is None:
            raise _refuse(
                "unknown_class",
                "回执中的培训班 {class_code} 在登记册中不存在，没有导入任何内容。",
                "The return file names class {class_code}, which is not in the register. Nothing was imported.",
                class_code=d["class_code"],
            )
        if cls.status != ClassStatus.SUBMITTED:
            raise _refuse(
                "not_awaiting",
                "培训班 {class_code} 当前状态为“{status}”，不在等待批复，没有导入任何内容。",
                "Class {class_code} is {status_en}, not awaiting a decision. Nothing was imported.",
                class_code=cls.code,
                status=cls.status.zh,
                status_en=cls.status.en,
            )
        classes[d["class_code"]] = cls

    batches = []
    for ack in doc["acknowledged_batches"]:
        batch = s.scalars(
            sa.select(ExportBatch).where(ExportBatch.institution_id == inst.id, ExportBatch.seq == ack["seq"])
        ).first()
        if batch is None:
            raise _refuse(
                "unknown_batch",
                "回执确认了批次 {seq}，但本校没有导出过这个批次，没有导入任何内容。",
                "The return file acknowledges batch {seq}, which this school never exported. Nothing was imported.",
                seq=ack["seq"],
            )
        if batch.sha256 != ack["sha256"]:
            raise _refuse(
                "batch_hash",
                "回执确认的批次 {seq} 的哈希与本校导出的不符，县局收到的可能不是本校导出的文件。没有导入任何内容。",
                "The hash acknowledged for batch {seq} differs from the batch this school exported; the county may "
                "hold another file. Nothing was imported.",
                seq=ack["seq"],
            )
        batches.append(batch)
    return classes, batches


def _issued_at(doc: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(doc["issued_at"].replace("Z", "+00:00")).astimezone(dt.UTC)


@dataclasses.dataclass(frozen=True)
class DecisionChange:
    """What a decision will do to one class."""

    class_code: str
    class_name: str
    status_before: ClassStatus
    decision: str  # approved | rejected
    approval_no: str
    decided_on: dt.date
    approver: str
    reason: str

    @property
    def status_after(self) -> ClassStatus:
        return ClassStatus.APPROVED if self.decision == "approved" else ClassStatus.REJECTED


@dataclasses.dataclass(frozen=True)
class ReturnPreview:
    """What importing a return file would change; nothing has been written."""

    sha256: str
    filename: str
    issued_at: dt.datetime | None  # None when the file was imported before (not read again)
    already_imported: bool
    decisions: list[DecisionChange]
    acknowledged: list[int]  # batch numbers the file newly acknowledges
    already_acknowledged: list[int]  # batch numbers it acknowledges again (no change)

    @property
    def changes_nothing(self) -> bool:
        return self.already_imported or not (self.decisions or self.acknowledged)


def preview_return(register: Register, path: Path | str) -> ReturnPreview:
    """Check the return file at ``path`` as :func:`import_return` would, and say what it would change
    (class by class), without writing anything. Raises :class:`ReturnRefused` for a file the import
    would refuse."""
    path = Path(path)
    data = _read_file(path)
    digest = hashlib.sha256(data).hexdigest()
    with register.session() as s:
        if s.scalar(sa.select(CountyReturn.id).where(CountyReturn.sha256 == digest)) is not None:
            return ReturnPreview(digest, path.name, None, True, [], [], [])
        doc = read_return(data)
        classes, batches = _check(s, doc)
        decisions = [
            DecisionChange(
                class_code=d["class_code"],
                class_name=classes[d["class_code"]].name,
                status_before=classes[d["class_code"]].status,
                decision=d["decision"],
                approval_no=d.get("approval_no", ""),
                decided_on=dt.date.fromisoformat(d["decided_on"]),
                approver=d["approver"],
                reason=d.get("reason", ""),
            )
            for d in doc["decisions"]
        ]
        new = [b.seq for b in batches if b.state != BatchState.ACKNOWLEDGED]
        again = [b.seq for b in batches if b.state == BatchState.ACKNOWLEDGED]
        # The lifecycle's own checks of each decision (an approval without its 批文号 …), tried
        # and rolled back: the preview refuses what the import would refuse.
        try:
            for d in doc["decisions"]:
                _record_decision(s, classes[d["class_code"]], d)
        finally:
            s.rollback()
    return ReturnPreview(digest, path.name, _issued_at(doc), False, decisions, new, again)


def import_return(register: Register, path: Path | str) -> ReturnResult:
    """Apply the return file at ``path`` in one transaction (see the module's docstring)."""
    path = Path(path)
    data = _read_file(path)
    digest = hashlib.sha256(data).hexdigest()
    with register.transaction() as s:
        if s.scalar(sa.select(CountyReturn.id).where(CountyReturn.sha256 == digest)) is not None:
            return ReturnResult(digest, True, [], [])
        doc = read_return(data)
        classes, batches = _check(s, doc)
        issued_at = _issued_at(doc)
        for d in doc["decisions"]:
            _record_decision(s, classes[d["class_code"]], d)
        acknowledged = []
        for batch in batches:
            if batch.state == BatchState.ACKNOWLEDGED:
                continue
            batch.state = BatchState.ACKNOWLEDGED
            batch.acknowledged_at = issued_at
            audit.record_operation(s, "batch_acknowledged", batch, {"seq": batch.seq, "sha256": batch.sha256})
            acknowledged.append(batch.seq)
        summary = {
            "decisions": [[d["class_code"], d["decision"]] for d in doc["decisions"]],
            "acknowledged": acknowledged,
        }
        record = CountyReturn(
            sha256=digest, issued_at=issued_at, filename=path.name[:256], summary=json.dumps(summary, ensure_ascii=False)
        )
        s.add(record)
        audit.record_operation(s, "county_return_imported", record, {"sha256": digest, **summary})
    return ReturnResult(digest, False, [tuple(x) for x in summary["decisions"]], acknowledged)  # type: ignore[misc]
