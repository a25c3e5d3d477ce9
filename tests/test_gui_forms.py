"""The record forms, driven as a user would: typing into the fields, pressing Save, and finding
the record in the register; validation messages next to their field; nothing typed is lost."""

from __future__ import annotations

import datetime as dt

import factories
import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests import gui_fixtures
from zunyi_trainer import idcard
from zunyi_trainer.gui.record_dialogs import (
    ClassDialog,
    EquipmentDialog,
    InstitutionDialog,
    SpendDialog,
    TeacherDialog,
    TraineeDialog,
    VenueDialog,
)
from zunyi_trainer.models import (
    Attachment,
    AttachmentKind,
    Equipment,
    EquipmentSpend,
    Institution,
    Level,
    Qualification,
    Sex,
    Teacher,
    Trainee,
    TrainingClass,
    Venue,
    VenueKind,
)

zh_app, dialogs, ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.ctx


@pytest.fixture
def school(register):
    with register.transaction() as s:
        factories.institution(s)
    return register


def press_save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def type_into(qtbot, widget, text: str) -> None:
    """Type ``text``; Chinese arrives the way an input method commits it (QTest only knows ASCII keys)."""
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)


# --- trainee ----------------------------------------------------------------------------------


def test_typing_a_valid_id_number_fills_birth_date_and_sex(qtbot, ctx, school):
    dialog = TraineeDialog(ctx)
    qtbot.addWidget(dialog)
    number = idcard.make_number("520328", dt.date(1991, 8, 9), 11)  # odd order: male
    qtbot.keyClicks(dialog.ui.id_number, number[:10])
    assert dialog.ui.err_id_number.text() == "已输入 10 位，共 18 位"
    qtbot.keyClicks(dialog.ui.id_number, number[10:])
    assert dialog.ui.birth_date.text() == "1991-08-09"
    assert dialog.ui.sex.text() == "男"
    assert dialog.ui.err_id_number.isHidden()


def test_a_wrong_check_digit_is_shown_next_to_the_field_and_save_keeps_the_input(qtbot, ctx, school):
    dialog = TraineeDialog(ctx)
    qtbot.addWidget(dialog)
    good = idcard.make_number("520328", dt.date(1991, 8, 9), 11)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    type_into(qtbot, dialog.ui.name, "王芳")
    type_into(qtbot, dialog.ui.id_number, bad)
    type_into(qtbot, dialog.ui.phone, "13912345678")
    assert "校验位" in dialog.ui.err_id_number.text()
    press_save(qtbot, dialog)
    assert not dialog.ui.err_id_number.isHidden() and "校验位" in dialog.ui.err_id_number.text()
    assert (dialog.ui.name.text(), dialog.ui.id_number.text(), dialog.ui.phone.text()) == ("王芳", bad, "13912345678")
    assert dialog.result() == 0  # still open
    with school.session() as s:
        assert s.scalar(sa.select(sa.func.count(Trainee.id))) == 0


def test_saving_a_new_trainee_puts_it_in_the_register(qtbot, ctx, school):
    dialog = TraineeDialog(ctx)
    qtbot.addWidget(dialog)
    number = idcard.make_number("520328", dt.date(1995, 2, 3), 22)
    type_into(qtbot, dialog.ui.name, "陈晓")
    type_into(qtbot, dialog.ui.id_number, number)
    type_into(qtbot, dialog.ui.phone, "13800001111")
    press_save(qtbot, dialog)
    assert dialog.result() == 1
    with school.session() as s:
        t = s.scalars(sa.select(Trainee)).one()
    assert (t.name, t.id_number, t.sex, t.phone) == ("陈晓", number, Sex.FEMALE, "13800001111")


def test_a_missing_name_is_reported_on_the_name_field(qtbot, ctx, school):
    dialog = TraineeDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.id_number, factories.id_number())
    press_save(qtbot, dialog)
    assert dialog.ui.err_name.text() == "请填写姓名。"


def test_closing_with_unsaved_changes_asks_and_stays_open_on_no(qtbot, ctx, school, dialogs):
    dialog = TraineeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.ui.name, "未保存")
    dialogs.answers = [False]
    dialog.reject()
    assert dialog.isVisible() and len(dialogs.questions) == 1
    dialogs.answers = [True]
    dialog.reject()
    assert not dialog.isVisible()


def test_closing_an_untouched_form_does_not_ask(qtbot, ctx, school, dialogs):
    dialog = TraineeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert not dialog.isVisible() and dialogs.questions == []


def test_editing_a_trainee_changes_the_record(qtbot, ctx, school):
    with school.transaction() as s:
        t = factories.trainee(s, name="旧名")
        trainee_id = t.id
    dialog = TraineeDialog(ctx, trainee_id)
    qtbot.addWidget(dialog)
    assert dialog.ui.name.text() == "旧名" and dialog.ui.birth_date.text()
    type_into(qtbot, dialog.ui.name, "新名")
    press_save(qtbot, dialog)
    with school.session() as s:
        assert s.get(Trainee, trainee_id).name == "新名"


# --- class ------------------------------------------------------------------------------------


