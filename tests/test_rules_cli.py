"""``check`` and the ``class`` lifecycle commands on the demo school: output, JSON, exit codes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zunyi_trainer.cli import run
from zunyi_trainer.db import open_register


def cli(capsys, data_dir, *args: str) -> tuple[int, str, str]:
    code = run(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def classes(capsys, demo_dir) -> dict[str, dict]:
    """The demo's classes by the last three digits of their code (…011 is the blocked draft)."""
    code, out, _ = cli(capsys, demo_dir, "class", "list", "--json")
    assert code == 0
    return {c["code"][-3:]: c for c in json.loads(out)}


def status_of(capsys, demo_dir, code: str) -> str:
    _, out, _ = cli(capsys, demo_dir, "class", "list", "--json")
    return {c["code"]: c["status"] for c in json.loads(out)}[code]


def test_check_prints_the_findings_in_chinese_and_exits_0(capsys, demo_dir, classes) -> None:
    code, out, _ = cli(capsys, demo_dir, "check", classes["011"]["code"])
    assert code == 0
    assert "【阻止】" in out and "没有选择培训方式" in out and "class.over_capacity" in out


def test_check_json_is_a_list_of_findings(capsys, demo_dir, classes) -> None:
    code, out, _ = cli(capsys, demo_dir, "check", classes["011"]["code"], "--json")
    findings = json.loads(out)
    assert code == 0 and isinstance(findings, list)
    assert all({"code", "severity", "message"} <= f.keys() for f in findings)
    assert {"class.mode_missing", "class.over_capacity", "session.no_teacher"} <= {f["code"] for f in findings}
    assert {f["severity"] for f in findings} <= {"blocks", "warns"}


def test_check_strict_exits_1_when_blocked(capsys, demo_dir, classes) -> None:
    code, _, _ = cli(capsys, demo_dir, "check", classes["011"]["code"], "--strict")
    assert code == 1


def test_check_school_json(capsys, demo_dir) -> None:
    code, out, _ = cli(capsys, demo_dir, "check", "--school", "--json")
    assert code == 0
    assert "spend.no_document" in {f["code"] for f in json.loads(out)}


def test_check_needs_a_class_or_school_but_not_both(capsys, demo_dir, classes) -> None:
    assert cli(capsys, demo_dir, "check")[0] == 1
    code, _, err = cli(capsys, demo_dir, "check", classes["010"]["code"], "--school")
    assert code == 1 and "二者选一" in err


def test_check_of_an_unknown_class_says_so(capsys, demo_dir) -> None:
    code, _, err = cli(capsys, demo_dir, "check", "NO-SUCH")
    assert code == 1 and "NO-SUCH" in err and "Traceback" not in err


def test_submit_of_the_blocked_draft_exits_1_lists_findings_and_changes_nothing(capsys, demo_dir, classes) -> None:
    target = classes["011"]["code"]
    reg = open_register(demo_dir)
    with reg.session() as s:
        from zunyi_trainer.audit import last_event

        before = last_event(s.connection())
    reg.close()
    code, _, err = cli(capsys, demo_dir, "class", "submit", target)
    assert code == 1
    assert "不能报审" in err and "座位" in err and "授课教师" in err
    assert status_of(capsys, demo_dir, target) == "draft"
    reg = open_register(demo_dir)
    with reg.session() as s:
        assert last_event(s.connection()) == before
    reg.close()


def test_approve_start_and_reject_by_hand(capsys, demo_dir, classes) -> None:
    submitted = classes["008"]["code"]
    start = dt.date.fromisoformat(classes["008"]["start"])
    day = (start - dt.timedelta(days=7)).isoformat()  # the demo dates its submission 14 days before the start
    code, out, _ = cli(capsys, demo_dir, "class", "approve", submitted, "--no", "仁人社培〔2026〕99号", "--date", day)
    assert code == 0 and submitted in out
    assert status_of(capsys, demo_dir, submitted) == "approved"
    code, _, err = cli(capsys, demo_dir, "class", "start", submitted)  # starts in 18 days
    assert code == 1 and "提前开班" in err
    assert cli(capsys, demo_dir, "class", "start", submitted, "--on", start.isoformat())[0] == 0
    assert status_of(capsys, demo_dir, submitted) == "in_progress"


def test_reject_then_reopen(capsys, demo_dir, classes) -> None:
    rejected = classes["009"]["code"]
    assert cli(capsys, demo_dir, "class", "reopen", rejected)[0] == 0
    assert status_of(capsys, demo_dir, rejected) == "draft"


def test_archive_a_completed_class(capsys, demo_dir, classes) -> None:
    done = classes["004"]["code"]
    code, out, _ = cli(capsys, demo_dir, "class", "archive", done, "--archive-no", "DA-2026-004")
    assert code == 0 and "归档" in out
    assert status_of(capsys, demo_dir, done) == "archived"


