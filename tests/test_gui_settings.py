"""The settings page: rule settings edited, saved through the core and used by the rules; values the
core refuses; defaults back; the documents' font; backups taken, listed and restored in place."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import gui_fixtures
from zunyi_trainer.audit import last_event
from zunyi_trainer.backups import list_backups
from zunyi_trainer.gui.class_detail import ClassDetailWindow
from zunyi_trainer.gui.settings_page import SettingsPage
from zunyi_trainer.models import Institution, Setting, Trainee, TrainingClass
from zunyi_trainer.rules import check_class
from zunyi_trainer.settings import DEFAULTS, load_settings

zh_app, dialogs, demo_ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.demo_ctx


@pytest.fixture
def page(qtbot, demo_ctx):
    p = SettingsPage(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1108, 700)
    p.show()
    yield p
    for detail in list(ClassDetailWindow._open.values()):
        detail.close()


def _codes_of(register, suffix: str) -> set[str]:
    with register.session() as s:
        c = s.scalars(sa.select(TrainingClass).where(TrainingClass.code.like(f"%{suffix}"))).one()
        return {f.code for f in check_class(s, c)}


def test_the_rules_tab_shows_each_setting_with_its_default_and_what_it_does(page):
    assert page.editors["attendance_threshold"].value() == 80.0
    assert page.editors["min_periods"]["L5"].value() == 40
    assert page.findChild(type(page.rules_message), "default_attendance_threshold").text() == "80 %"
    assert "默认：" in page.findChild(type(page.rules_message), "default_min_periods").text()
    assert set(page.explanations()) == set(page.editors)
    assert all(page.explanations().values())


def test_an_edited_rule_setting_is_saved_audited_and_changes_a_rules_outcome(page, demo_ctx):
    """The demo's rejected housekeeping class (…009) has 32 periods, short of the 40 a 五级 class
    needs; with the minimum set to 30 the finding goes."""
    register = demo_ctx.register
    assert "class.hours_below_minimum" in _codes_of(register, "009")
    with register.session() as s:
        before = last_event(s.connection())
    page.editors["min_periods"]["L5"].setValue(30)
    page.editors["attendance_threshold"].setValue(75)
    assert page.save_rules()
    assert "已保存" in page.rules_message.text()
    with register.session() as s:
        saved = load_settings(s)
        assert last_event(s.connection()) != before  # the change is in the audit trail
    assert saved.min_periods_for("L5") == 30 and saved.attendance_threshold == 0.75
    assert "class.hours_below_minimum" not in _codes_of(register, "009")
    fresh = SettingsPage(demo_ctx)  # what the next start shows
    assert fresh.editors["min_periods"]["L5"].value() == 30


def test_saving_unchanged_settings_stores_nothing(page, demo_ctx):
    """⅓ is shown as 33.3 % but saved as it was, not as 0.333."""
    assert page.save_rules()
    with demo_ctx.register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Setting).where(Setting.key.like("rules.%"))) == 0
        assert load_settings(s) == DEFAULTS


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("id_min_age", 90, "不能大于最高年龄"),
        ("attendance_threshold", 120, "应在 0 到 1 之间"),
        ("shared_phone_limit", 1, "至少为 2"),
        ("period_minutes", 0, "每课时至少 1 分钟"),
    ],
)
def test_a_value_the_core_refuses_is_explained_and_nothing_is_saved(page, demo_ctx, field, value, words):
    page.editors[field].setValue(value)
    assert not page.save_rules()
    assert words in page.rules_message.text() and "无效" in page.rules_message.text()
    with demo_ctx.register.session() as s:
        assert load_settings(s) == DEFAULTS
    assert page.editors[field].value() == value  # what was typed stays, to be corrected


def test_restore_defaults_asks_and_puts_every_setting_back(page, demo_ctx, dialogs):
    page.editors["late_after_minutes"].setValue(15)
    assert page.save_rules()
    dialogs.answers = [False]
    assert not page.restore_defaults()
    with demo_ctx.register.session() as s:
        assert load_settings(s).late_after_minutes == 15
    dialogs.answers = [True]
    assert page.restore_defaults()
    assert "默认值" in dialogs.questions[-1]
    with demo_ctx.register.session() as s:
        assert load_settings(s) == DEFAULTS
    assert page.editors["late_after_minutes"].value() == 5


def test_undo_changes_shows_the_saved_values_again(page):
    page.editors["qualification_warn_days"].setValue(5)
    page.undo_rules_button.click()
    assert page.editors["qualification_warn_days"].value() == 60


def test_the_document_font_is_remembered_and_a_bad_file_refused(page, demo_ctx, dialogs, tmp_path):
    from zunyi_trainer.documents.fonts import FONT_SETTING_KEY, fallback_font_path, load_font_preference

    assert page.font_combo.currentText() == "程序自带（文泉驿微米黑）"
    not_a_font = tmp_path / "simsun.ttf"
    not_a_font.write_bytes(b"not a font")
    assert not page.set_document_font(not_a_font)
    assert "无法使用字体文件" in dialogs.error_texts[-1]
    assert page.set_document_font(fallback_font_path())
    with demo_ctx.register.session() as s:
        assert load_font_preference(s) == str(fallback_font_path())
        assert s.get(Setting, FONT_SETTING_KEY) is not None
    assert page.font_combo.currentData() == str(fallback_font_path())
    assert page.set_document_font(None)
    with demo_ctx.register.session() as s:
        assert load_font_preference(s) is None


def test_back_up_now_adds_a_backup_to_the_list(page, demo_ctx):
    rows = page.backups_panel.table.rowCount()
    page.backups_panel.backup_button.click()
    assert page.backups_panel.table.rowCount() == rows + 1
    newest = list_backups(demo_ctx.register.backups_dir)[0]
    assert page.backups_panel.table.item(0, 3).text() == newest.path.name
    assert page.backups_panel.table.item(0, 1).text() == "手动"
    assert page.backups_panel.table.item(0, 2).text().endswith(("KB", "MB"))
    assert str(demo_ctx.register.backups_dir) in page.backups_panel.where.text()


def test_restore_asks_first_and_brings_back_the_earlier_data(qtbot, page, demo_ctx, dialogs):
    register = demo_ctx.register
    page.backups_panel.back_up_now()
    with register.transaction() as s:
        inst = s.scalars(sa.select(Institution)).one()
        old_name = inst.name
        inst.name = "改过名字的学校"
        trainees = s.scalar(sa.select(sa.func.count(Trainee.id)))
        s.delete(s.scalars(sa.select(Trainee).where(~Trainee.enrollments.any())).first())
    demo_ctx.changed("")
    with register.session() as s:
        class_id = s.scalar(sa.select(TrainingClass.id).limit(1))
    detail = ClassDetailWindow.open_for(demo_ctx, class_id)
    page.backups_panel.table.selectRow(0)

    dialogs.answers = [False]
    assert not page.backups_panel.restore_selected()
    assert "替换当前登记册" in dialogs.questions[-1]
    with register.session() as s:
        assert s.scalars(sa.select(Institution)).one().name == "改过名字的学校"

    dialogs.answers = [True]
    with qtbot.waitSignal(page.backups_panel.restored):
        assert page.backups_panel.restore_selected()
    with register.session() as s:
        assert s.scalars(sa.select(Institution)).one().name == old_name
        assert s.scalar(sa.select(sa.func.count(Trainee.id))) == trainees
    assert not detail.isVisible()  # class windows of the replaced register are closed
    assert old_name in page.institution_label.text()
    assert "恢复前的登记册保存在" in dialogs.infos[-1]
    reasons = [b.reason for b in list_backups(register.backups_dir)]
    assert "pre-restore" in reasons  # the register as it was is kept
    assert page.backups_panel.table.rowCount() == len(reasons)
    with register.transaction() as s:  # the register is writable again, with its audit trail
        s.scalars(sa.select(Institution)).one().contact_phone = "0851-22000000"
    from zunyi_trainer.audit import verify_chain

    with register.engine.connect() as conn:
        assert verify_chain(conn).ok


def test_a_damaged_backup_is_refused_and_the_register_left_as_it_was(page, demo_ctx, dialogs):
    register = demo_ctx.register
    page.backups_panel.back_up_now()
    newest = list_backups(register.backups_dir)[0].path
    newest.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    page.backups_panel.reload()
    page.backups_panel.table.selectRow(0)
    dialogs.answers = [True]
    page.backups_panel.restore_selected()
    assert "已损坏" in dialogs.error_texts[-1]
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count(Institution.id))) == 1


def test_the_settings_tabs_render_at_1280_by_800(qtbot, demo_ctx, tmp_path):
    from zunyi_trainer.gui.main_window import MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_page("settings")
    page = window.pages["settings"]
    page.tabs.setCurrentWidget(page.rules_tab)
    qtbot.waitUntil(lambda: page.editors["id_max_age"].isVisible())
    assert window.grab().save(str(tmp_path / "settings.png"))
    last = page.editors["id_max_age"]
    assert (
        last.mapTo(page, last.rect().bottomLeft()).y()
        < page.save_rules_button.mapTo(page, page.save_rules_button.rect().topLeft()).y()
    )
    assert page.visibleRegion().boundingRect().contains(last.mapTo(page, last.rect().center()))


def test_the_institution_profile_is_edited_checked_and_audited_through_the_core(page, demo_ctx):
    from zunyi_trainer.gui.record_dialogs import InstitutionDialog

    register = demo_ctx.register
    with register.session() as s:
        before = last_event(s.connection())
    dialog = InstitutionDialog(demo_ctx, page)
    good = dialog.ui.uscc.text()
    dialog.ui.uscc.setText("91520000ABCDEFGHIJ")
    assert not dialog.save()
    assert "信用代码" in dialog.findChild(type(page.rules_message), "err_uscc").text()
    dialog.ui.uscc.setText(good)
    dialog.ui.name.setText("遵义市新名字职业培训学校")
    assert dialog.save()
    assert "遵义市新名字职业培训学校" in page.institution_label.text()
    with register.session() as s:
        assert last_event(s.connection()) != before


def _register_file_from(sql_file, target):
    import sqlite3

    con = sqlite3.connect(target)
    con.executescript(sql_file.read_text(encoding="utf-8"))
    con.close()
    return target


def test_a_backup_from_an_older_version_is_restored_and_brought_up_to_date(register, tmp_path):
    from pathlib import Path

    from zunyi_trainer.db import head_revision
    from zunyi_trainer.gui.backups_panel import restore_in_place

    fixture = Path(__file__).parent / "fixtures" / "registers" / "0001.sql"
    backup = _register_file_from(fixture, tmp_path / "register-20250101-080000-manual.sqlite3")
    kept = restore_in_place(register, backup)
    assert kept is not None and kept.name.endswith("-pre-restore.sqlite3")
    with register.session() as s:
        assert s.scalars(sa.select(Institution.name)).one() == "湄潭县夹具职业培训学校"
    with register.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()


def test_a_backup_from_a_newer_version_is_refused_before_anything_changes(register, tmp_path):
    import sqlite3
    from pathlib import Path

    from zunyi_trainer.errors import BackupError
    from zunyi_trainer.gui.backups_panel import restore_in_place

    fixture = Path(__file__).parent / "fixtures" / "registers" / "0001.sql"
    backup = _register_file_from(fixture, tmp_path / "register-20250101-080000-manual.sqlite3")
    con = sqlite3.connect(backup)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    with pytest.raises(BackupError) as refused:
        restore_in_place(register, backup)
    assert "更新版本" in refused.value.message()
    assert not list_backups(register.backups_dir)  # not even the pre-restore backup was taken
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count(Institution.id))) == 0
