"""``--self-test`` is what a built app runs on a new machine: every step must really run."""

import io
import subprocess
import sys

from zunyi_trainer.selftest import run_self_test


def test_self_test_reports_a_failing_step_and_exits_1(monkeypatch):
    import zunyi_trainer.demo as demo

    def broken(*args, **kwargs):
        raise RuntimeError("演示数据生成失败")

    monkeypatch.setattr(demo, "fill_demo", broken)
    out = io.StringIO()
    assert run_self_test(out) == 1
    text = out.getvalue()
    assert "✗ 生成演示学校: 演示数据生成失败" in text and "自检失败" in text


def test_self_test_from_the_entry_point_runs_every_step_and_passes():
    proc = subprocess.run(
        [sys.executable, "-m", "zunyi_trainer", "--self-test"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "ZUNYI_TRAINER_LANG": "zh"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert sum(line.startswith("✓") for line in lines) == 9
    assert not any(line.startswith("✗") for line in lines)
    assert lines[-1] == "自检通过。"
