"""Shared fixtures: a template register migrated once per test session and copied per test,
a demo register likewise, and the factories in ``tests/factories.py``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt application exists
os.environ["ZUNYI_TRAINER_LANG"] = "zh"  # messages are asserted in Chinese

import pytest

from zunyi_trainer.db import Register, open_register
from zunyi_trainer.i18n import set_language


@pytest.fixture(autouse=True)
def _chinese_messages() -> Iterator[None]:
    set_language("zh")
    yield
    set_language(None)


def _copy_data_dir(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("*.lock", "logs"))
    return target


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("template-empty")
    open_register(base).close()
    return base


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from zunyi_trainer.demo import fill_demo

    base = tmp_path_factory.mktemp("template-demo")
    reg = open_register(base)
    try:
        fill_demo(reg, seed=7)
    finally:
        reg.close()
    return base


@pytest.fixture
def data_dir(tmp_path: Path, empty_template: Path) -> Path:
    """A data dir holding a fresh, migrated, empty register (not open)."""
    return _copy_data_dir(empty_template, tmp_path / "data")


@pytest.fixture
def register(data_dir: Path) -> Iterator[Register]:
    reg = open_register(data_dir)
    yield reg
    reg.close()


@pytest.fixture
def demo_dir(tmp_path: Path, demo_template: Path) -> Path:
    """A data dir holding the demo school (seed 7), not open."""
    return _copy_data_dir(demo_template, tmp_path / "demo")


@pytest.fixture
def demo_register(demo_dir: Path) -> Iterator[Register]:
    reg = open_register(demo_dir)
    yield reg
    reg.close()
