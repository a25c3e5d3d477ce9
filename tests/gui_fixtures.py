"""Fixtures of the desktop-app tests: an AppContext on a real register whose task runner runs
synchronously, Chinese translations installed, and message boxes answered by the test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from zunyi_trainer.db import Register
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.tasks import SynchronousPool, TaskRunner


@dataclass
class Dialogs:
    """What the app asked and told the user; ``answers`` are popped for each confirmation."""

    answers: list[bool] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)

    def confirm(self, parent, title, question, *, destructive=False) -> bool:
        self.questions.append(question)
        return self.answers.pop(0) if self.answers else True

    def inform(self, parent, title, message) -> None:
        self.infos.append(message)

    def show_error(self, parent, exc, title=None) -> None:
        messages.log.info("error shown: %s", exc)
        self.errors.append(exc)

    @property
    def error_texts(self) -> list[str]:
        return [messages.error_sentence(e) for e in self.errors]


class HeldPool:
    """A pool that runs its tasks only when the test says so, in any order."""

    def __init__(self) -> None:
        self.waiting: list = []

    def start(self, runnable) -> None:
        self.waiting.append(runnable)

    def waitForDone(self, msecs: int = -1) -> bool:
        return True


@pytest.fixture(scope="session")
def zh_app(qapp: QApplication) -> QApplication:
    from zunyi_trainer.gui.app import install_translators

    install_translators(qapp, "zh")
    return qapp


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    d = Dialogs()
    monkeypatch.setattr(messages, "confirm", d.confirm)
    monkeypatch.setattr(messages, "inform", d.inform)
    monkeypatch.setattr(messages, "show_error", d.show_error)
    return d


def make_ctx(register: Register, tmp_path: Path) -> AppContext:
    settings = QSettings(str(tmp_path / "desktop-test.ini"), QSettings.Format.IniFormat)
    return AppContext(register, runner=TaskRunner(pool=SynchronousPool()), settings=settings)


@pytest.fixture
def ctx(zh_app, register: Register, tmp_path: Path, dialogs: Dialogs) -> Iterator[AppContext]:
    yield make_ctx(register, tmp_path)


@pytest.fixture
def demo_ctx(zh_app, demo_register: Register, tmp_path: Path, dialogs: Dialogs) -> Iterator[AppContext]:
    yield make_ctx(demo_register, tmp_path)
