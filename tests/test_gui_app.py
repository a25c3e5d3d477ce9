"""Starting the app: the screenshot mode of the CLI contract, the register's refusals turned into
questions with choices, and errors shown as sentences with the traceback kept in the log."""

from __future__ import annotations

import logging
import sqlite3
import sys

import factories
import pytest
import sqlalchemy as sa
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from tests import gui_fixtures
from zunyi_trainer import paths
from zunyi_trainer.db import open_register
from zunyi_trainer.gui import app as gui_app
from zunyi_trainer.gui import messages
from zunyi_trainer.gui.logfile import log_path, remove_logging, setup_logging
from zunyi_trainer.models import Institution

zh_app = gui_fixtures.zh_app


class Chooser:
    """Answers the opening questions in turn, remembering what it was asked."""

    def __init__(self, *answers: str, on_ask=None) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str, list[str]]] = []
        self.on_ask = on_ask

    def __call__(self, title: str, message: str, choices: list[tuple[str, str]]) -> str:
        self.asked.append((title, message, [k for k, _ in choices]))
        if self.on_ask is not None:
            self.on_ask()
        return self.answers.pop(0)


@pytest.fixture
def clean_app(zh_app, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    yield zh_app


def test_screenshot_mode_saves_a_large_enough_png_and_exits_0(clean_app, demo_dir, tmp_path):
    target = tmp_path / "shots" / "main.png"
    try:
        assert gui_app.run_app(demo_dir, str(target)) == 0
    finally:
        remove_logging(demo_dir)
    image = QImage(str(target))
    assert image.width() >= 1280 and image.height() >= 800
    # The register was closed again: it can be opened (its lock released).
    open_register(demo_dir).close()


def test_screenshot_mode_on_an_empty_folder_creates_the_register(clean_app, tmp_path):
    data = tmp_path / "new"
    try:
        assert gui_app.run_app(data, str(tmp_path / "s.png")) == 0
    finally:
        remove_logging(data)
    assert paths.register_path(data).exists()


def test_a_locked_register_offers_retry_and_opens_once_free(clean_app, data_dir):
    holder = open_register(data_dir)
    chooser = Chooser("retry", on_ask=holder.close)
    register = gui_app.open_register_interactively(data_dir, chooser)
    try:
        assert register is not None
        ((title, _message, choices),) = chooser.asked
        assert choices == ["retry", "quit"] and title == "登记册正在使用"
    finally:
        register.close()


def test_quitting_at_the_lock_question_opens_nothing(clean_app, data_dir):
    holder = open_register(data_dir)
    try:
        assert gui_app.open_register_interactively(data_dir, Chooser("quit")) is None
    finally:
        holder.close()


def test_a_damaged_register_offers_the_newest_good_backup_and_restores_it(clean_app, data_dir):
    with open_register(data_dir) as reg:
        with reg.transaction() as s:
            factories.institution(s, name="备份里的学校")
        reg.backup("manual")
    register_file = paths.register_path(data_dir)
    register_file.write_bytes(b"this is not a database" * 100)
    for side in (register_file.with_name(register_file.name + "-wal"), register_file.with_name(register_file.name + "-shm")):
        side.unlink(missing_ok=True)
    chooser = Chooser("restore")
    register = gui_app.open_register_interactively(data_dir, chooser)
    try:
        assert register is not None
        assert chooser.asked[0][2] == ["restore", "quit"] and "损坏" in chooser.asked[0][1]
        with register.session() as s:
            assert s.scalars(sa.select(Institution.name)).one() == "备份里的学校"
    finally:
        register.close()
    assert list(data_dir.glob("register.sqlite3.damaged-*")), "the damaged file is kept"


def test_a_register_from_a_newer_app_is_refused_with_its_reason(clean_app, data_dir):
    con = sqlite3.connect(paths.register_path(data_dir))
    con.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    con.commit()
    con.close()
    chooser = Chooser("quit")
    assert gui_app.open_register_interactively(data_dir, chooser) is None
    assert "更新版本" in chooser.asked[0][1] and chooser.asked[0][2] == ["quit"]


def test_a_network_folder_warning_lets_the_user_stop(clean_app, data_dir, monkeypatch):
    import zunyi_trainer.db as db

    monkeypatch.setattr(db, "network_folder_kind", lambda path: "network")
    chooser = Chooser("quit")
    assert gui_app.open_register_interactively(data_dir, chooser) is None
    assert "网络共享文件夹" in chooser.asked[0][1] and chooser.asked[0][2] == ["continue", "quit"]
    open_register(data_dir).close()  # nothing left locked


def test_an_unexpected_error_is_a_sentence_for_the_user_and_a_traceback_in_the_log(clean_app, qtbot, tmp_path, monkeypatch):
    setup_logging(tmp_path)
    monkeypatch.setattr(messages, "_non_blocking", True)
    try:
        try:
            {}["missing"]
        except KeyError as exc:
            messages.show_error(None, exc)
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.objectName() == "errorDialog")
        qtbot.addWidget(box)
        assert box.text() == messages.error_sentence(KeyError()) and "Traceback" not in box.text()
        assert "意外错误" in box.text()
        for handler in logging.getLogger().handlers:
            handler.flush()
        logged = log_path(tmp_path).read_text(encoding="utf-8")
        assert "Traceback" in logged and "KeyError: 'missing'" in logged
    finally:
        remove_logging(tmp_path)


