"""startup: launch to the painted main window on the large register, next to a bare
QMainWindow + QTableView with PySide6 and sqlalchemy.orm imported. Both are whole processes that
paint their window, save it as a PNG and exit, so interpreter start and the save cost both alike.
Goal: at most 1.5×."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

from benchmarks.common import Result, compare

FLOOR = textwrap.dedent(
    """
    import sys
    import sqlalchemy.orm  # noqa: F401
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv)
    window = QMainWindow()
    table = QTableView()
    table.setModel(QStandardItemModel(50, 8))
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.grab().save(sys.argv[1])
    """
)


def run(ctx) -> list[Result]:
    work = ctx.tmp / "startup-register"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ctx.register_dir, work, ignore=shutil.ignore_patterns("*.lock"))
    # An installed app starts from compiled bytecode: let both sides write and reuse it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"QT_QPA_PLATFORM": "offscreen"}
    shot = str(ctx.tmp / "startup.png")

    def ours() -> None:
        subprocess.run(
            [sys.executable, "-m", "zunyi_trainer", "--data-dir", str(work), "gui", "--screenshot", shot],
            check=True,
            env=env,
            capture_output=True,
        )

    def floor() -> None:
        subprocess.run([sys.executable, "-c", FLOOR, shot], check=True, env=env, capture_output=True)

    ours()  # warm-up: bytecode caches and the OS file cache, as on any start after the first
    floor()
    return [compare("startup", ours, floor, goal=1.5, runs=ctx.runs, note="large register, offscreen")]