def test_a_bad_date_is_a_usage_error(capsys, demo_dir, classes) -> None:
    with pytest.raises(SystemExit) as info:
        run(["--data-dir", str(demo_dir), "class", "approve", classes["008"]["code"], "--no", "x", "--date", "03/02"])
    assert info.value.code == 2


def test_timetable_prints_totals(capsys, demo_dir, classes) -> None:
    code, out, _ = cli(capsys, demo_dir, "class", "timetable", classes["010"]["code"], "--json")
    data = json.loads(out)
    assert code == 0
    t = data["totals"]
    assert t["total_periods"] == t["theory_periods"] + t["practice_periods"] == sum(x["periods"] for x in data["sessions"])
    code, out, _ = cli(capsys, demo_dir, "class", "timetable", classes["010"]["code"])
    assert "课时" in out and "实操占" in out


def test_changes_after_approval_command(capsys, demo_dir, classes) -> None:
    code, out, _ = cli(capsys, demo_dir, "class", "changes", classes["007"]["code"], "--json")
    assert code == 0 and json.loads(out) == []


def test_rates_json_has_every_trainee_between_0_and_1(capsys, demo_dir, classes) -> None:
    code, out, _ = cli(capsys, demo_dir, "class", "rates", classes["002"]["code"], "--json")
    data = json.loads(out)
    assert code == 0 and data["threshold"] == 0.8
    assert len(data["trainees"]) == 30
    assert all(0 <= r["rate"] <= 1 for r in data["trainees"])
    assert any(not r["eligible"] for r in data["trainees"])  # the demo plants weak attenders
    assert all("*" in r["id_number"] for r in data["trainees"])


def test_subsidy_apply_writes_the_amounts(capsys, demo_dir, classes) -> None:
    target = classes["002"]["code"]
    code, out, _ = cli(capsys, demo_dir, "class", "subsidy", target, "--json")
    summary = json.loads(out)
    assert code == 0 and summary["total_fen"] == summary["eligible"] * summary["standard_fen"]
    code, out, _ = cli(capsys, demo_dir, "class", "subsidy", target, "--apply")
    assert code == 0 and "已写入" in out
    reg = open_register(demo_dir)
    with reg.session() as s:
        import sqlalchemy as sa

        from zunyi_trainer.models import Enrollment, TrainingClass

        written = s.scalar(sa.select(sa.func.sum(Enrollment.subsidy_fen)).join(TrainingClass).where(TrainingClass.code == target))
    reg.close()
    assert written == summary["total_fen"]


def test_schedule_previews_then_adds_sessions(capsys, demo_dir, classes) -> None:
    target = classes["011"]["code"]
    _, out, _ = cli(capsys, demo_dir, "class", "timetable", target, "--json")
    before = json.loads(out)["totals"]["sessions"]
    args = [
        "class",
        "schedule",
        target,
        "--from",
        "2031-03-03",
        "--to",
        "2031-03-09",
        "--weekdays",
        "1-3,6",
        "--slots",
        "evening",
    ]
    code, out, _ = cli(capsys, demo_dir, *args, "--holiday", "2031-03-04", "--dry-run")
    assert code == 0 and "预览" in out and "3 个课次" in out
    _, out, _ = cli(capsys, demo_dir, "class", "timetable", target, "--json")
    assert json.loads(out)["totals"]["sessions"] == before
    code, out, _ = cli(capsys, demo_dir, *args, "--kind", "theory")
    assert code == 0 and "4 个课次" in out and "12 课时" in out
    _, out, _ = cli(capsys, demo_dir, "class", "timetable", target, "--json")
    data = json.loads(out)
    assert data["totals"]["sessions"] == before + 4
    added = [x for x in data["sessions"] if x["date"].startswith("2031")]
    assert {x["start"] for x in added} == {"19:00"} and {x["kind"] for x in added} == {"theory"}


def test_schedule_refuses_unknown_slots_teachers_and_weekdays(capsys, demo_dir, classes) -> None:
    target = classes["011"]["code"]
    base = ["class", "schedule", target, "--from", "2031-03-03", "--to", "2031-03-09"]
    assert cli(capsys, demo_dir, *base, "--slots", "noon")[0] == 1
    code, _, err = cli(capsys, demo_dir, *base, "--teacher", "查无此人")
    assert code == 1 and "查无此人" in err
    assert cli(capsys, demo_dir, *base, "--weekdays", "0-9")[0] == 1


def test_check_rules_lists_the_catalogue_without_a_register(capsys, tmp_path) -> None:
    code, out, _ = cli(capsys, tmp_path / "nothing-here", "check", "--rules", "--json")
    rows = json.loads(out)
    assert code == 0 and {"code", "severity", "scope", "item", "description"} <= rows[0].keys()
    assert "class.over_capacity" in {r["code"] for r in rows}
    assert not (tmp_path / "nothing-here" / "register.sqlite3").exists()