def test_choosing_a_trade_fills_industry_and_limits_levels(qtbot, ctx, school):
    dialog = ClassDialog(ctx)
    qtbot.addWidget(dialog)
    with school.session() as s:
        tea = factories.trade(s, "茶艺师")
    index = dialog.ui.trade_id.findData(tea.id)
    dialog.ui.trade_id.setCurrentIndex(index)
    assert dialog.ui.industry.text() == "茶"
    levels = [dialog.ui.level.itemData(i) for i in range(dialog.ui.level.count())]
    assert levels == tea.levels


def test_creating_a_class_through_the_form(qtbot, ctx, school):
    dialog = ClassDialog(ctx)
    qtbot.addWidget(dialog)
    with school.session() as s:
        tea = factories.trade(s, "茶艺师")
    dialog.ui.trade_id.setCurrentIndex(dialog.ui.trade_id.findData(tea.id))
    type_into(qtbot, dialog.ui.code, "MT-2026-01")
    type_into(qtbot, dialog.ui.name, "湄潭茶艺师班")
    dialog.ui.planned_size.setValue(30)
    dialog.ui.subsidy_standard_fen.setValue(1200.5)
    press_save(qtbot, dialog)
    assert dialog.result() == 1, dialog.ui.formMessage.text()
    with school.session() as s:
        c = s.scalars(sa.select(TrainingClass)).one()
    assert (c.code, c.name, c.trade_id, c.planned_size, c.subsidy_standard_fen) == (
        "MT-2026-01",
        "湄潭茶艺师班",
        tea.id,
        30,
        120050,
    )
    assert c.level in tea.levels


def test_a_class_code_used_twice_is_refused_on_the_code_field(qtbot, ctx, school):
    with school.transaction() as s:
        factories.training_class(s, code="DUP-1")
    dialog = ClassDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.code, "DUP-1")
    press_save(qtbot, dialog)
    assert "DUP-1" in dialog.ui.err_code.text() and dialog.ui.code.text() == "DUP-1"


# --- teacher ----------------------------------------------------------------------------------


def _fill_row(table, row: int, cells: list[str]) -> None:
    from PySide6.QtWidgets import QTableWidgetItem

    for col, value in enumerate(cells):
        table.setItem(row, col, QTableWidgetItem(value))


def test_a_teacher_with_a_qualification_is_saved_with_it(qtbot, ctx, school):
    dialog = TeacherDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.name, "罗老师")
    type_into(qtbot, dialog.ui.id_number, idcard.make_number("520328", dt.date(1978, 4, 4), 31))
    assert dialog.ui.sex.text() == "男"
    qtbot.mouseClick(dialog.ui.qualificationsAdd, Qt.MouseButton.LeftButton)
    _fill_row(
        dialog.ui.qualificationsTable,
        0,
        ["职业技能等级证书", "Q-778", "茶艺师", "三级/高级工", "贵州省人社厅", "2022-01-01", "2027-12-31"],
    )
    qtbot.mouseClick(dialog.ui.affiliationsAdd, Qt.MouseButton.LeftButton)
    _fill_row(dialog.ui.affiliationsTable, 0, ["2026", "湄潭县某职业培训学校", ""])
    press_save(qtbot, dialog)
    assert dialog.result() == 1, dialog.ui.formMessage.text()
    with school.session() as s:
        t = s.scalars(sa.select(Teacher)).one()
        q = s.scalars(sa.select(Qualification)).one()
        assert (t.name, len(t.affiliations)) == ("罗老师", 1)
        assert (q.number, q.trade.name, q.level, q.expires_on) == ("Q-778", "茶艺师", Level.L3, dt.date(2027, 12, 31))


def test_a_bad_expiry_date_shows_the_qualifications_tab_with_the_message(qtbot, ctx, school):
    dialog = TeacherDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.name, "罗老师")
    type_into(qtbot, dialog.ui.id_number, idcard.make_number("520328", dt.date(1978, 4, 4), 31))
    qtbot.mouseClick(dialog.ui.qualificationsAdd, Qt.MouseButton.LeftButton)
    _fill_row(dialog.ui.qualificationsTable, 0, ["职业技能等级证书", "Q-1", "", "", "", "", "明年"])
    press_save(qtbot, dialog)
    assert dialog.ui.tabs.currentIndex() == 1
    assert "明年" in dialog.ui.err_qualifications.text()
    assert dialog.ui.qualificationsTable.item(0, 6).text() == "明年"


# --- venue, equipment, spend, institution -----------------------------------------------------


def test_venue_and_equipment_forms_save_their_records(qtbot, ctx, school):
    dialog = VenueDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.name, "实训室一")
    dialog.ui.kind.setCurrentIndex(dialog.ui.kind.findData(VenueKind.PRACTICE))
    dialog.ui.seats.setValue(36)
    press_save(qtbot, dialog)
    with school.session() as s:
        v = s.scalars(sa.select(Venue)).one()
    assert (v.name, v.kind, v.seats) == ("实训室一", VenueKind.PRACTICE, 36)

    dialog = EquipmentDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.name, "蒸馏设备")
    dialog.ui.venue_id.setCurrentIndex(dialog.ui.venue_id.findData(v.id))
    dialog.ui.value_fen.setValue(35000)
    press_save(qtbot, dialog)
    with school.session() as s:
        e = s.scalars(sa.select(Equipment)).one()
    assert (e.name, e.venue_id, e.value_fen, e.quantity) == ("蒸馏设备", v.id, 3_500_000, 1)


