"""startup: launch to the painted main window on the large register, next to a bare
QMainWindow + QTableView with PySide6 and sqlalchemy.orm imported. Both are whole processes that
paint their window, save it as a PNG and exit, so interpreter start and the save cost both alike.
Goal: at most 1.5×.

``startup`` opens on the overview (the page a new install shows first), whose figures are computed
on a worker before the picture is taken; ``startup_classes`` opens on the class register (the page
remembered from the last session), which shows what the start costs without the overview's
figures. Both start after a clean close, as every start but the first does: the register's
quick_check then runs in the background of a real session (the screenshot mode skips it).
"""

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

    def remember_page(page: str) -> None:
        # The desktop settings beside the register (gui/context.py): the page shown at start.
        (work / "zunyi-trainer-gui.ini").write_text(f"[window]\npage={page}\n", encoding="utf-8")

    def start(page: str) -> None:
        remember_page(page)
        subprocess.run(
            [sys.executable, "-m", "zunyi_trainer", "--data-dir", str(work), "gui", "--screenshot", shot],
            check=True,
            env=env,
            capture_output=True,
        )

    def floor() -> None:
        subprocess.run([sys.executable, "-c", FLOOR, shot], check=True, env=env, capture_output=True)

    start("overview")  # warm-up: bytecode caches and the OS file cache, as on any start after the first
    floor()
    return [
        compare(
            "startup",
            lambda: start("overview"),
            floor,
            goal=1.5,
            runs=ctx.runs,
            note="large register, offscreen, opens on the overview with its figures",
        ),
        compare(
            "startup_classes",
            lambda: start("classes"),
            floor,
            goal=1.5,
            runs=ctx.runs,
            note="large register, offscreen, opens on the class register",
        ),
    ]
