"""Decisions the county enters on submitted classes, and the return file that carries them back.

A decision is entered against the class as the county holds it from the school's batches
(``county decide``): the class must be awaiting a decision there (status 已报审). It is kept in
:data:`~zunyi_trainer.county.state.county_decision`, not written into the class row, because the
class row mirrors the school's register and the school's next batch overwrites it.

The return file (``county return USCC -o FILE``) is the exchange's ``zunyi-trainer/county-return``
version 1 (docs/exchange.md): the decisions not yet sent on the school's classes that are still
awaiting one as of its latest batch — each for the submission it decided, so an old rejection
never answers a later resubmission — and an acknowledgement of every batch received from the
school.

A decision travels once. The school's ``county-return import`` refuses a whole file that decides
a class it already decided, so a second return file written before the school's next batch
arrives must not carry the same decision again; once that batch shows the class decided, it
drops out anyway. When a return file was lost, ``resend`` puts every pending decision in again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer.county.state import audit_event, county_batch, county_decision
from zunyi_trainer.db import Register
from zunyi_trainer.errors import NotFound, ValidationError, ZunyiError
from zunyi_trainer.exchange.county_return import FORMAT, FORMAT_VERSION
from zunyi_trainer.exchange.schemas import COUNTY_RETURN_SCHEMA, first_error
from zunyi_trainer.idcard import parse_uscc
from zunyi_trainer.models import ClassStatus, Institution, TrainingClass
from zunyi_trainer.timeutil import LOCAL_TZ, now_utc, today_local

DECISIONS = ("approved", "rejected")


class DecisionRefused(ValidationError):
    code = "county.decision"


@dataclasses.dataclass(frozen=True)
class Decision:
    uscc: str
    class_uuid: str
    class_code: str
    decision: str
    approval_no: str
    decided_on: dt.date
    approver: str
    reason: str


def find_class(session: Session, target: str, code: str | None = None) -> tuple[TrainingClass, Institution]:
    """A class by its UUID, or by the school's USCC and the class code."""
    q = sa.select(TrainingClass, Institution).join(Institution, Institution.id == TrainingClass.institution_id)
    if code is None:
        try:
            key = uuid.UUID(target.strip())
        except ValueError:
            raise ValidationError(
                "“{t}”不是培训班的标识（UUID）。也可以写 学校统一社会信用代码 培训班编号。",
                "“{t}” is not a class identifier (UUID). You can also give the school's USCC and the class code.",
                code="county.class_ref",
                t=target,
            ) from None
        row = session.execute(q.where(TrainingClass.uuid == key)).first()
        label = target
    else:
        uscc = parse_uscc(target)
        row = session.execute(q.where(Institution.uscc == uscc, TrainingClass.code == code.strip())).first()
        label = f"{uscc} {code}"
    if row is None:
        raise NotFound(
            "县局数据库中没有培训班 {c}（学校的批次可能还没有送到）。",
            "The county holds no class {c} (the school's batch may not have arrived yet).",
            code="county.unknown_class",
            c=label,
        )
    return row[0], row[1]


