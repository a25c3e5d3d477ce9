"""The class lifecycle: each transition's preconditions, refusals with reasons, and its audit."""

from __future__ import annotations

import datetime as dt
import json

import factories
import pytest
import sqlalchemy as sa

from zunyi_trainer import audit, lifecycle
from zunyi_trainer.lifecycle import TransitionRefused
from zunyi_trainer.models import (
    AuditEvent,
    ClassStatus,
    Enrollment,
    EnrollmentResult,
    TraineeCategory,
    TrainingClass,
    TrainingMode,
)
from zunyi_trainer.timeutil import today_local

TODAY = dt.date(2026, 2, 1)


@pytest.fixture
def s(register):
    with register.transaction() as session:
        yield session


def ready(s) -> TrainingClass:
    c = factories.training_class(s, trainees=5, sessions=10)
    for e in c.enrollments:
        e.trainee.category = TraineeCategory.GRADUATE
    s.flush()
    return c


def approve(s, c, day: dt.date | None = None) -> None:
    lifecycle.record_decision(
        s,
        c,
        "approved",
        approval_no="湄人社培〔2026〕8号",
        decided_on=day or today_local(),
        approver="湄潭县人社局",
        remarks="同意",
    )


def operations(s, c) -> list[tuple[str, dict]]:
    s.flush()
    rows = s.scalars(
        sa.select(AuditEvent).where(AuditEvent.class_uuid == c.uuid, AuditEvent.action.like("class.%")).order_by(AuditEvent.id)
    )
    return [(ev.action, json.loads(ev.changes)) for ev in rows]


def test_submit_is_refused_with_the_blocking_findings_and_changes_nothing(s) -> None:
    c = ready(s)
    c.mode = None
    with pytest.raises(TransitionRefused) as info:
        lifecycle.submit(s, c, today=TODAY)
    assert [f.code for f in info.value.findings] == ["class.mode_missing"]
    assert "不能报审" in info.value.message() and "培训方式" in info.value.message()
    assert c.status is ClassStatus.DRAFT and c.submitted_at is None
    assert operations(s, c) == []


def test_submit_moves_a_clean_draft_and_records_the_remaining_warnings(s) -> None:
    c = ready(s)
    warnings = lifecycle.submit(s, c, today=c.start_date - dt.timedelta(days=2))
    assert c.status is ClassStatus.SUBMITTED and c.submitted_at is not None
    assert "class.submit_late" in [w.code for w in warnings]
    ((action, details),) = operations(s, c)
    assert action == "class.submit"
    assert details["from"] == "draft" and details["to"] == "submitted"
    assert "class.submit_late" in details["warnings"]


def test_only_a_draft_can_be_submitted(s) -> None:
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    with pytest.raises(TransitionRefused) as info:
        lifecycle.submit(s, c, today=TODAY)
    assert info.value.findings[0].code == "class.wrong_status"


def test_an_approval_keeps_number_date_body_and_remarks(s) -> None:
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    approve(s, c)
    assert c.status is ClassStatus.APPROVED
    assert (c.approval_no, c.decided_on, c.approver, c.decision_remarks) == (
        "湄人社培〔2026〕8号",
        today_local(),
        "湄潭县人社局",
        "同意",
    )
    assert c.approved_at is not None
    assert operations(s, c)[-1][0] == "class.approve"
    assert operations(s, c)[-1][1]["approval_no"] == "湄人社培〔2026〕8号"


def test_an_approval_without_number_or_date_is_refused(s) -> None:
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    with pytest.raises(TransitionRefused) as info:
        lifecycle.record_decision(s, c, "approved", approval_no=" ", decided_on=None)
    assert {f.code for f in info.value.findings} == {"decision.no_number", "decision.no_date"}
    assert c.status is ClassStatus.SUBMITTED


def test_a_rejection_needs_its_reason_and_goes_back_to_draft_for_correction(s) -> None:
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    with pytest.raises(TransitionRefused):
        lifecycle.record_decision(s, c, "rejected", decided_on=today_local())
    lifecycle.record_decision(s, c, "rejected", decided_on=today_local(), reason="场地面积不足")
    assert (c.status, c.rejection_reason) == (ClassStatus.REJECTED, "场地面积不足")
    with pytest.raises(TransitionRefused):
        lifecycle.submit(s, c, today=TODAY)  # correct it first: back to draft
    lifecycle.reopen_draft(s, c)
    assert c.status is ClassStatus.DRAFT
    lifecycle.submit(s, c, today=TODAY)
    assert c.status is ClassStatus.SUBMITTED
    assert [a for a, _ in operations(s, c)] == ["class.submit", "class.reject", "class.reopen", "class.submit"]


def test_an_unknown_decision_is_refused(s) -> None:
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    with pytest.raises(Exception) as info:
        lifecycle.record_decision(s, c, "maybe", decided_on=today_local())
    assert getattr(info.value, "code", "") == "class.decision"