def test_a_core_refusal_is_shown_as_its_own_chinese_sentence(clean_app, qtbot, monkeypatch):
    from zunyi_trainer.errors import ValidationError

    monkeypatch.setattr(messages, "_non_blocking", True)
    messages.show_error(None, ValidationError("请填写姓名。", "Enter the name."))
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.text() == "请填写姓名。")
    qtbot.addWidget(box)


def test_english_chosen_in_settings_applies_at_the_next_start(qtbot, zh_app, register, tmp_path, monkeypatch):
    from zunyi_trainer.gui.main_window import MainWindow

    dialogs = gui_fixtures.Dialogs()
    monkeypatch.setattr(messages, "inform", dialogs.inform)
    ctx = gui_fixtures.make_ctx(register, tmp_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    settings_page = window.pages["settings"]
    settings_page.language.setCurrentIndex(settings_page.language.findData("en"))
    assert ctx.settings.value("ui/language") == "en" and "下次启动" in dialogs.infos[0]
    assert window.nav.item(0).text() == "概览"  # unchanged until the next start
    try:
        gui_app.install_translators(zh_app, str(ctx.settings.value("ui/language")))
        restarted = MainWindow(ctx)
        qtbot.addWidget(restarted)
        assert restarted.nav.item(0).text() == "Overview"
        assert restarted.pages["classes"].export_button.text() == "Export to Excel"
    finally:
        gui_app.install_translators(zh_app, "zh")


def test_the_cli_gui_command_takes_a_screenshot(demo_dir, tmp_path):
    import os
    import subprocess

    target = tmp_path / "cli.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "zunyi_trainer", "--data-dir", str(demo_dir), "gui", "--screenshot", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) >= (1280, 800) and image.height() >= 800


def test_a_new_register_started_empty_asks_for_the_school_profile_first(qtbot, zh_app, register, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(type(self).__name__) or 0)
    ctx = gui_fixtures.make_ctx(register, tmp_path)
    chooser = Chooser("empty")
    gui_app.offer_demo(ctx, None, chooser)
    assert chooser.asked[0][2] == ["demo", "empty"] and str(ctx.data_dir) in chooser.asked[0][1]
    assert opened == ["InstitutionDialog"]


def test_the_screenshot_set_is_regenerable(zh_app, demo_dir, tmp_path):
    from zunyi_trainer.gui.main_window import PAGE_KEYS
    from zunyi_trainer.gui.screenshots import render_all

    written = render_all(demo_dir, tmp_path / "shots")
    names = {p.name for p in written}
    assert {f"gui-{key}.png" for key in PAGE_KEYS} <= names
    assert {"gui-form-class.png", "gui-form-trainee.png", "gui-class-detail-checks.png"} <= names
    for path in written:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 500, path.name
    main = QImage(str(tmp_path / "shots" / "gui-overview.png"))
    assert (main.width(), main.height()) >= (1280, 800) and main.height() >= 800
