"""The desktop app's log: a rotating file in the data dir that keeps the full tracebacks the user
never sees."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from zunyi_trainer import paths

LOG_NAME = "zunyi-trainer-gui.log"


def log_path(data_dir: Path) -> Path:
    return paths.logs_dir(data_dir) / LOG_NAME


def setup_logging(data_dir: Path) -> Path | None:
    """Send every log record to ``logs/zunyi-trainer-gui.log`` (2 MB × 5 files); returns its path."""
    target = log_path(data_dir)
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_zunyi_gui", None) == str(target):
            return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(target, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler._zunyi_gui = str(target)  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return target


def remove_logging(data_dir: Path) -> None:
    """Close the handler of ``data_dir`` (tests open many data dirs in one process)."""
    target = str(log_path(data_dir))
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_zunyi_gui", None) == target:
            root.removeHandler(handler)
            handler.close()