def test_a_spend_is_saved_with_its_invoice_stored_by_sha256(qtbot, ctx, school, tmp_path):
    import hashlib

    invoice = tmp_path / "发票-2026-001.pdf"
    invoice.write_bytes(b"%PDF-1.4 invoice")
    dialog = SpendDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.ui.amount_fen.setValue(1999.99)
    type_into(qtbot, dialog.ui.description, "购置评茶杯")
    dialog.add_files([invoice])
    press_save(qtbot, dialog)
    assert dialog.result() == 1, dialog.ui.formMessage.text()
    digest = hashlib.sha256(invoice.read_bytes()).hexdigest()
    with school.session() as s:
        sp = s.scalars(sa.select(EquipmentSpend)).one()
        att = s.scalars(sa.select(Attachment)).one()
    assert sp.amount_fen == 199_999 and att.spend_id == sp.id
    assert (att.sha256, att.kind, att.filename) == (digest, AttachmentKind.INVOICE, invoice.name)
    from zunyi_trainer.attachments import blob_path

    assert blob_path(school.attachments_dir, digest).read_bytes() == invoice.read_bytes()


def test_a_spend_without_an_amount_is_refused_on_the_amount(qtbot, ctx, school):
    dialog = SpendDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.description, "维修")
    press_save(qtbot, dialog)
    assert dialog.ui.err_amount_fen.text() == "请填写大于零的金额。"


def test_institution_profile_refuses_a_bad_credit_code_and_saves_a_good_one(qtbot, ctx, register):
    dialog = InstitutionDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.name, "凤冈县测试培训学校")
    type_into(qtbot, dialog.ui.uscc, "91110000600037341X")
    press_save(qtbot, dialog)
    assert "统一社会信用代码" in dialog.ui.err_uscc.text()
    type_into(qtbot, dialog.ui.uscc, factories.VALID_USCC)
    dialog.ui.trade_ids.item(0).setCheckState(Qt.CheckState.Checked)
    press_save(qtbot, dialog)
    assert dialog.result() == 1, dialog.ui.formMessage.text()
    with register.session() as s:
        inst = s.scalars(sa.select(Institution)).one()
        assert (inst.name, inst.uscc, len(inst.trades)) == ("凤冈县测试培训学校", factories.VALID_USCC, 1)


def test_qualification_kind_trade_and_level_are_chosen_from_lists(qtbot, ctx, school):
    dialog = TeacherDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.ui.qualificationsAdd, Qt.MouseButton.LeftButton)
    table = dialog.ui.qualificationsTable
    table.editItem(table.item(0, 2))
    from PySide6.QtWidgets import QComboBox

    editor = table.findChild(QComboBox)
    assert editor is not None and editor.findText("茶艺师") >= 0
    editor.setCurrentIndex(editor.findText("茶艺师"))
    table.commitData(editor)
    assert table.item(0, 2).text() == "茶艺师"


def test_a_change_made_in_a_form_is_in_the_audit_trail(qtbot, ctx, school):
    from zunyi_trainer.models import AuditEvent

    dialog = VenueDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.name, "审计测试教室")
    press_save(qtbot, dialog)
    with school.session() as s:
        venue = s.scalars(sa.select(Venue)).one()
        events = s.scalars(
            sa.select(AuditEvent).where(AuditEvent.table_name == "venue", AuditEvent.record_key == str(venue.uuid))
        ).all()
    assert [e.action for e in events] == ["insert"] and "审计测试教室" in events[0].changes


def test_a_trainee_form_lists_the_classes_of_the_trainee(qtbot, ctx, school):
    with school.transaction() as s:
        c = factories.training_class(s, code="EN-1", trainees=1)
        trainee_id = c.enrollments[0].trainee_id
    dialog = TraineeDialog(ctx, trainee_id)
    qtbot.addWidget(dialog)
    assert not dialog.enrolments.isHidden()
    assert "EN-1" in dialog.enrolments.text() and "未考核" in dialog.enrolments.text()


def test_saving_while_a_write_runs_waits_and_keeps_the_input(qtbot, ctx, school):
    from zunyi_trainer.gui.tasks import TaskRunner

    pool = gui_fixtures.HeldPool()
    ctx.runner = TaskRunner(pool=pool, write_pool=pool)
    ctx.runner.run(lambda task: None, writes=True)  # e.g. a roster import, still running
    dialog = VenueDialog(ctx)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.ui.name, "等待中的教室")
    assert not dialog.save()
    assert "仍在进行中" in dialog.ui.formMessage.text() and dialog.ui.name.text() == "等待中的教室"
    pool.waiting.pop().run()  # the import finishes
    assert dialog.save()
    with school.session() as s:
        assert s.scalars(sa.select(Venue.name)).one() == "等待中的教室"
