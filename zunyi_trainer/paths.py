"""Where things are: the user's data dir, and the app's own resources in any installation.

The data dir holds the register (``register.sqlite3``), its lock, backups, attachments, logs and
the school's signing key. It is chosen, in order, by ``--data-dir``, ``ZUNYI_TRAINER_HOME`` and
the platform's user data dir (platformdirs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

ENV_HOME = "ZUNYI_TRAINER_HOME"
REGISTER_FILENAME = "register.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("zunyi-trainer", appauthor=False, roaming=False))


def register_path(base: Path) -> Path:
    return base / REGISTER_FILENAME


def backups_dir(base: Path) -> Path:
    return base / "backups"


def attachments_dir(base: Path) -> Path:
    return base / "attachments"


def logs_dir(base: Path) -> Path:
    return base / "logs"


def _candidates(name: str) -> list[Path]:
    here = Path(__file__).resolve().parent
    found = [
        here.parent / name,  # source tree or editable install: the repository's top level
        here / "_data" / name,  # wheel: force-included beside the package
    ]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # PyInstaller one-folder build
        found.insert(0, Path(frozen) / name)
    return found


def app_dir(name: str) -> Path:
    """The first existing copy of one of the app's folders: ``migrations``, ``resources``, ``ui``."""
    for candidate in _candidates(name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the app's {name!r} folder is missing from this installation")


def migrations_dir() -> Path:
    return app_dir("migrations")


def resources_dir() -> Path:
    return app_dir("resources")
