"""A class's life: ``draft → submitted → approved | rejected → in_progress → completed → archived``.

Each transition checks its preconditions, records who, when and why (a named audit operation
beside the row's own update event) and is refused with the reasons — a
:class:`TransitionRefused` carrying the findings — when it may not happen. A rejected class goes
back to draft for correction (:func:`reopen_draft`). Editing what the county approved after the
approval stays possible, but :func:`changes_after_approval` lists it for the archive.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import audit
from zunyi_trainer.errors import ValidationError, ZunyiError
from zunyi_trainer.i18n import text
from zunyi_trainer.models import AuditEvent, ClassStatus, EnrollmentResult, TrainingClass
from zunyi_trainer.rules.findings import BLOCKS, Finding, blocking, record_of
from zunyi_trainer.settings import RuleSettings
from zunyi_trainer.timeutil import now_utc, today_local

APPROVED_OR_LATER = (ClassStatus.APPROVED, ClassStatus.IN_PROGRESS, ClassStatus.COMPLETED, ClassStatus.ARCHIVED)

# What the county approved: a change to any of these after the approval is flagged.
APPROVED_CLASS_FIELDS = frozenset(
    {
        "trade_id",
        "level",
        "training_type",
        "mode",
        "funding",
        "start_date",
        "end_date",
        "venue_id",
        "head_teacher_id",
        "planned_size",
        "fee_fen",
        "subsidy_standard_fen",
    }
)
APPROVED_SESSION_FIELDS = frozenset({"date", "start_time", "end_time", "periods", "kind", "teacher_id", "venue_id"})
APPROVED_ENROLLMENT_FIELDS = frozenset({"trainee_id", "enrolled_on", "withdrawn_on", "subsidised"})


class TransitionRefused(ZunyiError):
    """A transition that may not happen now; ``findings`` says why (at least one blocks)."""

    code = "class.transition_refused"

    def __init__(self, cls: TrainingClass, action_zh: str, action_en: str, findings: list[Finding]) -> None:
        self.findings = findings
        reasons = "\n".join(f"  - {f.message}" for f in findings)
        super().__init__(
            "培训班 {class_code} 不能{action_zh}：\n{reasons}",
            "Class {class_code} cannot be {action_en}:\n{reasons}",
            code=self.code,
            class_code=cls.code,
            action_zh=action_zh,
            action_en=action_en,
            reasons=reasons,
        )


def _refusal(cls: TrainingClass, code: str, zh: str, en: str, **params: Any) -> Finding:
    return Finding(code, BLOCKS, text(zh, en, **params), params, record_of(cls))


def _wrong_status(cls: TrainingClass, action_zh: str, action_en: str, allowed: tuple[ClassStatus, ...]) -> TransitionRefused:
    finding = _refusal(
        cls,
        "class.wrong_status",
        "培训班当前状态为“{status}”，只有“{allowed}”状态才能{action_zh}。",
        "The class is “{status_en}”; only a class that is “{allowed_en}” can be {action_en}.",
        status=cls.status.zh,
        status_en=cls.status.en,
        allowed="、".join(s.zh for s in allowed),
        allowed_en=", ".join(s.en for s in allowed),
        action_zh=action_zh,
        action_en=action_en,
    )
    return TransitionRefused(cls, action_zh, action_en, [finding])


def _require(cls: TrainingClass, allowed: tuple[ClassStatus, ...], action_zh: str, action_en: str) -> None:
    if cls.status not in allowed:
        raise _wrong_status(cls, action_zh, action_en, allowed)


def _operation(session: Session, cls: TrainingClass, action: str, before: ClassStatus, **details: Any) -> None:
    audit.record_operation(
        session,
        action,
        cls,
        {"from": before.value, "to": cls.status.value, "code": cls.code, **details},
    )


def submit(
    session: Session,
    cls: TrainingClass,
    *,
    settings: RuleSettings | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Submit the application (报审). Refused while a blocking finding exists; returns the
    warnings that remain (kept in the audit record)."""
    from zunyi_trainer.rules import check_class

    _require(cls, (ClassStatus.DRAFT,), "报审", "submitted")
    findings = check_class(session, cls, settings, today=today)
    blocks = blocking(findings)
    if blocks:
        raise TransitionRefused(cls, "报审", "submitted", blocks)
    before = cls.status
    cls.status = ClassStatus.SUBMITTED
    cls.submitted_at = now_utc()
    # A new application carries no earlier decision; the audit keeps what it was.
    cls.approval_no = ""
    cls.decided_on = None
    cls.approver = ""
    cls.decision_remarks = ""
    cls.approved_at = None
    warnings = [f for f in findings if not f.blocks]
    _operation(session, cls, "class.submit", before, warnings=[f.code for f in warnings])
    return warnings