def enter_decision(
    register: Register,
    target: str,
    code: str | None,
    decision: str,
    *,
    approval_no: str = "",
    decided_on: dt.date | None = None,
    approver: str = "",
    reason: str = "",
) -> Decision:
    """Enter the county's decision on a class awaiting one; refused, with the reason, otherwise."""
    decision = decision.strip().lower()
    if decision not in DECISIONS:
        raise DecisionRefused(
            "审批结果应为 approved（批准）或 rejected（不予批准），而不是“{d}”。",
            "A decision is approved or rejected, not “{d}”.",
            d=decision,
        )
    approval_no, approver, reason = approval_no.strip(), approver.strip(), reason.strip()
    decided_on = decided_on or today_local()
    problems = []
    if decision == "approved" and not approval_no:
        problems.append(("请填写批文号（--approval-no）。", "Enter the approval number (--approval-no)."))
    if decision == "rejected" and not reason:
        problems.append(("请填写不予批准的原因（--reason）。", "Enter the reason for the rejection (--reason)."))
    if not approver:
        problems.append(("请填写审批单位（--approver）。", "Enter the approving body (--approver)."))
    if len(approval_no) > 64 or len(approver) > 128 or len(reason) > 2000:
        problems.append(("批文号、审批单位或原因过长。", "The approval number, approver or reason is too long."))
    if problems:
        raise DecisionRefused(
            "无法登记批复：" + "".join(zh for zh, _ in problems),
            "The decision cannot be entered: " + " ".join(en for _, en in problems),
        )
    with register.transaction() as s:
        cls, inst = find_class(s, target, code)
        if cls.status != ClassStatus.SUBMITTED:
            raise DecisionRefused(
                "培训班 {c}（{school}）在县局数据库中的状态为“{status}”，不在等待批复。",
                "Class {c} ({school}) is “{status_en}” in the county's database, not awaiting a decision.",
                c=cls.code,
                school=inst.name,
                status=cls.status.zh,
                status_en=cls.status.en,
            )
        if cls.submitted_at is not None and decided_on < cls.submitted_at.astimezone(LOCAL_TZ).date() - dt.timedelta(days=1):
            raise DecisionRefused(
                "批复日期 {d} 早于培训班 {c} 的报审日期。",
                "The decision date {d} is before class {c} was submitted.",
                d=decided_on.isoformat(),
                c=cls.code,
            )
        # One decision per submission: a new one replaces what was entered before for it.
        s.execute(
            county_decision.delete().where(
                county_decision.c.class_uuid == cls.uuid,
                _same_submission(cls.submitted_at),
            )
        )
        s.execute(
            county_decision.insert().values(
                uscc=inst.uscc,
                class_uuid=cls.uuid,
                class_code=cls.code,
                submitted_at=cls.submitted_at,
                decision=decision,
                approval_no=approval_no,
                decided_on=decided_on,
                approver=approver,
                reason=reason,
                entered_at=now_utc(),
                entered_by=s.info.get("actor", ""),
            )
        )
        audit_event(
            s,
            "county.decision_entered",
            "county_decision",
            str(cls.uuid),
            {
                "uscc": inst.uscc,
                "class_code": cls.code,
                "decision": decision,
                "approval_no": approval_no,
                "decided_on": decided_on,
                "approver": approver,
                "reason": reason,
            },
        )
        return Decision(inst.uscc, str(cls.uuid), cls.code, decision, approval_no, decided_on, approver, reason)


def _same_submission(submitted_at: dt.datetime | None) -> Any:
    col = county_decision.c.submitted_at
    return col.is_(None) if submitted_at is None else col == submitted_at


def pending_decisions(session: Session, uscc: str, *, include_sent: bool = False) -> list[Decision]:
    """Decisions on the school's classes that are, as of its latest batch, still awaiting them
    (only those not yet sent in a return file, unless ``include_sent``)."""
    rows = session.execute(
        sa.select(county_decision, TrainingClass.status, TrainingClass.submitted_at.label("class_submitted_at"))
        .join(TrainingClass, TrainingClass.uuid == county_decision.c.class_uuid)
        .where(county_decision.c.uscc == uscc)
        .order_by(county_decision.c.class_code, county_decision.c.id)
    ).all()
    out = []
    for r in rows:
        if r.status != ClassStatus.SUBMITTED or r.submitted_at != r.class_submitted_at:
            continue
        if r.returned_at is not None and not include_sent:
            continue
        out.append(
            Decision(r.uscc, str(r.class_uuid), r.class_code, r.decision, r.approval_no, r.decided_on, r.approver, r.reason)
        )
    return out


def build_return(
    session: Session, uscc: str, *, issued_at: dt.datetime | None = None, issuer: str = "", resend: bool = False
) -> dict[str, Any]:
    """The return file for school ``uscc`` as a JSON-able dict (checked against its schema)."""
    issued = (issued_at or now_utc()).astimezone(LOCAL_TZ).replace(microsecond=0)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "institution_uscc": uscc,
        "issued_at": issued.isoformat(),
    }
    if issuer.strip():
        doc["issuer"] = issuer.strip()[:128]
    decisions = []
    for d in pending_decisions(session, uscc, include_sent=resend):
        item = {
            "class_code": d.class_code,
            "decision": d.decision,
            "decided_on": d.decided_on.isoformat(),
            "approver": d.approver,
        }
        if d.approval_no:
            item["approval_no"] = d.approval_no
        if d.reason:
            item["reason"] = d.reason
        decisions.append(item)
    doc["decisions"] = decisions
    doc["acknowledged_batches"] = [
        {"seq": seq, "sha256": digest}
        for seq, digest in session.execute(
            sa.select(county_batch.c.seq, county_batch.c.sha256).where(county_batch.c.uscc == uscc).order_by(county_batch.c.seq)
        )
    ]
    problem = first_error(doc, COUNTY_RETURN_SCHEMA)
    if problem:  # a bug here, not the user's: never hand a school a file it would refuse
        raise ZunyiError(
            "生成的回执文件不符合格式规范：{p}",
            "The return file made does not match its schema: {p}",
            code="county.return_schema",
            p=problem,
        )
    return doc


