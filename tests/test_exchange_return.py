"""Importing the county's return file: all of it or nothing, never twice, and never a file that
is for another school, names an unknown class or batch, or does not match its schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import factories
from zunyi_trainer.cli import run
from zunyi_trainer.db import Register, database_url_from_env, open_register
from zunyi_trainer.exchange.county_return import ReturnRefused, import_return, read_return
from zunyi_trainer.exchange.export import export_batch
from zunyi_trainer.models import AuditEvent, BatchState, ClassStatus, CountyReturn, ExportBatch, TrainingClass

SUBMITTED_AT = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def school(register: Register, tmp_path: Path) -> dict:
    """A school with two submitted classes, a draft and one exported batch."""
    with register.transaction() as s:
        for code in ("ZY2026001", "ZY2026002"):
            factories.training_class(s, code=code, trainees=2, status=ClassStatus.SUBMITTED, submitted_at=SUBMITTED_AT)
        factories.training_class(s, code="ZY2026003")
    batch = export_batch(register, tmp_path / "usb", documents=False)
    return {"seq": batch.seq, "sha256": batch.sha256}


def _return(tmp_path: Path, name: str = "return.json", **changes) -> Path:
    doc = {
        "format": "zunyi-trainer/county-return",
        "version": 1,
        "institution_uscc": factories.VALID_USCC,
        "issued_at": "2026-03-10T10:00:00+08:00",
        "decisions": [
            {
                "class_code": "ZY2026001",
                "decision": "approved",
                "approval_no": "遵人社培〔2026〕017号",
                "decided_on": "2026-03-10",
                "approver": "湄潭县人力资源和社会保障局",
                "reason": "同意开班",
            },
            {
                "class_code": "ZY2026002",
                "decision": "rejected",
                "decided_on": "2026-03-10",
                "approver": "湄潭县人力资源和社会保障局",
                "reason": "实训场地面积不足",
            },
        ],
        "acknowledged_batches": [],
    }
    doc.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _state(register: Register) -> tuple:
    with register.session() as s:
        classes = tuple(
            (c.code, c.status.value, c.approval_no, c.rejection_reason)
            for c in s.scalars(sa.select(TrainingClass).order_by(TrainingClass.code))
        )
        batches = tuple((b.seq, b.state.value) for b in s.scalars(sa.select(ExportBatch)))
        events = s.scalar(sa.select(sa.func.max(AuditEvent.id)))
        returns = s.scalar(sa.select(sa.func.count()).select_from(CountyReturn))
    return classes, batches, events, returns


def test_a_good_return_records_decisions_and_acknowledgements_with_audit_events(
    register: Register, school: dict, tmp_path: Path
) -> None:
    before = _state(register)[2]
    result = import_return(register, _return(tmp_path, acknowledged_batches=[school]))
    assert not result.already_imported
    assert result.decisions == [("ZY2026001", "approved"), ("ZY2026002", "rejected")]
    assert result.acknowledged == [1]
    with register.session() as s:
        approved = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == "ZY2026001")).one()
        assert (approved.status, approved.approval_no, approved.decided_on, approved.decision_remarks) == (
            ClassStatus.APPROVED,
            "遵人社培〔2026〕017号",
            dt.date(2026, 3, 10),
            "同意开班",
        )
        rejected = s.scalars(sa.select(TrainingClass).where(TrainingClass.code == "ZY2026002")).one()
        assert (rejected.status, rejected.rejection_reason) == (ClassStatus.REJECTED, "实训场地面积不足")
        batch = s.scalars(sa.select(ExportBatch)).one()
        assert batch.state == BatchState.ACKNOWLEDGED
        assert batch.acknowledged_at == dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)
        actions = [
            (e.action, e.record_key)
            for e in s.scalars(sa.select(AuditEvent).where(AuditEvent.id > before, AuditEvent.table_name != "training_class"))
        ]
        ops = set(s.scalars(sa.select(AuditEvent.action).where(AuditEvent.id > before)))
    assert {"class.approve", "class.reject", "batch_acknowledged", "county_return_imported"} <= ops
    assert ("batch_acknowledged", str(batch.uuid)) in actions


def test_importing_the_same_file_twice_changes_nothing_the_second_time(register: Register, school: dict, tmp_path: Path) -> None:
    path = _return(tmp_path, acknowledged_batches=[school])
    import_return(register, path)
    after_first = _state(register)
    again = import_return(register, path)
    assert again.already_imported and again.decisions == [] and again.acknowledged == []
    assert _state(register) == after_first


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"institution_uscc": "91520300MA6DXXXX0X"}, "other_school", "91520300MA6DXXXX0X"),
        (
            {
                "decisions": [
                    {
                        "class_code": "ZY2026001",
                        "decision": "approved",
                        "approval_no": "x",
                        "decided_on": "2026-03-10",
                        "approver": "县局",
                    },
                    {
                        "class_code": "NOPE",
                        "decision": "approved",
                        "approval_no": "x",
                        "decided_on": "2026-03-10",
                        "approver": "县局",
                    },
                ]
            },
            "unknown_class",
            "NOPE",
        ),
        (
            {
                "decisions": [
                    {
                        "class_code": "ZY2026003",
                        "decision": "approved",
                        "approval_no": "x",
                        "decided_on": "2026-03-10",
                        "approver": "县局",
                    }
                ]
            },
            "not_awaiting",
            "草稿",
        ),
        ({"acknowledged_batches": [{"seq": 7, "sha256": "a" * 64}]}, "unknown_batch", "7"),
        ({"acknowledged_batches": [{"seq": 1, "sha256": "a" * 64}]}, "batch_hash", "哈希"),
        (
            {"decisions": [{"class_code": "ZY2026001", "decision": "maybe", "decided_on": "2026-03-10", "approver": "县局"}]},
            "schema",
            "decision",
        ),
        ({"version": 2}, "schema", "version"),
        ({"issued_at": "2026-03-10 10:00"}, "schema", "issued_at"),
        ({"extra": 1}, "schema", "extra"),
    ],
    ids=[
        "wrong-school",
        "unknown-class",
        "not-awaiting",
        "unknown-batch",
        "hash-differs",
        "bad-decision",
        "version",
        "naive-time",
        "extra-field",
    ],
)
def test_a_refused_return_changes_nothing(
    register: Register, school: dict, tmp_path: Path, changes: dict, code: str, words: str
) -> None:
    before = _state(register)
    with pytest.raises(ReturnRefused) as caught:
        import_return(register, _return(tmp_path, **changes))
    assert caught.value.code == f"county_return.{code}"
    assert words in caught.value.message()
    assert _state(register) == before


def test_a_decision_the_lifecycle_refuses_rolls_back_the_whole_file(register: Register, school: dict, tmp_path: Path) -> None:
    before = _state(register)
    decisions = [
        {"class_code": "ZY2026002", "decision": "rejected", "decided_on": "2026-03-10", "approver": "县局", "reason": "不足"},
        {"class_code": "ZY2026001", "decision": "approved", "decided_on": "2026-03-10", "approver": "县局"},  # no 批文号
    ]
    with pytest.raises(Exception, match="批文号"):
        import_return(register, _return(tmp_path, decisions=decisions))
    assert _state(register) == before


def test_duplicate_keys_and_duplicate_decisions_are_refused(register: Register, school: dict, tmp_path: Path) -> None:
    path = tmp_path / "dupe.json"
    path.write_text('{"format": "zunyi-trainer/county-return", "format": "x"}', encoding="utf-8")
    with pytest.raises(ReturnRefused, match="出现了两次"):
        import_return(register, path)
    one = {"class_code": "ZY2026001", "decision": "approved", "approval_no": "x", "decided_on": "2026-03-10", "approver": "县局"}
    with pytest.raises(ReturnRefused, match="不止一次"):
        import_return(register, _return(tmp_path, decisions=[one, one]))
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(ReturnRefused):
        import_return(register, path)


def test_cli_imports_once_then_says_it_was_already_imported(
    register: Register, school: dict, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _return(tmp_path, acknowledged_batches=[school])
    wrong = _return(tmp_path, "wrong.json", institution_uscc="91520300MA6DXXXX0X")
    register.close()
    assert run(["--data-dir", str(data_dir), "county-return", "import", str(wrong)]) == 1
    assert "没有导入" in capsys.readouterr().err
    assert run(["--data-dir", str(data_dir), "county-return", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ZY2026001" in out and "回执已导入：2 项批复，1 个批次确认" in out
    assert run(["--data-dir", str(data_dir), "county-return", "import", str(path)]) == 0
    assert "已经导入过" in capsys.readouterr().out
    assert run(["--data-dir", str(data_dir), "batch", "list"]) == 0
    assert "县局已确认" in capsys.readouterr().out
    reg = open_register(data_dir, database_url=database_url_from_env())  # the PostgreSQL pass: its database
    try:
        assert _state(reg)[3] == 1
    finally:
        reg.close()


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
_GOOD = {
    "format": "zunyi-trainer/county-return",
    "version": 1,
    "institution_uscc": factories.VALID_USCC,
    "issued_at": "2026-03-10T10:00:00+08:00",
    "decisions": [{"class_code": "A1", "decision": "approved", "decided_on": "2026-03-10", "approver": "县局"}],
    "acknowledged_batches": [{"seq": 1, "sha256": "a" * 64}],
}


@settings(max_examples=150, deadline=None)
@given(field=st.sampled_from([*_GOOD, "decisions.0", "acknowledged_batches.0"]), value=_json)
def test_any_departure_from_the_schema_is_refused_with_a_sentence(field: str, value: object) -> None:
    doc = json.loads(json.dumps(_GOOD))
    if "." in field:
        name, index = field.split(".")
        doc[name][int(index)] = value
    else:
        doc[field] = value
    try:
        read_return(json.dumps(doc).encode())
    except ReturnRefused as refused:
        assert refused.code == "county_return.schema" and refused.message()


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=200))
def test_bytes_that_are_not_a_return_file_are_refused(data: bytes) -> None:
    with pytest.raises(ReturnRefused):
        read_return(data)


def test_a_file_too_large_to_be_a_return_is_refused_unread(register: Register, school: dict, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(11 * 1024**2)  # sparse: 11 MB of nothing
    with pytest.raises(ReturnRefused) as caught:
        import_return(register, path)
    assert caught.value.code == "county_return.too_large"
    with pytest.raises(ReturnRefused) as caught:
        import_return(register, tmp_path / "absent.json")
    assert caught.value.code == "county_return.missing"