def test_withdrawing_a_submission_needs_a_reason(s) -> None:
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    with pytest.raises(TransitionRefused):
        lifecycle.reopen_draft(s, c)
    lifecycle.reopen_draft(s, c, reason="学员名单需要调整")
    assert c.status is ClassStatus.DRAFT


def test_start_complete_and_archive_in_order(s) -> None:
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    approve(s, c)
    with pytest.raises(TransitionRefused) as info:
        lifecycle.start(s, c, on=c.start_date - dt.timedelta(days=1))
    assert info.value.findings[0].code == "class.not_yet"
    lifecycle.start(s, c, on=c.start_date)
    assert (c.status, c.started_on) == (ClassStatus.IN_PROGRESS, c.start_date)
    last = max(x.date for x in c.sessions)
    with pytest.raises(TransitionRefused) as info:
        lifecycle.complete(s, c, on=last - dt.timedelta(days=1))
    assert info.value.findings[0].code == "class.sessions_ahead"
    lifecycle.complete(s, c, on=last)
    assert c.status is ClassStatus.COMPLETED
    with pytest.raises(TransitionRefused) as info:
        lifecycle.archive(s, c)
    assert info.value.findings[0].code == "class.results_missing"
    for e in c.enrollments:
        e.result = EnrollmentResult.PASSED
    lifecycle.archive(s, c, on=last + dt.timedelta(days=30))
    assert (c.status, c.archive_no) == (ClassStatus.ARCHIVED, f"DA-{c.code}")
    assert [a for a, _ in operations(s, c)] == [
        "class.submit",
        "class.approve",
        "class.start",
        "class.complete",
        "class.archive",
    ]


def test_transitions_out_of_order_are_refused(s) -> None:
    c = ready(s)
    for step in (lifecycle.start, lifecycle.complete, lifecycle.archive):
        with pytest.raises(TransitionRefused) as info:
            step(s, c)
        assert info.value.findings[0].code == "class.wrong_status"
        assert "草稿" in info.value.message()


def test_transitions_keep_the_audit_chain_whole(register) -> None:
    with register.transaction() as s:
        c = ready(s)
        lifecycle.submit(s, c, today=TODAY)
        approve(s, c)
    with register.session() as s:
        assert audit.verify_chain(s.connection()).ok


def test_changes_after_approval_list_timetable_and_roster_edits_only(s) -> None:
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    assert lifecycle.changes_after_approval(s, c) == []
    approve(s, c)
    s.flush()
    assert lifecycle.changes_after_approval(s, c) == []
    c.enrollments[0].score = 88  # results are expected after approval
    c.notes = "备注"
    s.flush()
    assert lifecycle.changes_after_approval(s, c) == []
    c.sessions[0].venue = factories.venue(s)
    c.mode = TrainingMode.BLENDED
    c.enrollments.append(Enrollment(trainee=factories.trainee(s), enrolled_on=TODAY))
    s.flush()
    changes = lifecycle.changes_after_approval(s, c)
    assert sorted({ev.table_name for ev in changes}) == ["class_session", "enrollment", "training_class"]
    assert len(changes) == 3


def test_a_change_after_approval_counts_even_when_the_clock_stepped_back(s, monkeypatch) -> None:
    """A time sync can set the wall clock back between the approval and a later edit: the edit is
    still a change after approval (it comes later in the chain)."""
    c = ready(s)
    lifecycle.submit(s, c, today=TODAY)
    approve(s, c)
    s.flush()
    approved_at = max(ev.at for ev in s.scalars(sa.select(AuditEvent).where(AuditEvent.class_uuid == c.uuid)))
    monkeypatch.setattr(audit, "now_utc", lambda: approved_at - dt.timedelta(seconds=2))
    c.mode = TrainingMode.BLENDED
    s.flush()
    (ev,) = lifecycle.changes_after_approval(s, c)
    assert ev.at < approved_at and "mode" in json.loads(ev.changes)


def test_a_class_imported_already_approved_counts_changes_from_its_import(s) -> None:
    c = ready(s)
    c.status = ClassStatus.APPROVED
    s.flush()
    assert lifecycle.changes_after_approval(s, c) == []
    c.sessions[0].periods = 3
    s.flush()
    (ev,) = lifecycle.changes_after_approval(s, c)
    assert json.loads(ev.changes)["periods"] == [4, 3]


def test_a_refusal_reads_in_english_too(s) -> None:
    from zunyi_trainer.i18n import set_language

    c = ready(s)
    c.mode = None
    set_language("en")
    try:
        with pytest.raises(TransitionRefused) as info:
            lifecycle.submit(s, c, today=TODAY)
        assert info.value.message().startswith(f"Class {c.code} cannot be submitted")
        assert "training mode" in info.value.message()
    finally:
        set_language("zh")
