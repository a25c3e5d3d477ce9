"""Previewing a county return (the GUI's return wizard): what the file would change, class by class,
with nothing written; refused for the same reasons the import refuses it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.test_exchange_return import _return, _state, school  # noqa: F401 (school is a fixture)
from zunyi_trainer.db import Register
from zunyi_trainer.exchange.county_return import ReturnRefused, import_return, preview_return
from zunyi_trainer.lifecycle import TransitionRefused
from zunyi_trainer.models import ClassStatus


def test_the_preview_lists_each_decision_and_acknowledgement_and_writes_nothing(
    register: Register,
    school: dict,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = _return(tmp_path, acknowledged_batches=[school])
    before = _state(register)
    preview = preview_return(register, path)
    assert _state(register) == before
    assert not preview.already_imported and not preview.changes_nothing
    assert [(d.class_code, d.decision, d.status_before, d.status_after) for d in preview.decisions] == [
        ("ZY2026001", "approved", ClassStatus.SUBMITTED, ClassStatus.APPROVED),
        ("ZY2026002", "rejected", ClassStatus.SUBMITTED, ClassStatus.REJECTED),
    ]
    assert preview.decisions[0].approval_no == "遵人社培〔2026〕017号"
    assert preview.decisions[1].reason == "实训场地面积不足"
    assert preview.decisions[0].decided_on == dt.date(2026, 3, 10)
    assert preview.acknowledged == [1] and preview.already_acknowledged == []
    assert preview.issued_at == dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)

    import_return(register, path)
    again = preview_return(register, path)
    assert again.already_imported and again.changes_nothing


def test_the_preview_refuses_what_the_import_refuses(register: Register, school: dict, tmp_path: Path) -> None:  # noqa: F811
    with pytest.raises(ReturnRefused) as refused:
        preview_return(register, _return(tmp_path, institution_uscc="91520300MA6DXXXX0X"))
    assert refused.value.code == "county_return.other_school"
    with pytest.raises(ReturnRefused) as refused:
        preview_return(register, _return(tmp_path, acknowledged_batches=[{"seq": 9, "sha256": "0" * 64}]))
    assert refused.value.code == "county_return.unknown_batch"
    with pytest.raises(ReturnRefused) as refused:
        preview_return(register, tmp_path / "missing.json")
    assert refused.value.code == "county_return.missing"


def test_the_preview_runs_the_lifecycle_checks_and_rolls_them_back(
    register: Register,
    school: dict,  # noqa: F811
    tmp_path: Path,
) -> None:
    no_number = {
        "class_code": "ZY2026001",
        "decision": "approved",
        "approval_no": " ",
        "decided_on": "2026-03-10",
        "approver": "县局",
    }
    before = _state(register)
    with pytest.raises(TransitionRefused):
        preview_return(register, _return(tmp_path, decisions=[no_number]))
    assert _state(register) == before