@dataclasses.dataclass(frozen=True)
class ReturnWritten:
    path: Path
    decisions: int
    acknowledged: int


def write_return(register: Register, uscc: str, target: Path | str, *, issuer: str = "", resend: bool = False) -> ReturnWritten:
    """Write the return file for ``uscc`` to ``target`` (whole, or not at all); the decisions in
    it are marked sent in the same transaction."""
    code = parse_uscc(uscc)
    target = Path(target).expanduser()
    with register.transaction() as s:
        known = s.execute(sa.select(Institution.id).where(Institution.uscc == code)).first()
        if known is None:
            raise NotFound(
                "县局数据库中没有学校 {uscc}，还没有收到它的批次。",
                "The county holds no school {uscc}; none of its batches has arrived.",
                code="county.unknown_school",
                uscc=code,
            )
        doc = build_return(s, code, issuer=issuer, resend=resend)
        sent = [uuid.UUID(d.class_uuid) for d in pending_decisions(s, code, include_sent=resend)]
        data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".return-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as exc:
            raise ZunyiError(
                "无法写入回执文件 {p}（{why}）。",
                "Cannot write the return file {p} ({why}).",
                code="county.return_write",
                p=str(target),
                why=exc.strerror or type(exc).__name__,
            ) from exc
        if sent:
            s.execute(
                county_decision.update()
                .where(county_decision.c.uscc == code, county_decision.c.class_uuid.in_(sent))
                .where(county_decision.c.returned_at.is_(None))
                .values(returned_at=now_utc())
            )
        audit_event(
            s,
            "county.return_written",
            "county_school",
            code,
            {
                "file": target.name,
                "decisions": [[d["class_code"], d["decision"]] for d in doc["decisions"]],
                "acknowledged": [b["seq"] for b in doc["acknowledged_batches"]],
                "resend": resend,
            },
        )
    return ReturnWritten(target, len(doc["decisions"]), len(doc["acknowledged_batches"]))


@dataclasses.dataclass(frozen=True)
class DecisionRow:
    uscc: str
    class_code: str
    decision: str
    approval_no: str
    decided_on: dt.date
    approver: str
    reason: str
    entered_at: dt.datetime
    returned_at: dt.datetime | None
    class_status: ClassStatus | None  # as the school's latest batch shows it (None: class gone)
    state: str  # pending (not sent yet) | sent (awaiting the school's filing) | filed | superseded

    @property
    def state_label(self) -> str:
        from zunyi_trainer.i18n import text

        return {
            "pending": text("待发回执", "to be sent"),
            "sent": text("已发回执，学校未登记", "sent, not yet filed by the school"),
            "filed": text("学校已登记", "filed by the school"),
            "superseded": text("已被重新报审取代", "superseded by a new submission"),
        }[self.state]


def list_decisions(register: Register, uscc: str | None = None) -> list[DecisionRow]:
    """Every decision entered, with where it stands (``county decisions``)."""
    q = (
        sa.select(county_decision, TrainingClass.status, TrainingClass.submitted_at.label("class_submitted_at"))
        .join(TrainingClass, TrainingClass.uuid == county_decision.c.class_uuid, isouter=True)
        .order_by(county_decision.c.uscc, county_decision.c.class_code, county_decision.c.id)
    )
    if uscc:
        q = q.where(county_decision.c.uscc == uscc.strip().upper())
    out = []
    with register.session() as s:
        for r in s.execute(q):
            status = ClassStatus(r.status) if r.status is not None else None
            if status is ClassStatus.SUBMITTED and r.submitted_at == r.class_submitted_at:
                state = "sent" if r.returned_at is not None else "pending"
            elif status is ClassStatus.SUBMITTED or status is ClassStatus.DRAFT or status is None:
                state = "superseded"
            else:
                state = "filed"
            out.append(
                DecisionRow(
                    r.uscc,
                    r.class_code,
                    r.decision,
                    r.approval_no,
                    r.decided_on,
                    r.approver,
                    r.reason,
                    r.entered_at,
                    r.returned_at,
                    status,
                    state,
                )
            )
    return out