def record_decision(
    session: Session,
    cls: TrainingClass,
    decision: str,
    *,
    approval_no: str = "",
    decided_on: dt.date | None = None,
    approver: str = "",
    remarks: str = "",
    reason: str = "",
) -> None:
    """Record the county's decision (批复) on a submitted class: ``approved`` keeps the 批文号,
    date, approving body and remarks; ``rejected`` its reason."""
    if decision not in ("approved", "rejected"):
        raise ValidationError(
            "审批结果应为“批准”或“不予批准”。",
            "A decision is either approved or rejected.",
            field="decision",
            code="class.decision",
        )
    approving = decision == "approved"
    action_zh, action_en = ("登记批准", "approved") if approving else ("登记不予批准", "rejected")
    _require(cls, (ClassStatus.SUBMITTED,), action_zh, action_en)
    approval_no, approver, remarks, reason = approval_no.strip(), approver.strip(), remarks.strip(), reason.strip()
    problems = []
    # The decision's date is not compared with ``submitted_at``: that is when the school
    # recorded the submission here, which can be after the paper went to the county.
    if decided_on is None:
        problems.append(_refusal(cls, "decision.no_date", "请填写批复日期。", "Enter the date of the decision."))
    if approving and not approval_no:
        problems.append(_refusal(cls, "decision.no_number", "请填写批文号。", "Enter the approval number (批文号)."))
    if not approving and not reason:
        problems.append(_refusal(cls, "decision.no_reason", "请填写不予批准的原因。", "Enter the reason for the rejection."))
    if problems:
        raise TransitionRefused(cls, action_zh, action_en, problems)
    before = cls.status
    cls.decided_on = decided_on
    cls.approver = approver
    cls.decision_remarks = remarks
    if approving:
        cls.status = ClassStatus.APPROVED
        cls.approval_no = approval_no
        cls.approved_at = now_utc()
        cls.rejection_reason = ""
    else:
        cls.status = ClassStatus.REJECTED
        cls.rejection_reason = reason
    _operation(
        session,
        cls,
        "class.approve" if approving else "class.reject",
        before,
        approval_no=approval_no,
        decided_on=decided_on,
        approver=approver,
        remarks=remarks,
        reason=reason,
    )


def start(session: Session, cls: TrainingClass, *, on: dt.date | None = None) -> None:
    """Open the approved class (开班) on its first day or later."""
    _require(cls, (ClassStatus.APPROVED,), "开班", "started")
    day = on or today_local()
    if day < cls.start_date:
        raise TransitionRefused(
            cls,
            "开班",
            "started",
            [
                _refusal(
                    cls,
                    "class.not_yet",
                    "批准的开班日期是 {start}，不能在 {day} 提前开班。如需提前，请先报县局变更。",
                    "The approved start is {start}; the class cannot start early on {day}. Ask the county to change it first.",
                    start=cls.start_date.isoformat(),
                    day=day.isoformat(),
                )
            ],
        )
    before = cls.status
    cls.status = ClassStatus.IN_PROGRESS
    cls.started_on = day
    _operation(session, cls, "class.start", before, on=day)


def complete(session: Session, cls: TrainingClass, *, on: dt.date | None = None) -> None:
    """Close the class (结业) once its last session has been held."""
    _require(cls, (ClassStatus.IN_PROGRESS,), "结业", "completed")
    day = on or today_local()
    last = max((s.date for s in cls.sessions), default=cls.end_date)
    if day < last:
        raise TransitionRefused(
            cls,
            "结业",
            "completed",
            [
                _refusal(
                    cls,
                    "class.sessions_ahead",
                    "最后一个课次在 {last}，{day} 还不能结业。",
                    "The last session is on {last}; the class cannot complete on {day}.",
                    last=last.isoformat(),
                    day=day.isoformat(),
                )
            ],
        )
    before = cls.status
    cls.status = ClassStatus.COMPLETED
    cls.completed_on = day
    _operation(session, cls, "class.complete", before, on=day)


