"""The command line as users and other programs call it: output, JSON, exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from zunyi_trainer import __version__
from zunyi_trainer.cli import run
from zunyi_trainer.models import ClassStatus


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_builds_a_school_with_classes_in_every_stage(capsys, demo_dir):
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "class", "list", "--json")
    assert code == 0
    classes = json.loads(out)
    statuses = {c["status"] for c in classes}
    assert {"draft", "submitted", "approved", "in_progress", "completed", "archived"} <= statuses
    assert sum(1 for c in classes if c["status"] == "draft") >= 2
    for c in classes:
        assert {"code", "name", "trade", "status", "start", "end", "approval_no"} <= c.keys()
    assert all(c["approval_no"] for c in classes if c["status"] in ("approved", "in_progress", "completed", "archived"))
    industries = {c["industry"] for c in classes}
    assert {"liquor", "tea", "elder_child", "guitar"} <= industries


def test_class_list_filters_by_status(capsys, demo_dir):
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "class", "list", "--status", "draft", "--json")
    assert code == 0
    assert {c["status"] for c in json.loads(out)} == {"draft"}


def test_class_list_text_is_chinese(capsys, demo_dir):
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "class", "list")
    assert code == 0 and ClassStatus.IN_PROGRESS.zh in out


def test_institution_show_json(capsys, demo_dir):
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "institution", "show", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["name"] and data["county"] == "renhuai" and len(data["uscc"]) == 18
    from zunyi_trainer.idcard import parse_uscc

    assert parse_uscc(data["uscc"]) == data["uscc"]


def test_demo_ids_are_valid_and_fit_their_birth_years(demo_register):
    import sqlalchemy as sa

    from zunyi_trainer import idcard
    from zunyi_trainer.models import Trainee

    with demo_register.session() as s:
        trainees = s.scalars(sa.select(Trainee)).all()
    assert len(trainees) >= 200
    for t in trainees:
        parsed = idcard.parse(t.id_number)
        assert parsed.warnings == ()
        assert t.id_number[:4] == ("5221" if t.birth_date.year < 1997 else "5203")
        assert parsed.birth_date == t.birth_date and parsed.sex == t.sex


def test_demo_is_deterministic_for_a_seed(tmp_path, capsys):
    dumps = []
    for name in ("a", "b"):
        assert cli(capsys, "--data-dir", str(tmp_path / name), "demo", "--seed", "11")[0] == 0
        con = sqlite3.connect(tmp_path / name / "register.sqlite3")
        dumps.append(
            con.execute("SELECT code, name, start_date, status FROM training_class ORDER BY code").fetchall()
            + con.execute("SELECT id_number, name FROM trainee ORDER BY id").fetchall()
        )
        con.close()
    assert dumps[0] == dumps[1]


def test_demo_refuses_to_overwrite_a_register(capsys, demo_dir):
    before = (demo_dir / "register.sqlite3").stat().st_size
    code, _, err = cli(capsys, "--data-dir", str(demo_dir), "demo")
    assert code == 1 and "不会覆盖" in err
    assert (demo_dir / "register.sqlite3").stat().st_size == before


def test_db_check_is_zero_on_a_healthy_register_and_one_on_a_damaged_one(capsys, demo_dir):
    assert cli(capsys, "--data-dir", str(demo_dir), "db", "check")[0] == 0
    (demo_dir / "register.sqlite3").write_bytes(b"x" * 4096)
    code, _, err = cli(capsys, "--data-dir", str(demo_dir), "db", "check")
    assert code == 1 and "损坏" in err


def test_db_backup_restore_and_verify_audit(capsys, demo_dir, tmp_path):
    target = tmp_path / "mybackup.sqlite3"
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "db", "backup", "-o", str(target))
    assert code == 0 and target.exists() and "已备份" in out
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "db", "restore", str(target))
    assert code == 0 and "恢复" in out
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "db", "verify-audit")
    assert code == 0 and "哈希链一致" in out
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "db", "backups")
    assert code == 0 and "pre-restore" in out


def test_opening_a_damaged_register_from_the_cli_names_the_backup(capsys, demo_dir):
    assert cli(capsys, "--data-dir", str(demo_dir), "db", "backup")[0] == 0
    (demo_dir / "register.sqlite3").write_bytes(b"\0" * 8192)
    code, _, err = cli(capsys, "--data-dir", str(demo_dir), "class", "list")
    assert code == 1 and "已损坏" in err and "register-" in err and "Traceback" not in err


def test_db_upgrade_says_when_nothing_is_to_do(capsys, demo_dir):
    code, out, _ = cli(capsys, "--data-dir", str(demo_dir), "db", "upgrade")
    assert code == 0 and "最新" in out


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        run(["class", "list", "--status", "nonsense"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        run(["no-such-command"])
    assert exc.value.code == 2


def test_commands_on_a_missing_register_explain_what_to_do(capsys, tmp_path):
    code, _, err = cli(capsys, "--data-dir", str(tmp_path / "empty"), "class", "list")
    assert code == 1 and "zunyi-trainer demo" in err


def test_real_entry_point_version_and_english_locale(tmp_path, demo_dir):
    env = {**os.environ, "ZUNYI_TRAINER_LANG": "en"}
    proc = subprocess.run([sys.executable, "-m", "zunyi_trainer", "--version"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0 and __version__ in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "zunyi_trainer", "--data-dir", str(tmp_path / "nothing"), "class", "list"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 1 and "No register" in proc.stderr


def test_data_dir_from_environment(tmp_path, demo_dir):
    env = {**os.environ, "ZUNYI_TRAINER_HOME": str(demo_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "zunyi_trainer", "institution", "show", "--json"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["county"] == "renhuai"
