"""The county commands end to end: keys, ingest (exit codes and sentences), decide, return, report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from tests.county_fixtures import add_class, new_school
from zunyi_trainer.cli import run
from zunyi_trainer.models import ClassStatus


@pytest.fixture
def school(empty_template: Path, tmp_path: Path):
    made = new_school(empty_template, tmp_path, 5)
    yield made
    made.close()


def county(tmp_path: Path, *args: str) -> int:
    return run(["--data-dir", str(tmp_path / "county"), "county", *args])


def test_keys_are_registered_from_the_schools_key_file_and_listed(school, tmp_path: Path, capsys) -> None:
    key_file = tmp_path / "school.pub"
    school.register.close()
    assert run(["--data-dir", str(school.data_dir), "batch", "key", "--export", str(key_file)]) == 0
    assert county(tmp_path, "keys", "add", school.uscc, str(key_file), "--name", school.name) == 0
    assert school.fingerprint() in capsys.readouterr().out
    assert county(tmp_path, "keys", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["uscc"] == school.uscc and listed[0]["batches"] == 0
    assert listed[0]["fingerprint"] == school.fingerprint()
    from zunyi_trainer.db import open_register

    school.register = open_register(school.data_dir)


def test_another_key_for_a_registered_school_needs_replace(school, tmp_path: Path, capsys) -> None:
    other = "SHA256:" + "ab" * 32
    assert county(tmp_path, "keys", "add", school.uscc, school.fingerprint()) == 0
    capsys.readouterr()
    assert county(tmp_path, "keys", "add", school.uscc, other) == 1
    err = capsys.readouterr().err
    assert "--replace" in err and "Traceback" not in err
    assert county(tmp_path, "keys", "add", school.uscc, other, "--replace") == 0


def test_a_bad_key_or_uscc_is_refused_in_a_sentence(tmp_path: Path, capsys) -> None:
    assert county(tmp_path, "keys", "add", "91520380001MA6D01X", "SHA256:" + "00" * 32) == 1
    assert "统一社会信用代码" in capsys.readouterr().err
    assert county(tmp_path, "keys", "add", "91520380001MA6D01T", str(tmp_path / "missing.pub")) == 1
    assert "既不是公钥文件" in capsys.readouterr().err


def test_ingest_exit_codes_say_whether_anything_was_refused(school, tmp_path: Path, capsys) -> None:
    add_class(school)
    first = school.export().path
    add_class(school)
    school.export()
    add_class(school)
    third = school.export().path
    assert county(tmp_path, "keys", "add", school.uscc, school.fingerprint()) == 0
    assert county(tmp_path, "ingest", str(first)) == 0
    assert "已接收" in capsys.readouterr().out
    assert county(tmp_path, "ingest", str(first)) == 0  # a replay changes nothing and is not a failure
    assert "没有任何改动" in capsys.readouterr().out
    assert county(tmp_path, "ingest", str(third)) == 1
    err = capsys.readouterr().err
    assert "缺少批次 2" in err and "Traceback" not in err
    assert county(tmp_path, "ingest", str(third), "--json") == 1
    [result] = json.loads(capsys.readouterr().out)
    assert result["status"] == "refused" and result["code"] == "batch.gap"


def test_decide_return_and_report_from_the_command_line(school, tmp_path: Path, capsys) -> None:
    code = add_class(school, status=ClassStatus.SUBMITTED, end=dt.date(2026, 4, 30))
    add_class(school)
    batch = school.export()
    assert county(tmp_path, "keys", "add", school.uscc, school.fingerprint()) == 0
    assert county(tmp_path, "ingest", str(batch.path)) == 0
    assert county(tmp_path, "decide", school.uscc, code, "rejected", "--approver", "县人社局", "--reason", "场地不足") == 0
    assert county(tmp_path, "return", school.uscc, "-o", str(tmp_path / "r.json")) == 0
    doc = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert doc["decisions"][0]["decision"] == "rejected" and doc["decisions"][0]["reason"] == "场地不足"
    capsys.readouterr()
    assert county(tmp_path, "decisions", "--json") == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["class_code"], listed["state"], listed["class_status"]) == (code, "sent", "submitted")
    assert county(tmp_path, "decisions") == 0
    assert "已发回执" in capsys.readouterr().out
    assert county(tmp_path, "report", "--year", "2026", "-o", str(tmp_path / "c.xlsx"), "--as-of", "2026-04-01") == 0
    assert "报告已写入" in capsys.readouterr().out
    assert "各校汇总" in openpyxl.load_workbook(tmp_path / "c.xlsx", read_only=True).sheetnames
    assert county(tmp_path, "report", "--year", "2026", "-o", str(tmp_path / "c.txt")) == 1
    assert ".xlsx 或 .pdf" in capsys.readouterr().err
    assert county(tmp_path, "decide", school.uscc, code, "approved", "extra", "words") == 1
    assert "用法" in capsys.readouterr().err
    assert county(tmp_path, "decide", school.uscc, code, "approved", "--decided-on", "10/03/2026") == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_docs_describe_every_county_command() -> None:
    from zunyi_trainer.cli import build_parser

    doc = (Path(__file__).resolve().parents[1] / "docs" / "county.md").read_text(encoding="utf-8")
    parser = build_parser()
    county_parser = parser._subparsers._group_actions[0].choices["county"]
    actions = county_parser._subparsers._group_actions[0].choices
    for name, sub in actions.items():
        nested = sub._subparsers._group_actions[0].choices if sub._subparsers else {"": None}
        for action in nested:
            assert f"zunyi-trainer county {name} {action}".strip() in doc, (name, action)
        for opt in sub._option_string_actions:
            if opt.startswith("--") and opt not in ("--help",):
                assert opt in doc, (name, opt)


def test_a_schools_own_register_is_not_taken_for_the_county(school, tmp_path: Path, capsys) -> None:
    add_class(school)
    school.export()
    school_dir = str(school.data_dir)
    school.register.close()
    try:
        assert run(["--data-dir", school_dir, "county", "keys", "list"]) == 1
        assert "不能用作县局数据库" in capsys.readouterr().err
    finally:
        from zunyi_trainer.db import open_register

        school.register = open_register(school.data_dir)


def test_a_sqlite_url_elsewhere_than_the_data_dir_is_refused(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'county.sqlite3'}"
    assert run(["--data-dir", str(tmp_path / "c"), "--database-url", url, "county", "keys", "list"]) == 1
    assert "--data-dir" in capsys.readouterr().err
    own = f"sqlite:///{tmp_path / 'c' / 'register.sqlite3'}"
    assert run(["--data-dir", str(tmp_path / "c"), "--database-url", own, "county", "keys", "list"]) == 0


def test_batches_taken_in_are_listed_with_what_they_changed(school, tmp_path: Path, capsys) -> None:
    add_class(school, trainees=2, sessions=2)
    batch = school.export()
    assert county(tmp_path, "keys", "add", school.uscc, school.fingerprint()) == 0
    assert county(tmp_path, "batches") == 0
    assert "还没有接收" in capsys.readouterr().out
    assert county(tmp_path, "ingest", str(batch.path)) == 0
    capsys.readouterr()
    assert county(tmp_path, "batches", school.uscc, "--json") == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["seq"], listed["sha256"], listed["kind"]) == (1, batch.sha256, "full")
    assert listed["applied"]["enrolments"]["inserted"] == 2
    assert county(tmp_path, "batches") == 0
    assert "新增" in capsys.readouterr().out
