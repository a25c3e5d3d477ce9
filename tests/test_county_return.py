"""Decisions entered at the county and the return file: school → county → return → school."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.county_fixtures import add_class, class_by_code, county_register, new_school, register_school
from zunyi_trainer.cli import run
from zunyi_trainer.county.decisions import DecisionRefused, build_return, enter_decision, write_return
from zunyi_trainer.county.ingest import ACCEPTED, ingest_batch
from zunyi_trainer.errors import NotFound
from zunyi_trainer.exchange.county_return import import_return, read_return
from zunyi_trainer.models import BatchState, ClassStatus, ExportBatch


@pytest.fixture
def school(empty_template: Path, tmp_path: Path):
    made = new_school(empty_template, tmp_path, 7)
    yield made
    made.close()


@pytest.fixture
def county(empty_template: Path, tmp_path: Path):
    reg = county_register(empty_template, tmp_path)
    yield reg
    reg.close()


def _submitted(school) -> str:
    return add_class(school, status=ClassStatus.SUBMITTED, end=dt.date(2026, 4, 30))


def test_round_trip_school_county_return_school(school, county, tmp_path: Path, capsys) -> None:
    code = _submitted(school)
    register_school(county, school)
    first = school.export()
    assert ingest_batch(county, first.path).status == ACCEPTED

    county_dir = str(county.data_dir)
    county.close()  # the CLI opens the county database itself
    assert (
        run(
            [
                "--data-dir",
                county_dir,
                "county",
                "decide",
                school.uscc,
                code,
                "approved",
                "--approval-no",
                "遵人社培〔2026〕017号",
                "--approver",
                "湄潭县人力资源和社会保障局",
                "--decided-on",
                "2026-03-10",
            ]
        )
        == 0
    )
    out_file = tmp_path / "return.json"
    assert run(["--data-dir", county_dir, "county", "return", school.uscc, "-o", str(out_file)]) == 0
    doc = read_return(out_file.read_bytes())  # the exchange's own reader and schema accept it
    assert doc["decisions"] == [
        {
            "class_code": code,
            "decision": "approved",
            "decided_on": "2026-03-10",
            "approver": "湄潭县人力资源和社会保障局",
            "approval_no": "遵人社培〔2026〕017号",
        }
    ]
    assert doc["acknowledged_batches"] == [{"seq": 1, "sha256": first.sha256}]
    assert doc["issued_at"].endswith("+08:00")

    school_dir = str(school.data_dir)
    school.register.close()
    capsys.readouterr()
    assert run(["--data-dir", school_dir, "county-return", "import", str(out_file)]) == 0
    assert "已批准" in capsys.readouterr().out
    from zunyi_trainer.db import open_register

    school.register = open_register(school.data_dir)
    with school.register.session() as s:
        cls = class_by_code(s, code)
        assert cls.status == ClassStatus.APPROVED and cls.approval_no == "遵人社培〔2026〕017号"
        assert s.scalars(sa.select(ExportBatch.state)).one() == BatchState.ACKNOWLEDGED

    # The school's next batch shows the class approved: the next return file no longer decides it,
    # so the school can import it (a class decided twice would be refused there).
    second = school.export()
    county = county_register_reopen(county_dir)
    try:
        assert ingest_batch(county, second.path).status == ACCEPTED
        again = tmp_path / "return2.json"
        write_return(county, school.uscc, again)
    finally:
        county.close()
    doc2 = json.loads(again.read_text("utf-8"))
    assert doc2["decisions"] == []
    assert [b["seq"] for b in doc2["acknowledged_batches"]] == [1, 2]
    result = import_return(school.register, again)
    assert result.acknowledged == [2]


def county_register_reopen(data_dir: str):
    from zunyi_trainer.db import open_register

    return open_register(Path(data_dir))


def test_a_rejection_answers_one_submission_only(school, county) -> None:
    code = _submitted(school)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    enter_decision(
        county, school.uscc, code, "rejected", approver="县人社局", reason="师资证书过期", decided_on=dt.date(2026, 3, 1)
    )
    with county.session() as s:
        assert [d["decision"] for d in build_return(s, school.uscc)["decisions"]] == ["rejected"]
    # The school files the rejection, corrects and submits again: the old rejection is not sent again.
    with school.register.transaction() as s:
        cls = class_by_code(s, code)
        cls.status = ClassStatus.SUBMITTED
        cls.submitted_at = dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with county.session() as s:
        assert build_return(s, school.uscc)["decisions"] == []


def test_decisions_are_refused_with_their_reason(school, county) -> None:
    submitted = _submitted(school)
    finished = add_class(school)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with pytest.raises(DecisionRefused, match="不在等待批复"):
        enter_decision(county, school.uscc, finished, "approved", approval_no="X1", approver="县人社局")
    with pytest.raises(DecisionRefused, match="原因"):
        enter_decision(county, school.uscc, submitted, "rejected", approver="县人社局")
    with pytest.raises(DecisionRefused, match="批文号"):
        enter_decision(county, school.uscc, submitted, "approved", approver="县人社局")
    with pytest.raises(DecisionRefused, match="approved"):
        enter_decision(county, school.uscc, submitted, "maybe", approver="县人社局")
    with pytest.raises(NotFound, match="没有培训班"):
        enter_decision(county, school.uscc, "NO-SUCH", "approved", approval_no="X1", approver="县人社局")
    with county.session() as s:
        assert build_return(s, school.uscc)["decisions"] == []


def test_a_decision_entered_again_replaces_the_first(school, county) -> None:
    code = _submitted(school)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    with county.session() as s:
        class_uuid = str(class_by_code(s, code).uuid)
    enter_decision(county, class_uuid, None, "approved", approval_no="遵人社培〔2026〕001号", approver="县人社局")
    enter_decision(county, class_uuid, None, "approved", approval_no="遵人社培〔2026〕002号", approver="县人社局")
    with county.session() as s:
        decisions = build_return(s, school.uscc)["decisions"]
    assert [d["approval_no"] for d in decisions] == ["遵人社培〔2026〕002号"]


def test_no_return_file_for_a_school_the_county_does_not_hold(county, tmp_path: Path) -> None:
    from tests.county_fixtures import make_uscc

    with pytest.raises(NotFound, match="没有学校"):
        write_return(county, make_uscc(42), tmp_path / "r.json")
    assert not (tmp_path / "r.json").exists()


def test_a_decision_travels_once_unless_sent_again(school, county, tmp_path: Path) -> None:
    first_code = _submitted(school)
    second_code = _submitted(school)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    enter_decision(county, school.uscc, first_code, "approved", approval_no="遵人社培〔2026〕003号", approver="县人社局")
    write_return(county, school.uscc, tmp_path / "r1.json")
    # A second decision before the school's next batch: the new file must not decide the first class again,
    # or the school, having filed the first file, would refuse the whole second one.
    enter_decision(county, school.uscc, second_code, "rejected", approver="县人社局", reason="场地不足")
    write_return(county, school.uscc, tmp_path / "r2.json")
    assert [d["class_code"] for d in json.loads((tmp_path / "r2.json").read_text("utf-8"))["decisions"]] == [second_code]
    assert import_return(school.register, tmp_path / "r1.json").decisions == [(first_code, "approved")]
    assert import_return(school.register, tmp_path / "r2.json").decisions == [(second_code, "rejected")]
    # A lost file: --resend puts in again what the school's batches still show undecided.
    write_return(county, school.uscc, tmp_path / "r3.json", resend=True)
    resent = json.loads((tmp_path / "r3.json").read_text("utf-8"))["decisions"]
    assert sorted(d["class_code"] for d in resent) == sorted([first_code, second_code])
    # Once the school's next batch shows both decided, nothing is pending any more.
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    write_return(county, school.uscc, tmp_path / "r4.json", resend=True)
    assert json.loads((tmp_path / "r4.json").read_text("utf-8"))["decisions"] == []


def test_decisions_are_listed_with_where_they_stand(school, county, tmp_path: Path) -> None:
    from zunyi_trainer.county.decisions import list_decisions

    first, second = _submitted(school), _submitted(school)
    register_school(county, school)
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    enter_decision(county, school.uscc, first, "approved", approval_no="遵人社培〔2026〕004号", approver="县人社局")
    assert [r.state for r in list_decisions(county)] == ["pending"]
    write_return(county, school.uscc, tmp_path / "r.json")
    enter_decision(county, school.uscc, second, "rejected", approver="县人社局", reason="课时不足")
    states = {r.class_code: r.state for r in list_decisions(county, school.uscc)}
    assert states == {first: "sent", second: "pending"}
    import_return(school.register, tmp_path / "r.json")
    assert ingest_batch(county, school.export().path).status == ACCEPTED
    states = {r.class_code: r.state for r in list_decisions(county)}
    assert states == {first: "filed", second: "pending"}
