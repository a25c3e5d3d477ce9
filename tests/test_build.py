"""The installer a school gets: the PyInstaller one-folder build from ``build.spec``.

The slow test builds the app into a temporary folder and runs the built program's ``--self-test``
from a folder outside the source tree, with no PYTHONPATH: what works there works on a machine
that has never seen the sources. The quick tests pin what the build relies on.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from zunyi_trainer import paths

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build.spec"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SELF_TEST_STEPS = 9  # zunyi_trainer/selftest.py: register, demo, four documents, export, verify, check


def test_the_spec_names_no_path_of_the_build_machine():
    spec = SPEC.read_text(encoding="utf-8")
    assert str(ROOT) not in spec
    # Every path is built from SPECPATH / workpath: no absolute literal, POSIX or Windows.
    assert not re.search(r"""["'](/|[A-Za-z]:\\)""", spec)
    assert "tomllib" in spec and "pyproject.toml" in spec  # name and version come from pyproject


def test_the_default_test_run_and_ci_include_the_slow_tests():
    """The build test is marked slow; CI runs `uv run --locked pytest` and must not leave it out."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "not slow" not in options.get("addopts", "")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "uv run --locked pytest" in ci and "not slow" not in ci


def test_a_frozen_build_finds_its_folders_in_the_bundle(tmp_path, monkeypatch):
    for name in ("resources", "migrations"):
        (tmp_path / name).mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert paths.migrations_dir() == tmp_path / "migrations"


def test_the_windows_icon_is_a_multi_size_ico_of_the_svg():
    ico = (ROOT / "resources" / "icons" / "zunyi-trainer.ico").read_bytes()
    reserved, kind, count = int.from_bytes(ico[0:2], "little"), int.from_bytes(ico[2:4], "little"), ico[4]
    assert (reserved, kind) == (0, 1) and count >= 4
    sides = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sides


def _files(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            yield path


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the Windows build is checked by hand: docs/windows-build.md")
@pytest.mark.skipif(
    sys.platform.startswith("linux") and shutil.which("objdump") is None,
    reason="PyInstaller needs binutils (objdump, objcopy) on Linux: apt-get install binutils (.ci/run installs it)",
)
def test_the_built_app_passes_its_self_test_outside_the_source_tree(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ZUNYI_TRAINER_HOME", "ZUNYI_TRAINER_DATABASE_URL")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            str(SPEC),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    app = tmp_path / "dist" / f"{PROJECT['name']}-{PROJECT['version']}"
    program = app / PROJECT["name"]
    assert program.is_file() and (app / f"{PROJECT['name']}-cli").is_file()

    # Run it from elsewhere: a fresh folder, no sources, no virtual environment on the path.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT)))
    env["ZUNYI_TRAINER_LANG"] = "zh"
    version = subprocess.run([str(program), "--version"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert version.stdout.strip() == f"zunyi-trainer {PROJECT['version']}"

    proc = subprocess.run([str(program), "--self-test"], cwd=elsewhere, env=env, capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sum(line.startswith("✓") for line in lines) == SELF_TEST_STEPS, proc.stdout
    assert not any(line.startswith("✗") for line in lines)
    assert lines[-1] == "自检通过。"
    assert "Traceback" not in proc.stderr
    assert not list(elsewhere.iterdir())  # the self-test works in a temporary folder of its own

    # The desktop app opens on a new register (Qt's platform plugin, charts, fonts and icons all
    # found inside the folder) and saves a picture of its window.
    shot = elsewhere / "window.png"
    gui = subprocess.run(
        [str(program), "--data-dir", str(elsewhere / "data"), "gui", "--screenshot", str(shot)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert gui.returncode == 0, gui.stdout + gui.stderr
    assert "Traceback" not in gui.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    # What the app loads at run time is inside the folder.
    internal = app / "_internal"
    assert (internal / "migrations" / "env.py").is_file() and list((internal / "migrations" / "versions").glob("*.py"))
    assert (internal / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
    assert (internal / "resources" / "i18n" / "zunyi_trainer_zh_CN.qm").is_file()
    assert list(internal.rglob("qtbase_zh_CN.qm"))  # Qt's own dialogs in Chinese
    assert not list(internal.rglob("tkinter")) and not list(internal.rglob("*Qt6Quick*"))

    # No path of the source tree or of the build folder in any file of the app (text files, and
    # binaries too: a stray .pyc would carry its source path).
    machine_paths = (str(ROOT).encode(), str(tmp_path).encode())
    leaks = [str(p.relative_to(app)) for p in _files(app) if any(m in p.read_bytes() for m in machine_paths)]
    assert leaks == []
