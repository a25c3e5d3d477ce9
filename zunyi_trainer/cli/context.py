"""What every command gets: the data dir, the register (opened on first use) and output helpers."""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import Any

from zunyi_trainer import paths
from zunyi_trainer.db import Register, database_url_from_env, open_register


class Context:
    def __init__(self, data_dir: str | None, database_url: str | None = None) -> None:
        self.data_dir: Path = paths.data_dir(data_dir)
        self.database_url = database_url_from_env(database_url)
        self._register: Register | None = None

    @property
    def log_file(self) -> Path:
        return paths.logs_dir(self.data_dir) / "zunyi-trainer.log"

    def setup_logging(self) -> None:
        """Full details to a rotating log file in the data dir; the terminal only gets sentences.

        One handler at a time: a later command in the same process (tests, the self-test) logs
        into its own data dir, not the first one's."""
        root = logging.getLogger()
        for old in [h for h in root.handlers if getattr(h, "_zunyi", False)]:
            if getattr(old, "baseFilename", None) == str(self.log_file.resolve()):
                return
            root.removeHandler(old)
            old.close()
        try:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(self.log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        except OSError:
            return
        handler._zunyi = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)

    def register(self, *, create: bool = False) -> Register:
        if self._register is None:
            self._register = open_register(
                self.data_dir, create=create or bool(self.database_url), database_url=self.database_url
            )
            for warning in self._register.report.warnings:
                self.warn(warning)
        return self._register

    def close(self) -> None:
        if self._register is not None:
            self._register.close()
            self._register = None

    @staticmethod
    def out(line: str = "") -> None:
        print(line)

    @staticmethod
    def warn(line: str) -> None:
        print(line, file=sys.stderr)

    @staticmethod
    def json(value: Any) -> None:
        print(json.dumps(value, ensure_ascii=False, indent=2, default=str))
