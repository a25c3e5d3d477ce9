"""The screenshot mode's progress lines the startup benchmark times (``gui --report-paint``), and
the picture's format taken from the file's suffix."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QImage


def test_the_window_reports_its_first_paint_then_its_loaded_page_and_saves_a_bmp(demo_dir, tmp_path):
    # The demo school's overview: painted first, its figures and alerts loaded on workers after.
    (demo_dir / "zunyi-trainer-gui.ini").write_text("[window]\npage=overview\n", encoding="utf-8")
    target = tmp_path / "start.bmp"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "zunyi_trainer",
            "--data-dir",
            str(demo_dir),
            "gui",
            "--screenshot",
            str(target),
            "--report-paint",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["painted", "loaded"]
    assert target.read_bytes()[:2] == b"BM"  # a BMP, as the suffix says
    image = QImage(str(target))
    assert image.width() >= 1280 and image.height() >= 800