def archive(session: Session, cls: TrainingClass, *, archive_no: str = "", on: dt.date | None = None) -> None:
    """File the class's archive (一班一档) once every trainee's result is recorded."""
    _require(cls, (ClassStatus.COMPLETED,), "归档", "archived")
    pending = [e for e in cls.enrollments if e.withdrawn_on is None and e.result is EnrollmentResult.PENDING]
    if pending:
        names = "、".join(e.trainee.name for e in pending[:10]) + ("等" if len(pending) > 10 else "")
        raise TransitionRefused(
            cls,
            "归档",
            "archived",
            [
                _refusal(
                    cls,
                    "class.results_missing",
                    "还有 {n} 名学员没有登记考核结果：{names}。",
                    "{n} trainees have no result recorded yet: {names}.",
                    n=len(pending),
                    names=names,
                )
            ],
        )
    before = cls.status
    day = on or today_local()
    cls.status = ClassStatus.ARCHIVED
    cls.archived_on = day
    cls.archive_no = archive_no.strip() or cls.archive_no or f"DA-{cls.code}"
    _operation(session, cls, "class.archive", before, on=day, archive_no=cls.archive_no)


def reopen_draft(session: Session, cls: TrainingClass, *, reason: str = "") -> None:
    """Take a rejected (or a submitted, withdrawn) application back to draft for correction."""
    _require(cls, (ClassStatus.REJECTED, ClassStatus.SUBMITTED), "退回草稿", "taken back to draft")
    if cls.status is ClassStatus.SUBMITTED and not reason.strip():
        raise TransitionRefused(
            cls,
            "退回草稿",
            "taken back to draft",
            [
                _refusal(
                    cls,
                    "class.no_reason",
                    "撤回已报审的申请需要说明原因。",
                    "Withdrawing a submitted application needs a reason.",
                )
            ],
        )
    before = cls.status
    cls.status = ClassStatus.DRAFT
    cls.submitted_at = None
    _operation(session, cls, "class.reopen", before, reason=reason.strip() or cls.rejection_reason)


# --- changes after approval -------------------------------------------------------------------


def _approval_event(events: list[AuditEvent], cls: TrainingClass) -> AuditEvent | None:
    """The last event by which the class became approved: the named decision, an update of its
    status to approved, or its insert already in an approved state (an imported class)."""
    found = None
    later = {s.value for s in APPROVED_OR_LATER}
    for ev in events:
        if ev.table_name != "training_class":
            continue
        if ev.action == "class.approve":
            found = ev
            continue
        try:
            changes = json.loads(ev.changes)
        except ValueError:
            continue
        inserted_approved = ev.action == "insert" and changes.get("status") in later
        status = changes.get("status")
        updated_to_approved = ev.action == "update" and isinstance(status, list) and status[1] == "approved"
        if inserted_approved or updated_to_approved:
            found = ev
    return found


def _is_approved_content(ev: AuditEvent) -> bool:
    if ev.action in ("insert", "delete"):
        return ev.table_name in ("class_session", "enrollment")
    if ev.action != "update":
        return False
    try:
        keys = set(json.loads(ev.changes))
    except ValueError:
        return False
    fields = {
        "training_class": APPROVED_CLASS_FIELDS,
        "class_session": APPROVED_SESSION_FIELDS,
        "enrollment": APPROVED_ENROLLMENT_FIELDS,
    }.get(ev.table_name)
    return bool(fields and keys & fields)


def changes_after_approval(session: Session, cls: TrainingClass) -> list[AuditEvent]:
    """Audit events that changed what the county approved — trainees, teachers, venue, hours,
    dates — after the approval was recorded (events of the approving transaction itself excepted)."""
    if cls.status not in APPROVED_OR_LATER:
        return []
    events = list(
        session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.class_uuid == cls.uuid,
                AuditEvent.table_name.in_(("training_class", "class_session", "enrollment")),
            )
            .order_by(AuditEvent.id)
        )
    )
    approval = _approval_event(events, cls)
    if approval is None:
        return []
    # Later by id, and not written with the approval (the events of one write share its instant).
    # Not ``at > approval.at``: the wall clock can step back between two writes (a time sync), and
    # a change made after the approval would then pass unnoticed.
    return [ev for ev in events if ev.id > approval.id and ev.at != approval.at and _is_approved_content(ev)]
